"""Page render latency of a running ``podium serve``: the transcript reader and search.

Run against a server on this machine only, e.g. after ``make demo`` or
``podium serve --db corpus.db`` in another terminal:

    .venv/bin/python benchmarks/web_latency.py [--url http://127.0.0.1:8000] [--requests 200] [--seconds 60]

It fetches full HTML pages one at a time over one keep-alive connection (what a reader's
browser does), for a sample of transcripts and a fixed list of queries, and prints p50, p95
and max per page kind against the targets (reader p95 < 100 ms, turn search p95 < 200 ms,
exchange search p95 < 50 ms and at most twice turn search's).
Each kind stops at ``--requests`` pages or ``--seconds`` seconds, whichever comes first.

On a shared machine wall-clock times follow the load more than the code; with ``--pid`` (the
server's process id) each kind also reports the server's CPU time per page (user + system,
from ``/proc/PID/stat``), which the load barely moves. The load average is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from urllib.parse import urlparse

QUERIES = [
    "sanctions", "Ukraine", '"press conference"', "climate change", "vaccine*", "trade AND tariffs",
    "Russia OR China", "economy", "border security", "NATO", "election", "thank you",
    '"human rights"', "Taiwan", "oil -gas", "COVID", "budget", "military exercise*", "inflation",
    "Afghanistan",
]
TARGETS = {"reader": 100.0, "turns": 200.0, "exchanges": 50.0}
"""p95 targets in ms; exchange search must also stay within twice turn search (issue 13)."""
LOCAL = {"127.0.0.1", "localhost", "::1"}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def _cpu_ms(pid: int | None) -> float:
    """CPU time (user + system) the process has used so far, in ms (0 without ``pid``)."""
    if pid is None:
        return 0.0
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _time(client, paths: list[str], budget: int, seconds: float) -> list[float]:  # noqa: ANN001
    out: list[float] = []
    end = time.monotonic() + seconds
    for n in range(budget):
        if time.monotonic() > end:
            break
        t0 = time.perf_counter()
        r = client.get(paths[n % len(paths)])
        elapsed = (time.perf_counter() - t0) * 1000
        if r.status_code != 200:
            raise SystemExit(f"{paths[n % len(paths)]}: HTTP {r.status_code}")
        out.append(elapsed)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--requests", type=int, default=200, help="pages per kind (at most 2000)")
    ap.add_argument("--seconds", type=float, default=60.0, help="time limit per kind (at most 300)")
    ap.add_argument("--pid", type=int, help="the server's process id: also report its CPU ms per page")
    args = ap.parse_args()
    if urlparse(args.url).hostname not in LOCAL:
        raise SystemExit("benchmark only a server on this machine (127.0.0.1 or localhost)")
    budget, seconds = min(args.requests, 2000), min(args.seconds, 300.0)

    import httpx

    with httpx.Client(base_url=args.url, timeout=30) as client:
        home = client.get("/api/home").json()
        total = home["counts"]["transcripts"]
        ids: list[str] = []
        page = 1
        while len(ids) < 200:  # a spread of transcripts across the list, not only the newest
            items = client.get("/api/transcripts", params={"page": page}).json()["items"]
            if not items:
                break
            ids += [i["transcript_id"] for i in items[::4]]
            page += max(1, total // 20 // 50)
        readers = [f"/transcripts/{i}" for i in ids]
        turns = ["/search?" + str(httpx.QueryParams({"q": q, "by": "turn"})) for q in QUERIES]
        exchanges = ["/search?" + str(httpx.QueryParams({"q": q})) for q in QUERIES]
        for path in (readers[0], *turns, *exchanges):  # warm caches once (facets are cached per query)
            client.get(path)
        rows, cpu = [], {}
        for name, paths in (("reader", readers), ("turns", turns), ("exchanges", exchanges)):
            before = _cpu_ms(args.pid)
            rows.append((name, _time(client, paths, budget, seconds)))
            cpu[name] = (_cpu_ms(args.pid) - before) / len(rows[-1][1])

    print(f"server: {args.url}  corpus: {total:,} transcripts  sampled: {len(readers)} transcripts, "
          f"{len(QUERIES)} queries")
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':8} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu ms':>7} {'target p95':>11}  ok")
    ok = True
    for name, times in rows:
        p95 = _percentile(times, 0.95)
        good = p95 < TARGETS[name]
        ok &= good
        cpu_text = f"{cpu[name]:7.1f}" if args.pid else f"{'-':>7}"
        print(f"{name:8} {len(times):5d} {statistics.median(times):8.1f} {p95:8.1f} {max(times):8.1f} {cpu_text} "
              f"{TARGETS[name]:>9.0f} ms  {'yes' if good else 'NO'}")
    p95 = {name: _percentile(times, 0.95) for name, times in rows}
    ratio = p95["exchanges"] / p95["turns"] if p95["turns"] else float("inf")
    ok &= ratio <= 2.0
    print(f"exchange search p95 / turn search p95 = {ratio:.2f} (target <= 2.00)  {'yes' if ratio <= 2.0 else 'NO'}")
    if args.pid and cpu["turns"]:
        print(f"exchange search / turn search, server CPU per page = {cpu['exchanges'] / cpu['turns']:.2f}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
