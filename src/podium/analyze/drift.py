"""Answer drift: where, within a thread, the substance of the answer changed.

Consecutive answered questions of a thread (in time order) are compared in three ways that
can be measured and explained:

- ``label``: the clarity label moved between a reply and a non-reply (an ``ambivalent``
  answer counts as its own kind), e.g. "clear_non_reply" then "clear_reply";
- ``figures``: both answers state numbers or dates and the later one states a figure the
  earlier did not, while dropping one the earlier did (a changed date or count, not a
  figure merely added to a longer answer);
- ``wording``: the two answer passages are far apart in meaning (cosine of their stored
  turn embeddings below ``LOW_SIMILARITY``), when both have embeddings.

What it cannot see: a position reversed in the same words ("we will" / "we will not" embed
close together), a figure written out in words in one answer and in digits in the other,
sarcasm, and any change inside an answer the parser did not link to the question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

LOW_SIMILARITY = 0.35
"""Answers in a thread usually share a topic (cosine 0.5-0.8); below this they say different things."""
PASSAGE_CHARS = 600

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}日)?|\d{{1,2}}月\d{{1,2}}日)",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_NUMBER = re.compile(r"(?<![\w.\-])(\d{1,3}(?:[,\s]\d{3})+|\d+)(?:\.(\d+))?\s*(%|percent|per cent|por ciento)?", re.IGNORECASE)
_SCALE = re.compile(r"^\s*(thousand|million|billion|trillion|mil|millones|万|亿)", re.IGNORECASE)


def figures(text: str) -> set[str]:
    """Dates and numbers stated in ``text``, normalised ("5 percent" and "5%" are one figure).

    Dates are taken first so that their day numbers are not also counted as numbers; small
    ordinal-looking numbers in lists ("first", "two questions") are words and not seen.
    """
    found: set[str] = set()
    rest = _CLOCK.sub(" ", text)  # "as of 08:00" is a time of day, not a figure
    for m in _DATE.finditer(rest):
        found.add("date:" + re.sub(r"\s+", " ", m.group(0).lower().replace(",", "")).replace(" of ", " "))
        rest = rest.replace(m.group(0), " ")
    for m in _NUMBER.finditer(rest):
        whole = re.sub(r"[,\s]", "", m.group(1))
        value = whole + ("." + m.group(2) if m.group(2) else "")
        unit = "%" if m.group(3) else ""
        scale = _SCALE.match(rest[m.end():])
        if scale:
            unit += " " + scale.group(1).lower()
        found.add(f"num:{value}{unit}")
    return found


@dataclass(frozen=True)
class Answer:
    """One thread member's answer, as drift sees it."""

    key: tuple[str, int, int]
    date: str | None
    clarity: str | None
    text: str
    vector: Any = None  # unit-length numpy vector of the answer turn, when stored


@dataclass
class Drift:
    """A change between two consecutive answers of a thread."""

    before: Answer
    after: Answer
    kinds: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        def side(a: Answer) -> dict[str, Any]:
            return {"transcript_id": a.key[0], "exchange_index": a.key[1], "question_index": a.key[2],
                    "date": a.date, "clarity": a.clarity, "passage": a.text[:PASSAGE_CHARS]}

        return {"kinds": self.kinds, "detail": self.detail, "before": side(self.before), "after": side(self.after)}


def _kind(label: str | None) -> str | None:
    if not label:
        return None
    if label in ("clear_reply",):
        return "reply"
    if label in ("clear_non_reply",):
        return "non-reply"
    return label  # ambivalent and anything newer stays its own kind


def compare(before: Answer, after: Answer, low_similarity: float = LOW_SIMILARITY) -> Drift | None:
    """The drift from ``before`` to ``after``, or ``None`` when nothing measurable changed."""
    d = Drift(before, after)
    kb, ka = _kind(before.clarity), _kind(after.clarity)
    if kb and ka and kb != ka:
        d.kinds.append("label")
        d.detail["label"] = [before.clarity, after.clarity]
    fb, fa = figures(before.text), figures(after.text)
    if fb and fa and (fa - fb) and (fb - fa):
        d.kinds.append("figures")
        d.detail["figures"] = {"before_only": sorted(fb - fa), "after_only": sorted(fa - fb)}
    if before.vector is not None and after.vector is not None:
        sim = float(before.vector @ after.vector)
        if sim < low_similarity:
            d.kinds.append("wording")
            d.detail["similarity"] = round(sim, 3)
    return d if d.kinds else None


def drifts(answers: Sequence[Answer], low_similarity: float = LOW_SIMILARITY) -> list[Drift]:
    """Drift between each answered member and the next one (``answers`` in time order)."""
    out = []
    usable = [a for a in answers if a.text.strip()]
    for a, b in pairwise(usable):
        d = compare(a, b, low_similarity)
        if d is not None:
            out.append(d)
    return out
