"""``podium check``: every file parsed, crashes told apart from clean refusals, per source."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from podium.cli import app
from podium.evaluate.check import check

FIX = Path(__file__).parent / "fixtures" / "nato"


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "nato").mkdir(parents=True)
    (root / "broken").mkdir()
    for f in FIX.glob("*.txt"):
        shutil.copy(f, root / "nato" / f.name)
    (root / "nato" / "SOURCE.md").write_text("# not a transcript\n", encoding="utf-8")
    (root / "broken" / "empty.txt").write_text("", encoding="utf-8")
    (root / "broken" / "binary.txt").write_bytes(b"\x00\x01\x02")
    return root


def test_report_per_source(tmp_path: Path) -> None:
    reports = check(_corpus(tmp_path))
    nato, broken = reports["nato"], reports["broken"]
    assert nato.files == 5 and not nato.crashes and not nato.refused  # SOURCE.md skipped
    assert nato.no_exchanges == ["nato/caption-repeated-title.txt"]  # a statement, no Q&A
    assert nato.event_types["speech"] == 1 and nato.styles["nato.v1"] == 5
    assert broken.files == 2 and len(broken.refused) == 2 and not broken.crashes


def test_cli(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(_corpus(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "nato" in result.output and "refused broken/empty.txt" in result.output
    missing = CliRunner().invoke(app, ["check", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "not a folder" in missing.output
