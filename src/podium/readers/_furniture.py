"""Page furniture of paginated documents: running headers/footers and page numbers.

A PDF's text layer repeats, on every page, lines that are no part of what was said: a
running header ("December 13, 2023   Chair Powell’s Press Conference  FINAL"), a page
number ("Page 3 of 24", "3 of 26", "- 3 -"). Left in, they land inside a speaker's turn.
They are found by shape, never by an institution's wording: a line is furniture when it
stands at the top or bottom of a page and either is a page number or repeats (digits
aside) at the edge of most pages.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

EDGE_LINES = 4
"""How many non-blank lines at each end of a page may be furniture."""

MIN_PAGES = 3
"""Repetition says nothing on fewer pages: two pages may well start alike by chance."""

MIN_SHARE = 0.5
"""A line is a running header/footer when it is at the edge of at least this share of pages."""

_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|seite|página|pagina)?\s*\d{1,4}\s*(?:of|/|de|von|sur)\s*\d{1,4}$"  # Page 3 of 24, 3/24
    r"|^[-–—]\s*\d{1,4}\s*[-–—]$"  # - 3 -
    r"|^(?:page|p\.)\s*\d{1,4}$",  # Page 3
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")


@dataclass
class Furniture:
    """Pages without their furniture, and the running lines that were removed (first copy)."""

    pages: list[str]
    running: list[str] = field(default_factory=list)
    removed: int = 0


def _key(line: str) -> str:
    """A line's identity across pages: digits (page numbers, dates) and spacing ignored."""
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def is_page_number(line: str, page_index: int | None = None) -> bool:
    """``Page 3 of 24``, ``3 of 26``, ``- 3 -``; a bare ``3`` only where it is this page's number."""
    s = " ".join(line.split())
    if _PAGE_NUMBER.match(s):
        return True
    if page_index is not None and _BARE_NUMBER.match(s):
        return int(s) in (page_index, page_index + 1)  # numbered from 0 or 1 (a cover page)
    return False


def _edge_indices(lines: list[str]) -> tuple[list[int], list[int]]:
    """Indices of the first and last ``EDGE_LINES`` non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return filled[:EDGE_LINES], filled[-EDGE_LINES:] if filled else []


def _repeated_keys(pages: list[list[str]]) -> set[str]:
    """Keys of lines found at a page edge on most pages (each page counted once)."""
    if len(pages) < MIN_PAGES:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        top, bottom = _edge_indices(lines)
        keys = {_key(lines[i]) for i in (*top, *bottom)}
        counts.update(k for k in keys if len(k.replace("#", "").strip()) >= 3)
    need = max(MIN_PAGES, math.ceil(MIN_SHARE * len(pages)))
    return {k for k, n in counts.items() if n >= need}


def _strip_edges(lines: list[str], junk: set[str], page_index: int) -> tuple[list[str], list[str], int]:
    """Drop furniture lines from both ends of one page (stopping at the first real line).

    Returns the kept lines, the removed running lines (not page numbers) and how many
    lines were removed.
    """
    running: list[str] = []

    def furniture(line: str) -> bool:
        if not line.strip():
            return True
        if is_page_number(line, page_index):
            return True
        if _key(line) in junk:
            running.append(" ".join(line.split()))
            return True
        return False

    start, end = 0, len(lines)
    seen = 0
    while start < end and seen <= EDGE_LINES and furniture(lines[start]):
        seen += bool(lines[start].strip())
        start += 1
    seen = 0
    while end > start and seen <= EDGE_LINES and furniture(lines[end - 1]):
        seen += bool(lines[end - 1].strip())
        end -= 1
    removed = sum(1 for line in lines[:start] + lines[end:] if line.strip())
    return lines[start:end], running, removed


def strip_furniture(pages: list[str]) -> Furniture:
    """Each page's text without running headers, footers and page numbers at its edges."""
    split = [page.split("\n") for page in pages]
    junk = _repeated_keys(split)
    out = Furniture(pages=[])
    for i, lines in enumerate(split):
        kept, running, removed = _strip_edges(lines, junk, i)
        out.pages.append("\n".join(kept))
        out.removed += removed
        out.running.extend(r for r in running if r not in out.running)
    return out
