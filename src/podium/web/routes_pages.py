"""HTML routes: each renders one template from a context built in ``context.py``."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException

from podium.errors import InputError
from podium.model import Transcript
from podium.web import context
from podium.web.app import base_url, found_or_404, render, store_of
from podium.web.forms import (
    By,
    Filter,
    Page,
    SearchFilters,
    SearchText,
    Sort,
    Year,
    read_upload,
    require_writable,
)

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request) -> HTMLResponse:
    return render(request, "home.html", context.home(store_of(request)))


@router.get("/transcripts", response_class=HTMLResponse)
def transcripts_page(
    request: Request, org: Filter = None, principal: Filter = None, year: Year = None, title: Filter = None,
    page: Page = 1,
) -> HTMLResponse:
    ctx = context.transcript_list(store_of(request), page, org=org, principal=principal, year=year, title=title)
    return render(request, "transcripts.html", ctx)


@router.get("/transcripts/{transcript_id}", response_class=HTMLResponse)
def transcript_page(request: Request, transcript_id: str) -> HTMLResponse:
    ctx = found_or_404(context.transcript(store_of(request), transcript_id), "transcript", transcript_id)
    return render(request, "transcript.html", ctx)


@router.get("/transcripts/{transcript_id}/cite/{turn_index}", response_class=HTMLResponse)
def turn_cite_page(request: Request, transcript_id: str, turn_index: int) -> HTMLResponse:
    ctx = found_or_404(context.turn_citation(store_of(request), transcript_id, turn_index, base_url(request)),
                       "turn", f"{transcript_id}#t{turn_index}")
    return render(request, "cite.html", ctx)


def _stored(request: Request, transcript_id: str) -> Transcript:
    """The stored transcript, or a 404 in the one error shape."""
    try:
        return store_of(request).get(transcript_id)  # type: ignore[no-any-return]
    except KeyError:
        raise HTTPException(404, f"no transcript with id {transcript_id!r}") from None


@router.get("/transcripts/{transcript_id}/download.md")
def transcript_markdown(request: Request, transcript_id: str) -> Response:
    from podium.export.markdown import to_markdown

    t = _stored(request, transcript_id)
    return PlainTextResponse(
        to_markdown(t),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(t.id)}.md"'},
    )


@router.get("/transcripts/{transcript_id}/download.json")
def transcript_download(request: Request, transcript_id: str) -> Response:
    import json

    t = _stored(request, transcript_id)
    return Response(
        json.dumps(t.to_json_dict(), ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{_filename(t.id)}.json"'},
    )


def _filename(tid: str) -> str:
    """A download name made only of safe characters (ids come from transcripts)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in tid)[:120] or "transcript"


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    params: SearchFilters,
    q: SearchText = "",
    by: By = "exchange",
    sort: Sort = "relevance",
    page: Page = 1,
) -> HTMLResponse:
    ctx = context.search(store_of(request), q, params, page, by=by, sort=sort, base_url=base_url(request))
    return render(request, "search.html", ctx, status=400 if ctx["error"] else 200)


@router.get("/search.csv")
def search_csv(
    request: Request,
    params: SearchFilters,
    q: SearchText = "",
    by: By = "exchange",
    sort: Sort = "relevance",
) -> Response:
    """Every hit, streamed: rows are written as they are read, so memory stays flat."""
    rows = context.search_csv(store_of(request), q, params, by=by, sort=sort, base_url=base_url(request))
    first = next(rows)  # a bad query fails here, before the response has started
    return StreamingResponse(
        _chain(first, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="podium-search.csv"'},
    )


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


@router.get("/persons", response_class=HTMLResponse)
def persons_page(request: Request, name: Filter = None, role: Filter = None, page: Page = 1) -> HTMLResponse:
    return render(request, "persons.html", context.persons(store_of(request), page, name, role))


@router.get("/persons/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: str, asked_page: Page = 1, answered_page: Page = 1) -> HTMLResponse:
    ctx = found_or_404(context.person(store_of(request), person_id, asked_page, answered_page), "person", person_id)
    return render(request, "person.html", ctx)


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request, name: Filter = None, page: Page = 1) -> HTMLResponse:
    return render(request, "outlets.html", context.outlets(store_of(request), page, name))


@router.get("/outlets/{outlet_id}", response_class=HTMLResponse)
def outlet_page(request: Request, outlet_id: str, page: Page = 1) -> HTMLResponse:
    ctx = found_or_404(context.outlet(store_of(request), outlet_id, page), "outlet", outlet_id)
    return render(request, "outlet.html", ctx)


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> HTMLResponse:
    return render(request, "upload.html", {"error": None, "limit": request.app.state.settings.max_upload,
                                           "already": None})


@router.post("/upload", response_class=HTMLResponse)
async def upload_preview(request: Request) -> HTMLResponse:
    """Parse what was pasted or uploaded and show it in the reader, without storing it."""
    from podium.web.isolate import parse_upload_isolated

    limit = request.app.state.settings.max_upload
    try:
        data, name = await read_upload(request, limit)
        t = await parse_upload_isolated(data, name, limit)
    except InputError as exc:
        return render(request, "upload.html", {"error": str(exc), "limit": limit}, status=422)
    # what the "store this" button sends back: the same text, when it is text
    try:
        again = data.decode("utf-8")
    except UnicodeDecodeError:
        again = None
    stored = t.id in store_of(request)
    return render(request, "transcript.html",
                  {**context.reader(t), "preview": True, "again": again, "filename": name, "stored": stored})


@router.post("/upload/store")
async def upload_store(request: Request) -> Response:
    """Parse and store an upload, then show it at its permanent address (403 when read-only)."""
    from podium.web.isolate import parse_upload_isolated

    require_writable(request)
    limit = request.app.state.settings.max_upload
    try:
        data, name = await read_upload(request, limit)
        t = await parse_upload_isolated(data, name, limit)
    except InputError as exc:
        return render(request, "upload.html", {"error": str(exc), "limit": limit}, status=422)
    store = store_of(request)
    if t.id in store:  # the same transcript again: say so instead of silently replacing it
        return render(request, "upload.html", {"error": None, "limit": limit, "already": t.id,
                                               "title": t.metadata.title or t.id})
    store.add(t)
    return RedirectResponse(f"/transcripts/{t.id}", status_code=303)


@router.get("/api", response_class=HTMLResponse)
@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, rendered here from the OpenAPI schema (no CDN, no inline script)."""
    schema = request.app.openapi()
    return render(request, "api.html", {"schema": schema})
