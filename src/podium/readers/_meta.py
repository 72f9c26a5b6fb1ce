"""Small normalisers for the metadata formats carry: dates, names, titles, language tags.

Values go into ``Document.metadata`` under ``Metadata`` field names, so each is either a
clean value or absent: never a guess the parser would then have to undo.
"""

from __future__ import annotations

import html
import re
from typing import Any, get_args

_CJK_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_SUFFIX = re.compile(r"\s+(?:\||•|—|–|-|::|>|»)\s+(?P<site>[^|•—–>»]{2,60})$")


_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")


def iso_date(text: str | None, *, numeric: bool = True) -> str | None:
    """ISO date of the first date written in ``text`` (English, French, Spanish, Chinese).

    ``numeric=False`` ignores ``6/11/12``-style dates: in free text (a title) nothing says
    whether they are month-first (US pages) or day-first, and a wrong date is worse than none.
    """
    if not text:
        return None
    if not numeric:
        text = _NUMERIC_DATE.sub(" ", text)
    m = _CJK_DATE.search(text)
    if m:
        return _ymd(m["y"], m["m"], m["d"])
    from podium.parse._dates import parse_date  # lazy: podium.parse imports the readers

    return parse_date(text)


def _ymd(y: str, m: str, d: str) -> str | None:
    year, month, day = int(y), int(m), int(d)
    if 1 <= month <= 12 and 1 <= day <= 31 and 1800 <= year <= 2200:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def strip_site_name(title: str) -> str:
    """``"Remarks by … | The White House"`` → ``"Remarks by …"``: drop a trailing site name."""
    return split_site_names(title)[0]


def split_site_names(title: str) -> tuple[str, list[str]]:
    """The title without the site names and breadcrumbs a page appends to it, and those names
    nearest first: ``"Holds a Press Briefing > U.S. Department of Defense > Transcript"`` →
    ``("Holds a Press Briefing", ["Transcript", "U.S. Department of Defense"])``."""
    title = " ".join(title.split())
    sites: list[str] = []
    while (m := _SUFFIX.search(title)) and len(title[: m.start()]) >= 8:
        sites.append(m.group("site").strip())
        title = title[: m.start()].strip()
    return title, sites


def person_name(raw: str) -> str:
    """``"Keating, Paul"`` → ``"Paul Keating"``; other forms pass through trimmed."""
    raw = " ".join(raw.split())
    if raw.count(",") == 1:
        last, first = (p.strip() for p in raw.split(","))
        if last and first and " " not in last:
            return f"{first} {last}"
    return raw


def language_tag(raw: str | None) -> str | None:
    """``"en-US"`` → ``"en"``: the primary subtag, lower case, or ``None``."""
    if not raw:
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_]|\s*$)", raw)
    return m.group(1).lower() if m else None


def _choices(field: str) -> tuple[str, ...]:
    from podium.model import Metadata

    return get_args(Metadata.model_fields[field].annotation)


def clean(meta: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values (absent stays absent) and keep ``Metadata`` fields well-typed.

    Front matter and XML fields are free-form: an ``event_type: presser`` the model does not
    know is dropped rather than copied into a transcript that would then fail the schema.
    """
    out: dict[str, Any] = {}
    for key, value in meta.items():
        if value in (None, "", [], {}):
            continue
        if key in ("event_type", "delivery"):
            value = str(value).strip().lower().replace(" ", "_")
            if value not in _choices(key):
                continue
        elif key in _TEXT_FIELDS:
            value = " ".join(_ENTITY.sub(lambda m: html.unescape(m.group()), str(value)).split())
            if not value or len(value) > MAX_FIELD_CHARS:
                continue
        out[key] = value
    return out


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
"""A character reference left in a field after parsing: the publisher escaped it twice
("PRIME MINISTER&amp;#146;S" in the Australian XML); read it once more (&#146; → ’)."""

MAX_FIELD_CHARS = 1000
"""A title, name or date longer than this is no title, name or date (the longest title in the
shared corpus has 234 characters); it is dropped, so a 10 MB ``title:`` in front matter costs the
parser nothing."""

_TEXT_FIELDS = frozenset({"title", "organisation", "principal", "date", "last_updated", "location", "language"})
