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

from dataclasses import dataclass

import numpy as np

from podium.analyze.features import content_words, embed_texts
from podium.model import Exchange, Span, Transcript
from podium.parse._text import sentences
from podium.parse.style import language

THRESHOLD = 0.30
MARGIN = 0.05
OVERLAP_WEIGHT = 0.5


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


def assign(questions: list[str], sents: list[str]) -> list[int | None]:
    """For each sentence, the index of the question it addresses (``None``: no question asked)."""
    if not questions:
        return [None] * len(sents)
    if len(questions) == 1:
        return [0] * len(sents)
    qv, sv = embed_texts(questions), embed_texts(sents)
    lex = np.array([[_overlap(q, s) for s in sents] for q in questions])
    score = qv @ sv.T + OVERLAP_WEIGHT * lex
    order = np.sort(score, axis=0)
    best = score.argmax(axis=0)
    clear = (order[-1] >= THRESHOLD) & (order[-1] - order[-2] >= MARGIN)
    raw: list[int | None] = [int(b) if clear[j] else None for j, b in enumerate(best)]
    out: list[int | None] = []
    prev: int | None = None
    for j, r in enumerate(raw):
        if r is None:
            r = prev if prev is not None else next((x for x in raw[j:] if x is not None), None)
        out.append(r)
        prev = r
    return out


def link_answers(t: Transcript, ex: Exchange) -> dict[int, list[Sentence]]:
    """Question index → the answer sentences that address it (every question has a key)."""
    sents = answer_sentences(t, ex)
    owner = assign([q.text for q in ex.questions], [s.text for s in sents])
    out: dict[int, list[Sentence]] = {q.index: [] for q in ex.questions}
    for s, o in zip(sents, owner, strict=True):
        if o is not None:
            out[ex.questions[o].index].append(s)
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
