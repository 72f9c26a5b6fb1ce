"""Security headers and the one error shape, applied to every response of the web app.

The Content-Security-Policy allows scripts, styles and images from this server only: no
inline script, no inline style, no third-party host. Together with Jinja2's autoescaping
this is a second wall: even a transcript that smuggles markup past escaping cannot run it.
"""

from __future__ import annotations

from typing import Any

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

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


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds ``HEADERS`` to every response (static files and errors included)."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        return response


def error_body(status: int, message: str) -> dict[str, Any]:
    """The JSON error shape every ``/api`` route uses: ``{"error": {"status", "message"}}``."""
    return {"error": {"status": status, "message": message}}


SAFE_SCHEMES = ("http://", "https://")


def safe_url(url: str | None) -> str | None:
    """``url`` if it is plain http(s), else ``None``: no ``javascript:`` or ``data:`` links.

    Transcript metadata is untrusted; escaping alone does not stop a ``javascript:`` href.
    """
    if not url:
        return None
    cleaned = "".join(ch for ch in url.strip() if ch >= " ")
    return cleaned if cleaned.lower().startswith(SAFE_SCHEMES) else None
