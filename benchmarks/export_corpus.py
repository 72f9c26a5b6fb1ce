"""Time and peak memory of exporting a whole corpus to each format, parsing files on the fly.

Run: .venv/bin/python benchmarks/export_corpus.py [CORPUS_FOLDER] [--formats jsonl,qa-csv,...]

Each format runs as its own ``podium export`` process, so its peak resident memory (from
``wait4``'s rusage) is that export's alone. A first row parses every file and writes
nothing: the difference to it is what the exporter itself costs. The machine is shared, so
compare rows within one run rather than absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / ".." / "shared" / "data" / "transcripts"

PARSE_ONLY = """
import sys
from podium.export.sources import iter_paths, parse_paths
n = sum(1 for _ in parse_paths(list(iter_paths(sys.argv[1:])), on_error=lambda p, e: None))
print(n, file=sys.stderr)
"""


def _run(cmd: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MiB, exit code and stderr of ``cmd``."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return seconds, usage.ru_maxrss / 1024, proc.returncode, text


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.exists() else 0


def _summary(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if "exported" in line]
    if not lines:
        return stderr.strip().splitlines()[-1] if stderr.strip() else ""
    return lines[-1].split(": ", 2)[-1].split(" to ")[0]


def main() -> None:
    from podium.export import FORMATS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--formats", default=",".join(FORMATS))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        sys.exit(f"{corpus}: not found; give a corpus folder")
    podium = [sys.executable, "-c", "from podium.cli import main; main()"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        secs, mib, code, err = _run([sys.executable, "-c", PARSE_ONLY, str(corpus)])
        rows.append(("(parse only, no output)", secs, mib, 0, f"{err.strip()} transcripts parsed", code))
        for fmt in args.formats.split(","):
            spec = FORMATS[fmt]
            out = Path(tmp) / (fmt if spec.target in ("folder", "page") else f"out{spec.suffix}")
            secs, mib, code, err = _run([*podium, "export", "--to", fmt, str(corpus), str(out)])
            rows.append((fmt, secs, mib, _size(out), _summary(err), code))
    print(f"Exporting {corpus.resolve()} (each row one process; peak RSS from wait4)\n")
    print(f"| {'format':<24} | {'time s':>7} | {'peak MiB':>8} | {'output MiB':>10} | result")
    print(f"|{'-' * 26}|{'-' * 9}|{'-' * 10}|{'-' * 12}|{'-' * 40}")
    for name, secs, mib, size, note, code in rows:
        status = note if code == 0 else f"FAILED (exit {code}): {note}"
        print(f"| {name:<24} | {secs:>7.1f} | {mib:>8.0f} | {size / 2**20:>10.1f} | {status}")


if __name__ == "__main__":
    main()
