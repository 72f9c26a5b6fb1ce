"""Plain-text reader: UTF-8 text with newlines normalised; the fallback for any input."""

from __future__ import annotations

from podium.model import Document
from podium.readers import Reader, decode, normalise_newlines, sha256


def read_text(data: bytes, path: str | None = None) -> Document:
    """Decode ``data`` as UTF-8 and normalise newlines; spans index the result."""
    plain = normalise_newlines(decode(data, path or "<input>"))
    return Document(plain=plain, format="text", sha256=sha256(data), path=path)


READER = Reader(name="text", sniff=lambda head, path: True, read=read_text)
