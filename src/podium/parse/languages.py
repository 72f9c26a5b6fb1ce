"""Which language a transcript is in, from the language files' own ``function_words``.

Adding ``lang/<code>.toml`` with a ``function_words`` list is all it takes for a language to
be recognised; no word lists live in code. Chinese (and any CJK text) is recognised by its
share of CJK characters, since it has no spaces to count words by.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from podium.parse.style import LANG_DIR, _read_toml

SAMPLE_CHARS = 5000
"""Only the start of a transcript is read: a few thousand characters decide the language."""

MIN_HITS = 5
"""Fewer function-word hits than this and the style's own language is kept."""

CJK_SHARE = 0.2
"""A text with more than this share of CJK ideographs is Chinese."""

_WORD = re.compile(r"[^\W\d_]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@cache
def function_words() -> dict[str, frozenset[str]]:
    """Each language file's function words, lower-cased, by language code."""
    return {
        path.stem: frozenset(w.lower() for w in _read_toml(path, "lang").get("function_words", []))
        for path in sorted(LANG_DIR.glob("*.toml"))
    }


def scores(text: str) -> dict[str, int]:
    """How many words of ``text`` are function words of each language."""
    counts = Counter(_WORD.findall(text.lower()))  # each distinct word looked up once per language
    return {code: sum(n for w, n in counts.items() if w in fw) for code, fw in function_words().items() if fw}


def guess_language(text: str, default: str) -> str:
    """The language of ``text``: CJK share, then the most function-word hits; ``default``
    when the text is empty or too few words are known (ties keep ``default``, then go to
    the first code alphabetically, so the answer never depends on dictionary order)."""
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return default
    cjk = len(_HAN.findall(sample))
    if cjk > len(sample) * CJK_SHARE:
        return "zh"
    counted = scores(sample)
    if not counted:
        return default
    best = max(counted.values())
    if best < MIN_HITS:
        return default
    winners = sorted(code for code, n in counted.items() if n == best)
    return default if default in winners else winners[0]
