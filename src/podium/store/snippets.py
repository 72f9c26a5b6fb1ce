"""Highlighted snippets, made in Python so every engine shows the same thing.

Matching is by word prefix after a light suffix strip ("sanctions" highlights "sanctioned"),
close to what the engines' English stemmers match, and cheap enough for a page of hits.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from podium.names import fold
from podium.store.query import Node, Phrase, Term, terms

_WORD = re.compile(r"\w+", re.UNICODE)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s", "ly")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _needles(node: Node | None) -> set[str]:
    out: set[str] = set()
    if node is None:
        return out
    for t in terms(node):
        words = (t.word,) if isinstance(t, Term) else t.words if isinstance(t, Phrase) else ()
        out.update(_stem(fold(w)) for w in words)
    return out


def highlighter(node: Node | None) -> re.Pattern[str] | None:
    """One compiled regex for the query's words, made once per search and reused per hit."""
    needles = sorted(_needles(node), key=len, reverse=True)
    if not needles:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, needles)) + r")\w*", re.IGNORECASE)


def snippet(
    text: str, node: Node | None, *, words: int = 36, mark: tuple[str, str] = ("<mark>", "</mark>"),
    pattern: re.Pattern[str] | None = None,
) -> str:
    """About ``words`` words of ``text`` around the densest matches, matches marked.

    Matches are found with one compiled regex (C speed) so that a huge turn (a whole page
    read as one turn) costs little; only the chosen window is split into words. Pass
    ``pattern`` (from ``highlighter(node)``) when making snippets for many hits.
    """
    if pattern is None:
        pattern = highlighter(node)
    spots = [m.start() for m in pattern.finditer(text)] if pattern else []
    span = words * 8  # characters in a window of about ``words`` words
    if spots:
        # the match with the most others (up to 12) less than a window after it
        best = max(range(len(spots)), key=lambda i: min(12, bisect_left(spots, spots[i] + span, i) - i))
        a = max(0, spots[best] - span // 4)
    else:
        a = 0
    while a > 0 and text[a - 1].isalnum():  # do not start inside a word
        a -= 1
    window = text[a : a + span + 40]
    tokens = list(_WORD.finditer(window))[:words]
    if not tokens:
        return " ".join(text[:200].split())
    b = tokens[-1].end()
    window = window[:b]
    body = pattern.sub(lambda m: mark[0] + m.group() + mark[1], window) if pattern else window
    body = " ".join(body.split())
    return ("… " if a > 0 else "") + body + (" …" if a + b < len(text.rstrip()) else "")
