"""Thread pages (``/threads``, ``/threads/<id>``), their JSON twins under ``/api``, and an
Atom feed per saved search (``/feeds/<id>.atom``). Contexts come from
``podium.analyze.thread_views``, the same functions ``podium threads`` prints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from podium.web.app import found_or_404, render, store_of
from podium.web.forms import Filter, Page

router = APIRouter()
PAGE_SIZE = 50
MinSize = Annotated[int, Query(ge=1, le=100_000)]
Since = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


def _threads(request: Request, min_size: int, unanswered: bool, org: str | None, since: str | None,
             page: int) -> dict[str, Any]:
    from podium.analyze.thread_views import list_threads

    ctx = list_threads(store_of(request), min_size=min_size, unanswered=unanswered, org=org, since=since,
                       limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    ctx["page"], ctx["pages"] = page, max(1, -(-ctx["total"] // PAGE_SIZE))
    return ctx


def _thread(request: Request, thread_id: int) -> dict[str, Any]:
    from podium.analyze.thread_views import thread

    return found_or_404(thread(store_of(request), thread_id), "thread", str(thread_id))


@router.get("/threads", response_class=HTMLResponse, include_in_schema=False)
def threads_page(request: Request, min_size: MinSize = 2, unanswered: bool = False, org: Filter = None,
                 since: Since = None, page: Page = 1) -> HTMLResponse:
    return render(request, "threads.html", _threads(request, min_size, unanswered, org, since, page))


@router.get("/threads/{thread_id}", response_class=HTMLResponse, include_in_schema=False)
def thread_page(request: Request, thread_id: int) -> HTMLResponse:
    return render(request, "thread.html", {"thread": _thread(request, thread_id)})


@router.get("/api/threads", tags=["api"], summary="Threads of recurring questions, largest first, 50 a page")
def threads_api(request: Request, min_size: MinSize = 2, unanswered: bool = False, org: Filter = None,
                since: Since = None, page: Page = 1) -> dict[str, Any]:
    return _threads(request, min_size, unanswered, org, since, page)


@router.get("/api/threads/{thread_id}", tags=["api"], summary="One thread: timeline of its questions and answer drift")
def thread_api(request: Request, thread_id: int) -> dict[str, Any]:
    return {"thread": _thread(request, thread_id)}


@router.get("/feeds/{watch_id}.atom", include_in_schema=False)
def watch_feed(request: Request, watch_id: int) -> Response:
    """The saved search's latest matches as Atom 1.0; readers spot new entries by their ids."""
    from podium.web.feeds import atom

    store = store_of(request)
    w = found_or_404(store.watch(watch_id), "watch", str(watch_id))
    body = atom(store, w, str(request.base_url).rstrip("/"))
    return Response(body, media_type="application/atom+xml; charset=utf-8")
