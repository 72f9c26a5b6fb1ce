"""``podium export`` and ``podium parse --format <export>``: files in, formats out, clean errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium.cli import app
from podium.model import Transcript

runner = CliRunner()


def run(*args: str):  # noqa: ANN201
    return runner.invoke(app, list(args))


@pytest.fixture
def folder(seed_path: Path, tmp_path: Path) -> Path:
    """A corpus folder: the reference transcript, an empty file, docs and a CSV index."""
    root = tmp_path / "in"
    (root / "nato").mkdir(parents=True)
    shutil.copy(seed_path, root / "nato" / "seed.txt")
    (root / "nato" / "empty.txt").write_text("  \n", encoding="utf-8")
    (root / "SOURCE.md").write_text("# Where these came from\n", encoding="utf-8")
    (root / "index.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return root


def test_export_folder_to_jsonl_skips_bad_files(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    result = run("export", "--to", "jsonl", str(folder), str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1  # SOURCE.md and index.csv are not transcripts
    t = Transcript.model_validate(json.loads(lines[0]))
    assert len(t.turns) == 17 and len(t.exchanges) == 5
    assert "warning: skipped" in result.stderr and "empty.txt" in result.stderr
    assert "exported 1 transcript(s) as jsonl" in result.stderr
    assert "skipped 1 unreadable file(s)" in result.stderr
    assert not out.with_name("all.jsonl.part").exists()


@pytest.mark.parametrize(
    ("options", "kept"),
    [
        (["--org", "nato"], 1),
        (["--org", "UN"], 0),
        (["--since", "2021-10-07", "--until", "2021-10-07"], 1),
        (["--since", "2022-01-01"], 0),
        (["--speaker", "kolb"], 1),
        (["--speaker", "Nobody Known"], 0),
        (["--outlet", "süddeutsche"], 1),
        (["--outlet", "Le Monde"], 0),
    ],
)
def test_filters(folder: Path, options: list[str], kept: int) -> None:
    result = run("export", "--to", "qa-csv", *options, str(folder), "-")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 12 * kept
    assert f"exported {kept} transcript(s)" in result.stderr


def test_export_convokit_folder(seed_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "ck"
    result = run("export", "--to", "convokit", str(seed_path), str(out))
    assert result.exit_code == 0, result.output
    assert "1 conversations" in result.stderr
    first = json.loads((out / "utterances.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["reply_to"] is None and first["speaker"] == "jens-stoltenberg"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--to", "jsonl", "OUT"], 2, "give input PATHS before OUT"),
        (["--to", "jsonl", "--db", "x.db", "{seed}", "OUT"], 2, "not both"),
        (["--to", "jsonl", "--since", "last week", "{seed}", "-"], 2, "YYYY-MM-DD"),
        (["--to", "jsonl", "no/such/file.txt", "-"], 1, "no such file or folder"),
        (["--to", "convokit", "{seed}", "-"], 2, "writes a folder"),
        (["--to", "html", "{seed}", "{seed}", "two.html"], 2, "give a folder as OUT"),
        (["--to", "csv", "{seed}", "-"], 2, "Invalid value"),
    ],
)
def test_errors_are_one_line(seed_path: Path, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    args = [a.replace("{seed}", str(seed_path)).replace("two.html", str(tmp_path / "two.html")) for a in args]
    result = run("export", *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "two.html").exists() and not (tmp_path / "two.html.part").exists()


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("jsonl", lambda out: len(json.loads(out)["turns"]) == 17),
        ("qa-csv", lambda out: len(list(csv.DictReader(io.StringIO(out, newline="")))) == 12),
        ("turns-csv", lambda out: len(list(csv.DictReader(io.StringIO(out, newline="")))) == 17),
        ("html", lambda out: out.startswith("<!doctype html>") and out.count('class="turn ') == 17),
    ],
)
def test_parse_single_file_formats(seed_path: Path, fmt: str, check) -> None:  # noqa: ANN001
    result = run("parse", str(seed_path), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert check(result.stdout)


def test_parse_parquet_to_stdout(seed_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    result = runner.invoke(app, ["parse", str(seed_path), "--format", "turns-parquet"])
    assert result.exit_code == 0, result.output
    table = pq.read_table(pa.BufferReader(result.stdout_bytes))
    assert table.num_rows == 17


def test_progress_bar_only_on_a_terminal(seed_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    import podium.cli.export as cli_export

    screen = io.StringIO()
    monkeypatch.setattr(cli_export, "_progress_console", lambda: Console(file=screen, force_terminal=True, width=100))
    result = run("export", "--to", "jsonl", str(seed_path), str(seed_path), str(tmp_path / "a.jsonl"))
    assert result.exit_code == 0, result.output
    assert "parsing" in screen.getvalue() and "2/2" in screen.getvalue()
    # Not a terminal (as under CliRunner or a pipe): no bar, only the one summary line.
    monkeypatch.undo()
    result = run("export", "--to", "jsonl", str(seed_path), str(tmp_path / "b.jsonl"))
    assert result.stderr.count("\n") == 1 and "parsing" not in result.stderr


def test_out_that_looks_like_input_is_refused(folder: Path, seed_path: Path, tmp_path: Path) -> None:
    victim = tmp_path / "b.txt"
    victim.write_text("Jane Doe: a transcript I meant as input\n", encoding="utf-8")
    result = run("export", "--to", "jsonl", str(seed_path), str(victim))
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert victim.read_text(encoding="utf-8").startswith("Jane Doe")
    result = run("export", "--to", "convokit", str(seed_path), str(folder))
    assert result.exit_code == 2 and "give a new or empty folder" in result.stderr
    assert not (folder / "utterances.jsonl").exists()
    # Re-exporting over a previous export of the same format is fine.
    out = tmp_path / "ck"
    for _ in range(2):
        assert run("export", "--to", "convokit", str(seed_path), str(out)).exit_code == 0
    assert run("export", "--to", "qa-csv", str(seed_path), str(tmp_path / "q.csv")).exit_code == 0
    assert run("export", "--to", "qa-csv", str(seed_path), str(tmp_path / "q.csv")).exit_code == 0


def test_db_streams_from_the_store_contract(nato: Transcript, monkeypatch: pytest.MonkeyPatch) -> None:
    """--db calls open_store(url).iter_transcripts(filters...) and exports what it yields.

    A stand-in module plays the store here; the real podium.store is tested at merge.
    """
    import sys
    import types

    calls: list[tuple[str, dict[str, str | None]]] = []

    class Store:
        def __init__(self, url: str, **_options: object) -> None:  # existing=True: read commands
            self.url = url

        def iter_transcripts(self, **filters: str | None):  # noqa: ANN201
            calls.append((self.url, filters))
            yield nato

    fake = types.ModuleType("podium.store")
    fake.open_store = Store  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "podium.store", fake)
    result = run("export", "--to", "qa-csv", "--db", "sqlite:///p.db", "--org", "NATO",
                 "--since", "2021-01-01", "--outlet", "SDZ", "-")
    assert result.exit_code == 0, result.output
    assert calls == [("sqlite:///p.db", {"org": "NATO", "since": "2021-01-01", "until": None,
                                          "speaker": None, "outlet": "SDZ"})]
    assert len(list(csv.DictReader(io.StringIO(result.stdout, newline="")))) == 12
