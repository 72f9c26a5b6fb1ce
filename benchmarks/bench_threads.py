"""Question threads: speed on a real store, and accuracy against the labelled pairs.

    .venv/bin/python benchmarks/bench_threads.py --db corpus.db            # timings
    .venv/bin/python benchmarks/bench_threads.py --db corpus.db --eval     # + precision/recall table

The store must hold question vectors: ``podium ingest ../shared/data --db corpus.db --embed``
(or ``podium threads --update --db corpus.db`` on a store ingested without ``--embed``).

Timings (one table):
1. a full rebuild of every thread from the stored vectors (``update_threads(rebuild=True)``:
   read vectors, thread every language, write every membership);
2. adding one transcript: the latest transcript's memberships are dropped and threaded again
   (``update_threads()``: what ``podium ingest --embed`` runs after embedding the new file),
   repeated for the five latest transcripts; embedding that transcript's questions is timed
   separately, since it is the model's cost, not threading's.

``--eval`` threads the store in memory at each threshold of a grid and scores "same thread"
against ``tests/gold/question-pairs/pairs.jsonl``: pairwise precision and recall (a pair is
predicted same when both questions end up in one thread), also per language. The pair set
was annotated before any of this was run (see its README).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GOLD = ROOT / "tests" / "gold" / "question-pairs" / "pairs.jsonl"


def _table(rows: list[tuple[Any, ...]], head: tuple[str, ...]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def timings(db: str) -> None:
    from podium.analyze import threads
    from podium.store import open_store

    rows = []
    with open_store(db) as store:
        n = len(store.question_vectors())
        started = time.perf_counter()
        rep = threads.update_threads(store, rebuild=True)
        rows.append((f"rebuild all threads ({n:,} questions)", f"{time.perf_counter() - started:.2f} s",
                     f"{len({*store.thread_memberships().values()}):,} threads"))
        latest = [r[0] for r in store._rows(
            "SELECT transcript_id FROM transcripts WHERE question_count > 0"
            " ORDER BY event_date DESC, transcript_id LIMIT 5")]
        for tid in latest:
            with store._transaction():
                store._execute("DELETE FROM thread_members WHERE transcript_id = ?", (tid,))
            started = time.perf_counter()
            rep = threads.update_threads(store)
            took = time.perf_counter() - started
            rows.append((f"add one transcript ({rep.threaded} questions, {tid[:40]})", f"{took:.3f} s", ""))
        tid = latest[0]
        texts = [threads.embedding_text(r[0], r[1]) for r in store._rows(
            "SELECT q.text, substr(t.text, 1, max(0, q.span_start - t.span_start)) FROM questions q"
            " JOIN exchanges e ON e.transcript_id = q.transcript_id AND e.exchange_index = q.exchange_index"
            " JOIN turns t ON t.transcript_id = q.transcript_id AND t.turn_index = e.question_turn_index"
            " WHERE q.transcript_id = ?", (tid,))]
        from podium import embed

        embed.model()
        started = time.perf_counter()
        embed.embed(texts)
        rows.append((f"embed that transcript's {len(texts)} questions (model, not threading)",
                     f"{time.perf_counter() - started:.2f} s", ""))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak memory", f"{peak:.0f} MB", ""))
    print(f"cores: {os.cpu_count()}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    print(_table(rows, ("step", "time", "note")))


def _load_gold(store: Any) -> list[dict[str, Any]]:
    """The labelled pairs whose questions this store has: by key, else (when the store was
    parsed by another version of the parser) by source file and question text."""
    pairs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    known = {(r[0], r[1], r[2]) for r in store.question_vectors()}
    by_source = {}
    for tid, path in store._rows("SELECT transcript_id, source_path FROM transcripts"):
        if path and "shared/data/" in path:
            by_source[path.split("shared/data/", 1)[1]] = tid
    by_text: dict[tuple[str, str], tuple[str, int, int]] = {}

    def resolve(side: dict[str, Any]) -> tuple[str, int, int] | None:
        key = (side["transcript_id"], side["exchange"], side["question"])
        if key in known:
            return key
        tid = by_source.get(side["source"])
        if tid is None:
            return None
        if not any(k[0] == tid for k in by_text):
            for ex, q, text in store._rows(
                "SELECT exchange_index, question_index, text FROM questions WHERE transcript_id = ?", (tid,)
            ):
                t = " ".join(text.split())
                by_text[(tid, t[:200] + ("…" if len(t) > 200 else ""))] = (tid, int(ex), int(q))
        found = by_text.get((tid, side["text"]))
        return found if found in known else None

    usable = []
    for p in pairs:
        a, b = resolve(p["a"]), resolve(p["b"])
        if a and b:
            usable.append({**p, "ka": a, "kb": b})
    print(f"gold pairs: {len(pairs)}, found in this store: {len(usable)}"
          f" ({sum(p['same'] for p in usable)} same, {sum(not p['same'] for p in usable)} not)")
    return usable


def _partition(rows: list[tuple[Any, ...]], threshold: float) -> dict[tuple[str, int, int], int]:
    from podium.analyze import threads

    out: dict[tuple[str, int, int], int] = {}
    next_id = 1
    for lang in sorted({r[3] for r in rows}):
        mine = sorted((r for r in rows if r[3] == lang), key=threads.order_key)
        keys = [(r[0], r[1], r[2]) for r in mine]
        vecs = np.frombuffer(b"".join(r[6] for r in mine), np.float32).reshape(len(mine), -1)
        links, next_id = threads.thread_new(threads.Pool(), keys, vecs, next_id, threads.threshold_for(lang, threshold),
                                            [threads.threadable(r) for r in mine])
        out.update({lk.key: lk.thread for lk in links})
    return out


def evaluate(db: str, grid: list[float]) -> None:
    from podium.store import open_store

    with open_store(db) as store:
        gold = _load_gold(store)
        rows = store.question_vectors()
    vec = {(r[0], r[1], r[2]): np.frombuffer(r[6], np.float32) for r in rows}
    table = []
    for t in grid:
        started = time.perf_counter()
        part = _partition(rows, t)
        took = time.perf_counter() - started
        sizes = defaultdict(int)
        for th in part.values():
            sizes[th] += 1
        by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
        pair_tp = pair_fp = pair_fn = 0
        for p in gold:
            predicted = part[p["ka"]] == part[p["kb"]]
            c = by_lang[p["language"]]
            c[0] += predicted and p["same"]
            c[1] += predicted and not p["same"]
            c[2] += (not predicted) and p["same"]
            cos = float(vec[p["ka"]] @ vec[p["kb"]]) >= t
            pair_tp += cos and p["same"]
            pair_fp += cos and not p["same"]
            pair_fn += (not cos) and p["same"]
        tp, fp, fn = (sum(c[i] for c in by_lang.values()) for i in range(3))
        per_lang = "; ".join(f"{lang} {c[0]}/{c[0] + c[1]} p, {c[0]}/{c[0] + c[2]} r" for lang, c in sorted(by_lang.items()))
        table.append((
            f"{t:.2f}", _ratio(tp, tp + fp), _ratio(tp, tp + fn), f"{tp}/{fp}/{fn}",
            _ratio(pair_tp, pair_tp + pair_fp), _ratio(pair_tp, pair_tp + pair_fn),
            f"{sum(1 for n in sizes.values() if n >= 2):,}", f"{sum(1 for n in sizes.values() if n >= 5):,}",
            f"{max(sizes.values())}", f"{took:.1f} s", per_lang,
        ))
    print(_table(table, ("threshold", "precision", "recall", "tp/fp/fn", "cosine-only P", "cosine-only R",
                         "threads 2+", "threads 5+", "largest", "time", "by language (thread rule)")))


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a store with question vectors")
    ap.add_argument("--eval", action="store_true", help="precision/recall against the labelled pairs")
    ap.add_argument("--grid", default="0.70,0.75,0.78,0.80,0.82,0.84,0.86,0.88,0.90,0.92")
    ap.add_argument("--no-timings", action="store_true")
    args = ap.parse_args()
    if not args.no_timings:
        timings(args.db)
    if args.eval:
        evaluate(args.db, [float(x) for x in args.grid.split(",")])


if __name__ == "__main__":
    main()
