"""What a question asks, as text to compare: the question and the subject-bearing words of its
turn before it, without greetings, thanks and the asker's self-introduction.

"Thank you, Karine. Jane Doe, Bloomberg News. On Taiwan: a US warship sailed through the
Strait yesterday. What's your comment?" is about Taiwan and a warship; the courtesies and the
name say nothing about what is asked, yet they took most of a 24-word context and made
questions of one outlet or one greeting look alike. Which words say nothing is language data
(``lang/<code>.toml``: ``function_words``, ``speakers.interjections``/``honorifics``/
``offices``, and the ``[threads]`` table); self-introductions are recognised by
``podium.parse.introductions`` (the parser's own rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

CONTEXT_WORDS = 24
"""Words of context kept before the question (after greetings and introductions are dropped)."""

_TAIL_CHARS = 1500
"""Only this much of a long turn before its question is read for the context."""
_WORD = re.compile(r"[^\W\d_][\w’'\-]*")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Vocabulary:
    """The words of one language that carry no subject, and its courtesies."""

    stop: frozenset[str]
    courtesies: frozenset[str]


@cache
def vocabulary(code: str) -> Vocabulary:
    """The language's subject-less words (English's when Podium has no file for ``code``)."""
    from podium.parse.style import lang_files

    files = lang_files()
    data = files.get(code) or files["en"]
    speakers = data.get("speakers", {})
    table = data.get("threads", {})
    stop = {w.casefold() for w in (
        *data.get("function_words", []), *speakers.get("interjections", []), *speakers.get("honorifics", []),
        *speakers.get("offices", []), *speakers.get("articles", []), *table.get("stop_words", []),
    )}
    courtesies = frozenset(w.casefold() for w in table.get("courtesies", []))
    return Vocabulary(frozenset(stop | courtesies), courtesies)


def _norm(word: str) -> str:
    w = word.casefold().replace("’", "'").strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    return w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w


def subject_words(text: str, language: str = "en") -> set[str]:
    """Words of ``text`` that can name a subject: not stop words or courtesies, 3+ letters,
    a crude plural strip; in Chinese, every pair of adjacent ideographs."""
    voc = vocabulary(language)
    out = {w for w in (_norm(m) for m in _WORD.findall(text)) if len(w) > 2 and w not in voc.stop}
    ideographs = "".join(_IDEOGRAPH.findall(text))
    out |= {ideographs[i : i + 2] for i in range(len(ideographs) - 1)}
    return out - voc.courtesies


def says_nothing(sentence: str, language: str = "en") -> bool:
    """Whether a sentence before a question is only courtesy or introduction: "Thank you,
    Karine.", "Good afternoon.", "Jane Doe, Bloomberg News." (but not "On Taiwan.")."""
    from podium.parse.introductions import _outlet_like, self_introduction

    if self_introduction(sentence) is not None:
        return True
    words = subject_words(sentence, language)
    if not words:
        return True
    voc = vocabulary(language)
    raw = _WORD.findall(sentence)
    polite = any(w.casefold() in voc.courtesies for w in raw)
    named = [w for w in raw if _norm(w) in words]
    if polite and len(words) <= 2 and len(raw) <= 8 and all(w[:1].isupper() for w in named):
        return True  # a greeting with a name in it ("Thank you, Karine Jean-Pierre.")
    return len(raw) <= 5 and _outlet_like(sentence)


def context(before: str, language: str = "en", words: int = CONTEXT_WORDS) -> str:
    """The last ``words`` words of the question turn before the question, without the
    sentences that say nothing (``says_nothing``)."""
    if not words or not before.strip():
        return ""
    from podium.parse._text import sentences
    from podium.parse.style import language as lang_data

    lang = lang_data(language or "en")
    tail = before[-_TAIL_CHARS:]  # sentences are read from the end until enough words are kept
    kept: list[str] = []
    count = 0
    for s, e in reversed(sentences(tail, 0, len(tail), lang)):
        if says_nothing(tail[s:e], language or "en"):
            continue
        kept.insert(0, tail[s:e])
        count += len(tail[s:e].split())
        if count >= words:
            break
    return " ".join(" ".join(kept).split()[-words:])


def embedding_text(question: str, before: str, language: str = "en", words: int = CONTEXT_WORDS) -> str:
    """The text embedded for a question: its cleaned context (``context``), then the question."""
    return f"{context(before, language, words)} {question}".strip()


def overlap(a: set[str], b: set[str]) -> float:
    """How much two questions' subject words agree: shared words over the smaller set
    (0 when either says nothing)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
