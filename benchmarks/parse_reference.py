"""How long Podium takes on the reference transcript: in-process parse, CLI run, CLI import.

Run: .venv/bin/python benchmarks/parse_reference.py [FILE]
Prints a table of medians over repeated runs. The machine is shared, so compare ratios
within one run rather than absolute numbers across runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / ".." / "shared" / "data" / "seed" / "nato-2021-10-07-press-conference.txt"


def _median_ms(fn, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        path = ROOT / "examples" / "sample-press-conference.txt"
    from podium import parse_file

    exe = [sys.executable, "-c", "from podium.cli import main; main()"]
    rows = [
        ("parse_file() in process", _median_ms(lambda: parse_file(path), 50), 50),
        (
            "podium parse --format json (process)",
            _median_ms(lambda: subprocess.run([*exe, "parse", str(path), "--format", "json"],
                                              capture_output=True, check=True), 7),
            7,
        ),
        (
            "podium --version (process: import + start)",
            _median_ms(lambda: subprocess.run([*exe, "--version"], capture_output=True, check=True), 7),
            7,
        ),
        (
            "python -c pass (interpreter start)",
            _median_ms(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 7),
            7,
        ),
    ]
    print(f"file: {path.name} ({path.stat().st_size:,} bytes)")
    print(f"{'what':46} {'median ms':>10} {'runs':>5}")
    for name, ms, runs in rows:
        print(f"{name:46} {ms:10.1f} {runs:5d}")


if __name__ == "__main__":
    main()
