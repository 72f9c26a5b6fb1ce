"""Escaped byte-string dumps: HTML saved as a Python bytes literal, ``b'<div>…\\xe2\\x80\\x99…'``.

Scrapers that wrote ``str(body.encode("utf-8"))`` left files whose lines are Python
``bytes`` reprs: ``\\n``, ``\\t``, ``\\'`` and UTF-8 bytes as ``\\xNN`` escapes (the Obama-era
White House briefings are stored this way). Each such line is turned back into bytes with
``ast.literal_eval``, which only evaluates literals (never code), after checking the parsed
node really is one bytes constant; other lines (an ``<h1>`` title) are kept as they are.
The result is read as an HTML fragment.
"""

from __future__ import annotations

import ast
import re

from podium.errors import InputError
from podium.model import Document
from podium.readers import Reader, decode
from podium.readers.html import fragment_document


def sniff(head: bytes, path: str | None) -> bool:
    """A line that opens a bytes literal (``b'<…`` or ``b"<…``) within the first lines."""
    return re.search(rb"^[ \t]*b['\"]<", head[:2048], re.MULTILINE) is not None


def unescape_line(line: str, where: str, lineno: int) -> bytes:
    """The bytes a ``b'…'`` literal line stands for; anything else is an ``InputError``."""
    try:
        node = ast.parse(line.strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        node = None
    if not (isinstance(node, ast.Constant) and isinstance(node.value, bytes)):
        raise InputError(
            f"{where}:{lineno}: looks like a Python bytes literal (b'…') but is not a complete one; "
            "the dump may be truncated"
        )
    return node.value


def decode_dump(data: bytes, where: str) -> str:
    """The dump with every bytes-literal line replaced by its decoded text."""
    text = decode(data, where)
    out: list[str] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith(("b'", 'b"')):
            raw = unescape_line(line, where, lineno)
            try:
                out.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(raw.decode("cp1252", errors="replace"))
        else:
            out.append(line)
    return "\n".join(out)


def read_dump(data: bytes, path: str | None = None) -> Document:
    """Decode the literal lines, then read the whole as an HTML fragment."""
    html = decode_dump(data, path or "<input>")
    return fragment_document(html, data, path)


READER = Reader(name="bytes-dump", sniff=sniff, read=read_dump)
