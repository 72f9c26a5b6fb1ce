"""Checks on uploaded transcripts: size and type limits before anything is parsed.

An upload is refused unless it is small enough, has an extension Podium reads and decodes
as text; the reason is returned in one line so the page and the API can show it.
"""

from __future__ import annotations

from pathlib import PurePath

from podium.errors import InputError
from podium.model import Transcript

DEFAULT_MAX_UPLOAD = 2 * 1024 * 1024
ALLOWED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xml", ".json", ".vtt", ".srt")


def check(data: bytes, filename: str | None, limit: int) -> None:
    """Raise ``InputError`` if ``data`` is too large, empty, of a refused type or binary."""
    name = PurePath(filename).name if filename else "pasted text"
    if len(data) > limit:
        raise InputError(f"{name}: larger than the {limit:,}-byte upload limit")
    if not data.strip():
        raise InputError(f"{name}: empty; paste a transcript or choose a file")
    if filename and PurePath(filename).suffix.lower() not in ALLOWED_SUFFIXES:
        raise InputError(f"{name}: unsupported type; upload one of {', '.join(ALLOWED_SUFFIXES)}")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: a binary file, not a transcript")


def parse_upload(data: bytes, filename: str | None, limit: int) -> Transcript:
    """Check, read and parse uploaded bytes into a ``Transcript`` (nothing is stored)."""
    from podium import readers
    from podium.parse import parse_document

    check(data, filename, limit)
    name = PurePath(filename).name if filename else None
    return parse_document(readers.read_bytes(data, name))
