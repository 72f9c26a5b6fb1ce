"""Saved searches ("watches"): what is new since the last time they were run.

A watch is a search query and filters (the ``podium search`` ones), or a followed thread.
Adding one records what already matches, so the first ``run`` reports only what arrived
afterwards; each run reports matches not reported before and remembers them. A match is a
turn's permalink (``transcript_id#t<turn>``), or for a followed thread a question
(``transcript_id#e<exchange>q<question>``), so a re-ingested unchanged transcript is not new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from podium.errors import UsageError

MAX_MATCHES = 10_000
WATCH_FILTERS = ("speaker", "role", "outlet", "org", "principal", "since", "until", "kind", "clarity", "evasion")


@dataclass(frozen=True)
class Match:
    key: str
    transcript_id: str
    turn_index: int
    date: str | None
    title: str | None
    text: str


def current_matches(store: Any, query: str, filters: dict[str, Any]) -> list[Match]:
    if "thread" in filters:
        out = []
        for m in store.thread_questions([int(filters["thread"])]):
            out.append(Match(
                f"{m['transcript_id']}#e{m['exchange_index']}q{m['question_index']}", m["transcript_id"],
                int(m["question_turn"]), m["date"], m["title"], m["text"],
            ))
        return out
    hits = store.search(query or None, limit=MAX_MATCHES, **filters)
    return [Match(h.permalink, h.transcript_id, h.turn_index, h.date, h.title, h.text) for h in hits]


def add(store: Any, query: str, filters: dict[str, Any]) -> tuple[int, int]:
    """Save a watch and mark what matches now as already seen: ``(watch_id, matches now)``."""
    filters = {k: v for k, v in filters.items() if v not in (None, "")}
    unknown = set(filters) - {*WATCH_FILTERS, "thread"}
    if unknown:
        raise UsageError(f"watch filter {min(unknown)!r} is not one of {', '.join(WATCH_FILTERS)}, thread")
    if not query.strip() and not filters:
        raise UsageError("a watch needs a query or at least one filter (e.g. --speaker, --thread)")
    now = current_matches(store, query, filters)  # also validates the query before anything is saved
    wid = store.add_watch(query, filters)
    store.record_watch_matches(wid, [(m.key, m.transcript_id, m.turn_index) for m in now])
    return wid, len(now)


def run(store: Any, watch_id: int) -> list[Match]:
    """Matches of watch ``watch_id`` not reported before; they are remembered as reported."""
    w = store.watch(watch_id)
    if w is None:
        raise UsageError(f"no watch with id {watch_id}; `podium watch list` shows them")
    seen = store.watch_seen(watch_id)
    new = [m for m in current_matches(store, w["query"], w["filters"]) if m.key not in seen]
    store.record_watch_matches(watch_id, [(m.key, m.transcript_id, m.turn_index) for m in new])
    return new
