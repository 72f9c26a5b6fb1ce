"""The fuzz harness, short: mutated real files and hostile shapes neither crash nor hang (issue 14).

The long run and its figures: ``benchmarks/fuzz.py --seconds 600`` (see the closing note of
issue 14). This CI version fuzzes for 40 s with a fixed seed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import need_shared

ROOT = Path(__file__).resolve().parents[1]


def test_short_fuzz_run_has_no_crash_hang_or_memory_blowup(tmp_path: Path) -> None:
    need_shared()
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fuzz.py"), "--seconds", "40", "--seed", "7", "--json",
         "--out", str(tmp_path / "findings")],
        capture_output=True, text=True, timeout=400, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["inputs"] >= 30
    assert (summary["crash"], summary["hang"], summary["memory"]) == (0, 0, 0), (summary, done.stderr[-3000:])
    assert summary["parsed"] > 0 and summary["refused"] > 0
    assert {".pdf", ".html", ".md", ".txt"} <= set(summary["by_format"])
