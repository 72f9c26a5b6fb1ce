"""Clarity and evasion label names, and how the QEvasion files spell them.

Podium spells labels as in the transcript JSON form (``clear_reply``, ``declining``); the
data files use several spellings (``Clear Reply``, ``Direct Reply``, ``Declining to answer``,
``Claims Ignorance``, ``Partial``). Everything is normalised here, once.
"""

from __future__ import annotations

import re
from typing import get_args

from podium.model import ClarityLabel, EvasionLabel

# The label sets are the transcript model's own, so the two can never drift apart.
CLARITY: tuple[str, ...] = get_args(ClarityLabel)
EVASION: tuple[str, ...] = get_args(EvasionLabel)
# The QEvasion taxonomy is a tree: each evasion label sits under one clarity label.
EVASION_TO_CLARITY: dict[str, str] = {
    "explicit": "clear_reply",
    "implicit": "ambivalent",
    "dodging": "ambivalent",
    "deflection": "ambivalent",
    "partial": "ambivalent",
    "general": "ambivalent",
    "declining": "clear_non_reply",
    "claims_ignorance": "clear_non_reply",
    "clarification": "clear_non_reply",
}

_ALIASES = {
    "clear_reply": "clear_reply",
    "direct_reply": "clear_reply",
    "ambivalent": "ambivalent",
    "ambiguous": "ambivalent",
    "clear_non_reply": "clear_non_reply",
    "direct_non_reply": "clear_non_reply",
    "explicit": "explicit",
    "implicit": "implicit",
    "dodging": "dodging",
    "deflection": "deflection",
    "diffusion": "deflection",  # one row of evaluation_set_agreed.csv; task2 file says Dodging
    "partial": "partial",
    "partial_half_answer": "partial",
    "general": "general",
    "declining": "declining",
    "declining_to_answer": "declining",
    "claims_ignorance": "claims_ignorance",
    "clarification": "clarification",
}


def normalise(raw: str) -> str | None:
    """Podium's spelling of a label as written in a data file, or ``None`` when blank/unknown."""
    key = re.sub(r"[^a-z]+", "_", raw.strip().lower()).strip("_")
    return _ALIASES.get(key)
