"""Time and memory to read and parse generated inputs of 0.1, 1, 10 and 50 MB (issue 14).

    PYTHONPATH=src .venv/bin/python benchmarks/profile_inputs.py [--sizes 0.1,1,10,50] [--only NAME]

Each (shape, size) runs in a fresh subprocess under a CPU-time limit (60 s) and an address
space limit (2 GB), the CLI budget of issue 14; the table shows wall time, CPU time (the
figure that does not depend on what else the machine runs), CPU seconds per MB, peak resident
memory, and whether the input parsed or was refused (and why, shortened). Well-formed
briefings in every text format should show a flat CPU s/MB; hostile shapes should
parse or be refused within the budget. Hostile shapes also run at 2 MB, the upload limit,
whose budget is 2 s and 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CPU_SECONDS = 60
MEMORY_BYTES = 2 * 1024**3

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
import hostile_inputs as H
from podium import readers
from podium.errors import PodiumError
from podium.parse import parse_document as parse
shape, size = sys.argv[1], int(float(sys.argv[2]) * 1_000_000)
make = H.WELL_FORMED.get(shape) or H.HOSTILE[shape]
data, name = make(size)
t0 = time.perf_counter()
use0 = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = use0.ru_utime + use0.ru_stime
try:
    outcome = f"{len(parse(readers.read_bytes(data, name)).turns)} turns"
except PodiumError as exc:
    outcome = "refused: " + str(exc).split(": ", 1)[-1][:48]
took = time.perf_counter() - t0
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"bytes": len(data), "seconds": took, "outcome": outcome,
                  "cpu": use.ru_utime + use.ru_stime - cpu0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _limits() -> None:
    os.environ["OMP_NUM_THREADS"] = "1"
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def run(shape: str, mb: float) -> dict[str, object]:
    """One shape at one size in a limited subprocess; a kill is reported, not raised."""
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, shape, str(mb), str(ROOT / "benchmarks")],
            capture_output=True, text=True, preexec_fn=_limits, timeout=CPU_SECONDS * 3,
        )
    except subprocess.TimeoutExpired:  # wall clock: only when the machine is badly overloaded
        return {"bytes": int(mb * 1e6), "seconds": time.perf_counter() - t0, "outcome": "HANG (wall limit)",
                "rss_mb": 0}
    if done.returncode != 0:
        why = "killed: CPU limit" if done.returncode in (-9, -24) else done.stderr.strip().splitlines()[-1:]
        return {"bytes": int(mb * 1e6), "seconds": time.perf_counter() - t0, "outcome": f"FAILED {why}", "rss_mb": 0}
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def main() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import hostile_inputs as H

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.1,1,10,50")
    ap.add_argument("--hostile-sizes", default="2,50")
    ap.add_argument("--only", default=None, help="run one shape")
    args = ap.parse_args()
    plan = [(s, float(mb)) for s in H.WELL_FORMED for mb in args.sizes.split(",")]
    plan += [(s, float(mb)) for s in H.HOSTILE for mb in args.hostile_sizes.split(",")]
    if args.only:
        plan = [p for p in plan if p[0] == args.only]
    print(f"{'shape':<18} {'MB':>6} {'wall s':>8} {'CPU s':>7} {'CPU s/MB':>8} {'peak MB':>8}  outcome")
    for shape, mb in plan:
        r = run(shape, mb)
        size = float(r["bytes"]) / 1e6  # type: ignore[arg-type]
        secs = float(r["seconds"])  # type: ignore[arg-type]
        cpu = float(r.get("cpu", float("nan")))  # type: ignore[arg-type]
        print(f"{shape:<18} {size:>6.1f} {secs:>8.2f} {cpu:>7.2f} {cpu / size:>8.2f} {float(r['rss_mb']):>8.0f}"  # type: ignore[arg-type]
              f"  {r['outcome']}", flush=True)


if __name__ == "__main__":
    main()
