"""The web app: server-rendered pages, each with a JSON twin under ``/api``.

Every page handler builds one context dict from the store; the HTML route renders it with
a template and the ``/api`` route returns it as JSON, so the two can never disagree.
Pages work with JavaScript off; ``static/podium.js`` only adds conveniences.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from podium import __version__
from podium.errors import PodiumError, UsageError
from podium.web import charts
from podium.web.cite import citation
from podium.web.security import SecurityHeaders, error_body, safe_url
from podium.web.upload import DEFAULT_MAX_UPLOAD
from podium.web.views import CHANNEL_TEXT, CLARITY_TEXT, paragraphs

HERE = Path(__file__).parent


class Settings:
    """What ``podium serve`` passes in: the store, write permission and the upload limit."""

    def __init__(self, db: str, *, read_only: bool = False, max_upload: int = DEFAULT_MAX_UPLOAD) -> None:
        self.db = db
        self.read_only = read_only
        self.max_upload = max_upload


class StoreHandle:
    """One store connection per worker thread (SQLite connections are not shared across threads)."""

    def __init__(self, db: str, *, read_only: bool = False) -> None:
        self.db = db
        self.read_only = read_only  # opened mode=ro: a read-only server never writes the store or its indexes
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> Any:
        store = getattr(self._local, "store", None)
        if store is None:
            from podium.store import open_store

            store = open_store(self.db, read_only=self.read_only)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()


class HeadAsGet:
    """Answer ``HEAD`` like ``GET`` without the body (link checkers and crawlers send HEAD)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def bodiless(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, bodiless)


def base_url(request: Request) -> str:
    """This server's address as the reader reached it (for absolute permalinks and citations)."""
    return str(request.base_url).rstrip("/")


def _snippet(text: str) -> Markup:
    """Escape a store snippet, then turn its ``<mark>`` pairs (and only those) back into markup."""
    out = []
    for n, part in enumerate(str(text).split("<mark>")):
        if n == 0:
            out.append(str(escape(part)))
            continue
        marked, _, rest = part.partition("</mark>")
        out.append(f"<mark>{escape(marked)}</mark>{escape(rest)}")
    return Markup("".join(out))


def make_templates() -> Jinja2Templates:
    """Templates with autoescaping and the filters pages share."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.autoescape = True
    env.auto_reload = False  # templates ship with the package: no stat() of each one per include
    env.filters["snippet"] = _snippet
    env.filters["paragraphs"] = paragraphs
    env.filters["marked"] = lambda texts: [t for t in texts if "<mark>" in t]
    env.filters["safe_url"] = safe_url
    env.filters["clarity"] = lambda label: CLARITY_TEXT.get(label or "", label)
    env.filters["channel"] = lambda ch: CHANNEL_TEXT.get(ch or "", ch)
    env.filters["thousands"] = lambda n: f"{int(n or 0):,}"
    env.filters["count"] = lambda n, noun: f"{int(n or 0):,} {noun}{'' if int(n or 0) == 1 else 's'}"
    env.globals["bar_chart"] = charts.bar_chart
    env.globals["column_chart"] = charts.column_chart
    env.globals["version"] = __version__
    env.globals["citation"] = citation
    return templates


def create_app(
    db: str, *, read_only: bool = False, max_upload: int = DEFAULT_MAX_UPLOAD
) -> FastAPI:
    """The ASGI app serving the store at ``db`` (a SQLite path or ``postgresql://`` URL)."""
    settings = Settings(db, read_only=read_only, max_upload=max_upload)
    stores = StoreHandle(db, read_only=read_only)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Podium",
        version=__version__,
        description="A reading room for press-conference transcripts. Every page has a JSON twin here.",
        docs_url=None,  # the stock docs load scripts from a CDN; /api/docs renders the schema here
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.stores = stores
    app.state.templates = make_templates()
    app.add_middleware(SecurityHeaders)
    # a long transcript page is ~400 KB of HTML; level 6 compresses a results page 20 % faster than
    # the default 9, to within 0.5 % of its size
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(HeadAsGet)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from podium.web import routes_api, routes_pages, routes_threads

    app.include_router(routes_threads.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_api.router, prefix="/api")
    _errors(app)

    return app


def app_from_env() -> FastAPI:
    """The app ``podium serve --workers N`` starts in each worker process (settings from the
    ``PODIUM_SERVE_*`` variables the command sets)."""
    import os

    return create_app(
        os.environ["PODIUM_SERVE_DB"],
        read_only=bool(os.environ.get("PODIUM_SERVE_READ_ONLY")),
        max_upload=int(os.environ.get("PODIUM_SERVE_MAX_UPLOAD", DEFAULT_MAX_UPLOAD)),
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.endswith((".json", ".csv"))


def _error(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse(error_body(status, message), status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message, **page_globals(request)},
        status_code=status,
    )


def _errors(app: FastAPI) -> None:
    """Every failure becomes the one error shape (JSON under /api, a page elsewhere)."""

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("query", "path", "body"))
        return _error(request, 400, f"{where or 'request'}: {first.get('msg', 'invalid value')}")

    @app.exception_handler(UsageError)
    async def _usage(request: Request, exc: UsageError) -> Response:
        return _error(request, 400, str(exc).replace("--", ""))

    @app.exception_handler(PodiumError)
    async def _podium(request: Request, exc: PodiumError) -> Response:
        return _error(request, 422, str(exc))


def page_globals(request: Request) -> dict[str, Any]:
    """Values every page template uses (the layout shows the upload link only when writable)."""
    path = request.url.path
    json_url = None
    if request.method == "GET" and not path.startswith(("/api", "/static")):
        json_url = "/api/home" if path == "/" else "/api" + path
        if request.url.query:
            json_url += "?" + request.url.query
    return {"read_only": request.app.state.settings.read_only, "json_url": json_url}


def store_of(request: Request) -> Any:
    """The calling thread's store connection."""
    return request.app.state.stores.get()


T = TypeVar("T")


def found_or_404(found: T | None, what: str, key: str) -> T:
    """``found``, or a 404 in the one error shape when a lookup came back empty."""
    if found is None:
        raise HTTPException(404, f"no {what} with id {key!r}")
    return found


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render ``template`` with ``context`` plus the page globals."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, {**context, **page_globals(request)}, status_code=status
    )


Handler = Callable[..., dict[str, Any]]
