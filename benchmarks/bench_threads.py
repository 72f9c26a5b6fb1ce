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
predicted same when both questions end up in one thread) on the **dev** half of the pairs
only; ``--heldout T`` then scores both halves once at the threshold chosen on dev. The halves
are fixed by a hash of the pair id (``split``; see the pairs' README). ``--rule`` compares
clustering rules (the shipped nearest-earlier rule, connected components, mutual 3-NN
components) and ``--lexical W`` adds W times the subject-word overlap to the cosine. The pair
set was annotated before any of this was run.
"""

from __future__ import annotations

import argparse
import hashlib
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
    """Rebuild, then add each of the five latest transcripts again as ``podium ingest --embed``
    does: the transcript is deleted (and the threads made current without it), its file is
    ingested again, its questions are embedded (timed apart: the model's cost), and only then
    is ``update_threads`` timed: what "adding one transcript updates threads" means."""
    from podium.analyze import threads
    from podium.store import open_store
    from podium.store.ingest import ingest

    rows = []
    with open_store(db) as store:
        n = len(store.question_vectors())
        started = time.perf_counter()
        threads.update_threads(store, rebuild=True)
        rows.append((f"rebuild all threads ({n:,} questions)", f"{time.perf_counter() - started:.2f} s",
                     f"{len({*store.thread_memberships().values()}):,} threads"))
        latest = store._rows(
            "SELECT transcript_id, source_path FROM transcripts WHERE question_count > 0"
            " ORDER BY event_date DESC, transcript_id LIMIT 5")
        for tid, path in latest:
            store.delete(tid)
            threads.update_threads(store)  # the pool file, current without it
            ingest(store, [path], jobs=1)
            started = time.perf_counter()
            embedded = threads.embed_questions(store)
            took_embed = time.perf_counter() - started
            started = time.perf_counter()
            rep = threads.update_threads(store)
            took = time.perf_counter() - started
            rows.append((f"add one transcript ({rep.threaded} questions, {tid[:40]})", f"{took:.3f} s",
                         f"embedding its {embedded} questions: {took_embed:.1f} s (the model, not threading)"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak memory", f"{peak:.0f} MB", ""))
    print(f"cores: {os.cpu_count()}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')},"
          f" load average {os.getloadavg()[0]:.1f}")
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


def split(pair_id: str) -> str:
    """The pair's half, fixed before the second round of tuning (see the pairs' README)."""
    return "heldout" if int(hashlib.sha256(pair_id.encode()).hexdigest(), 16) % 2 else "dev"


def _partition(
    rows: list[tuple[Any, ...]], threshold: float, rule: str = "nearest", lexical: float = 0.0,
    words: dict[tuple[str, int, int], set[str]] | None = None,
) -> dict[tuple[str, int, int], int]:
    """Thread ``rows`` in memory: ``nearest`` is the shipped rule (``threads.thread_new``);
    ``components`` links every pair of questions of different exchanges at or above the
    threshold and takes connected components (single link, threads merge); ``mutual`` does the
    same with only the edges where each question is among the other's 3 nearest. ``lexical``
    (nearest only) adds that weight times the overlap of the questions' subject words."""
    words = words or {}
    from podium.analyze import threads

    out: dict[tuple[str, int, int], int] = {}
    next_id = 1
    for lang in sorted({r[3] for r in rows}):
        mine = sorted((r for r in rows if r[3] == lang), key=threads.order_key)
        keys = [(r[0], r[1], r[2]) for r in mine]
        vecs = np.frombuffer(b"".join(r[6] for r in mine), np.float32).reshape(len(mine), -1)
        t = threads.threshold_for(lang, threshold)
        ok = [threads.threadable(r) for r in mine]
        if rule == "nearest" and not lexical:
            links, next_id = threads.thread_new(threads.Pool(), keys, vecs, next_id, t, ok)
            out.update({lk.key: lk.thread for lk in links})
            continue
        if rule == "nearest":  # the same rule on cosine + lexical * overlap of subject words
            from podium.analyze.thread_text import overlap

            exchange_of = [(k[0], k[1]) for k in keys]
            assigned: list[int] = []
            for a in range(0, len(keys), 1024):
                sims = vecs[a:a + 1024] @ vecs[: a + 1024].T
                for r in range(sims.shape[0]):
                    i = a + r
                    best, best_j = -1.0, -1
                    if ok[i]:
                        for j in np.flatnonzero(sims[r, :i] >= t - lexical):
                            if not ok[j] or exchange_of[j] == exchange_of[i]:
                                continue
                            score = float(sims[r, j]) + lexical * overlap(words[keys[i]], words[keys[j]])
                            if score > best:
                                best, best_j = score, int(j)
                    if best >= t:
                        assigned.append(assigned[best_j])
                    else:
                        assigned.append(next_id)
                        next_id += 1
            out.update(dict(zip(keys, assigned, strict=True)))
            continue
        parent = list(range(len(keys)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        okv = np.asarray(ok)
        exchange = np.array([hash((k[0], k[1])) for k in keys])
        for a in range(0, len(keys), 1024):
            sims = vecs[a:a + 1024] @ vecs.T
            sims[:, ~okv] = -1
            sims[exchange[a:a + 1024, None] == exchange[None, :]] = -1
            if rule == "mutual":
                top = np.argsort(-sims, axis=1)[:, :3]
            for r in range(sims.shape[0]):
                i = a + r
                if not okv[i]:
                    continue
                for j in np.flatnonzero(sims[r] >= t):
                    if j <= i:
                        continue
                    if rule == "mutual" and j not in top[r]:
                        continue
                    if rule == "mutual" and i not in np.argsort(-(vecs[j] @ vecs.T * okv - 2 * (exchange == exchange[j])))[:3]:
                        continue
                    parent[find(i)] = find(int(j))
        roots: dict[int, int] = {}
        for i, k in enumerate(keys):
            root = find(i)
            if root not in roots:
                roots[root] = next_id
                next_id += 1
            out[k] = roots[root]
    return out


def _score(gold: list[dict[str, Any]], part: dict[tuple[str, int, int], int], half: str) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for p in gold:
        if split(p["id"]) != half:
            continue
        predicted = part[p["ka"]] == part[p["kb"]]
        tp += predicted and p["same"]
        fp += predicted and not p["same"]
        fn += (not predicted) and p["same"]
    return tp, fp, fn


def _subject_words(store: Any) -> dict[tuple[str, int, int], set[str]]:
    """Every question's subject words (``thread_text``), of the text that was embedded."""
    from podium.analyze.thread_text import embedding_text, subject_words

    out = {}
    for r in store.questions_without_vectors(10**9, model=""):  # every question: no vector has model ""
        out[r["key"]] = subject_words(embedding_text(r["text"], r["before"], r["language"]), r["language"])
    return out


def evaluate(db: str, grid: list[float], rule: str, heldout: float | None, lexical: float = 0.0) -> None:
    """Dev-half precision/recall at each threshold of ``grid``; the held-out half only at
    ``heldout`` (the threshold chosen on dev), so it is never looked at while choosing."""
    from podium.store import open_store

    with open_store(db) as store:
        gold = _load_gold(store)
        rows = store.question_vectors()
        words = _subject_words(store) if lexical else {}
    for half in ("dev", "heldout"):
        mine = [p for p in gold if split(p["id"]) == half]
        print(f"{half}: {len(mine)} pairs ({sum(p['same'] for p in mine)} same)")
    table = []
    for t in grid:
        started = time.perf_counter()
        part = _partition(rows, t, rule, lexical, words)
        took = time.perf_counter() - started
        sizes: dict[int, int] = defaultdict(int)
        for th in part.values():
            sizes[th] += 1
        tp, fp, fn = _score(gold, part, "dev")
        table.append((f"{t:.3f}", _ratio(tp, tp + fp), _ratio(tp, tp + fn), f"{tp}/{fp}/{fn}",
                      f"{sum(1 for n in sizes.values() if n >= 2):,}", f"{max(sizes.values())}", f"{took:.1f} s"))
    print(f"rule: {rule}, lexical weight {lexical}; dev half only")
    print(_table(table, ("threshold", "precision", "recall", "tp/fp/fn", "threads 2+", "largest", "time")))
    if heldout is not None:
        part = _partition(rows, heldout, rule, lexical, words)
        for half in ("dev", "heldout"):
            tp, fp, fn = _score(gold, part, half)
            print(f"{half} at {heldout}: precision {_ratio(tp, tp + fp)}, recall {_ratio(tp, tp + fn)} (tp/fp/fn {tp}/{fp}/{fn})")


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a store with question vectors")
    ap.add_argument("--eval", action="store_true", help="precision/recall against the labelled pairs")
    ap.add_argument("--grid", default="0.80,0.84,0.86,0.88,0.90,0.91,0.92,0.93,0.94,0.95")
    ap.add_argument("--rule", choices=("nearest", "components", "mutual"), default="nearest")
    ap.add_argument("--lexical", type=float, default=0.0, help="weight of subject-word overlap (nearest rule)")
    ap.add_argument("--heldout", type=float, help="score the held-out half at this threshold (chosen on dev)")
    ap.add_argument("--no-timings", action="store_true")
    args = ap.parse_args()
    if not args.no_timings:
        timings(args.db)
    if args.eval:
        evaluate(args.db, [float(x) for x in args.grid.split(",")], args.rule, args.heldout, args.lexical)


if __name__ == "__main__":
    main()
