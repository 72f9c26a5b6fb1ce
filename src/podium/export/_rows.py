"""Flat rows for the table exports: one per individual question (Q&A) or per turn.

Both CSV and Parquet are written from these rows, so the two formats always have the same
columns in the same order. Every value is a scalar (``str``, ``int``, ``float`` or ``None``)
because CSV has no lists and a fixed Parquet schema is what lets us write row-group batches
without inferring types from the first batch (which fails when a column is all null there).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from podium.model import Exchange, Question, Transcript, Turn

ColumnType = Literal["str", "int", "float"]
Row = dict[str, Any]

QA_COLUMNS: list[tuple[str, ColumnType]] = [
    ("transcript_id", "str"),
    ("date", "str"),
    ("organisation", "str"),
    ("event_type", "str"),
    ("title", "str"),
    ("principal", "str"),
    ("exchange_index", "int"),
    ("question_index", "int"),
    ("asker", "str"),
    ("asker_name", "str"),
    ("outlet", "str"),
    ("outlet_name", "str"),
    ("channel", "str"),
    ("question", "str"),
    ("answer", "str"),
    ("answerer", "str"),
    ("answerer_ids", "str"),
    ("clarity", "str"),
    ("clarity_score", "float"),
    ("evasion", "str"),
    ("evasion_score", "float"),
    ("question_turn", "int"),
    ("answer_turns", "str"),
    ("source_path", "str"),
    ("thread_id", "int"),
]
"""Columns of ``qa-csv``/``qa-parquet``. ``thread_id`` is the question's thread (recurring
questions, ``podium threads``) when exported from a store that has threads, else empty.
``answerer``/``answerer_ids``/``answer_turns`` join several values with ``"; "`` (names) or ``","`` (ids, turn numbers)."""

TURN_COLUMNS: list[tuple[str, ColumnType]] = [
    ("transcript_id", "str"),
    ("date", "str"),
    ("organisation", "str"),
    ("principal", "str"),
    ("turn_index", "int"),
    ("speaker", "str"),
    ("speaker_name", "str"),
    ("role", "str"),
    ("title", "str"),
    ("outlet", "str"),
    ("label", "str"),
    ("kind", "str"),
    ("section", "str"),
    ("channel", "str"),
    ("exchange_index", "int"),
    ("text", "str"),
    ("start", "float"),
    ("end", "float"),
]
"""Columns of ``turns-csv``/``turns-parquet``."""


def _name(t: Transcript, pid: str | None) -> str | None:
    p = t.participant(pid)
    return p.name if p else None


def _slice(turn: Turn, span: tuple[int, int]) -> str | None:
    """The part of ``turn.text`` that ``span`` (in plain-text offsets) covers, if inside it."""
    a, b = span[0] - turn.span[0], span[1] - turn.span[0]
    if 0 <= a <= b <= len(turn.text):
        return turn.text[a:b]
    return None


def _answer_text(t: Transcript, ex: Exchange, q: Question | None) -> str | None:
    """The answer to ``q``: its ``answer_spans`` when analysed, else every answer turn."""
    turns = [t.turns[i] for i in ex.answer_turns if 0 <= i < len(t.turns)]
    if not turns:
        return None
    if q is not None and q.answer_spans:
        parts = [s for span in q.answer_spans for turn in turns if (s := _slice(turn, span))]
        if parts:
            return "\n\n".join(parts)
    return "\n\n".join(turn.text for turn in turns)


def qa_rows(t: Transcript) -> Iterator[Row]:
    """One row per individual question of ``t``.

    An exchange whose question turn was not split into questions still gets one row (with
    ``question_index`` empty and the whole turn as the question) so no exchange goes missing.
    """
    m = t.metadata
    for ex in t.exchanges:
        q_turn = t.turns[ex.question_turn] if 0 <= ex.question_turn < len(t.turns) else None
        asker = t.participant(ex.asker)
        answerers = [n for n in (_name(t, a) or a for a in ex.answered_by) if n]
        questions: list[Question | None] = list(ex.questions) or [None]
        for q in questions:
            yield {
                "transcript_id": t.id,
                "date": m.date,
                "organisation": m.organisation,
                "event_type": m.event_type,
                "title": m.title,
                "principal": m.principal,
                "exchange_index": ex.index,
                "question_index": q.index if q else None,
                "asker": ex.asker,
                "asker_name": asker.name if asker else None,
                "outlet": ex.outlet,
                "outlet_name": (asker.outlet_name if asker and asker.outlet_name else ex.outlet),
                "channel": ex.channel,
                "question": q.text if q else (q_turn.text if q_turn else None),
                "answer": _answer_text(t, ex, q),
                "answerer": "; ".join(answerers) or None,
                "answerer_ids": ",".join(ex.answered_by) or None,
                "clarity": q.clarity.label if q and q.clarity else None,
                "clarity_score": q.clarity.score if q and q.clarity else None,
                "evasion": q.evasion.label if q and q.evasion else None,
                "evasion_score": q.evasion.score if q and q.evasion else None,
                "question_turn": ex.question_turn,
                "answer_turns": ",".join(str(i) for i in ex.answer_turns) or None,
                "source_path": t.source.path,
                "thread_id": t.analysis.get("threads", {}).get(f"{ex.index}:{q.index}") if q else None,
            }


def turn_exchange(t: Transcript) -> dict[int, int]:
    """Turn index → index of the exchange it belongs to (hand-off, question or answer)."""
    out: dict[int, int] = {}
    for ex in t.exchanges:
        for i in (ex.moderation_turn, ex.question_turn, *ex.answer_turns):
            if i is not None:
                out.setdefault(i, ex.index)
    return out


def turn_rows(t: Transcript) -> Iterator[Row]:
    """One row per turn of ``t``, in order, with the speaker's role and outlet alongside."""
    m = t.metadata
    exchange_of = turn_exchange(t)
    for turn in t.turns:
        p = t.participant(turn.speaker)
        yield {
            "transcript_id": t.id,
            "date": m.date,
            "organisation": m.organisation,
            "principal": m.principal,
            "turn_index": turn.index,
            "speaker": turn.speaker,
            "speaker_name": p.name if p else None,
            "role": p.role if p else None,
            "title": p.title if p else None,
            "outlet": p.outlet if p else None,
            "label": turn.label,
            "kind": turn.kind,
            "section": turn.section,
            "channel": turn.channel,
            "exchange_index": exchange_of.get(turn.index),
            "text": turn.text,
            "start": turn.start,
            "end": turn.end,
        }
