"""A substring test before a slow regex: the words a pattern cannot match without.

Cue lists (detection, channel cues, hand-off phrases) are case-insensitive alternations that
start with ``\\b``. Python's ``re`` cannot skip ahead for such patterns and tries every
position of the text; detection alone cost about 5 ms a document. Most texts lack every word a
cue needs, and ``str.__contains__`` (C, fast search) says so first. The needles are read off the
pattern's own parse tree, so a cue written in a ``lang/*.toml`` file or a house style gets one
without anybody listing it.

The test never rejects a text the pattern matches: a literal run the pattern must match is
compared case-folded, and case folding is per character, so a matched stretch folds to a
substring of the folded text. (The one exception, Turkish dotted capital I, is mapped first.)
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]  # noqa: PLC2701
from re import _parser  # type: ignore[attr-defined]  # noqa: PLC2701
from typing import Any

_MIN_NEEDLE = 3
"""A shorter literal ("in", "Q") occurs in nearly every text, so it filters nothing."""


def fold(text: str) -> str:
    """``text`` as the needles are compared with it (compute once per text, pass it on)."""
    return text.replace("İ", "i").casefold()


def may_match(rx: re.Pattern[str], folded: str) -> bool:
    """False when ``folded`` (``fold(text)``) lacks every needle of ``rx``: no match is possible."""
    need = needles(rx)
    return need is None or any(n in folded for n in need)


def search(rx: re.Pattern[str], text: str, folded: str) -> re.Match[str] | None:
    """``rx.search(text)``, skipped when ``may_match`` says it cannot match."""
    return rx.search(text) if may_match(rx, folded) else None


@lru_cache(maxsize=4096)
def needles(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """Folded strings of which every match of ``rx`` contains at least one; None if unknown."""
    try:
        tree = _parser.parse(rx.pattern, rx.flags)
    except Exception:  # noqa: BLE001  (an internal parser that changed: no prefilter, same results)
        return None
    return _sequence(list(tree))


def _sequence(items: list[tuple[Any, Any]]) -> tuple[str, ...] | None:
    """The most selective needle set among a sequence's mandatory parts."""
    candidates: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if len(run) >= _MIN_NEEDLE:
            candidates.append((fold("".join(run)),))
        run = []
        if op is sre.BRANCH:
            alternatives = [_sequence(list(branch)) for branch in av[1]]
            if all(a is not None for a in alternatives):
                candidates.append(tuple(n for a in alternatives if a for n in a))
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:  # a group that changes no flags
            inner = _sequence(list(av[3]))
            if inner is not None:
                candidates.append(inner)
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(len(n) for n in c), -len(c)))
