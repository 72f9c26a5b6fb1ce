"""Answer linking: which sentences of an answer address which part of a multi-part question.

A journalist often asks three things in one turn and the speaker answers them in another
order, or skips one. Each answer sentence is scored against each question by the cosine of
their sentence embeddings plus the share of the question's content words it repeats; a
sentence goes to its best question when that score clears ``THRESHOLD`` and beats the
runner-up by ``MARGIN``. Any other sentence continues the previous sentence's question (answers run in
blocks: "Then on the decisions... Well, I think..."), and sentences before the first
assigned one go to the question that follows. A question no sentence goes to gets no span:
the answer did not take it up.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from podium.analyze.features import content_words, embed_texts
from podium.model import Exchange, Span, Transcript
from podium.parse._text import sentences
from podium.parse.style import language

THRESHOLD = 0.30
MARGIN = 0.05
OVERLAP_WEIGHT = 0.5
TWIN_SIMILARITY = 0.7


@dataclass(frozen=True)
class Sentence:
    """One answer sentence with its offsets into the transcript's plain text."""

    text: str
    span: Span
    turn: int


def answer_sentences(t: Transcript, ex: Exchange) -> list[Sentence]:
    """The sentences of the exchange's answer turns, in order, with absolute spans."""
    lang = language(t.metadata.language or "en")
    out = []
    for ti in ex.answer_turns:
        turn = t.turns[ti]
        for s, e in sentences(turn.text, 0, len(turn.text), lang):
            out.append(Sentence(turn.text[s:e], (turn.span[0] + s, turn.span[0] + e), ti))
    return out


def _overlap(question: str, sentence: str) -> float:
    qc = content_words(question)
    return len(qc & content_words(sentence)) / len(qc) if qc else 0.0


@cache
def _phrases() -> dict[str, tuple[re.Pattern[str], ...]]:
    """The ``[link]`` patterns of ``cues.toml``: courtesy, shift, ordinal."""
    data = tomllib.loads(Path(__file__).with_name("cues.toml").read_text(encoding="utf-8"))
    return {k: tuple(re.compile(p, re.IGNORECASE) for p in v) for k, v in data["link"].items()}


_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3}


def _ordinal(sentence: str, n: int) -> int | None:
    """The question a sentence names by position ("on your second question"), if any."""
    for pat in _phrases()["ordinal"]:
        m = pat.search(sentence.replace("’", "'"))
        if m:
            word = m.group(1).lower()
            idx = n - 1 if word in ("last", "final") else _ORDINALS.get(word)
            if word == "other" and n == 2:
                return None  # "the other one" is relative; leave it to similarity
            if idx is not None and idx < n:
                return idx
    return None


def _matches(kind: str, sentence: str) -> bool:
    text = sentence.replace("’", "'").strip()
    return any(p.search(text) for p in _phrases()[kind])


def assign(questions: list[str], sents: list[str], new_turn: list[bool] | None = None) -> list[int | None]:
    """For each sentence, the index of the question it addresses (``None``: no question asked).

    A sentence is linked on its own when its best question clears ``THRESHOLD`` by ``MARGIN``
    over the runner-up, or when it names a question by position ("your second question").
    Courtesies ("Thank you.", "Go ahead.") go nowhere. Any other sentence continues the
    previous sentence's question, except at the start of a new answer turn or of a new block
    ("On the sanctions...", "Secondly,"), where it takes the best question as long as that
    clears the margin, and otherwise the question of the next linked sentence.
    """
    if not questions:
        return [None] * len(sents)
    if len(questions) == 1:
        return [None if _matches("courtesy", s) else 0 for s in sents]
    breaks = new_turn or [j == 0 for j in range(len(sents))]
    qv, sv = embed_texts(questions), embed_texts(sents)
    lex = np.array([[_overlap(q, s) for s in sents] for q in questions])
    score = qv @ sv.T + OVERLAP_WEIGHT * lex
    order = np.sort(score, axis=0)
    best = score.argmax(axis=0)
    gap = order[-1] - order[-2]
    clear = (order[-1] >= THRESHOLD) & (gap >= MARGIN)
    courtesy = [_matches("courtesy", s) for s in sents]
    raw: list[int | None] = []
    for j, s in enumerate(sents):
        named = _ordinal(s, len(questions))
        if courtesy[j]:
            raw.append(None)
        elif named is not None:
            raw.append(named)
        elif clear[j] or ((breaks[j] or _matches("shift", s)) and gap[j] >= MARGIN):
            raw.append(int(best[j]))
        else:
            raw.append(None)
    out: list[int | None] = []
    prev: int | None = None
    for j, r in enumerate(raw):
        if courtesy[j]:
            out.append(None)
            continue
        if r is None:
            ahead = next((x for x in raw[j:] if x is not None), None)
            r = ahead if prev is None or breaks[j] else prev
        out.append(r)
        prev = r
    return out


def link_answers(t: Transcript, ex: Exchange) -> dict[int, list[Sentence]]:
    """Question index → the answer sentences that address it (every question has a key)."""
    sents = answer_sentences(t, ex)
    turn_starts = [j == 0 or s.turn != sents[j - 1].turn for j, s in enumerate(sents)]
    owner = assign(_in_context(t, ex), [s.text for s in sents], turn_starts)
    out: dict[int, list[Sentence]] = {q.index: [] for q in ex.questions}
    twins = _twins([q.text for q in ex.questions])
    for s, o in zip(sents, owner, strict=True):
        if o is not None:
            for k in twins[o]:
                out[ex.questions[k].index].append(s)
    return out


def _in_context(t: Transcript, ex: Exchange) -> list[str]:
    """Each question with the sentences of its turn's preamble that share a content word with it.

    "And do you consult with these aspirant countries?" says little by itself; the preamble
    sentence that shares "aspirant countries" with it ("...aspirant countries Ukraine and
    Georgia") tells which answer sentences are about it.
    """
    turn = t.turns[ex.question_turn]
    first = min(q.span[0] for q in ex.questions) - turn.span[0]
    lang = language(t.metadata.language or "en")
    context = [turn.text[s:e] for s, e in sentences(turn.text, 0, max(0, first), lang)]
    out = []
    for q in ex.questions:
        qc = content_words(q.text)
        extra = [c for c in context if qc & content_words(c)]
        out.append(" ".join([q.text, *extra]))
    return out


def _twins(questions: list[str]) -> list[list[int]]:
    """For each question, itself and the questions that ask the same thing.

    A question repeated in other words ("Were you surprised...? So, were you surprised by
    the number?") or in English after the interpreter gets the same answer sentences.
    """
    n = len(questions)
    out = [[i] for i in range(n)]
    if n < 2:
        return out
    qv = embed_texts(questions)
    sim = qv @ qv.T
    for i in range(n):
        for k in range(n):
            if i != k and sim[i, k] >= TWIN_SIMILARITY:
                out[i].append(k)
    return out


def spans_of(sents: list[Sentence]) -> list[Span]:
    """The sentences' spans, merged where they are contiguous in one turn."""
    out: list[Span] = []
    last_turn = None
    for s in sents:
        if out and s.turn == last_turn and s.span[0] - out[-1][1] <= 2:
            out[-1] = (out[-1][0], s.span[1])
        else:
            out.append(s.span)
        last_turn = s.turn
    return out
