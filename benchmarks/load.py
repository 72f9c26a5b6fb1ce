"""Load test of ``podium serve``: req/s, p50/p95/p99 and errors at 1, 20 and 200 concurrency.

    PYTHONPATH=src .venv/bin/python benchmarks/load.py --db corpus.db [--workers 1,2] [--requests 2000]
    PYTHONPATH=src .venv/bin/python benchmarks/load.py --db corpus.db --hostile

For each worker count it starts ``podium serve --read-only --workers N`` on a free local
port, then sends a bounded number of requests (``--requests`` per concurrency level, a fixed
mix of home, search, reader and listing pages and their JSON twins) from ``C`` concurrent
clients, and prints one table row per (workers, concurrency). An error is any status >= 500,
a refused or reset connection, or a timeout (60 s); the row names each kind. The client runs on the same machine, so
the figures are a floor of what the server does alone.

``--hostile`` measures instead how ``GET /api/home`` answers (p50/p95/max of 40 requests)
while 10 hostile uploads (``hostile_inputs.py``) are being parsed (issue 14: <= 200 ms p95).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60.0
"""Seconds a request may take before it counts as an error (a timeout)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _paths(db: str) -> list[str]:
    """A fixed mix of pages over the store's own transcripts."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ids = [r[0] for r in con.execute("SELECT transcript_id FROM transcripts ORDER BY transcript_id LIMIT 20")]
    con.close()
    out = ["/api/home", "/", "/api/search?q=president", "/search?q=economy", "/api/search?q=%22press+secretary%22",
           "/transcripts", "/api/transcripts", "/search?q=border+OR+ukraine"]
    for tid in ids[:6]:
        out += [f"/api/transcripts/{tid}", f"/transcripts/{tid}"]
    return out


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def _level(base: str, paths: list[str], concurrency: int, total: int) -> tuple[float, list[float], Counter[str]]:
    import httpx

    times: list[float] = []
    errors: Counter[str] = Counter()
    next_i = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT, limits=limits) as client:

        async def worker() -> None:
            nonlocal next_i
            while next_i < total:
                path = paths[next_i % len(paths)]
                next_i += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    if r.status_code >= 500:
                        errors[f"{r.status_code} {path.split('?')[0]}"] += 1
                except httpx.TimeoutException:
                    errors["timeout"] += 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] += 1
                times.append(time.perf_counter() - t0)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - start, times, errors


def _serve(db: str, workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-c", "from podium.cli import main; main()", "serve", "--db", db, "--read-only",
           "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise SystemExit(f"the server exited: {err}") from None
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("the server did not start in 120 s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def _hostile(base: str) -> list[float]:
    import httpx

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import hostile_inputs as H

    uploads = [H.tiny_exchanges(600_000), H.br_flood(1_900_000), H.many_labels(1_500_000),
               H.yaml_alias_bomb(9), H.long_line(1_900_000)] * 2
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        await client.get("/api/home")
        tasks = [asyncio.create_task(client.post("/api/parse", files={"file": (n, d)})) for d, n in uploads]
        await asyncio.sleep(0.3)
        times = []
        for _ in range(40):
            t0 = time.perf_counter()
            await client.get("/api/home")
            times.append(time.perf_counter() - t0)
            await asyncio.sleep(0.05)
        codes = [r.status_code for r in await asyncio.gather(*tasks)]
    print(f"uploads answered: {sorted(codes)}")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a SQLite store (opened read-only)")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--concurrency", default="1,20,200")
    ap.add_argument("--requests", type=int, default=2000, help="requests per concurrency level")
    ap.add_argument("--hostile", action="store_true")
    args = ap.parse_args()
    paths = _paths(args.db)
    if args.hostile:
        port = _free_port()
        proc = _serve(args.db, 1, port)
        try:
            times = asyncio.run(_hostile(f"http://127.0.0.1:{port}"))
        finally:
            _stop(proc)
        print(f"GET /api/home during 10 hostile uploads: p50 {statistics.median(times) * 1000:.0f} ms, "
              f"p95 {_quantile(times, 0.95) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
        return
    print(f"{'workers':>7} {'conc':>5} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for workers in (int(w) for w in args.workers.split(",")):
        port = _free_port()
        proc = _serve(args.db, workers, port)
        try:
            asyncio.run(_level(f"http://127.0.0.1:{port}", paths, 4, 40))  # warm every worker
            for conc in (int(c) for c in args.concurrency.split(",")):
                total = args.requests if conc > 1 else min(args.requests, 500)
                secs, times, errors = asyncio.run(_level(f"http://127.0.0.1:{port}", paths, conc, total))
                print(f"{workers:>7} {conc:>5} {len(times):>8} {len(times) / secs:>7.1f} "
                      f"{_quantile(times, 0.5) * 1000:>7.0f} {_quantile(times, 0.95) * 1000:>7.0f} "
                      f"{_quantile(times, 0.99) * 1000:>7.0f} {sum(errors.values()):>6}"
                      f"{'  ' + dict(errors).__repr__() if errors else ''}", flush=True)
        finally:
            _stop(proc)


if __name__ == "__main__":
    main()
