"""benchmarks/synth_archive.py writes files that the real readers and parser read as transcripts.

The scale runs of issue 16 (benchmarks/bench_scale.py, docs/scale.md) ingest its output; a
renamed parser entry point once broke it without any test noticing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import need_shared

ROOT = Path(__file__).resolve().parents[1]


def test_synthetic_files_parse_into_turns_and_exchanges_in_several_styles(tmp_path: Path) -> None:
    need_shared()
    out = tmp_path / "archive"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "synth_archive.py"), str(out), "--n", "24", "--sample", "40"],
        capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    from podium.store.ingest import collect, parse_path

    files = collect([out])
    assert len(files) == 24
    styles, texts = set(), set()
    for f in files:
        _path, doc, error = parse_path(str(f))
        assert error is None and doc is not None, error
        assert len(doc["turns"]) >= 3, f
        assert any(t.get("speaker") for t in doc["turns"]), f"{f}: no attributed turn"
        styles.add(f.name.split("-")[0])
        texts.add(f.read_text(encoding="utf-8"))
    assert len(styles) >= 3, styles
    assert len(texts) == len(files), "two synthetic files are identical"
