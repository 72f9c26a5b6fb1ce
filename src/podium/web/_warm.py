"""Imported only by the upload fork server (``isolate.py``): parser loaded, styles compiled,
so each upload's child starts warm."""

from podium.web.isolate import warm

warm()
