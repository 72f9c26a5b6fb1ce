"""Pieces from different issues working together: store → export, ingest --analyze, caption timings."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium import parse_file
from podium.cli import app

ROOT = Path(__file__).resolve().parent
runner = CliRunner()


def test_export_streams_from_a_real_store(tmp_path: Path, seed_path: Path) -> None:
    db = tmp_path / "c.db"
    shutil.copy(ROOT.parent / "examples" / "sample-press-conference.txt", tmp_path / "sample.txt")
    shutil.copy(seed_path, tmp_path / "nato.txt")
    ingest = runner.invoke(app, ["ingest", str(tmp_path / "nato.txt"), str(tmp_path / "sample.txt"), "--db", str(db), "-j", "1"])
    assert ingest.exit_code == 0, ingest.output
    out = tmp_path / "qa.csv"
    result = runner.invoke(app, ["export", "--to", "qa-csv", "--db", str(db), str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 12 + 3  # 12 questions at NATO, 3 in the sample
    nato = [r for r in rows if r["organisation"] == "NATO"]
    assert [r["asker"] for r in nato][:2] == ["matthias-kolb", "matthias-kolb"]
    # the store's filters reach the export
    only = tmp_path / "nato.jsonl"
    assert runner.invoke(app, ["export", "--to", "jsonl", "--db", str(db), "--org", "NATO", str(only)]).exit_code == 0
    lines = only.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["metadata"]["principal"] == "Jens Stoltenberg"


def test_caption_turns_keep_their_times() -> None:
    t = parse_file(ROOT / "fixtures" / "readers" / "captions.vtt")
    first, question = t.turns[0], t.turns[1]
    assert (first.start, first.end) == (1.0, 6.0)
    assert question.kind == "question" and question.start == 6.2
    assert all(turn.start is not None and turn.end is not None and turn.start <= turn.end for turn in t.turns)


def test_text_turns_have_no_times(nato) -> None:  # noqa: ANN001
    assert all(turn.start is None and turn.end is None for turn in nato.turns)


def test_ingest_analyze_stores_clarity_labels(tmp_path: Path, seed_path: Path) -> None:
    pytest.importorskip("tokenizers", reason="needs the embed extra")
    db = tmp_path / "a.db"
    result = runner.invoke(app, ["ingest", str(seed_path), "--db", str(db), "--analyze", "-j", "1"])
    assert result.exit_code == 0, result.output
    found = runner.invoke(app, ["search", "--clarity", "clear_non_reply", "--db", str(db), "--format", "json"])
    assert found.exit_code == 0, found.output
    hits = json.loads(found.stdout)
    assert hits, "the date question to Iryna Somer is a non-reply"
    from podium.store import open_store

    with open_store(str(db)) as store:
        (tr,) = list(store.iter_transcripts())
    labels = [q.clarity.label for e in tr.exchanges for q in e.questions if q.clarity]
    assert len(labels) == 12
    assert tr.exchanges[3].questions[3].clarity.label == "clear_non_reply"


def test_principal_filter_in_store_cli_and_web(tmp_path: Path, seed_path: Path) -> None:
    db = tmp_path / "p.db"
    shutil.copy(ROOT.parent / "examples" / "sample-press-conference.txt", tmp_path / "sample.txt")
    assert runner.invoke(app, ["ingest", str(seed_path), str(tmp_path / "sample.txt"), "--db", str(db), "-j", "1"]).exit_code == 0
    for who, n_orgs in (("Jens Stoltenberg", {"NATO"}), ("maren olsen", {None})):
        res = runner.invoke(app, ["search", "question OR questions", "--principal", who, "--db", str(db), "--format", "json"])
        assert res.exit_code == 0, res.output
        hits = json.loads(res.stdout)
        assert hits and {h["organisation"] for h in hits} == n_orgs
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from podium.web.app import create_app

    client = TestClient(create_app(str(db)))
    page = client.get("/search", params={"q": "questions", "principal": "Jens Stoltenberg"})
    assert page.status_code == 200 and "Matthias Kolb" in page.text
    none = client.get("/search", params={"q": "questions", "principal": "Nobody Atall"})
    assert none.status_code == 200 and "Matthias Kolb" not in none.text
