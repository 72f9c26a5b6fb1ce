"""Dates as printed on official pages → ISO 8601.

Handles "07 Oct. 2021", "7 October 2021", "25-May-2017", "October 7, 2021", "2021-10-07",
"07/10/2021" (day first, as European institutions print it), "2025年4月9日", and month names
from each language file's ``[dates] months``. Times "16:36" are attached when present.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def months() -> dict[str, int]:
    """Month names of every language Podium has (``[dates] months`` in ``parse/lang/*.toml``)."""
    from podium.parse.style import lang_files  # lazy: the style module is heavier

    out: dict[str, int] = {}
    for data in lang_files().values():
        table = data.get("dates", {}).get("months", {})
        out.update({name.lower(): int(number) for name, number in table.items()})
    return out


_MONTH = r"(?P<mon>[A-Za-zÀ-ÿ]{3,10})\.?"
_PATTERNS = [
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:er|st|nd|rd|th|\.)?[ \-]+(?:de\s+)?{_MONTH}[ \-,]+(?:de\s+)?(?P<y>\d{{4}})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"),
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),  # 2025年4月9日
]
# Month first, as American pages print it: "2/4/2015", "07/25/14".
_US = re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b")
_TIME = re.compile(r"^\s*(?:at\s+)?(?P<h>\d{1,2})[:h](?P<min>\d{2})\b")


def find_date(text: str, month_first: bool = False) -> tuple[str, int, int] | None:
    """The first date in ``text`` as ``(iso, start, end)``, or ``None``.

    Numeric dates are read day first ("07/10/2021" is 7 October) unless ``month_first``.
    """
    best: tuple[str, int, int] | None = None
    for rx in (_US, *_PATTERNS[:3], _PATTERNS[4]) if month_first else _PATTERNS:
        for m in rx.finditer(text):
            iso = _iso(m)
            if iso and (best is None or m.start() < best[1]):
                best = (iso, m.start(), m.end())
                break
    return best


def parse_date(text: str, month_first: bool = False) -> str | None:
    """ISO date of the first date in ``text``."""
    found = find_date(text, month_first)
    return found[0] if found else None


def parse_datetime(text: str) -> str | None:
    """ISO date, plus ``THH:MM`` when a time follows the date."""
    found = find_date(text)
    if not found:
        return None
    iso, _, end = found
    t = _TIME.match(text[end:])
    if t and int(t["h"]) < 24 and int(t["min"]) < 60:
        return f"{iso}T{int(t['h']):02d}:{t['min']}"
    return iso


def _iso(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    if groups.get("mon"):
        month = months().get(groups["mon"].lower().rstrip("."))
        if month is None:
            return None
    else:
        month = int(groups["m"])
    day, year = int(groups["d"]), int(groups["y"])
    if year < 100:  # "07/25/14"
        year += 2000 if year < 70 else 1900
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
