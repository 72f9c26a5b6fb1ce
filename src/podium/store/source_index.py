"""Source addresses from the index files that archives keep beside their documents.

Scraped collections often list each file's original URL in an ``_index.csv`` (columns
``file`` and ``url`` or ``source_url``) while the saved page itself no longer says where it
came from. Ingest asks this for a URL when the parsed document has none, so a reader can
check a quote against the original. Nothing else from the index is used.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

INDEX_NAMES = ("_index.csv", "index.csv")
URL_COLUMNS = ("source_url", "url")
MAX_LEVELS = 3
"""How many folders up from a file an index may sit (china_mfa/_index.csv lists en/t1.html)."""


@cache
def _load(index: Path) -> dict[str, str]:
    """``file`` (relative to the index's folder) → URL, from one index; empty if it has no URLs."""
    out: dict[str, str] = {}
    try:
        with index.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            fields = reader.fieldnames or []
            column = next((c for c in URL_COLUMNS if c in fields), None)
            if column is None or "file" not in fields:
                return out
            for row in reader:
                url = (row.get(column) or "").strip()
                if row.get("file") and url.startswith(("http://", "https://")):
                    out[row["file"].strip()] = url
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return out


def url_for(path: str | Path) -> str | None:
    """The original URL an index beside ``path`` (or up to three folders above) gives for it."""
    p = Path(path).resolve()
    folder = p.parent
    for _ in range(MAX_LEVELS):
        for name in INDEX_NAMES:
            index = folder / name
            if index.is_file():
                url = _load(index).get(p.relative_to(folder).as_posix())
                if url:
                    return url
        if folder.parent == folder:
            break
        folder = folder.parent
    return None
