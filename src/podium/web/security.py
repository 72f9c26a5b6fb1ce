"""Security headers and the one error shape, applied to every response of the web app.

The Content-Security-Policy allows scripts, styles and images from this server only: no
inline script, no inline style, no third-party host. Together with Jinja2's autoescaping
this is a second wall: even a transcript that smuggles markup past escaping cannot run it.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds ``HEADERS`` to every response (static files and errors included).

    A plain ASGI middleware that edits the response's first message: starlette's
    ``BaseHTTPMiddleware`` runs each response through an extra task and stream, a measurable
    share of a results page's server time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in HEADERS.items():
                    headers.setdefault(key, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def error_body(status: int, message: str) -> dict[str, Any]:
    """The JSON error shape every ``/api`` route uses: ``{"error": {"status", "message"}}``."""
    return {"error": {"status": status, "message": message}}


SAFE_SCHEMES = ("http://", "https://")
_CONTROL = re.compile("[\x00-\x1f]")
"""Control characters, dropped from a URL before its scheme is checked (a tab inside
"java\tscript:" is ignored by browsers)."""


def safe_url(url: str | None) -> str | None:
    """``url`` if it is plain http(s), else ``None``: no ``javascript:`` or ``data:`` links.

    Transcript metadata is untrusted; escaping alone does not stop a ``javascript:`` href.
    """
    if not url:
        return None
    cleaned = _CONTROL.sub("", url.strip())
    return cleaned if cleaned.lower().startswith(SAFE_SCHEMES) else None
