"""Archive scale on PostgreSQL: cluster ingest throughput (1 and 2 Dask workers), store size,
search latency beside SQLite, and a cost model for 10^6 transcripts.

    .venv/bin/python benchmarks/bench_scale.py --files 2000 --speedup-files 240
    .venv/bin/python benchmarks/bench_scale.py --files 100000 --turns 5000000   # the issue's scale (hours)

1. Writes ``--files`` synthetic transcripts (``synth_archive.py``: real skeletons, real
   sentences; they go through the real readers and parser).
2. Speed-up: ingests ``--speedup-files`` of them into fresh PostgreSQL schemas on a
   LocalCluster of 1 and then 2 one-thread workers (workers warmed up first, the cluster start
   not timed); then ``--speedup-repeats`` back-to-back pairs of parse-only runs (1 then 2
   workers, with the workers' CPU and the load); then the same files with each worker parsing
   and writing through its own connection (timing only); and the CPU a file costs on each side,
   with the 2-core bound of both designs (docs/scale.md).
3. Ingests all ``--files`` on 2 workers into PostgreSQL: rate, turns, store size, the client's
   share (writing is serial: it bounds the speed-up on any number of workers), tantivy build.
4. With ``--turns`` above what the files gave, copies the ingested rows under new ids (in SQL,
   labelled as copies) until the store holds that many turns: parsing 10^5 files takes hours
   on two cores, copying does not, and search latency depends on the index, not on the origin
   of the rows.
5. Builds a SQLite store with the same rows and times top-20 queries with snippets:
   full text (PostgreSQL ``ts_rank``, PostgreSQL + tantivy, SQLite + tantivy) and hybrid
   (full text + semantic, reciprocal-rank fusion) with vectors made as in
   ``bench_search.py`` (real embeddings of a sample of turns, with noise).
6. Prints one table, then the model: hours for 10^6 transcripts on N workers from the
   measured per-file costs.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_search import QUERIES, SEMANTIC, add_vectors, base_rows, build_scaled, latencies, size_of  # noqa: E402

rows: list[tuple[str, str, str]] = []


def report(what: str, value: str, note: str = "") -> None:
    rows.append((what, value, note))
    print(f"  {what:<58} {value:>18}  {note}", file=sys.stderr, flush=True)


def pg_schema_url(base: str) -> tuple[str, str]:
    schema = f"podium_scale_{uuid.uuid4().hex[:8]}"
    return f"{base}{'&' if '?' in base else '?'}schema={schema}", schema


def pg_size(store: Any) -> int:
    """Bytes of every table and index of the store's schema."""
    return int(store._one(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"))


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def drop(store: Any, schema: str) -> None:
    store._execute(f'DROP SCHEMA "{schema}" CASCADE')
    store.close()


def cluster_ingest(files: list[Path], workers: int, pg: str) -> dict[str, float]:
    """Parse-only ingest of ``files`` on a fresh LocalCluster of ``workers`` into a new schema."""
    from distributed import Client, LocalCluster

    from podium.store import open_store
    from podium.store.cluster import Status, ingest_on_cluster
    from podium.store.ingest import parse_path

    url, schema = pg_schema_url(pg)
    store = open_store(url)
    last: list[Status] = []
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as lc, Client(lc) as client:
        client.run(parse_path, str(files[0]))  # import the parser and load the styles everywhere
        t = time.perf_counter()
        rep = ingest_on_cluster(store, files, client, status=last.append, refresh_index=False)
        secs = time.perf_counter() - t
    turns = int(store._one("SELECT count(*) FROM turns"))
    out = {"seconds": secs, "files": len(rep.ingested), "failed": len(rep.failed), "turns": turns,
           "writing": last[-1].writing if last else 0.0, "url": url, "schema": schema}  # type: ignore[dict-item]
    out["store"] = store  # type: ignore[assignment]
    return out


def run_all(client: Any, fn: Any, files: list[Path], window: int, *args: Any) -> None:
    """``fn(path, *args)`` for every file on ``client``'s workers, ``window`` tasks in flight,
    each result fetched to this process and dropped."""
    from distributed import as_completed

    queue = iter(files)
    running = as_completed([client.submit(fn, str(f), *args, pure=False)
                            for _, f in zip(range(window), queue, strict=False)])
    for fut in running:
        fut.result()
        fut.release()
        nxt = next(queue, None)
        if nxt is not None:
            running.add(client.submit(fn, str(nxt), *args, pure=False))


def cluster_parse(files: list[Path], workers: int) -> tuple[float, float]:
    """Parse-only ingest of ``files`` on a fresh LocalCluster of ``workers``: each worker reads and
    parses (``cluster.work``, as the ingest does without --analyze/--embed) and the client fetches
    every transcript, as the ingest does before writing it; nothing is written.

    Returns the wall seconds and the workers' CPU seconds: the CPU a file costs is the same with 1
    or 2 workers, so a ratio below 2 is cores the workers did not get (other processes, the client).
    """
    from distributed import Client, LocalCluster

    from podium.store.cluster import work
    from podium.store.ingest import parse_path

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as lc, Client(lc) as client:
        client.run(parse_path, str(files[0]))
        cpu0 = sum(client.run(time.process_time).values())
        t = time.perf_counter()
        run_all(client, work, files, 8 * workers)
        wall = time.perf_counter() - t
        return wall, sum(client.run(time.process_time).values()) - cpu0


_OWN_STORE: dict[str, Any] = {}


def parse_and_write(path: str, url: str) -> str | None:
    """On a worker: parse one file and write it through this worker's own connection, into a
    schema of its own (``url`` + the worker's name). The shape of a design without the single
    writer, for timing only: two workers' stores are not one store, and person resolution is not
    shared (docs/scale.md says what an equal store would need)."""
    from distributed import get_worker

    from podium.store import open_store
    from podium.store.ingest import IngestReport, _sha, parse_path, store_parsed

    key = f"{url}{get_worker().name}"
    if key not in _OWN_STORE:
        _OWN_STORE[key] = open_store(f"{url}_w{get_worker().name}", engine="postgresql")
    store = _OWN_STORE[key]
    _path, doc, error = parse_path(path)
    with store._transaction():
        store_parsed(store, IngestReport(), path, _sha(Path(path)), doc, error)
    return error


def parallel_writers(files: list[Path], workers: int, pg: str) -> float:
    """Wall seconds for ``files`` on a fresh LocalCluster whose workers each parse and write."""
    from distributed import Client, LocalCluster

    from podium.store.ingest import parse_path

    url, schema = pg_schema_url(pg)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as lc, Client(lc) as client:
        client.run(parse_path, str(files[0]))
        t = time.perf_counter()
        run_all(client, parse_and_write, files, 4 * workers, url)
        wall = time.perf_counter() - t
        client.run(lambda: [s.close() for s in _OWN_STORE.values()])
    import psycopg

    from podium.store.postgres import split_url

    with psycopg.connect(split_url(pg)[0], autocommit=True) as conn:
        for w in range(workers):
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}_w{w}" CASCADE')
    return wall


def parse_speedup(files: list[Path], repeats: int) -> list[tuple[float, float, float, float, tuple[float, ...]]]:
    """``repeats`` pairs of parse-only runs, 1 then 2 workers back to back (one pair is one run's
    ratio): ``(wall 1, wall 2, worker CPU 1, worker CPU 2, load average after the pair)``."""
    out = []
    for _ in range(repeats):
        (w1, c1), (w2, c2) = cluster_parse(files, 1), cluster_parse(files, 2)
        out.append((w1, w2, c1, c2, os.getloadavg()))
    return out


def cpu_per_file(files: list[Path], pg: str) -> tuple[float, float, float]:
    """CPU milliseconds a file costs: parsing, the client's writing, PostgreSQL's work for it."""
    import hashlib

    from podium.store import open_store
    from podium.store.ingest import IngestReport, parse_path, store_parsed

    c = time.process_time()
    docs = [parse_path(str(f)) for f in files]
    parse = (time.process_time() - c) / len(files)
    url, schema = pg_schema_url(pg)
    store = open_store(url)
    pid = store._one("SELECT pg_backend_pid()")

    def server() -> float:  # the backend serving this connection runs on this machine
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    rep = IngestReport()
    c, s0 = time.process_time(), server()
    for i in range(0, len(docs), 32):
        with store._transaction():
            for (path, doc, err), f in zip(docs[i : i + 32], files[i : i + 32], strict=True):
                store_parsed(store, rep, path, hashlib.sha256(f.read_bytes()).hexdigest(), doc, err)
    write, srv = (time.process_time() - c) / len(files), (server() - s0) / len(files)
    drop(store, schema)
    return parse * 1000, write * 1000, srv * 1000


def cpu_extra(files: list[Path]) -> tuple[float, float]:
    """CPU milliseconds a file costs on a worker with --analyze and with --embed (models warm)."""
    from podium.store.cluster import work

    out = []
    for flags in ((True, False), (False, True)):
        work(str(files[0]), *flags)  # load the model once, as a worker does
        c = time.process_time()
        for f in files[1:]:
            work(str(f), *flags)
        out.append((time.process_time() - c) / max(1, len(files) - 1) * 1000)
    return out[0], out[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000, help="synthetic transcripts to write and ingest")
    ap.add_argument("--speedup-files", type=int, default=240, help="files for the 1-vs-2-worker ratio")
    ap.add_argument("--turns", type=int, default=0, help="copy rows up to this many turns for the search rows")
    ap.add_argument("--vectors", type=int, default=300, help="real turns embedded for the hybrid rows (0: none)")
    ap.add_argument("--vector-max", type=int, default=1_500_000, help="no hybrid rows above this many turns")
    ap.add_argument("--archive", type=Path, help="use (or keep) the synthetic archive here")
    ap.add_argument("--speedup-repeats", type=int, default=3, help="1-then-2-worker parse-only pairs")
    ap.add_argument("--skip-speedup", action="store_true", help="only the ingest, size and search rows")
    ap.add_argument("--pg", default=os.environ.get("PODIUM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"))
    args = ap.parse_args()

    import synth_archive

    from podium.store import open_store
    from podium.store.ingest import collect

    work = Path(tempfile.mkdtemp(prefix="podium-scale-"))
    os.environ.setdefault("PODIUM_INDEX_DIR", str(work / "indexes"))
    archive = args.archive or work / "archive"
    cleanup: list[tuple[Any, str]] = []
    try:
        print("running (progress on stderr; table at the end)", file=sys.stderr)
        if not archive.exists() or not any(archive.iterdir()):
            t = time.perf_counter()
            made = synth_archive.write_archive(archive, args.files)
            report("synthetic archive written", f"{args.files:,} files",
                   f"{time.perf_counter() - t:.0f} s; styles: " + ", ".join(f"{k} {v}" for k, v in sorted(made.items())))
        files = collect([archive])
        files = files[:: max(1, len(files) // args.files)][: args.files]  # every style, not the first folder's
        mb = sum(f.stat().st_size for f in files) / 1e6
        report("archive size", f"{mb:.0f} MB", f"{len(files):,} files, {mb / len(files) * 1000:.0f} kB a file")
        report("load average before the ingest runs", " / ".join(f"{x:.1f}" for x in os.getloadavg()),
               f"{os.cpu_count()} cores, shared")

        # -- speed-up, 1 -> 2 workers, parse only ----------------------------------------------
        cpu: tuple[float, float, float] | None = None
        extra = (0.0, 0.0)
        per_file = write_file = 0.0
        if not args.skip_speedup:
            sample = files[:: max(1, len(files) // args.speedup_files)][: args.speedup_files]
            runs = {}
            for n in (1, 2):
                r = cluster_ingest(sample, n, args.pg)
                cleanup.append((r.pop("store"), str(r["schema"])))
                runs[n] = r
                report(f"cluster ingest into PostgreSQL, {n} worker{'s' * (n > 1)}, {len(sample)} files",
                       f"{r['files'] / r['seconds']:.2f} files/s",
                       f"{r['seconds']:.1f} s; client writing {r['writing']:.1f} s; {r['failed']} failed")
            report("speed-up 1 -> 2 workers, ingest into PostgreSQL (same run)",
                   f"{runs[1]['seconds'] / runs[2]['seconds']:.2f}x", "target >= 1.7x; bounded by the writer: see below")
            pairs = parse_speedup(sample, args.speedup_repeats)
            for w1, w2, c1, c2, load in pairs:
                report(f"parse-only ingest, 1 / 2 workers, {len(sample)} files",
                       f"{len(sample) / w1:.1f} / {len(sample) / w2:.1f} files/s",
                       f"speed-up {w1 / w2:.2f}x; worker CPU {c1 / len(sample) * 1000:.0f} / {c2 / len(sample) * 1000:.0f}"
                       f" ms a file; load after {load[0]:.1f}")
            ratios = sorted(w1 / w2 for w1, w2, *_ in pairs)
            own = {n: parallel_writers(sample, n, args.pg) for n in (1, 2)}
            report(f"each worker parses and writes (own connection), 1 / 2 workers, {len(sample)} files",
                   f"{len(sample) / own[1]:.1f} / {len(sample) / own[2]:.1f} files/s",
                   f"speed-up {own[1] / own[2]:.2f}x; timing only (one schema a worker, registry not shared)")
            report("speed-up 1 -> 2 workers, parse-only ingest (median of the pairs)",
                   f"{ratios[len(ratios) // 2]:.2f}x", f"target >= 1.7x; pairs: {', '.join(f'{r:.2f}' for r in ratios)}")
            cpu = cpu_per_file(sample[:120], args.pg)
            extra = cpu_extra(sample[:6])
            report("CPU per file on a worker: + analyze / + embed", f"{extra[0]:.0f} / {extra[1]:.0f} ms", "5 files, models warm")
            report("CPU per file: parse / client writing / PostgreSQL server", " / ".join(f"{x:.0f}" for x in cpu) + " ms",
                   f"one process each, {min(120, len(sample))} files; 2-core bound on the ingest speed-up: "
                   f"{2 * max(cpu[0], cpu[1] + cpu[2]) / sum(cpu):.2f}x with one writer, "
                   f"{2 * (cpu[0] + cpu[1]) / sum(cpu):.2f}x if each worker wrote its own batches")
            per_file = runs[1]["seconds"] / max(1, runs[1]["files"])  # one worker: the parse bounds it
            write_file = runs[2]["writing"] / max(1, runs[2]["files"])
            for store, schema in cleanup:
                drop(store, schema)
            cleanup.clear()

        # -- the whole archive on 2 workers --------------------------------------------------------
        big = cluster_ingest(files, 2, args.pg)
        pg = big.pop("store")
        cleanup.append((pg, str(big["schema"])))
        n_tr, n_turns = int(big["files"]), int(big["turns"])
        report(f"cluster ingest, 2 workers, {len(files):,} files", f"{n_tr / big['seconds']:.2f} files/s",
               f"{big['seconds']:.0f} s; {n_turns:,} turns ({n_turns / max(1, n_tr):.0f} a file); "
               f"client writing {big['writing']:.0f} s; {big['failed']} failed")
        pg._execute("ANALYZE")
        report("PostgreSQL store size (tables + indexes, with JSON documents)",
               f"{pg_size(pg) / 1e6:.0f} MB", f"{pg_size(pg) / max(1, n_tr) / 1e3:.0f} kB a transcript")
        t = time.perf_counter()
        pg.refresh_index()
        report("tantivy index build beside PostgreSQL", f"{time.perf_counter() - t:.1f} s",
               f"{folder_size(pg._tantivy.folder) / 1e6:.0f} MB")

        # -- scale up by copies, and the same rows in SQLite ---------------------------------------
        data = base_rows(pg)
        target = max(args.turns, n_turns)
        search_pg = pg
        if args.turns > n_turns:
            url2, schema2 = pg_schema_url(args.pg)
            search_pg = open_store(url2)
            cleanup.append((search_pg, schema2))
            t = time.perf_counter()
            got = build_scaled(search_pg, pg, data, target)
            search_pg._execute("ANALYZE")
            report(f"PostgreSQL store of {got:,} turns by copying rows", f"{time.perf_counter() - t:.0f} s",
                   f"{pg_size(search_pg) / 1e6:.0f} MB (copies without JSON)")
            t = time.perf_counter()
            search_pg.refresh_index()
            report("tantivy index build beside PostgreSQL (copies)", f"{time.perf_counter() - t:.1f} s",
                   f"{folder_size(search_pg._tantivy.folder) / 1e6:.0f} MB")
        turns = int(search_pg._one("SELECT count(*) FROM turns"))
        lite_path = work / "same.db"
        lite = open_store(lite_path, engine="tantivy")
        t = time.perf_counter()
        build_scaled(lite, pg, data, turns)
        lite.refresh_index()
        report(f"SQLite + tantivy store of the same {turns:,} turns", f"{time.perf_counter() - t:.0f} s",
               f"{size_of(lite_path) / 1e6:.0f} MB (copies without JSON)")

        plain = open_store(search_pg.url, engine="postgresql")
        cleanup.append((plain, ""))
        label = f"{turns:,} turns"
        for name, st in (("PostgreSQL ts_rank (before)", plain), ("PostgreSQL + tantivy", search_pg),
                         ("SQLite + tantivy", lite)):
            p50, p95 = latencies(lambda q: st.search(q, limit=20), QUERIES)
            report(f"full text top 20 + snippets, {name}", f"{p50:.1f} / {p95:.1f} ms", f"p50 / p95, {label}")
        for name, st in (("PostgreSQL + tantivy", search_pg), ("SQLite + tantivy", lite)):
            p50, p95 = latencies(lambda q: st.search(q, limit=20, kind="answer", since="2015"), QUERIES)
            report(f"full text + kind=answer, since=2015, {name}", f"{p50:.1f} / {p95:.1f} ms", f"p50 / p95, {label}")
        if args.vectors and turns <= args.vector_max:
            from podium.embed import embed

            texts = [r[12] for r in data["turns"][:: max(1, len(data["turns"]) // args.vectors)]][: args.vectors]
            vecs = embed(texts)
            t = time.perf_counter()
            for st in (search_pg, lite):
                add_vectors(st, vecs)
            report("vectors added (real embeddings of a sample, with noise)", f"{time.perf_counter() - t:.0f} s",
                   f"{turns:,} turns, both stores")
            for name, st in (("PostgreSQL ts_rank + semantic (before)", plain),
                             ("PostgreSQL + tantivy + semantic", search_pg), ("SQLite + tantivy + semantic", lite)):
                t = time.perf_counter()
                st.search(SEMANTIC[0], mode="semantic", limit=20)  # builds the vector index once
                built = time.perf_counter() - t
                p50, p95 = latencies(lambda q: st.search(q, mode="hybrid", limit=20), SEMANTIC)
                report(f"hybrid top 20 + snippets, {name}", f"{p50:.1f} / {p95:.1f} ms",
                       f"p50 / p95, {label}; vector index ready in {built:.0f} s")
        lite.close()

        # -- the model -------------------------------------------------------------------------
        print("\n| measurement | value | note |\n|---|---:|---|")
        for r in rows:
            print(f"| {r[0]} | {r[1]} | {r[2]} |")
        if cpu is None:
            return
        parse_ms, write_ms, server_ms = cpu
        print(f"\nMeasured CPU per file: parse {parse_ms:.0f} ms, + analyze {extra[0]:.0f} ms, + embed {extra[1]:.0f} ms"
              f" (workers); client writing {write_ms:.0f} ms; PostgreSQL {server_ms:.0f} ms;"
              f" {n_turns / max(1, n_tr):.0f} turns and {pg_size(pg) / max(1, n_tr) / 1e3:.0f} kB of PostgreSQL a file."
              f" (Wall time a file on 1 worker, ingest: {per_file * 1000:.0f} ms; client writing {write_file * 1000:.0f} ms.)")
        print("\nHours for 10^6 transcripts, client and PostgreSQL on their own cores: the larger of the workers'"
              " share and the single writer's.\n")
        print("| workers | parse only | + analyze | + analyze + embed | writer (client + PostgreSQL) |")
        print("|---:|---:|---:|---:|---:|")
        writer = (write_ms + server_ms) * 1e6 / 3.6e6  # the client waits for the server: serial
        for n in (2, 8, 32, 128, 512):
            cols = [max(w * 1e6 / n / 3.6e6, writer) for w in (parse_ms, parse_ms + extra[0], parse_ms + sum(extra))]
            print(f"| {n} | " + " | ".join(f"{c:.1f} h" for c in cols) + f" | {writer:.1f} h |")
    finally:
        for store, schema in cleanup:
            try:
                if schema:
                    drop(store, schema)
                else:
                    store.close()
            except Exception as exc:  # noqa: BLE001 - cleanup must not hide the table
                print(f"cleanup: {exc}", file=sys.stderr)
        if args.archive is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            shutil.rmtree(work / "indexes", ignore_errors=True)
            for p in work.glob("same.db*"):
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()


if __name__ == "__main__":
    main()
