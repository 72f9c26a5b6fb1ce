"""Readers turn raw bytes into a ``Document``: plain text plus the metadata the format carries.

Readers are chosen by content, not by file extension: each registered reader has a ``sniff``
function that looks at the first bytes; the first that claims the input reads it, and plain
text is the fallback. Register more with :func:`register`.

Shipped readers (one module each): ``pdf``, ``captions`` (WebVTT, SRT), ``bytesdump``
(HTML saved as a Python bytes literal), ``xml`` (records with HTML inside), ``html`` (whole
pages and fragments), ``markdown`` (with YAML front matter) and ``text``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from podium.errors import InputError
from podium.model import Document

SNIFF_BYTES = 65536
"""How much of the input sniffers see: enough to get past long leading comments."""

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Files larger than this are refused (override with ``PODIUM_MAX_BYTES`` or ``max_bytes``)."""


@dataclass(frozen=True)
class Reader:
    """A named reader: ``sniff(head, path)`` says whether it applies, ``read`` does the work."""

    name: str
    sniff: Callable[[bytes, str | None], bool]
    read: Callable[[bytes, str | None], Document]


_READERS: list[Reader] = []
_BUILTINS_LOADED = False


def _builtins() -> list[Reader]:
    """The shipped readers, most specific signature first (imported late: they import us)."""
    from podium.readers import bytesdump, captions, html, markdown, pdf, xml

    return [
        pdf.READER,  # %PDF- signature
        captions.WEBVTT,  # WEBVTT signature
        captions.SRT,  # "1\n00:00:01,000 --> …"
        bytesdump.READER,  # a b'<…' literal line (before HTML: its first line is <h1>)
        xml.READER,  # <?xml declaration, not XHTML
        html.PAGE,  # doctype or <html>
        markdown.READER,  # front matter, .md name, or Markdown signs
        html.FRAGMENT,  # starts with a tag, several HTML tags
    ]


def _ensure_builtins() -> None:
    global _BUILTINS_LOADED
    if not _BUILTINS_LOADED:
        _BUILTINS_LOADED = True
        _READERS[:0] = _builtins()


def register(reader: Reader, *, first: bool = False) -> None:
    """Add a reader: tried before the shipped ones if ``first``, else after them.

    Plain text stays the last resort either way.
    """
    _ensure_builtins()
    if first:
        _READERS.insert(0, reader)
    else:
        _READERS.append(reader)


def readers() -> list[Reader]:
    """The registered readers in the order they are tried (the text fallback last)."""
    from podium.readers import text

    _ensure_builtins()
    return [*_READERS, text.READER]


def reader_for(data: bytes, path: str | None = None) -> Reader:
    """The reader that claims ``data`` (plain text when no other does)."""
    head = data[:SNIFF_BYTES]
    for reader in readers():
        if reader.sniff(head, path):
            return reader
    raise InputError(f"{path or '<input>'}: no reader recognises this content")  # pragma: no cover


def max_bytes_default() -> int:
    """The size limit in force: ``PODIUM_MAX_BYTES`` if set, else ``DEFAULT_MAX_BYTES``."""
    raw = os.environ.get("PODIUM_MAX_BYTES")
    if raw is None:
        return DEFAULT_MAX_BYTES
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"PODIUM_MAX_BYTES must be a whole number of bytes, not {raw!r}") from None


def load_bytes(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> bytes:
    """Read a file's bytes after checking it exists, is a file and is within the size limit."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{p}: is a directory; give a transcript file (use 'podium ingest' for folders)")
    limit = max_bytes_default() if max_bytes is None else max_bytes
    size = p.stat().st_size
    if size > limit:
        raise InputError(
            f"{p}: {size:,} bytes is over the {limit:,}-byte limit; "
            "raise it with --max-bytes or PODIUM_MAX_BYTES if this really is one transcript"
        )
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror}); check its permissions") from None


MAX_LINES = 100_000
"""Lines of plain text a transcript may have: this caps the number of turns (a turn starts at
a line), and so the parser's work. The longest transcripts in the shared corpus have about
2,200 lines; 100,000 lines is some 20 MB of hard-wrapped text."""


def read_bytes(data: bytes, path: str | None = None) -> Document:
    """Pick the reader for ``data`` by content and read it into a ``Document``."""
    where = path or "<input>"
    if not data.strip():
        raise InputError(f"{where}: the file is empty; nothing to parse")
    doc = reader_for(data, path).read(data, path)
    if not doc.plain.strip():  # e.g. only Unicode white space: nothing any step could use
        raise InputError(f"{where}: no text in the file (only white space); nothing to parse")
    lines = doc.plain.count("\n") + 1
    if lines > MAX_LINES:
        raise InputError(
            f"{where}: {lines:,} lines of text, over the {MAX_LINES:,}-line limit (that many turns is "
            "no single transcript); split the file"
        )
    return doc


def read(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Document:
    """Read the file at ``path`` into a ``Document`` (see :func:`read_bytes`), with what a
    catalogue beside it lists for it (``readers/catalogue.py``)."""
    from podium.readers import catalogue

    doc = read_bytes(load_bytes(path, max_bytes=max_bytes), str(path))
    doc.catalogue = catalogue.entry(path)
    return doc


def sha256(data: bytes) -> str:
    """Hex SHA-256 of raw input bytes: the ``source.sha256`` of a transcript."""
    return hashlib.sha256(data).hexdigest()


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``: spans are defined over this form."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, where: str) -> str:
    """Decode UTF-8 (BOM allowed) or raise an ``InputError`` that says where it broke."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{where}: looks like a binary file (it contains NUL bytes), not a transcript")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{where}:{line}: bytes that are not UTF-8 at offset {exc.start}; "
            "convert the file to UTF-8 (e.g. iconv -f cp1252 -t utf-8)"
        ) from None
