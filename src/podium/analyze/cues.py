"""Lexical non-answer cues: counts of refusal, ignorance, deferral and other patterns.

The patterns are data (``cues.toml``), so a new phrasing is a one-line change. Each category
gives two features: how often it occurs in the whole answer (log-scaled) and whether it
occurs in the answer's opening, where a speaker who will not answer usually says so.
"""

from __future__ import annotations

import math
import re
import tomllib
from functools import cache
from pathlib import Path

OPENING_CHARS = 300


@cache
def patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Category name → compiled patterns, read once from ``cues.toml``."""
    data = tomllib.loads((Path(__file__).with_name("cues.toml")).read_text(encoding="utf-8"))
    return {
        name: tuple(re.compile(p, re.IGNORECASE) for p in pats)
        for name, pats in data["cues"].items()
    }


def names() -> list[str]:
    """Feature names in the order ``cue_features`` returns them."""
    return [f"{kind}:{cat}" for cat in patterns() for kind in ("count", "opening")]


def cue_features(answer: str) -> list[float]:
    """Two numbers per cue category: log(1 + matches in answer), match in its opening (0/1)."""
    text = answer.replace("’", "'")
    opening = text[:OPENING_CHARS]
    out: list[float] = []
    for pats in patterns().values():
        count = sum(len(p.findall(text)) for p in pats)
        out.append(math.log1p(count))
        out.append(1.0 if any(p.search(opening) for p in pats) else 0.0)
    return out


def matches(answer: str) -> dict[str, list[str]]:
    """Which cue phrases occur in ``answer``, by category (for explaining a prediction)."""
    text = answer.replace("’", "'")
    found: dict[str, list[str]] = {}
    for cat, pats in patterns().items():
        hits = [m.group(0) for p in pats for m in p.finditer(text)]
        if hits:
            found[cat] = hits
    return found
