"""Benchmark the corpus store: ingest throughput, store size, search latency, peak memory.

    .venv/bin/python benchmarks/bench_search.py                       # 10^4 and 10^5 turns
    .venv/bin/python benchmarks/bench_search.py --scales 1000000      # the big one (slow)
    .venv/bin/python benchmarks/bench_search.py --pg postgresql://postgres@127.0.0.1/test

1. Ingests the shared corpus (../shared/data) into a fresh SQLite store with all cores and
   reports transcripts/s, then ingest+embed throughput on a sample of files.
2. For each scale N, builds a store of N turns by re-inserting the real transcripts' rows
   under new ids (copies keep their turns, speakers and outlets; their document_json is
   left out, which matters only for size, measured on the real ingest instead).
3. Times top-20 queries with snippets: SQLite FTS5 (bm25), FTS5 with its native
   ``snippet()``, tantivy, PostgreSQL tsvector+GIN, semantic (the IVF vector index over
   float32 vectors) and hybrid (reciprocal-rank fusion). Copies reuse the embeddings of a
   sample of real turns cyclically, each with a little noise (see ``add_vectors``); the
   recall of the vector index is measured against an exact scan of the same vectors.
4. With ``--labels STORE`` (a store of the same files made by ``podium ingest --analyze``),
   the real clarity/evasion labels are copied onto the questions first, so the label filters
   meet a realistic mix of rare and common labels; without it they match nothing (worst case).
Prints one table. Peak memory is this process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent / ".." / "shared" / "data"

QUERIES = [
    "sanctions", "vaccine", "economy", "Ukraine", "China", "president", "border", "inflation",
    "climate change", '"national security"', '"white house"', "trade AND tariffs", "oil OR gas",
    "terror*", "nuclear weapons", "election", "pandemic", "military", "infrastructure", "Taiwan",
    "police reform", "refugees", "budget", "NATO", "Afghanistan", "energy prices", "COVID", "Iran",
    "supply chain", "cyber*",
]
SEMANTIC = ["economic punishment for an aggressor country", "how many people got vaccinated",
            "rising prices for families", "relations with Beijing", "troops leaving the country"]

rows: list[tuple[str, str, str, str]] = []


def report(scale: str, what: str, value: str, note: str = "") -> None:
    rows.append((scale, what, value, note))
    print(f"  {scale:>9}  {what:<44} {value:>16}  {note}", file=sys.stderr, flush=True)


def latencies(fn: Any, queries: list[str], repeat: int = 3) -> tuple[float, float]:
    for q in queries:  # steady state: warm caches and lazy indexes
        fn(q)
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def size_of(path: Path) -> int:
    total = 0
    for p in path.parent.glob(path.name + "*"):  # the file, its -wal/-shm and .tantivy/
        if p.is_file():
            total += p.stat().st_size
        elif p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return total


def base_rows(base: Any) -> dict[str, list[tuple[Any, ...]]]:
    """The rows copies are made from, read once from the ingested real corpus."""
    cols = {
        "transcripts": "transcript_id, source_sha256, source_path, source_url, source_format, title, event_type,"
                       " organisation, principal, event_date, last_updated, location, delivery, language,"
                       " turn_count, exchange_count, question_count, '{}'",
        "participants": "transcript_id, participant_id, person_id, name, role, title, organisation,"
                        " outlet_as_written, outlet_id, labels_json",
        "turns": "turn_id, transcript_id, turn_index, speaker_participant_id, person_id, speaker_role, outlet_id,"
                 " speaker_label, kind, section, channel, exchange_index, text, span_start, span_end,"
                 " start_seconds, end_seconds",
        "exchanges": "*",
        "questions": "*",
    }
    return {t: base._rows(f"SELECT {c} FROM {t} ORDER BY 1, 2") for t, c in cols.items()}


def copy_labels(base: Any, labelled: Path) -> int:
    """Copy the clarity/evasion labels of ``labelled`` onto the same questions of ``base``."""
    import sqlite3

    con = sqlite3.connect(f"file:{labelled}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT clarity_label, clarity_score, evasion_label, evasion_score, transcript_id, exchange_index,"
            " question_index FROM questions WHERE clarity_label IS NOT NULL").fetchall()
    finally:
        con.close()
    with base._transaction():
        base._executemany(
            "UPDATE questions SET clarity_label = ?, clarity_score = ?, evasion_label = ?, evasion_score = ?"
            " WHERE transcript_id = ? AND exchange_index = ? AND question_index = ?", rows)
    return int(base._one("SELECT count(*) FROM questions WHERE clarity_label IS NOT NULL"))


def build_scaled(store: Any, base: Any, data: dict[str, list[tuple[Any, ...]]], n_turns: int) -> int:
    """Fill an empty ``store`` with copies of the base corpus until it holds ``n_turns`` turns."""
    with store._transaction():
        for table in ("persons", "outlets"):
            rows = base._rows(f"SELECT * FROM {table}")
            if rows:
                store._executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    turns_by_tid: dict[str, list[tuple[Any, ...]]] = {}
    for r in data["turns"]:
        turns_by_tid.setdefault(r[1], []).append(r)
    done, copy, next_id = 0, 0, 1
    while done < n_turns:
        suffix = f"~{copy}"
        with store._transaction():
            for tr in data["transcripts"]:
                tid = tr[0]
                tturns = turns_by_tid.get(tid, [])
                if done >= n_turns:
                    break
                if done + len(tturns) > n_turns:
                    tturns = tturns[: n_turns - done]
                new = tid + suffix
                store._execute(f"INSERT INTO transcripts VALUES ({', '.join('?' * 18)})", (new, *tr[1:]))
                store._executemany(
                    f"INSERT INTO turns VALUES ({', '.join('?' * 17)})",
                    [(next_id + i, new, *t[2:]) for i, t in enumerate(tturns)],
                )
                next_id += len(tturns)
                done += len(tturns)
            for table in ("participants", "exchanges", "questions"):
                width = len(data[table][0]) if data[table] else 0
                kept = {r[0] for r in store._rows("SELECT transcript_id FROM transcripts WHERE transcript_id LIKE ?",
                                                  (f"%{suffix}",))}
                store._executemany(
                    f"INSERT INTO {table} VALUES ({', '.join('?' * width)})",
                    [(r[0] + suffix, *r[1:]) for r in data[table] if r[0] + suffix in kept],
                )
            store._bump()
        copy += 1
    return done


def add_vectors(store: Any, sample: Any, noise: float = 0.5) -> None:
    """Give every turn a vector: one of the sample's real embeddings, cyclically, plus Gaussian
    noise (cosine about 0.9 to the original), so that no two vectors are equal and the vector
    index meets a realistic spread rather than a few hundred duplicated points."""
    import numpy as np

    rng = np.random.default_rng(0)
    ids = [r[0] for r in store._rows("SELECT turn_id FROM turns ORDER BY turn_id")]
    for i in range(0, len(ids), 20_000):
        chunk = ids[i : i + 20_000]
        v = sample[np.arange(i, i + len(chunk)) % len(sample)]
        v = v + noise * rng.standard_normal(v.shape, dtype=np.float32) / np.sqrt(v.shape[1])
        v = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
        with store._transaction():
            store._executemany("INSERT INTO turn_embeddings VALUES (?, ?, ?)",
                               [(t, "all-MiniLM-L6-v2", v[j].tobytes()) for j, t in enumerate(chunk)])
    with store._transaction():
        store._bump_vectors()
        store._bump(changed=())  # no turn changed: the full-text index stays valid


def semantic_rows(label: str, store: Any, where: str) -> None:
    """Vector index build, IVF and exact latency, recall of the IVF against exact search."""
    import numpy as np

    from podium.embed import embed
    from podium.store.vector_index import VectorIndex

    t = time.perf_counter()
    store._vector_index = VectorIndex(store._vector_folder())
    ivf = store._vector_index.get(store)
    report(label, f"vector index build ({where})", f"{time.perf_counter() - t:.1f} s",
           f"{len(ivf.centroids):,} cells, {ivf.size:,} vectors")
    p50, p95 = latencies(lambda q: store.search(q, mode="semantic", limit=20), SEMANTIC)
    report(label, f"semantic, IVF, {where} (incl. query embed)", f"{p50:.1f} / {p95:.1f} ms", "p50 / p95")
    p50, p95 = latencies(lambda q: store.search(q, mode="semantic", limit=20, kind="answer"), SEMANTIC)
    report(label, f"semantic + filter kind=answer, {where}", f"{p50:.1f} / {p95:.1f} ms", "p50 / p95")
    p50, p95 = latencies(lambda q: store.search(q, mode="hybrid", limit=20), SEMANTIC)
    report(label, f"hybrid, full text + semantic, RRF, {where}", f"{p50:.1f} / {p95:.1f} ms", "p50 / p95")
    queries = embed(SEMANTIC + QUERIES)

    def scan(q: Any) -> list[int]:
        scores = np.asarray(ivf.vectors) @ q
        return [int(ivf.ids[i]) for i in np.argpartition(-scores, 19)[:20]]

    p50, p95 = latencies(scan, list(queries), repeat=1)
    report(label, "semantic, exact scan of all vectors (reference)", f"{p50:.1f} / {p95:.1f} ms",
           "p50 / p95, without query embed")
    recall = np.mean([len({i for i, _ in ivf.search(q, 20)} & set(scan(q))) / 20 for q in queries])
    report(label, "semantic recall@20, IVF vs exact scan", f"{recall:.3f}", f"{len(queries)} queries")


def bench_incremental(st: Any, base: Any, label: str) -> None:
    """Time the index update after one new transcript of median length (applied from the change
    log), to set beside the full build above; it is deleted again so later rows see the same store."""
    tid = base._one("SELECT transcript_id FROM transcripts ORDER BY turn_count, transcript_id"
                    " LIMIT 1 OFFSET (SELECT count(*) / 2 FROM transcripts)")
    new = base.get(tid).model_copy(update={"id": tid + "~incremental"})
    st.add(new)
    t = time.perf_counter()
    st.refresh_index()
    added = time.perf_counter() - t
    st.delete(new.id)
    t = time.perf_counter()
    st.refresh_index()
    report(label, "tantivy update after adding 1 transcript", f"{added * 1000:.0f} ms",
           f"{len(new.turns)} turns; deleting it again {(time.perf_counter() - t) * 1000:.0f} ms")


def fts5_native(store: Any) -> Any:
    """FTS5 top 20 by bm25 with FTS5's own snippet(): the issue's reference measurement."""
    from podium.store.query import parse_query, to_fts5

    def run(q: str) -> list[Any]:
        return store._rows(
            "SELECT t.turn_id, snippet(turns_fts, 0, '<mark>', '</mark>', ' … ', 24), d.title"
            " FROM turns_fts JOIN turns t ON t.turn_id = turns_fts.rowid"
            " JOIN transcripts d ON d.transcript_id = t.transcript_id"
            " WHERE turns_fts MATCH ? ORDER BY bm25(turns_fts) LIMIT 20",
            (to_fts5(parse_query(q)),),
        )
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--pg", default=os.environ.get("PODIUM_TEST_PG"), help="PostgreSQL URL (default $PODIUM_TEST_PG)")
    ap.add_argument("--pg-max", type=int, default=100_000, help="largest scale to run on PostgreSQL")
    ap.add_argument("--vectors", type=int, default=1000, help="real turns to embed for the semantic runs")
    ap.add_argument("--no-semantic", action="store_true")
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--labels", type=Path, help="a store of the same files from 'podium ingest --analyze'")
    args = ap.parse_args()

    from podium.store import open_store
    from podium.store.filters import Filters
    from podium.store.ingest import collect, ingest

    work = Path(tempfile.mkdtemp(prefix="podium-bench-"))
    try:
        print("running (progress on stderr; table at the end)", file=sys.stderr)
        paths = [args.data / "transcripts", args.data / "seed"]
        files = collect(paths)
        base_path = work / "base.db"
        base = open_store(base_path, engine="fts5")
        t = time.perf_counter()
        rep = ingest(base, paths, files=files)
        secs = time.perf_counter() - t
        n = len(rep.ingested)
        report("corpus", f"ingest {n} transcripts, {os.cpu_count()} cores (no embeddings)", f"{n / secs:.1f} tr/s",
               f"{secs:.1f} s total")
        base._execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = size_of(base_path)
        report("corpus", "SQLite store size per 1,000 transcripts (FTS5)", f"{size / n * 1000 / 1e6:.1f} MB",
               f"{base.stats().turns:,} turns")
        t = time.perf_counter()
        base_t = open_store(base_path, engine="tantivy")
        base_t.refresh_index()
        report("corpus", "tantivy index build (from the store)", f"{time.perf_counter() - t:.1f} s",
               f"+{(size_of(base_path) - size) / n * 1000 / 1e6:.1f} MB per 1,000 transcripts")
        base_t.close()
        if not args.no_semantic:
            sample_files = files[:: max(1, len(files) // 12)][:12]
            emb = open_store(work / "emb.db", engine="fts5")
            t = time.perf_counter()
            r2 = ingest(emb, [], files=sample_files, embed=True)
            secs = time.perf_counter() - t
            report("corpus", f"ingest + embed {len(r2.ingested)} transcripts ({r2.embedded} turns)",
                   f"{len(r2.ingested) / secs:.2f} tr/s", f"{r2.embedded / secs:.1f} turns/s")
            emb.close()
        if args.labels:
            t = time.perf_counter()
            lab = open_store(work / "lab.db", engine="fts5")
            r3 = ingest(lab, [], files=sample_files if not args.no_semantic else files[:12], analyze=True)
            secs = time.perf_counter() - t
            questions = lab.stats().questions
            report("corpus", f"ingest + analyze {len(r3.ingested)} transcripts ({questions} questions)",
                   f"{len(r3.ingested) / secs:.2f} tr/s", f"{questions / secs:.1f} questions/s")
            lab.close()
            labelled = copy_labels(base, args.labels)
            report("corpus", "questions given real labels (from --labels)", f"{labelled:,}",
                   f"of {base.stats().questions:,}")
        data = base_rows(base)
        sample = None
        if not args.no_semantic:
            import numpy as np

            from podium.embed import embed

            texts = [r[12] for r in data["turns"][:: max(1, len(data["turns"]) // args.vectors)]][: args.vectors]
            sample = embed(texts)
            assert sample.shape[1] == 384 and np.allclose((sample * sample).sum(1), 1, atol=1e-3)

        for scale in args.scales:
            label = f"{scale:,}"
            db = work / f"s{scale}.db"
            s = open_store(db, engine="fts5")
            t = time.perf_counter()
            got = build_scaled(s, base, data, scale)
            report(label, f"build SQLite store of {got:,} turns", f"{time.perf_counter() - t:.1f} s")
            p50, p95 = latencies(fts5_native(s), QUERIES)
            report(label, "full text, SQLite FTS5 bm25 + native snippet()", f"{p50:.1f} / {p95:.1f} ms", "p50 / p95")
            p50, p95 = latencies(lambda q: s.search(q, limit=20), QUERIES)
            report(label, "full text, SQLite FTS5 bm25 (podium search)", f"{p50:.1f} / {p95:.1f} ms", "p50 / p95")
            st = open_store(db, engine="tantivy")
            t = time.perf_counter()
            st.refresh_index()
            report(label, "tantivy index build", f"{time.perf_counter() - t:.1f} s")
            bench_incremental(st, base, label)
            p50, p95 = latencies(lambda q: st.search(q, limit=20), QUERIES)
            report(label, "full text, tantivy (podium search)", f"{p50:.1f} / {p95:.1f} ms", "p50 / p95")
            p50, p95 = latencies(lambda q: st.search(q, limit=20, kind="answer"), QUERIES)
            report(label, "full text, tantivy + filter kind=answer", f"{p50:.1f} / {p95:.1f} ms", "p50 / p95")
            p50, p95 = latencies(lambda q: st.search(q, limit=20, kind="answer", since="2020"), QUERIES)
            report(label, "full text, tantivy + kind=answer, since=2020", f"{p50:.1f} / {p95:.1f} ms",
                   "p50 / p95 (few dated turns)")
            for name, f in (("clarity=clear_non_reply, kind=question", {"clarity": "clear_non_reply",
                                                                         "kind": "question"}),
                            ("evasion=claims_ignorance (rare)", {"evasion": "claims_ignorance"})):
                where, params = Filters.of(**f).sql()
                matching = st._one(f"SELECT count(*) FROM turns t WHERE {where}", params)
                p50, p95 = latencies(lambda q: st.search(q, limit=20, **f), QUERIES)
                report(label, f"full text, tantivy + {name}", f"{p50:.1f} / {p95:.1f} ms",
                       f"p50 / p95; {matching:,} turns pass the filter")
            if sample is not None:
                add_vectors(st, sample)
                semantic_rows(label, st, "SQLite")
            st._execute("PRAGMA wal_checkpoint(TRUNCATE)")
            report(label, "SQLite store + indexes size (copies without JSON)", f"{size_of(db) / 1e6:.0f} MB",
                   "with vectors" if sample is not None else "")
            st.close()
            s.close()
            if args.pg and scale <= args.pg_max:
                import uuid

                schema = f"podium_bench_{uuid.uuid4().hex[:8]}"
                # ts_rank, as measured before the tantivy index existed for PostgreSQL (bench_scale.py has both)
                pg = open_store(f"{args.pg}{'&' if '?' in args.pg else '?'}schema={schema}", engine="postgresql")
                try:
                    t = time.perf_counter()
                    build_scaled(pg, base, data, scale)
                    pg._execute("ANALYZE")
                    report(label, "build PostgreSQL store", f"{time.perf_counter() - t:.1f} s")
                    p50, p95 = latencies(lambda q: pg.search(q, limit=20), QUERIES)
                    report(label, "full text, PostgreSQL tsvector+GIN ts_rank", f"{p50:.1f} / {p95:.1f} ms", "p50 / p95")
                    if sample is not None:
                        add_vectors(pg, sample)
                        semantic_rows(label, pg, "PostgreSQL")
                finally:
                    pg._execute(f'DROP SCHEMA "{schema}" CASCADE')
                    pg.close()
            db.unlink()
            for derived in (".tantivy", ".vectors"):
                shutil.rmtree(db.with_name(db.name + derived), ignore_errors=True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report("all", "peak memory (max RSS of this process)", f"{peak:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\n| turns | measurement | value | note |\n|---:|---|---:|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |")


if __name__ == "__main__":
    main()
