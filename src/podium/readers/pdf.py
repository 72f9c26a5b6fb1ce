"""PDF transcripts: the text layer, page by page, with pypdf.

Pages are joined by a blank line, after their furniture is removed (running headers and
footers, page numbers: see ``_furniture``), so no turn carries "Page 3 of 24". The first
running header is kept as ``running_header`` (it often prints the event's date and title).
A PDF whose pages carry no text (a scan) is refused with the advice to run OCR first:
guessing text from images is not this reader's job.

The document information dictionary gives ``title`` and ``author``. Its creation date is
when the file was made, not when the event took place (the Fed's transcripts are made
one to two weeks later), so it is kept as ``file_created`` and never as ``date``.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from podium.errors import InputError
from podium.model import Document
from podium.readers import Reader, _meta, normalise_newlines, sha256
from podium.readers._furniture import strip_furniture

_PDF_DATE = re.compile(r"^D?:?(?P<y>\d{4})(?P<m>\d{2})?(?P<d>\d{2})?")


def sniff(head: bytes, path: str | None) -> bool:
    """The ``%PDF-`` signature (allowed within the first KB, as PDF readers do)."""
    return b"%PDF-" in head[:1024]


def _info(reader: Any) -> dict[str, Any]:
    try:
        info = reader.metadata
    except Exception:  # a broken info dictionary must not cost us the text
        return {}
    if not info:
        return {}
    meta: dict[str, Any] = {}
    title = info.get("/Title")
    if title and str(title).strip():
        meta["title"] = " ".join(str(title).split())
    author = info.get("/Author") or info.get("/Company")
    if author and str(author).strip():
        meta["author"] = " ".join(str(author).split())
    raw = info.get("/CreationDate")
    m = _PDF_DATE.match(str(raw)) if raw else None
    if m and m["m"] and m["d"]:
        meta["file_created"] = _meta.iso_date(f"{m['y']}-{m['m']}-{m['d']}")
    return meta


def read_pdf(data: bytes, path: str | None = None) -> Document:
    """Text layer of every page; no text at all is an ``InputError`` (run OCR first)."""
    from pypdf import PdfReader

    where = path or "<input>"
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are about repairs, not us
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError(f"{where}: the PDF is encrypted; save an unprotected copy first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001  pypdf on damaged input raises anything
        # (PdfReadError, KeyError, NotImplementedError for unknown filters, RecursionError …):
        # each means the same to the user, so each becomes the same one-line InputError.
        why = " ".join(str(exc).split())[:200]
        raise InputError(f"{where}: not a readable PDF ({type(exc).__name__}: {why}); is the file complete?") from None
    furniture = strip_furniture([normalise_newlines(t).strip("\n") for t in pages])
    plain = "\n\n".join(t for t in furniture.pages if t.strip())
    if not plain.strip():
        raise InputError(
            f"{where}: the PDF has no text layer ({len(pages)} page(s) of images?); run OCR first "
            "(e.g. ocrmypdf in.pdf out.pdf) and read the result"
        )
    meta = _info(reader)
    if furniture.running:
        meta["running_header"] = furniture.running[0]
    return Document(plain=plain, format="pdf", sha256=sha256(data), path=path, metadata=_meta.clean(meta))


READER = Reader(name="pdf", sniff=sniff, read=read_pdf)
