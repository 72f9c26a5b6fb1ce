"""Highlighted snippets, made in Python so every engine shows the same thing.

Matching is by word prefix after a light suffix strip ("sanctions" highlights "sanctioned"),
close to what the engines' English stemmers match, and cheap enough for a page of hits.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import cache

from podium.names import fold
from podium.store.cjk import has_cjk
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


@cache
def _variants() -> dict[str, str]:
    """Each unaccented Latin letter → a regex class of it and its accented forms ("e" → [eéèêë…])."""
    groups: dict[str, set[str]] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = fold(ch)
        if len(base) == 1 and base.isascii() and base.isalpha() and ch.isalpha():
            groups.setdefault(base, {base}).update({ch, ch.lower(), ch.upper()})
    return {base: "[" + "".join(sorted(forms)) + "]" for base, forms in groups.items()}


def _needle_regex(needle: str) -> str:
    """A needle as a regex that also matches its accented spellings ("politica" → "política")."""
    variants = _variants()
    return "".join(variants.get(ch, re.escape(ch)) for ch in needle)


_ACCENTED = re.compile("[\u00c0-\u024f]")


class Highlighter:
    """The query's words as two compiled regexes: a plain one for text without accented Latin
    letters (most turns, and several times faster) and one whose letters also match their
    accented forms."""

    def __init__(self, plain: re.Pattern[str], accented: re.Pattern[str]) -> None:
        self.plain = plain
        self.accented = accented

    def _for(self, text: str) -> re.Pattern[str]:
        return self.plain if text.isascii() or not _ACCENTED.search(text) else self.accented

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._for(text).finditer(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._for(text).search(text)

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        return self._for(text).sub(repl, text)


def highlighter(node: Node | None) -> Highlighter | None:
    """The query's words, compiled once per search and reused per hit.

    Words match at a word start and may run on (a light stem); Chinese and Japanese words
    match anywhere, since those scripts put no spaces between words.
    """
    needles = sorted(_needles(node), key=len, reverse=True)
    if not needles:
        return None
    cjk = [re.escape(n) for n in needles if has_cjk(n)]

    def compile_(letter: Callable[[str], str]) -> re.Pattern[str]:
        latin = [letter(n) for n in needles if not has_cjk(n)]
        parts = []
        if latin:
            parts.append(r"\b(?:" + "|".join(latin) + r")\w*")
        if cjk:
            parts.append("(?:" + "|".join(cjk) + ")")
        return re.compile("|".join(parts), re.IGNORECASE)

    return Highlighter(compile_(re.escape), compile_(_needle_regex))


def snippet(
    text: str, node: Node | None, *, words: int = 36, mark: tuple[str, str] = ("<mark>", "</mark>"),
    pattern: Highlighter | None = None,
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
