"""Chinese and Japanese text for search: overlapping character bigrams.

Han and kana are written without spaces, so a tokenizer that splits at non-letters reads a
whole clause as one "word" and a search for 台湾 finds only turns where 台湾 stands alone
between punctuation. Each run of CJK characters is indexed as its overlapping bigrams
("台湾问题" → 台湾 湾问 问题) and a query word becomes the phrase of its bigrams, which
matches exactly where the characters occur in sequence: recall equals a substring scan.
A dictionary segmenter (jieba) was measured against this on the Chinese MFA transcripts
(``benchmarks/cjk_recall.py``): it misses words its dictionary joins to a neighbour
(台湾 inside 台湾省 or 对台湾), so bigrams it is; the cost is a larger index for CJK text.
"""

from __future__ import annotations

import re

_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
_CJK_CHAR = re.compile(f"[{_CJK_CHARS}]")


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a Chinese or Japanese character."""
    return _CJK_CHAR.search(text) is not None


def bigrams(run: str) -> list[str]:
    """Overlapping character pairs of a CJK run; a single character stands for itself."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def segment(text: str) -> str:
    """``text`` with every CJK run replaced by its space-separated bigrams, for indexing."""
    if not has_cjk(text):
        return text
    return CJK_RUN.sub(lambda m: " " + " ".join(bigrams(m.group())) + " ", text)


def cjk_count(text: str) -> int:
    """Number of CJK characters in ``text`` (each counts as a word in word counts)."""
    return len(_CJK_CHAR.findall(text))
