"""Dates as printed on official pages → ISO 8601.

Handles "07 Oct. 2021", "7 October 2021", "25-May-2017", "October 7, 2021", "2021-10-07",
"07/10/2021" (day first, as European institutions print it) and month names in English,
French and Spanish. Times "16:36" are attached when present.
"""

from __future__ import annotations

import re

MONTHS = {
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
    # French
    "janv": 1, "janvier": 1, "févr": 2, "février": 2, "fevrier": 2, "mars": 3, "avr": 4,
    "avril": 4, "mai": 5, "juin": 6, "juil": 7, "juillet": 7, "août": 8, "aout": 8,
    "sept.": 9, "septembre": 9, "octobre": 10, "novembre": 11, "déc": 12, "décembre": 12,
    "decembre": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}

_MONTH = r"(?P<mon>[A-Za-zÀ-ÿ]{3,10})\.?"
_PATTERNS = [
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?[ \-]+(?:de\s+)?{_MONTH}[ \-,]+(?:de\s+)?(?P<y>\d{{4}})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"),
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b"),
]
# Month first, as American pages print it: "2/4/2015", "07/25/14".
_US = re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b")
_TIME = re.compile(r"^\s*(?:at\s+)?(?P<h>\d{1,2})[:h](?P<min>\d{2})\b")


def find_date(text: str, month_first: bool = False) -> tuple[str, int, int] | None:
    """The first date in ``text`` as ``(iso, start, end)``, or ``None``.

    Numeric dates are read day first ("07/10/2021" is 7 October) unless ``month_first``.
    """
    best: tuple[str, int, int] | None = None
    for rx in (_US, *_PATTERNS[:3]) if month_first else _PATTERNS:
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
        month = MONTHS.get(groups["mon"].lower().rstrip("."))
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
