"""Highlighted snippets, made in Python so every engine shows the same thing.

Matching is by word prefix after a light suffix strip ("sanctions" highlights "sanctioned"),
close to what the engines' English stemmers match, and cheap enough for a page of hits.
"""

from __future__ import annotations

import re

from podium.store.query import Node, Phrase, Term, terms
from podium.store.registry import fold

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


def snippet(text: str, node: Node | None, *, words: int = 36, mark: tuple[str, str] = ("<mark>", "</mark>")) -> str:
    """About ``words`` words of ``text`` around the densest matches, matches marked."""
    needles = _needles(node)
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return text[:200]
    hits = [i for i, m in enumerate(tokens) if needles and any(fold(m.group()).startswith(n) for n in needles)]
    if hits:  # the window holding the most hits
        best = max(hits, key=lambda h: sum(1 for x in hits if h <= x < h + words))
        start = max(0, best - words // 4)
    else:
        start = 0
    end = min(len(tokens), start + words)
    a, b = tokens[start].start(), tokens[end - 1].end()
    out, pos = [], a
    for i in hits:
        if start <= i < end:
            m = tokens[i]
            out += [text[pos : m.start()], mark[0], m.group(), mark[1]]
            pos = m.end()
    out.append(text[pos:b])
    body = " ".join("".join(out).split())
    return ("… " if a > 0 else "") + body + (" …" if b < len(text.rstrip()) else "")
