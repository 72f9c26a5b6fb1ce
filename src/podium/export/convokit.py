"""A ConvoKit corpus folder, shaped like Cornell's Parliament Question Time corpus.

ConvoKit (``convokit.Corpus(filename=folder)``) reads five files: ``utterances.jsonl`` (one
utterance per line), ``speakers.json``, ``conversations.json``, ``corpus.json`` and
``index.json`` (the metadata keys of each kind with their Python type names). We write them
directly rather than building a ``convokit.Corpus`` so that exporting needs no ConvoKit
install and runs in bounded memory: utterances and conversations are streamed to disk as
transcripts arrive; only the speaker table (one entry per distinct person) and the type index
(one entry per metadata key) are held until the end.

Mapping (one conversation per transcript):

* utterance = turn; id ``<transcript id>.<turn index>``; ``conversation_id`` = id of turn 0;
* ``reply_to``: an answer replies to its question, a question to the moderator's hand-off
  that gave the floor, every other turn to the turn before it; turn 0 is the root. So each
  conversation is one tree and ``Conversation.traverse`` walks the press conference;
* ``timestamp``: the event date's Unix time (UTC midnight, 0 when unknown) plus the turn's
  start in seconds (caption files) or its index, so ConvoKit's chronological order is the
  transcript's order;
* utterance meta as in the Parliament corpus: ``is_question``, ``is_answer``, ``pair_idx``
  (one id per exchange, shared by its hand-off, question and answers), ``next_id``; plus
  Podium's ``kind``, ``section``, ``channel``, ``role``, ``outlet``, ``questions`` (the
  individual questions of a question turn);
* speaker ids: a named participant keeps its Podium id (a name slug, so one person is one
  speaker across transcripts); unnamed ones are ``<transcript id>:<participant id>``, since
  "Q" in one briefing is not "Q" in another. Speaker meta: ``name``, ``role``, ``title``,
  ``organisation``, ``outlet``, ``outlet_name`` (first non-empty value seen), ``n_conversations``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from podium import __version__
from podium.errors import UsageError
from podium.model import Exchange, Transcript, Turn

FILES = ("utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json")
_SPEAKER_FIELDS = ("name", "role", "title", "organisation", "outlet", "outlet_name")


@dataclass
class ConvoKitStats:
    """What an export wrote, for the closing message."""

    conversations: int = 0
    utterances: int = 0
    speakers: int = 0
    skipped: int = 0


class _TypeIndex:
    """ConvoKit's ``index.json``: for each metadata key, the type names of its values.

    ConvoKit records ``str(type(value))`` (``"<class 'str'>"``) and leaves a key whose values
    were all ``None`` with an empty list (any type); we follow the same rule.
    """

    def __init__(self) -> None:
        self.kinds: dict[str, dict[str, list[str]]] = {
            "utterances-index": {}, "speakers-index": {}, "conversations-index": {}, "overall-index": {}
        }

    def add(self, kind: str, meta: dict[str, Any]) -> None:
        index = self.kinds[kind]
        for key, value in meta.items():
            types = index.setdefault(key, [])
            if value is not None and str(type(value)) not in types:
                types.append(str(type(value)))

    def to_json(self) -> dict[str, Any]:
        return {**self.kinds, "vectors": [], "version": 1}


def _epoch(day: str | None) -> int:
    if not day:
        return 0
    try:
        d = date.fromisoformat(day[:10])
    except ValueError:
        return 0
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def speaker_id(t: Transcript, pid: str | None) -> str:
    """The ConvoKit speaker id for participant ``pid`` of ``t`` (see the module docstring)."""
    p = t.participant(pid)
    if p is not None and p.name:
        return p.id
    return f"{t.id}:{pid or 'unknown'}"


def reply_targets(t: Transcript) -> dict[int, int | None]:
    """Turn index → index of the turn it replies to (``None`` for the first turn).

    A link is used only when it points backwards, so the result is always a tree.
    """
    answer_to: dict[int, int] = {}
    question_after: dict[int, int] = {}
    for ex in t.exchanges:
        for a in ex.answer_turns:
            answer_to.setdefault(a, ex.question_turn)
        if ex.moderation_turn is not None:
            question_after.setdefault(ex.question_turn, ex.moderation_turn)
    out: dict[int, int | None] = {}
    previous: int | None = None
    for turn in t.turns:
        i = turn.index
        target = answer_to.get(i, question_after.get(i, previous))
        out[i] = target if target is not None and target in out else previous
        previous = i
    return out


def _roles(t: Transcript) -> tuple[dict[int, Exchange], set[int], set[int], set[int]]:
    """Exchange of each turn, and the sets of question, answer and hand-off turns."""
    of: dict[int, Exchange] = {}
    questions: set[int] = set()
    answers: set[int] = set()
    handoffs: set[int] = set()
    for ex in t.exchanges:
        questions.add(ex.question_turn)
        answers.update(ex.answer_turns)
        if ex.moderation_turn is not None:
            handoffs.add(ex.moderation_turn)
        for i in (ex.moderation_turn, ex.question_turn, *ex.answer_turns):
            if i is not None:
                of.setdefault(i, ex)
    return of, questions, answers, handoffs


def utterances(t: Transcript) -> list[dict[str, Any]]:
    """The ConvoKit utterance objects of one transcript, in turn order."""
    uid = {turn.index: f"{t.id}.{turn.index}" for turn in t.turns}
    parents = reply_targets(t)
    first_reply: dict[int, int] = {}
    for child, parent in parents.items():
        if parent is not None:
            first_reply.setdefault(parent, child)
    of, questions, answers, handoffs = _roles(t)
    base = _epoch(t.metadata.date)
    root = uid[t.turns[0].index]
    out: list[dict[str, Any]] = []
    for turn in t.turns:
        ex = of.get(turn.index)
        parent = parents[turn.index]
        nxt = first_reply.get(turn.index)
        out.append({
            "id": uid[turn.index],
            "speaker": speaker_id(t, turn.speaker),
            "conversation_id": root,
            "reply_to": uid[parent] if parent is not None else None,
            "timestamp": _timestamp(base, turn),
            "text": turn.text,
            "meta": _utterance_meta(t, turn, ex, turn.index in questions, turn.index in answers,
                                    turn.index in handoffs, uid[nxt] if nxt is not None else None),
            "vectors": [],
        })
    return out


def _timestamp(base: int, turn: Turn) -> int | float:
    return base + turn.start if turn.start is not None else base + turn.index


def _utterance_meta(
    t: Transcript, turn: Turn, ex: Exchange | None, is_q: bool, is_a: bool, is_h: bool, nxt: str | None
) -> dict[str, Any]:
    p = t.participant(turn.speaker)
    return {
        "transcript_id": t.id,
        "turn_index": turn.index,
        "kind": turn.kind,
        "section": turn.section,
        "channel": turn.channel,
        "label": turn.label,
        "role": p.role if p else "unknown",
        "outlet": (ex.outlet if ex and is_q else None) or (p.outlet if p else None),
        "is_question": is_q,
        "is_answer": is_a,
        "is_handoff": is_h,
        "pair_idx": f"{t.id}.x{ex.index}" if ex else None,
        "exchange_index": ex.index if ex else None,
        "next_id": nxt,
        "questions": [q.text for q in ex.questions] if ex and is_q else None,
        "clarity": [q.clarity.label if q.clarity else None for q in ex.questions] if ex and is_q else None,
    }


def conversation_meta(t: Transcript) -> dict[str, Any]:
    """Conversation meta: the transcript's metadata and source, plus counts."""
    m = t.metadata
    return {
        "transcript_id": t.id,
        "title": m.title,
        "date": m.date,
        "organisation": m.organisation,
        "principal": m.principal,
        "event_type": m.event_type,
        "delivery": m.delivery,
        "location": m.location,
        "language": m.language,
        "source_path": t.source.path,
        "source_url": t.source.url,
        "source_format": t.source.format,
        "n_turns": len(t.turns),
        "n_exchanges": len(t.exchanges),
        "n_questions": sum(len(ex.questions) for ex in t.exchanges),
    }


class _Speakers:
    """Distinct speakers with merged metadata: the one table held in memory until the end."""

    def __init__(self) -> None:
        self.meta: dict[str, dict[str, Any]] = {}

    def add(self, t: Transcript) -> None:
        seen: set[str] = set()
        for turn in t.turns:
            sid = speaker_id(t, turn.speaker)
            if sid in seen:
                continue
            seen.add(sid)
            p = t.participant(turn.speaker)
            meta = self.meta.setdefault(sid, {f: None for f in _SPEAKER_FIELDS} | {"n_conversations": 0})
            meta["n_conversations"] += 1
            for f in _SPEAKER_FIELDS:  # first informative value wins ("unknown" is not one)
                value = getattr(p, f) if p is not None else None
                if meta[f] in (None, "unknown") and value is not None:
                    meta[f] = value
            meta["role"] = meta["role"] or "unknown"


def _open_dict(f: TextIO) -> None:
    f.write("{")


def _dict_entry(f: TextIO, first: bool, key: str, value: Any) -> None:
    f.write(("" if first else ",\n") + json.dumps(key, ensure_ascii=False) + ": ")
    f.write(json.dumps(value, ensure_ascii=False))


def write_convokit(transcripts: Iterable[Transcript], folder: str | Path) -> ConvoKitStats:
    """Write ``transcripts`` as a ConvoKit corpus into ``folder`` (created if missing).

    Transcripts with no turns are skipped (a ConvoKit conversation needs an utterance), as
    are repeats of a transcript id already written (the same file reached twice).
    """
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root}: exists and is not a folder; a ConvoKit corpus is a folder")
    root.mkdir(parents=True, exist_ok=True)
    stats = ConvoKitStats()
    index = _TypeIndex()
    speakers = _Speakers()
    done: set[str] = set()
    with (root / "utterances.jsonl").open("w", encoding="utf-8") as uf, \
            (root / "conversations.json").open("w", encoding="utf-8") as cf:
        _open_dict(cf)
        for t in transcripts:
            if not t.turns or t.id in done:
                stats.skipped += 1
                continue
            done.add(t.id)
            utts = utterances(t)
            for u in utts:
                index.add("utterances-index", u["meta"])
                uf.write(json.dumps(u, ensure_ascii=False) + "\n")
            cmeta = conversation_meta(t)
            index.add("conversations-index", cmeta)
            _dict_entry(cf, stats.conversations == 0, utts[0]["id"], {"meta": cmeta, "vectors": []})
            speakers.add(t)
            stats.conversations += 1
            stats.utterances += len(utts)
        cf.write("}\n")
    with (root / "speakers.json").open("w", encoding="utf-8") as sf:
        _open_dict(sf)
        for n, (sid, meta) in enumerate(speakers.meta.items()):
            index.add("speakers-index", meta)
            _dict_entry(sf, n == 0, sid, {"meta": meta, "vectors": []})
        sf.write("}\n")
    stats.speakers = len(speakers.meta)
    corpus = {
        "name": "podium-export",
        "generator": f"podium {__version__}",
        "schema": "podium.transcript/1",
        "num_conversations": stats.conversations,
        "num_utterances": stats.utterances,
        "num_speakers": stats.speakers,
    }
    index.add("overall-index", corpus)
    (root / "corpus.json").write_text(json.dumps(corpus, ensure_ascii=False) + "\n", encoding="utf-8")
    (root / "index.json").write_text(json.dumps(index.to_json(), ensure_ascii=False) + "\n", encoding="utf-8")
    return stats
