"""``podium serve``: a reading room for a press-conference archive, with a JSON API.

``create_app(db)`` builds the ASGI app over a store; see ``app.py`` for its shape.
"""

from __future__ import annotations

from podium.web.app import create_app

__all__ = ["create_app"]
