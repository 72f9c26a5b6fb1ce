"""HTML routes: each renders one template from a context built in ``context.py``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from podium.errors import InputError
from podium.model import Transcript
from podium.web import context, queries
from podium.web.app import found_or_404, render, store_of
from podium.web.forms import Filter, Page, SearchFilters, SearchText, read_upload, require_writable

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request) -> HTMLResponse:
    return render(request, "home.html", context.home(store_of(request)))


@router.get("/transcripts", response_class=HTMLResponse)
def transcripts_page(request: Request, org: Filter = None, page: Page = 1) -> HTMLResponse:
    return render(request, "transcripts.html", context.transcript_list(store_of(request), org, page))


@router.get("/transcripts/{transcript_id}", response_class=HTMLResponse)
def transcript_page(request: Request, transcript_id: str) -> HTMLResponse:
    ctx = found_or_404(context.transcript(store_of(request), transcript_id), "transcript", transcript_id)
    return render(request, "transcript.html", ctx)


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
    page: Page = 1,
) -> HTMLResponse:
    return render(request, "search.html", context.search(store_of(request), q, params, page))


@router.get("/search.csv")
def search_csv(
    request: Request,
    q: SearchText,
    params: SearchFilters,
) -> Response:
    return Response(
        context.search_csv(store_of(request), q, params),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="podium-search.csv"'},
    )


@router.get("/persons/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: str) -> HTMLResponse:
    person = found_or_404(queries.person(store_of(request), person_id), "person", person_id)
    return render(request, "person.html", {"person": person})


@router.get("/outlets/{outlet_id}", response_class=HTMLResponse)
def outlet_page(request: Request, outlet_id: str) -> HTMLResponse:
    outlet = found_or_404(queries.outlet(store_of(request), outlet_id), "outlet", outlet_id)
    return render(request, "outlet.html", {"outlet": outlet})


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> HTMLResponse:
    return render(request, "upload.html", {"error": None, "limit": request.app.state.settings.max_upload})


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
    return render(request, "transcript.html", {**context.reader(t), "preview": True})


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
    store_of(request).add(t)
    return RedirectResponse(f"/transcripts/{t.id}", status_code=303)


@router.get("/api", response_class=HTMLResponse)
@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, rendered here from the OpenAPI schema (no CDN, no inline script)."""
    schema = request.app.openapi()
    return render(request, "api.html", {"schema": schema})
