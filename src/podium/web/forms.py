"""Request parameters shared by pages and API: bounded, typed, validated before use.

Every query parameter has a type and a length limit, so a hostile URL is a 400 with one
line of explanation, and its value reaches SQL only as a bound parameter.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from podium.errors import InputError
from podium.store.filters import FilterSpec, with_filter_parameters

Filter = Annotated[str | None, Query(max_length=200)]
Page = Annotated[int, Query(ge=1, le=50_000)]
SearchText = Annotated[str, Query(max_length=500)]
Year = Annotated[str | None, Query(pattern=r"^\d{4}$", description="Only this year (YYYY).")]
By = Annotated[Literal["exchange", "turn"], Query(description="Result unit: question-answer exchanges or single turns.")]
Sort = Annotated[Literal["relevance", "date"], Query(description="relevance, or date (newest first).")]


def _query_param(spec: FilterSpec) -> Any:
    """The query parameter of one declared filter (``store/filters.py`` holds the list)."""
    return Annotated[str | None, Query(max_length=200, description=spec.help)]


@with_filter_parameters(_query_param)
def search_filters(year: Year = None, filters: dict[str, str] | None = None) -> dict[str, str]:
    """The search filters of a request, made from the ``Filters`` declaration, for the page, its
    CSV and its JSON twin; ``year`` is a shorthand for since/until of one year."""
    return {**(filters or {}), **({"year": year} if year else {})}


SearchFilters = Annotated[dict[str, str], Depends(search_filters)]


def require_writable(request: Request) -> None:
    """Refuse a write when the server runs with ``--read-only``, or from another site's form."""
    if request.app.state.settings.read_only:
        raise HTTPException(403, "this server is read-only; uploads can be parsed but not stored")
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") != f"{request.url.scheme}://{request.url.netloc}":
        raise HTTPException(403, "cross-site write refused")


async def read_upload(request: Request, limit: int) -> tuple[bytes, str | None]:
    """The uploaded file's bytes (or the pasted text) and its file name, within ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise InputError(f"upload larger than the {limit:,}-byte limit")
    form = await request.form(max_files=1, max_fields=4, max_part_size=limit + 1)
    file = form.get("file")
    if isinstance(file, UploadFile) and file.filename:
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise InputError(f"{file.filename}: larger than the {limit:,}-byte upload limit")
        return data, file.filename
    text = form.get("text")
    if isinstance(text, str) and text.strip():
        name = form.get("filename")  # a previewed file sent back to be stored keeps its name
        return text.encode("utf-8"), name if isinstance(name, str) and name else None
    raise InputError("nothing to parse: paste a transcript or choose a file")
