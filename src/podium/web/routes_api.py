"""JSON routes under ``/api``: the twins of the pages, from the same context builders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from podium.web import context
from podium.web.app import base_url, found_or_404, store_of
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

router = APIRouter(tags=["api"])
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "format": "binary",
                         "description": "A transcript file (.txt .md .html .htm .xml .json .vtt .srt)"},
                "text": {"type": "string", "description": "Or the transcript as pasted text"},
            },
        }}},
    }
}


@router.get("/home", summary="Corpus counts, organisations, transcripts over time, latest transcripts")
def home(request: Request) -> dict[str, Any]:
    return context.home(store_of(request))


@router.get("/transcripts", summary="Transcripts, newest first, 20 a page, by organisation, principal, year, title")
def transcripts(
    request: Request, org: Filter = None, principal: Filter = None, year: Year = None, title: Filter = None,
    page: Page = 1,
) -> dict[str, Any]:
    return context.transcript_list(store_of(request), page, org=org, principal=principal, year=year, title=title)


@router.get("/transcripts/{transcript_id}", summary="One transcript (podium.transcript/1) with statistics")
def transcript(request: Request, transcript_id: str) -> dict[str, Any]:
    ctx = found_or_404(context.transcript(store_of(request), transcript_id), "transcript", transcript_id)
    return context.transcript_json(ctx)


@router.get("/transcripts/{transcript_id}/cite/{turn_index}",
            summary="One turn with its citation: plain text, BibTeX and CSL-JSON, absolute permalink")
def turn_cite(request: Request, transcript_id: str, turn_index: int) -> dict[str, Any]:
    return found_or_404(context.turn_citation(store_of(request), transcript_id, turn_index, base_url(request)),
                        "turn", f"{transcript_id}#t{turn_index}")


@router.get("/search", summary="Search exchanges (default) or turns, with facets and paging to the end")
def search(
    request: Request,
    params: SearchFilters,
    q: SearchText = "",
    by: By = "exchange",
    sort: Sort = "relevance",
    page: Page = 1,
) -> dict[str, Any]:
    ctx = context.search(store_of(request), q, params, page, by=by, sort=sort, base_url=base_url(request))
    if ctx["error"]:
        from podium.errors import UsageError

        raise UsageError(f"search query: {ctx['error']}")
    return ctx


@router.get("/persons", summary="People, most turns first, by name and role, 50 a page")
def persons(request: Request, name: Filter = None, role: Filter = None, page: Page = 1) -> dict[str, Any]:
    return context.persons(store_of(request), page, name, role)


@router.get("/persons/{person_id}", summary="A person: questions asked and answers given, paged")
def person(request: Request, person_id: str, asked_page: Page = 1, answered_page: Page = 1) -> dict[str, Any]:
    return found_or_404(context.person(store_of(request), person_id, asked_page, answered_page), "person", person_id)


@router.get("/outlets", summary="Outlets, most questions first, by name, 50 a page")
def outlets(request: Request, name: Filter = None, page: Page = 1) -> dict[str, Any]:
    return context.outlets(store_of(request), page, name)


@router.get("/outlets/{outlet_id}", summary="An outlet: its journalists and their questions, paged")
def outlet(request: Request, outlet_id: str, page: Page = 1) -> dict[str, Any]:
    return found_or_404(context.outlet(store_of(request), outlet_id, page), "outlet", outlet_id)


@router.post("/parse", summary="Parse an uploaded transcript without storing it (multipart: file or text)",
             openapi_extra=UPLOAD_BODY)
async def parse(request: Request) -> Response:
    from podium.web.isolate import render_upload_isolated

    limit = request.app.state.settings.max_upload
    data, name = await read_upload(request, limit)
    # The child parses and renders the body: the event loop only passes the bytes on.
    return Response(await render_upload_isolated(data, name, limit, context.upload_json), media_type="application/json")


@router.post("/transcripts", status_code=201, summary="Parse and store a transcript (not when read-only)",
             openapi_extra=UPLOAD_BODY)
async def store_transcript(request: Request) -> dict[str, Any]:
    from podium.web.isolate import parse_upload_isolated

    require_writable(request)
    limit = request.app.state.settings.max_upload
    data, name = await read_upload(request, limit)
    t = await parse_upload_isolated(data, name, limit)
    store_of(request).add(t)
    return {"id": t.id, "url": f"/transcripts/{t.id}"}
