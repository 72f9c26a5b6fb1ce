"""The command line's conventions, and docs/cli.md kept in step with ``--help``.

One ``--format`` family: every command that prints data takes ``--format json`` and prints one
JSON document; ``--db`` is declared once; ``--help`` reads cleanly.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from podium.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-press-conference.txt"
FIXTURE_GOLD = ROOT / "tests" / "fixtures" / "eval" / "gold"
runner = CliRunner()

# Commands whose output is data (not a file they write, plain text or a server), with the
# arguments they need before their options are read.
DATA_COMMANDS: dict[tuple[str, ...], list[str]] = {
    ("parse",): [str(SAMPLE)], ("ingest",): [str(SAMPLE)], ("search",): [], ("stats",): [],
    ("check",): [str(SAMPLE.parent)], ("classify",): [str(SAMPLE)], ("eval", "clarity"): [],
    ("eval", "structure"): [str(FIXTURE_GOLD)], ("styles", "list"): [],
}


def _gen() -> Any:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "tools" / "gen_cli_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _commands() -> dict[tuple[str, ...], Any]:
    return {path[1:]: cmd for path, cmd in _gen()._commands(typer.main.get_command(app), ("podium",))}


def test_docs_cli_md_is_generated_from_the_current_help() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == _gen().render(), "docs/cli.md is stale: run python tools/gen_cli_docs.py"


def test_every_command_and_option_is_documented_and_reads_cleanly() -> None:
    for path, cmd in _commands().items():
        assert cmd.help or cmd.short_help, f"podium {' '.join(path)} has no help"
        for param in cmd.params:
            if param.param_type_name == "option" and not param.hidden:
                assert param.help, f"podium {' '.join(path)} {param.opts[0]} has no help"
        out = runner.invoke(app, [*path, "--help"], terminal_width=100).output
        assert "<bool>" not in out and "Traceback" not in out, out


def test_every_data_command_offers_format_json_and_db_is_one_declaration() -> None:
    commands = _commands()
    assert set(DATA_COMMANDS) <= set(commands)
    for path, args in DATA_COMMANDS.items():
        (fmt,) = [p for p in commands[path].params if "--format" in p.opts]
        assert "-f" in fmt.opts, path
        # A wrong value is refused before anything runs, with the choices: json among them.
        result = runner.invoke(app, [*path, *args, "--format", "bogus"])
        assert result.exit_code == 2 and "'json'" in result.output, (path, result.output)
    db_helps = {p.help for cmd in commands.values() for p in cmd.params if "--db" in getattr(p, "opts", ())}
    from podium.cli._options import DB_HELP

    assert DB_HELP in db_helps and len(db_helps) <= 2  # export's --db reads "instead of files"


def _json(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_format_json_on_the_commands_that_print_data(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    parsed = _json("parse", str(SAMPLE), "--format", "json")
    report = _json("ingest", str(SAMPLE), "--db", db, "--format", "json")
    assert report["files"] == 1 and len(report["ingested"]) == 1 and report["failed"] == []
    assert report["ingested"] == [parsed["id"]]
    again = _json("ingest", str(SAMPLE), "--db", db, "-f", "json")
    assert again["ingested"] == [] and [s["path"] for s in again["skipped"]] == [str(SAMPLE)]

    stats = _json("stats", "--db", db, "--format", "json")
    assert stats["transcripts"] == 1 and stats["turns"] == len(parsed["turns"])
    assert _json("stats", "--db", db, "--json") == stats  # the older flag, hidden

    hits = _json("search", "harbour", "--db", db, "--format", "json")
    assert hits and all(h["transcript_id"] == parsed["id"] for h in hits)
    lines = runner.invoke(app, ["search", "harbour", "--db", db, "-f", "jsonl"]).stdout.splitlines()
    assert [json.loads(line) for line in lines] == hits
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["search", "harbour", "--db", db, "-f", "csv"]).stdout)))
    assert [r["permalink"] for r in rows] == [h["permalink"] for h in hits]

    checked = _json("check", str(SAMPLE.parent), "--format", "json")
    assert checked["examples"]["files"] == 1 and checked["examples"]["turns"] == len(parsed["turns"])
    assert checked["examples"]["event_types"] == {parsed["metadata"]["event_type"]: 1}

    styles = _json("styles", "list", "--format", "json")
    assert {"nato.v1", "base.v1"} <= {s["name"] for s in styles}

    scores = _json("eval", "structure", str(FIXTURE_GOLD), "--format", "json")
    table = list(csv.DictReader(io.StringIO(
        runner.invoke(app, ["eval", "structure", str(FIXTURE_GOLD), "-f", "csv"]).stdout)))
    assert {r["source"] for r in table} == set(scores)
    assert int(table[0]["files"]) == scores[table[0]["source"]]["files"]


@pytest.mark.parametrize("args", [["stats", "--format", "xml"], ["search", "x", "-f", "yaml"]])
def test_an_unknown_format_is_a_usage_error_listing_the_choices(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "json" in result.output
