"""Threads as people read them: lists with filters, one thread's timeline, drift, and the
"asked N times before" line for a question. The CLI and the web pages both use these, so
``podium threads`` and ``/threads`` can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from podium.analyze.drift import Answer, drifts
from podium.errors import UsageError

REPLY = "clear_reply"


def _summary(tid: int, members: list[dict[str, Any]]) -> dict[str, Any]:
    dates = [m["date"] for m in members if m["date"]]
    labels = [m["clarity"] for m in members if m["clarity"]]
    occasions = {(m["date"], m["organisation"]) if m["date"] else (m["transcript_id"], None) for m in members}
    return {
        "id": tid,
        "size": len(members),
        "occasions": len(occasions),
        "transcripts": len({m["transcript_id"] for m in members}),
        "first_asked": min(dates) if dates else None,
        "last_asked": max(dates) if dates else None,
        "question": members[0]["text"],
        "latest_question": members[-1]["text"],
        "organisations": sorted({m["organisation"] for m in members if m["organisation"]}),
        "language": members[0]["language"],
        "askers": len({m["asker"] for m in members if m["asker"]}),
        "labelled": len(labels),
        "replies": sum(1 for lb in labels if lb == REPLY),
        "last_answer": next((m["clarity"] for m in reversed(members) if m["clarity"]), None),
    }


def list_threads(
    store: Any, *, min_size: int = 2, unanswered: bool = False, org: str | None = None,
    since: str | None = None, limit: int | None = None, offset: int = 0,
) -> dict[str, Any]:
    """Threads asked on at least ``min_size`` occasions, most asked first.

    An occasion is a date at an organisation: the same briefing stored twice (the shared
    corpus has some transcripts in two files) or two questions in one briefing count once.

    ``unanswered``: threads in which no labelled answer was a clear reply (and at least one
    answer was labelled); ``org``: a member asked of that organisation (case-insensitive
    substring); ``since``: last asked on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    """
    if min_size < 1:
        raise UsageError(f"--min-size {min_size}: give 1 or more")
    if since is not None and not _is_date(since):
        raise UsageError(f"--since {since!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")
    sizes = store.thread_sizes()
    wanted = [t for t, n in sizes.items() if n >= min_size]
    by_thread: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for m in store.thread_questions(wanted):
        by_thread[m["thread_id"]].append(m)
    items = []
    for tid, members in by_thread.items():
        s = _summary(tid, members)
        if s["occasions"] < min_size:
            continue
        if unanswered and (s["labelled"] == 0 or s["replies"] > 0):
            continue
        if org and not any(org.lower() in (o or "").lower() for o in s["organisations"]):
            continue
        if since and (s["last_asked"] or "") < since:
            continue
        items.append(s)
    items.sort(key=lambda s: (-s["occasions"], -s["size"], s["first_asked"] or "9999", s["id"]))
    total = len(items)
    page = items[offset : offset + limit] if limit else items[offset:]
    return {"threads": page, "total": total, "filters": {
        "min_size": min_size, "unanswered": unanswered, "org": org, "since": since}}


def _is_date(text: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text))


def thread(store: Any, thread_id: int, *, with_drift: bool = True) -> dict[str, Any] | None:
    """One thread: its questions in time order (asker, outlet, answer label) and its drift."""
    members = store.thread_questions([thread_id])
    if not members:
        return None
    answers = []
    for m in members:
        texts = store.turn_texts(m["transcript_id"], m["answer_turns"])
        m["answer"] = " ".join(texts[i] for i in m["answer_turns"] if i in texts)
        m["url"] = f"/transcripts/{m['transcript_id']}#e{m['exchange_index']}"
    if with_drift:
        vectors = _answer_vectors(store, members)
        for m in members:
            if m["answer"]:
                answers.append(Answer(
                    key=(m["transcript_id"], m["exchange_index"], m["question_index"]),
                    date=m["date"], clarity=m["clarity"], text=m["answer"],
                    vector=vectors.get((m["transcript_id"], m["exchange_index"], m["question_index"])),
                ))
    return {
        **_summary(thread_id, members),
        "members": members,
        "drift": [d.to_json() for d in drifts(answers)] if with_drift else [],
    }


def _answer_vectors(store: Any, members: list[dict[str, Any]]) -> dict[tuple[str, int, int], Any]:
    """Each member's first answer turn's stored embedding (when the store has turn vectors)."""
    import numpy as np

    firsts = [(m["transcript_id"], m["answer_turns"][0]) for m in members if m["answer_turns"]]
    blobs = store.answer_turn_vectors(firsts)
    out = {}
    for m in members:
        if m["answer_turns"]:
            blob = blobs.get((m["transcript_id"], m["answer_turns"][0]))
            if blob is not None:
                out[(m["transcript_id"], m["exchange_index"], m["question_index"])] = np.frombuffer(blob, np.float32)
    return out


def links_for_transcript(store: Any, transcript_id: str) -> dict[str, dict[str, Any]]:
    """For each question of a transcript that is in a thread of 2 or more: how many times it
    was asked before, and the last earlier answer's label. Keyed ``"exchange:question"``."""
    mine = [k for k in store.thread_memberships_of(transcript_id)]
    if not mine:
        return {}
    threads = sorted({t for _, t in mine})
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for m in store.thread_questions(threads):
        members[m["thread_id"]].append(m)
    out = {}
    for (ex, q), t in mine:
        ms = members.get(t, [])
        if len(ms) < 2:
            continue
        at = next(i for i, m in enumerate(ms) if m["transcript_id"] == transcript_id
                  and m["exchange_index"] == ex and m["question_index"] == q)
        before = ms[:at]
        last = before[-1] if before else None
        out[f"{ex}:{q}"] = {
            "thread_id": t, "size": len(ms), "asked_before": len(before),
            "last_answer": last["clarity"] if last else None,
            "last_date": last["date"] if last else None,
            "url": f"/threads/{t}",
        }
    return out
