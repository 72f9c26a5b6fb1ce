"""Step ``header``: the title, dates and delivery note above the first words of a transcript.

Official pages print a title (sometimes over two lines), then a block of dated bullet lines
("• 07 Oct. 2021 -", "• Last updated: 07 Oct. 2021 16:36"), then "(As delivered)". This
step reads that block by shape, with the patterns of the house style, and says where the
body begins. It never reads past the first long paragraph, so a body line is never taken
for a header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from podium.parse._dates import parse_date, parse_datetime
from podium.parse.style import Style

_MAX_HEADER_LINES = 15
_MAX_TITLE_CHARS = 400


@dataclass
class Header:
    """What the header says; ``body_start`` is the offset where the transcript proper begins."""

    title: str | None = None
    date: str | None = None
    last_updated: str | None = None
    delivery: str = "unknown"
    event_type: str = "other"
    body_start: int = 0


def _lines(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of up to ``limit`` non-empty lines, stopping at the first long one."""
    out: list[tuple[int, int]] = []
    pos = 0
    while len(out) < limit:
        nl = text.find("\n", pos)
        end = len(text) if nl == -1 else nl
        if text[pos:end].strip():
            out.append((pos, end))
            if end - pos > _MAX_TITLE_CHARS:
                break
        if nl == -1:
            break
        pos = nl + 1
    return out


def read_header(text: str, style: Style) -> Header:
    """Read the header block of ``text`` (a transcript's plain text) as ``style`` prints it."""
    head = Header()
    lines = _lines(text, _MAX_HEADER_LINES)
    bullets = [i for i, (s, e) in enumerate(lines) if style.date_line.match(text, s, e)]
    updated = [i for i, (s, e) in enumerate(lines) if style.last_updated.search(text, s, e)]
    block = sorted(set(bullets) | set(updated))
    last_header_line = -1
    if block:
        first = block[0]
        title_lines = [text[s:e].strip() for s, e in lines[:first]]
        title = " ".join(t for t in title_lines if t)
        if title and len(title) <= _MAX_TITLE_CHARS:
            head.title = re.sub(r"\s+", " ", title)
        last_header_line = block[-1]
        for i in block:
            s, e = lines[i]
            line = text[s:e]
            m = style.last_updated.search(line)
            if m:
                head.last_updated = parse_datetime(line[m.end() :])
            elif head.date is None:
                head.date = parse_date(line)
        if head.date is None and head.last_updated:
            head.date = head.last_updated[:10]
    # "(As delivered)" and the like, right after the block (or at the very top).
    for i in range(last_header_line + 1, min(last_header_line + 3, len(lines))):
        s, e = lines[i]
        kind = next((k for rx, k in style.delivery if rx.search(text, s, e)), None)
        if kind and e - s < 60:
            head.delivery = kind
            last_header_line = i
            break
    if last_header_line >= 0:
        head.body_start = lines[last_header_line][1]
    if head.title:
        head.event_type = next((k for rx, k in style.event_types if rx.search(head.title)), "other")
    return head
