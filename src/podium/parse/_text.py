"""Small text helpers shared by the parser steps: slugs, name keys, sentences."""

from __future__ import annotations

import re
from functools import lru_cache

from podium import names
from podium.parse.style import Language

_SENT_END = re.compile(r"[.?!？。！…]+[\"”’)\]]*(?=\s+|$)|[？。！]")
_PARA = re.compile(r"\n[ \t]*\n")


def slugify(text: str) -> str:
    """A participant or transcript id part: ``podium.names.slugify``, never empty."""
    return names.slugify(text) or "speaker"


def name_key(name: str) -> str:
    """A key under which spelling variants of one name meet: ``podium.names.spelling_key``."""
    return names.spelling_key(name)


@lru_cache(maxsize=8192)
def word_count(text: str) -> int:
    """Words in ``text`` (``str.split``); cached, since the structure steps ask it of each turn
    many times and a long answer splits into thousands of strings each time."""
    return len(text.split())


def words_upto(text: str, most: int) -> int:
    """How many words ``text`` has, counted no further than ``most + 1``.

    Enough to compare with ``most``, and it stops splitting there: a one-turn 50 MB file
    is not split into ten million words for each "is this turn short?" test."""
    return len(text.split(None, most))


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` of ``text`` so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str, start: int, end: int, lang: Language) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``, as absolute offsets, without white space.

    A period after a known abbreviation ("Mr.") or between digits does not end a sentence;
    a paragraph break always does.
    """
    spans: list[tuple[int, int]] = []
    for pstart, pend in _paragraphs(text, start, end):
        cur = pstart
        for m in _SENT_END.finditer(text, pstart, pend):
            if m.group().startswith(".") and len(m.group().rstrip("\"”’)]")) == 1:
                word = re.search(r"([\w.]+)$", text[cur : m.start()])
                if word and word.group(1).lower() in lang.abbreviations:
                    continue
            s, e = strip_span(text, cur, m.end())
            if s < e:
                spans.append((s, e))
            cur = m.end()
        s, e = strip_span(text, cur, pend)
        if s < e:
            spans.append((s, e))
    return spans


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    cur = start
    for m in _PARA.finditer(text, start, end):
        out.append((cur, m.start()))
        cur = m.end()
    out.append((cur, end))
    return out
