"""Read throughput of every reader over the shared transcript corpus, one table per run.

    python benchmarks/read_corpus.py [DATA_DIR] [--compare]

DATA_DIR defaults to ../shared/data/transcripts beside the repository. Each file is read
once (bytes already in memory, so disk speed is left out); the table gives files, MB,
CPU seconds of this process (one core), MB/s and the formats the readers chose, per source folder, then the total.

``--compare`` (needs ``pip install trafilatura``) also runs trafilatura on the full HTML
pages and prints, per source, both extractors' time and how many lines start with a
speaker label (``Q``, ``Name:``, ``问：``) and how many of those keep the double-space gap
the source has after the label: the evidence for reading HTML with our own selectolax walk.
"""

from __future__ import annotations

import re
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


LABEL = re.compile(r"^(?:Q(?=\s)|[^\n:：]{1,60}[:：])", re.MULTILINE)
GAP = re.compile(r"^(?:Q|[^\n:]{1,60}:)  ", re.MULTILINE)


def compare(files: dict[str, list[Path]]) -> None:
    """selectolax walk vs trafilatura on the full-page HTML sources."""
    try:
        import trafilatura
    except ImportError:
        print("--compare needs trafilatura: pip install trafilatura", file=sys.stderr)
        return
    print(
        f"\n{'HTML pages':<34} {'ours s':>7} {'traf s':>7} {'labels ours/traf':>17} "
        f"{'gaps ours/traf':>15} {'paras ours/traf':>16}"
    )
    for source in ("china_mfa", "kremlin", "whitehouse_trump_covid_taskforce"):
        blobs = [(f.read_bytes(), str(f)) for f in files.get(source, [])]
        t0 = time.process_time()
        ours = [readers.read_bytes(d, p).plain for d, p in blobs]
        t1 = time.process_time()
        theirs = [trafilatura.extract(d.decode("utf-8"), favor_recall=True, deduplicate=False) or "" for d, _ in blobs]
        t2 = time.process_time()

        def count(rx: re.Pattern[str], texts: list[str]) -> int:
            return sum(len(rx.findall(t)) for t in texts)

        paras = (sum(t.count("\n\n") + 1 for t in ours), sum(t.count("\n") + 1 for t in theirs))
        print(
            f"{source:<34} {t1 - t0:>7.2f} {t2 - t1:>7.2f} {count(LABEL, ours):>8}/{count(LABEL, theirs):<8}"
            f" {count(GAP, ours):>7}/{count(GAP, theirs):<7} {paras[0]:>7}/{paras[1]:<8}"
        )


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    root = Path(args[0]) if args else DEFAULT
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
        t0 = time.process_time()  # CPU seconds: the machine is shared, wall time is noisy
        for data, path in blobs:
            formats[readers.read_bytes(data, path).format] += 1
        dt = time.process_time() - t0
        size = sum(len(d) for d, _ in blobs)
        rows.append((source, len(blobs), size, dt, ", ".join(f"{k} {v}" for k, v in formats.items())))
        tot_n, tot_b, tot_t = tot_n + len(blobs), tot_b + size, tot_t + dt
    print(f"{'source':<34} {'files':>5} {'MB':>7} {'CPU s':>7} {'MB/s':>7}  formats")
    for source, n, size, dt, fmts in rows:
        print(f"{source:<34} {n:>5} {size / 1e6:>7.2f} {dt:>7.2f} {size / 1e6 / dt:>7.1f}  {fmts}")
    print(f"{'total':<34} {tot_n:>5} {tot_b / 1e6:>7.2f} {tot_t:>7.2f} {tot_b / 1e6 / tot_t:>7.1f}")
    if "--compare" in argv:
        compare(corpus_files(root))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
