"""JSON routes under ``/api``: the twins of the pages, from the same context builders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from podium.web import context, queries
from podium.web.app import found_or_404, store_of
from podium.web.forms import Filter, Page, SearchFilters, SearchText, read_upload, require_writable

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


@router.get("/transcripts", summary="Transcripts, newest first, 20 a page")
def transcripts(request: Request, org: Filter = None, page: Page = 1) -> dict[str, Any]:
    return context.transcript_list(store_of(request), org, page)


@router.get("/transcripts/{transcript_id}", summary="One transcript (podium.transcript/1) with statistics")
def transcript(request: Request, transcript_id: str) -> dict[str, Any]:
    ctx = found_or_404(context.transcript(store_of(request), transcript_id), "transcript", transcript_id)
    return context.transcript_json(ctx)


@router.get("/search", summary="Full-text search of turns, with facets and paging")
def search(
    request: Request,
    q: SearchText,
    params: SearchFilters,
    page: Page = 1,
) -> dict[str, Any]:
    return context.search(store_of(request), q, params, page)


@router.get("/persons/{person_id}", summary="A person: questions asked and answers given")
def person(request: Request, person_id: str) -> dict[str, Any]:
    return found_or_404(queries.person(store_of(request), person_id), "person", person_id)


@router.get("/outlets/{outlet_id}", summary="An outlet: its journalists and their questions")
def outlet(request: Request, outlet_id: str) -> dict[str, Any]:
    return found_or_404(queries.outlet(store_of(request), outlet_id), "outlet", outlet_id)


@router.post("/parse", summary="Parse an uploaded transcript without storing it (multipart: file or text)",
             openapi_extra=UPLOAD_BODY)
async def parse(request: Request) -> dict[str, Any]:
    from podium.web.isolate import parse_upload_isolated

    limit = request.app.state.settings.max_upload
    data, name = await read_upload(request, limit)
    return context.transcript_json(context.reader(await parse_upload_isolated(data, name, limit)))


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
