"""The command line: outputs for good input, one-line errors and exit codes for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium import __version__
from podium.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-press-conference.txt"
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201
    return runner.invoke(app, list(args), env=env)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"podium {__version__}"


def test_parse_json_reference(seed_path: Path) -> None:
    result = run("parse", str(seed_path), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "podium.transcript/1"
    assert len(doc["turns"]) == 17 and len(doc["exchanges"]) == 5
    assert [e["asker"] for e in doc["exchanges"]][0] == "matthias-kolb"


def test_parse_pretty_shows_exchanges(seed_path: Path) -> None:
    result = run("parse", str(seed_path))
    assert result.exit_code == 0
    out = result.stdout
    for needle in ("Jens Stoltenberg", "Exchange 1: Matthias Kolb (SDZ, in room)", "Verdens Gang, remote"):
        assert needle in out


def test_parse_markdown(seed_path: Path) -> None:
    result = run("parse", str(seed_path), "--format", "markdown")
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith("# Press Conference by NATO Secretary General Jens Stoltenberg")
    assert "**Matthias Kolb (SDZ)** _(in room)_:" in md
    assert "> 4 question(s):" in md


def test_extract_gives_the_text_spans_point_into(seed_path: Path) -> None:
    plain = run("extract", str(seed_path)).stdout
    doc = json.loads(run("parse", str(seed_path), "--format", "json").stdout)
    for turn in doc["turns"]:
        assert plain[turn["span"][0] : turn["span"][1]] == turn["text"]


def test_sample_transcript_parses() -> None:
    doc = json.loads(run("parse", str(SAMPLE), "--format", "json").stdout)
    assert [t["kind"] for t in doc["turns"]] == [
        "statement", "moderation", "question", "answer", "moderation", "question", "answer", "closing",
    ]
    ex = doc["exchanges"]
    assert [(e["asker"], e["channel"], len(e["questions"])) for e in ex] == [
        ("lena-park", "in_room", 2), ("sami-virtanen", "remote", 1),
    ]
    assert doc["metadata"]["principal"] == "Maren Olsen"


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _bad(d, "empty.txt", b""), "empty"),
        (lambda d: _bad(d, "blank.txt", b" \n\n \t\n"), "empty"),
        (lambda d: _bad(d, "bin.txt", b"\x7fELF\x02\x01\x00\x00binary"), "binary"),
        (lambda d: _bad(d, "latin1.txt", "Déclaration: café\n".encode("latin-1")), "not UTF-8"),
    ],
)
@pytest.mark.parametrize("command", ["parse", "extract"])
def test_bad_input_is_one_line_and_exit_1(tmp_path: Path, make, message: str, command: str) -> None:  # noqa: ANN001
    path = make(tmp_path)
    result = run(command, str(path))
    assert result.exit_code == 1
    err = result.stderr
    assert message in err and err.startswith("podium: error: ") and err.count("\n") == 1
    assert "Traceback" not in result.output


def test_size_limit_refuses_huge_files_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # a sparse 200 MB file: refused before any byte is read
        fh.truncate(200 * 1024 * 1024)
    result = run("parse", str(big))
    assert result.exit_code == 1 and "over the 52,428,800-byte limit" in result.stderr
    small = run("parse", str(SAMPLE), "--max-bytes", "100")
    assert small.exit_code == 1 and "--max-bytes" in small.stderr
    env = run("parse", str(SAMPLE), env={"PODIUM_MAX_BYTES": "100"})
    assert env.exit_code == 1 and "100-byte limit" in env.stderr
    assert run("parse", str(SAMPLE), env={"PODIUM_MAX_BYTES": "lots"}).exit_code == 1


def test_wrong_usage_exits_2() -> None:
    assert run("parse", str(SAMPLE), "--format", "yaml").exit_code == 2
    assert run("parse").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_unknown_style_is_a_clear_error() -> None:
    result = run("parse", str(SAMPLE), "--style", "nonesuch.v9")
    assert result.exit_code == 1
    assert "unknown style 'nonesuch.v9'" in result.stderr and "nato.v1" in result.stderr


def test_real_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from podium.cli import main; main()", "parse", str(tmp_path / "nope.txt")],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("podium: error:") and "Traceback" not in proc.stderr
