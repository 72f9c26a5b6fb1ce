"""Read throughput of every reader over the shared transcript corpus, one table per run.

    python benchmarks/read_corpus.py [DATA_DIR]

DATA_DIR defaults to ../shared/data/transcripts beside the repository. Each file is read
once (bytes already in memory, so disk speed is left out); the table gives files, MB,
seconds, MB/s and the formats the readers chose, per source folder, then the total.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from podium import readers

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "transcripts"


def corpus_files(root: Path) -> dict[str, list[Path]]:
    """Transcript files per source folder (the SOURCE.md notes and CSV indexes left out)."""
    out: dict[str, list[Path]] = {}
    for src in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(
            f for f in src.rglob("*") if f.is_file() and f.name != "SOURCE.md" and f.suffix != ".csv"
        )
        out[src.name] = files
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else DEFAULT
    if not root.is_dir():
        print(f"no corpus at {root}", file=sys.stderr)
        return 1
    rows = []
    readers.read_bytes(b"warm-up: imports and regex compilation are not timed\n", "warm.txt")
    tot_n = tot_b = 0
    tot_t = 0.0
    for source, files in corpus_files(root).items():
        blobs = [(f.read_bytes(), str(f)) for f in files]
        formats: Counter[str] = Counter()
        t0 = time.perf_counter()
        for data, path in blobs:
            formats[readers.read_bytes(data, path).format] += 1
        dt = time.perf_counter() - t0
        size = sum(len(d) for d, _ in blobs)
        rows.append((source, len(blobs), size, dt, ", ".join(f"{k} {v}" for k, v in formats.items())))
        tot_n, tot_b, tot_t = tot_n + len(blobs), tot_b + size, tot_t + dt
    print(f"{'source':<34} {'files':>5} {'MB':>7} {'s':>7} {'MB/s':>7}  formats")
    for source, n, size, dt, fmts in rows:
        print(f"{source:<34} {n:>5} {size / 1e6:>7.2f} {dt:>7.2f} {size / 1e6 / dt:>7.1f}  {fmts}")
    print(f"{'total':<34} {tot_n:>5} {tot_b / 1e6:>7.2f} {tot_t:>7.2f} {tot_b / 1e6 / tot_t:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
