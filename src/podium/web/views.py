"""View models for the reader: a ``Transcript`` turned into blocks a template can walk.

The reader shows turns in document order, but groups each exchange (hand-off, question,
answers) into one card. Building that grouping here, in plain Python, keeps the template
free of index arithmetic and lets the JSON twin and the HTML page share one structure.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from podium.model import Exchange, Participant, Question, Transcript, Turn
from podium.store.cjk import CJK_RUN, cjk_count, has_cjk

_WORD = re.compile(r"\w+", re.UNICODE)

CLARITY_TEXT = {
    "clear_reply": "clear reply",
    "ambivalent": "ambivalent",
    "clear_non_reply": "clear non-reply",
}
CHANNEL_TEXT = {"in_room": "in the room", "remote": "remote"}


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a turn for display.

    Text with blank lines is split there and its hard-wrapped lines are rejoined (White
    House pages wrap at ~70 characters); text without blank lines keeps one paragraph per
    line, as in sources that put each paragraph on its own line.
    """
    if _BLANK_LINE.search(text):
        parts = [" ".join(line.strip() for line in block.splitlines()) for block in _BLANK_LINE.split(text)]
    else:
        parts = [line.strip() for line in text.splitlines()]
    return [p for p in parts if p]


def words(text: str) -> int:
    """Number of words in ``text``: runs of word characters, except that each Chinese or Japanese
    character counts as one (those scripts do not separate words with spaces)."""
    if not has_cjk(text):
        return len(_WORD.findall(text))
    return cjk_count(text) + len(_WORD.findall(CJK_RUN.sub(" ", text)))


def speaker_name(t: Transcript, pid: str | None, label: str | None = None) -> str:
    """The best printable name for a speaker: name, first raw label, id, else 'Unknown speaker'."""
    p = t.participant(pid)
    if p is None:
        return label or "Unknown speaker"
    return p.name or (p.labels[0] if p.labels else None) or label or p.id


@dataclass
class TurnView:
    """One turn with its speaker resolved for display."""

    turn: Turn
    speaker: str
    participant: Participant | None


@dataclass
class ExchangeCard:
    """An exchange ready to render: who handed over, who asked (from where), what, who answered."""

    exchange: Exchange
    handoff: TurnView | None
    question: TurnView
    answers: list[TurnView]
    asker: str
    outlet: str | None
    outlet_name: str | None
    channel_text: str | None
    questions: list[Question]


@dataclass
class Block:
    """A reader block: either a single turn or an exchange card (exactly one is set)."""

    turn: TurnView | None = None
    card: ExchangeCard | None = None


@dataclass
class ReaderView:
    """Everything the reader page shows besides the metadata header."""

    opening: list[TurnView]
    blocks: list[Block]
    words_per_speaker: list[tuple[str, int]]
    questions_per_outlet: list[tuple[str, int]]
    question_count: int
    word_count: int
    clarity_counts: list[tuple[str, int]] = field(default_factory=list)


def _view(t: Transcript, turn: Turn) -> TurnView:
    return TurnView(turn, speaker_name(t, turn.speaker, turn.label), t.participant(turn.speaker))


def reader_view(t: Transcript) -> ReaderView:
    """Group ``t`` into opening turns, exchange cards and remaining turns, plus side-panel stats."""
    by_index = {turn.index: turn for turn in t.turns}
    owner: dict[int, Exchange] = {}
    for e in t.exchanges:
        for i in (e.moderation_turn, e.question_turn, *e.answer_turns):
            if i is not None:
                owner.setdefault(i, e)
    opening: list[TurnView] = []
    blocks: list[Block] = []
    shown: set[int] = set()
    for turn in t.turns:
        held = owner.get(turn.index)
        if held is None:
            view = _view(t, turn)
            if turn.section == "opening" and not blocks:
                opening.append(view)
            else:
                blocks.append(Block(turn=view))
            continue
        if held.index in shown:
            continue
        shown.add(held.index)
        blocks.append(Block(card=_card(t, held, by_index)))
    spoken: Counter[str] = Counter()
    for turn in t.turns:
        spoken[speaker_name(t, turn.speaker, turn.label)] += words(turn.text)
    per_outlet: Counter[str] = Counter()
    clarity: Counter[str] = Counter()
    for e in t.exchanges:
        per_outlet[e.outlet or "no outlet given"] += max(1, len(e.questions))
        for q in e.questions:
            if q.clarity is not None:
                clarity[CLARITY_TEXT.get(q.clarity.label, q.clarity.label)] += 1
    return ReaderView(
        opening=opening,
        blocks=blocks,
        words_per_speaker=spoken.most_common(),
        questions_per_outlet=per_outlet.most_common(),
        question_count=sum(len(e.questions) for e in t.exchanges),
        word_count=sum(spoken.values()),
        clarity_counts=clarity.most_common(),
    )


def _card(t: Transcript, e: Exchange, by_index: dict[int, Turn]) -> ExchangeCard:
    asker = t.participant(e.asker)
    q_turn = by_index[e.question_turn]
    handoff = by_index.get(e.moderation_turn) if e.moderation_turn is not None else None
    return ExchangeCard(
        exchange=e,
        handoff=_view(t, handoff) if handoff is not None else None,
        question=_view(t, q_turn),
        answers=[_view(t, by_index[i]) for i in e.answer_turns if i in by_index],
        asker=speaker_name(t, e.asker, q_turn.label),
        outlet=e.outlet or (asker.outlet if asker else None),
        outlet_name=asker.outlet_name if asker else None,
        channel_text=CHANNEL_TEXT.get(e.channel or "") if e.channel else None,
        questions=list(e.questions),
    )


def summary_json(view: ReaderView) -> dict[str, Any]:
    """The side-panel statistics as JSON (for the reader's API twin)."""
    return {
        "words": view.word_count,
        "questions": view.question_count,
        "words_per_speaker": [{"speaker": s, "words": n} for s, n in view.words_per_speaker],
        "questions_per_outlet": [{"outlet": o, "questions": n} for o, n in view.questions_per_outlet],
        "clarity": [{"label": c, "questions": n} for c, n in view.clarity_counts],
    }
