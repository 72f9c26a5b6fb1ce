"""Step ``header``: the title, dates and delivery note above the first words of a transcript.

Official pages print a title (on one line, on two, or broken mid-phrase), then a block of
dated bullet lines ("• 07 Oct. 2021 -", "• Last updated: 07 Oct. 2021 16:36"), then
"(As delivered)", sometimes a photo caption or the title once more. This step reads that
block by shape, with the patterns of the house style, and says where the body begins.

A bullet line belongs to the date block only when it carries a date, a lone separator or a
"last updated" note: statements use the same bullet for their own lists, and those must stay
in the body. Without a date block, a short first paragraph that names an event type is the
title. The step never reads past the first long paragraph, so a body line is never taken
for a header.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from podium.parse._dates import find_date, parse_date, parse_datetime
from podium.parse.style import Style, lang_files

_MAX_HEADER_LINES = 15
_MAX_TITLE_CHARS = 400
_MAX_DATE_LINE = 400
# A repeated title or a photo caption is a short paragraph; a longer one is the transcript.
_MAX_ECHO_CHARS = 4000
_SEPARATOR = re.compile(r"^[\s|\-–—]*$")
# The next paragraph: leading blank lines, then text up to a blank line or the end.
_PARA = re.compile(r"\s*(\S.*?)(?=\n[^\S\n]*\n|\Z)", re.DOTALL)


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


def _is_date_line(line: str, style: Style) -> bool:
    """A header line: "• 07 Oct. 2021 -", "• |", "Last updated …", or a bare short date.

    A line over ``_MAX_DATE_LINE`` characters is no date line (it holds far more than the
    few letters a date leaves over), so a 50 MB one-line file costs nothing here; its head
    may still say "Last updated"."""
    if len(line) > _MAX_DATE_LINE:
        return bool(style.last_updated.search(line[:_MAX_DATE_LINE]))
    if style.last_updated.search(line):
        return True
    bullet = style.date_line.match(line)
    rest = line[bullet.end() :] if bullet else line
    if bullet and _SEPARATOR.match(rest):
        return True
    found = find_date(rest)
    if not found:
        return False
    leftover = rest[: found[1]] + rest[found[2] :]
    if len(re.sub(r"[\W\d_]+", "", leftover)) <= (12 if bullet else 3):
        return True
    # "Geneva, 22 May 2025" (a dateline) and "Published: January 21, 2026" (a labelled date):
    # a place or one label before the date, nothing after it.
    before, after = rest[: found[1]].strip(), rest[found[2] :].strip(" .")
    return len(line) <= DATELINE_CHARS and not after and bool(_DATELINE_LEAD.fullmatch(before))


_DATELINE_LEAD = re.compile(
    r"[^\W\d_][\w’'.-]*(?:[^\S\n]+[^\W\d_][\w’'.-]*){0,3}[,:：]"
)
TITLE_WITH_STOP = 160
DATELINE_CHARS = 60
"""The longest first line read as a title although it ends with a full stop (French titles do)."""


def _title_lines(text: str, lines: list[tuple[int, int]], style: Style) -> int:
    """How many top lines form a title when there is no date block (0 if none does)."""
    if not lines:
        return 0
    s, e = lines[0]
    first = text[s:e].strip()
    if len(first) > 250 or first.endswith(("?", "!", ":")):
        return 0
    if first.endswith(".") and len(first) > TITLE_WITH_STOP:
        return 0  # a sentence of the opening, not a title that ends with a full stop
    if event_type(first, style) == "other":
        return 0
    # A title broken mid-phrase continues on the next line without a blank line between.
    n = 1
    while n < len(lines) and lines[n][0] == lines[n - 1][1] + 1:
        nxt = text[lines[n][0] : lines[n][1]].strip()
        if len(nxt) > 150 or nxt.endswith((".", "?", "!", ":")):
            break
        if len(nxt) <= DATELINE_CHARS and find_date(nxt):  # "Oslo, 7 May 2024": a dateline
            break
        n += 1
    return n


def _title(lines: list[str], style: Style) -> str | None:
    """The title from its lines, without the institution's own name above it ("Ministry of
    External Affairs") or a one-word category ("Speech"), and without a closing full stop."""
    kept = [" ".join(ln.split()) for ln in lines if ln.strip()]
    while len(kept) > 1 and (
        organisation_line(kept[0])
        or (len(kept[0].split()) == 1 and kept[1][0].isupper() and event_type(kept[0], style) != "other")
    ):
        kept.pop(0)
    title = " ".join(kept)
    if re.search(r"[a-zà-ÿ]\.$", title):
        title = title[:-1]
    return title or None


def organisation_line(line: str) -> str | None:
    """The institution a header line names on its own ("Ministry of Foreign Affairs",
    "From: Prime Minister's Office, 10 Downing Street and …"), else ``None``.

    A short line holding an institution noun of some language (``[organisations]`` in
    ``lang/*.toml``), after any byline word and before a second publisher; a line that names
    an event is a title, not an institution.
    """
    nouns, bylines, joiners = _organisation_words()
    text = " ".join(line.split())
    if text.endswith((".", "?", "!", ":")):
        return None  # a sentence or a label, not a name
    by = next((b for b in bylines if text.casefold().startswith(b.casefold())), None)
    if by:  # "From: A and B": A published it
        text = text[len(by) :].strip()
        for joiner in joiners:
            text = text.split(joiner, 1)[0]
    text = _LINE_PARTS.split(text, 1)[0]  # "Gobierno de España · La Moncloa": the first part
    text = text.strip(" ,;")
    if not text or len(text) > ORGANISATION_CHARS or not text[0].isupper():
        return None
    # The noun stands in the name itself, before any comma: "Ned Price, Department
    # Spokesperson" is a person's byline, "Prime Minister's Office, 10 Downing Street" a name.
    if not nouns.search(text.split(",", 1)[0]) or any(rx.search(text) for rx, _ in _language_events()):
        return None
    return text


ORGANISATION_CHARS = 80
_LINE_PARTS = re.compile(r"\s+[·|•>»]\s+")


@cache
def _organisation_words() -> tuple[re.Pattern[str], tuple[str, ...], tuple[str, ...]]:
    tables = [data.get("organisations", {}) for data in lang_files().values()]
    nouns = sorted({n for t in tables for n in t.get("nouns", [])}, key=len, reverse=True)
    return (
        re.compile(r"\b(?:" + "|".join(map(re.escape, nouns)) + r")\b") if nouns else re.compile(r"(?!)"),
        tuple(b for t in tables for b in t.get("byline", [])),
        tuple(j for t in tables for j in t.get("joiner", [])),
    )


def byline_person(header: str) -> str | None:
    """The one person a publisher's byline names beside the institution ("From: Prime
    Minister's Office, 10 Downing Street and The Rt Hon Helen Ashworth MP" → "Helen
    Ashworth"), else ``None``."""
    _, bylines, joiners = _organisation_words()
    people: list[str] = []
    for line in header.splitlines()[:_ORGANISATION_LINES]:
        text = " ".join(line.split())
        by = next((b for b in bylines if text.casefold().startswith(b.casefold())), None)
        if not by:
            continue
        parts = [text[len(by) :]]
        for joiner in joiners:
            parts = [p for part in parts for p in part.split(joiner)]
        for part in parts[1:]:
            words = [w for w in part.strip(" ,;.").split() if w.casefold().strip(".") not in _byline_titles()]
            if 2 <= len(words) <= 4 and all(w[:1].isupper() and not w.isupper() for w in words) and not names_institution(part):
                people.append(" ".join(words))
    return people[0] if len(people) == 1 else None


@cache
def _byline_titles() -> frozenset[str]:
    """``[organisations] byline_titles`` of every language: words around a byline's name."""
    tables = [data.get("organisations", {}) for data in lang_files().values()]
    return frozenset(w.casefold() for table in tables for w in table.get("byline_titles", []))


def names_institution(phrase: str) -> bool:
    """Whether ``phrase`` holds an institution noun of some language ("Instituto Nacional")."""
    return bool(_organisation_words()[0].search(phrase))


def printed_organisation(header: str) -> str | None:
    """The first institution the header's opening lines name on a line of their own."""
    lines = [ln for ln in header.splitlines() if ln.strip()][:_ORGANISATION_LINES]
    return next((org for ln in lines if (org := organisation_line(ln))), None)


_ORGANISATION_LINES = 12


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().casefold()


def _skip_echoes(text: str, start: int, head: Header, style: Style) -> int:
    """Past a repeated title or a photo caption right after the header; return the new start.

    Each of the next few paragraphs is skipped while it repeats the title or matches one of
    the style's caption patterns (read with its line breaks as spaces).
    """
    title = _norm(head.title or "")
    for _ in range(3):
        window = min(len(text), start + _MAX_ECHO_CHARS)
        m = _PARA.search(text, start, window)
        if not m or m.end(1) == window < len(text):  # none, or longer than any echo
            return start
        para = m.group(1)
        norm = _norm(para)
        echo = bool(title) and len(norm) > 10 and (norm in title or title in norm)
        flat = " ".join(para.split())
        if not (echo or any(rx.search(flat) for rx in style.captions)):
            return start
        start = m.end(1)
    return start


def read_header(text: str, style: Style) -> Header:
    """Read the header block of ``text`` (a transcript's plain text) as ``style`` prints it."""
    head = Header()
    lines = _lines(text, _MAX_HEADER_LINES)
    flags = [_is_date_line(text[s:e], style) for s, e in lines]
    first = next((i for i, f in enumerate(flags) if f), None)
    last_header_line = -1
    if first is not None and first > 0 or first == 0 and len(lines) > 1:
        last = first
        while last + 1 < len(lines) and flags[last + 1]:
            last += 1
        title = _title([text[s:e] for s, e in lines[:first]], style)
        if title and len(title) <= _MAX_TITLE_CHARS:
            head.title = title
        last_header_line = last
        for i in range(first, last + 1):
            s, e = lines[i]
            line = text[s:e]
            m = style.last_updated.search(line)
            if m:
                head.last_updated = parse_datetime(line[m.end() :])
            elif head.date is None:
                head.date = parse_date(line)
        if head.date is None and head.last_updated:
            head.date = head.last_updated[:10]
    else:
        n = _title_lines(text, lines, style)
        if n:
            head.title = _title([text[s:e] for s, e in lines[:n]], style)
            last_header_line = n - 1
    # "(As delivered)" and the like, right after the block (or at the very top).
    for i in range(last_header_line + 1, min(last_header_line + 3, len(lines))):
        s, e = lines[i]
        kind = next((k for rx, k in style.delivery if rx.search(text, s, e)), None) if e - s < 60 else None
        if kind:
            head.delivery = kind
            last_header_line = i
            break
    if last_header_line >= 0:
        head.body_start = lines[last_header_line][1]
    for rx in style.body_after:  # "12:36 P.M. EST": the spoken part starts after it
        m = rx.search(text, head.body_start, min(len(text), head.body_start + 4000))
        if m:
            head.body_start = m.end()
            break
    head.body_start = _skip_echoes(text, head.body_start, head, style)
    head.event_type = event_type(head.title, style)
    return head


def event_type(title: str | None, style: Style) -> str:
    """The event type the title names (the style's first matching keyword), else "other"."""
    if not title:
        return "other"
    for rx, kind in (*style.event_types, *_language_events()):
        if rx.search(title):
            return kind
    return "other"


_EVENT_ORDER = ("joint_press_conference", "press_conference", "briefing", "doorstep", "interview", "speech")


@cache
def _language_events() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Every language's event words (``[events]`` in ``lang/*.toml``), joint events first."""
    files = lang_files().values()
    return tuple(
        (re.compile(p, re.IGNORECASE), kind)
        for kind in _EVENT_ORDER
        for data in files
        for p in data.get("events", {}).get(kind, [])
    )


# --- What the document says about itself (evidence.toml) -------------------------------

EVIDENCE_FILE = Path(__file__).parent / "evidence.toml"
_HEADER_CAP = 3000
_LONG_PARA = 400
_CAPS_LABEL = re.compile(r"^[^\S\n]*[A-Z][A-Z.’'\- ]{1,60}:", re.MULTILINE)


@dataclass(frozen=True)
class _Evidence:
    organisations: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    aliases: dict[str, str]
    openings: tuple[tuple[re.Pattern[str], str], ...]
    opening_lines: int
    opening_chars: int


@cache
def _evidence() -> _Evidence:
    """The known organisations and opening phrases (data in ``evidence.toml``)."""
    with EVIDENCE_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    openings = data.get("openings", {})
    return _Evidence(
        organisations=tuple(
            (str(o["name"]), tuple(re.compile(p, re.MULTILINE) for p in o.get("patterns", [])))
            for o in data.get("organisations", [])
        ),
        aliases={
            " ".join(a.split()).casefold(): str(o["name"])
            for o in data.get("organisations", [])
            for a in [o["name"], *o.get("aliases", [])]
        },
        openings=tuple((re.compile(p, re.IGNORECASE), str(k)) for p, k in openings.get("patterns", [])),
        opening_lines=int(openings.get("lines", 12)),
        opening_chars=int(openings.get("chars", 1500)),
    )


def header_end(text: str, first_label: int | None) -> int:
    """Where the document's own header ends: the first speaker label, else the first long
    paragraph (the body has begun), never past ``_HEADER_CAP`` characters."""
    end = min(len(text), _HEADER_CAP if first_label is None else first_label, _HEADER_CAP)
    caps = _CAPS_LABEL.search(text, 0, end)  # "MS PORTER:" even where the style has no such label
    if caps:
        end = caps.start()
    for m in _PARA.finditer(text, 0, end):
        if len(m.group(1)) > _LONG_PARA:
            return min(end, m.start(1))
    return end


def organisation_key(name: str) -> str:
    """One spelling per known institution ("Federal Reserve" → its full name), for comparing."""
    folded = " ".join(name.split()).casefold()
    return _evidence().aliases.get(folded, folded).casefold()


def known_organisation(header: str) -> str | None:
    """The institution a header names plainly (``evidence.toml``), or ``None``."""
    for name, patterns in _evidence().organisations:
        if any(rx.search(header) for rx in patterns):
            return name
    return None


def opening_event_type(text: str) -> str:
    """The event type the opening lines give their own event ("today's press briefing")."""
    ev = _evidence()
    lines = text[: ev.opening_chars].split("\n")[: ev.opening_lines]
    opening = "\n".join(lines)
    found = [(m.start(), kind) for rx, kind in ev.openings for m in [rx.search(opening)] if m]
    return min(found)[1] if found else "other"


def dateline_date(header: str, style: Style) -> str | None:
    """The first date the header prints where the style says event dates stand: a dateline
    ("Frankfurt am Main, 14 April 2022"), "Published: …", "(September 8, 2021)"."""
    found = [m for rx in style.event_date for m in [rx.search(header)] if m]
    for m in sorted(found, key=lambda m: m.start()):
        iso = parse_date(m.group("date"), style.month_first)
        if iso:
            return iso
    return None
