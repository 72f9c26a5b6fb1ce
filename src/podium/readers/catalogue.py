"""A publisher's catalogue beside the files: ``_index.csv`` rows of date, title and address.

Collections of transcripts are often kept with an index (one row per file: the date the
publisher lists, the page title, the address it came from), while the saved files carry
none of it: an HTML fragment without a header, a text file of the body alone. The parser
reads what the document prints first and falls back to the catalogue only for what the
document lacks (``parse/__init__``), and the transcript says which facts came from it.

An index is looked up in the file's folder and the two folders above it; its ``file``
column names files relative to the index's folder (``en/t1686638.html``). Columns used:
``date`` (ISO ``YYYY-MM-DD``), ``title``, and ``url`` or ``source_url``.
"""

from __future__ import annotations

import csv
import os
import re
from functools import lru_cache
from pathlib import Path

INDEX_NAMES = ("_index.csv",)
LEVELS = 3
"""Folders searched for an index: the file's own and the two above it."""

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_URL = re.compile(r"^https?://\S+$")


def entry(path: str | os.PathLike[str]) -> dict[str, str]:
    """The catalogue's facts about the file at ``path`` (empty when no index lists it)."""
    p = Path(path).resolve()
    folder = p.parent
    for _ in range(LEVELS):
        for name in INDEX_NAMES:
            index = folder / name
            if index.is_file():
                try:
                    rel = p.relative_to(folder).as_posix()
                    stat = index.stat()
                except (OSError, ValueError):
                    continue
                row = _rows(str(index), stat.st_mtime_ns, stat.st_size).get(rel)
                if row is not None:
                    return dict(row)
        if folder.parent == folder:
            break
        folder = folder.parent
    return {}


@lru_cache(maxsize=32)
def _rows(index: str, _mtime: int, _size: int) -> dict[str, tuple[tuple[str, str], ...]]:
    """``file`` → the usable facts of its row; unreadable or odd indexes give nothing."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    try:
        with open(index, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                name = (row.get("file") or "").strip()
                if name:
                    out[name] = tuple(_facts(row).items())
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return out


def _facts(row: dict[str, str | None]) -> dict[str, str]:
    """The date, title and address of one row, each only when well formed."""
    facts: dict[str, str] = {}
    date = (row.get("date") or "").strip()
    m = _ISO.match(date)
    if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
        facts["date"] = date
    title = " ".join((row.get("title") or "").split())
    if title:
        facts["title"] = title
    url = (row.get("url") or row.get("source_url") or "").strip()
    if _URL.match(url):
        facts["url"] = url
    return facts
