"""Parse diagnostics: a parse that found no structure says so, a good parse stays quiet."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium import Transcript, parse_file
from podium.cli import app
from podium.model import Exchange, Metadata, Participant, Source, Turn
from podium.parse.diagnostics import diagnose, summary
from podium.store import open_store
from podium.store.ingest import ingest
from tests.conftest import SHARED, need_shared

PODIUM = str(Path(sys.executable).with_name("podium"))

# Prose written for this test: sentences with no speaker label, no colon, no "Q." lead.
_SENTENCES = (
    "The committee met twice this quarter and agreed to keep the rate where it was.",
    "Inflation has come down from its peak but remains above the goal we set ourselves.",
    "Labour markets are still tight in most regions although hiring has slowed a little.",
    "We will watch the incoming data closely and adjust the path of policy as needed.",
    "Several members noted that credit conditions have tightened for small firms.",
    "Households continue to spend, helped by savings built up over the past years.",
)


def prose(chars: int = 6000) -> str:
    """About ``chars`` characters of unlabelled prose in paragraphs of three sentences."""
    paras, n = [], 0
    while sum(len(p) for p in paras) < chars:
        paras.append(" ".join(_SENTENCES[(n + k) % len(_SENTENCES)] for k in range(3)))
        n += 1
    return "Monetary policy statement\n\n" + "\n\n".join(paras) + "\n"


def _folder(tmp_path: Path) -> Path:
    """One good transcript (the NATO reference) and one unlabelled file, one source each."""
    need_shared()
    root = tmp_path / "corpus"
    (root / "nato").mkdir(parents=True)
    (root / "central").mkdir()
    shutil.copy(SHARED / "data" / "seed" / "nato-2021-10-07-press-conference.txt", root / "nato" / "nato.txt")
    (root / "central" / "statement.txt").write_text(prose(), encoding="utf-8")
    return root


def test_unlabelled_prose_is_one_turn_without_confidence(tmp_path: Path) -> None:
    f = tmp_path / "statement.txt"
    f.write_text(prose(), encoding="utf-8")
    t = parse_file(f)
    d = t.diagnostics
    assert d is not None and d.turns == len(t.turns) == 1
    assert d.confidence == "none" and d.labelled_share == 0.0 and d.speaker_share == 0.0
    assert d.largest_turn_chars > 5000 and d.exchanges == 0 and d.anonymous_question_share is None
    assert d.warnings[0] == f"{d.largest_turn_chars / 1000:.0f} KB in one turn: no speaker labels recognised"
    assert summary(d).startswith("1 turn, labels cover 0% — 6 KB in one turn")


def test_nato_reference_is_ok_and_quiet(nato: Transcript) -> None:
    d = nato.diagnostics
    assert d is not None and d.confidence == "ok" and d.warnings == []
    assert (d.turns, d.exchanges, d.anonymous_question_share) == (17, 5, 0.0)
    # The unlabelled opening statement (2,837 of ~11,000 characters) is attributed, not labelled.
    assert 0.6 < d.labelled_share < 0.9 and d.speaker_share > 0.9
    assert d.largest_turn_chars == max(len(turn.text) for turn in nato.turns)


def test_fed_pdf_diagnostics_agree_with_its_structure() -> None:
    """Whatever the parser makes of a Fed PDF, the diagnostics must not call a one-turn parse ok."""
    need_shared()
    t = parse_file(SHARED / "data" / "transcripts" / "fed_fomc" / "FOMCpresconf20231213.pdf")
    d = t.diagnostics
    assert d is not None and (d.turns, d.exchanges) == (len(t.turns), len(t.exchanges))
    if len(t.turns) <= 1:
        assert d.confidence == "none" and "KB in one turn" in d.warnings[0]
    if not t.exchanges:  # the title says press conference: no exchanges is never ok
        assert d.confidence != "ok" and any("no question–answer exchanges" in w for w in d.warnings)


def _transcript(turns: list[tuple[str | None, str | None, str]], **extra: object) -> tuple[Transcript, str]:
    """A transcript of ``(label, speaker, text)`` turns laid end to end in its plain text."""
    plain, built = "", []
    for i, (label, speaker, text) in enumerate(turns):
        start = len(plain)
        plain += text + "\n\n"
        built.append(Turn(index=i, label=label, speaker=speaker, text=text, span=(start, start + len(text))))
    return Transcript(id="t", source=Source(sha256="0"), turns=built, **extra), plain  # type: ignore[arg-type]


def test_partial_labels_are_low_confidence() -> None:
    t, plain = _transcript([(None, None, "x" * 3000), ("Q", "q", "y" * 1000), ("A", "a", "z" * 1000)])
    d = diagnose(t, plain)
    assert d.confidence == "low" and d.labelled_share == 0.4
    assert d.warnings == ["speaker labels cover only 40% of the text"]


def test_press_conference_without_exchanges_and_unnamed_askers() -> None:
    turns = [("Q", "q", "Why now?"), ("Minister", "m", "Because."), ("Q", "q", "And then?"), ("Minister", "m", "Wait.")]
    t, plain = _transcript(turns, metadata=Metadata(event_type="press_conference"))
    d = diagnose(t, plain)
    assert d.confidence == "low" and d.anonymous_question_share is None
    assert d.warnings == ["no question–answer exchanges found in a document that reads like a press conference"]
    t.participants = [Participant(id="q"), Participant(id="m", name="Ann Minister"), Participant(id="r", name="Rae")]
    t.exchanges = [Exchange(index=0, asker="q", question_turn=0), Exchange(index=1, asker="q", question_turn=2),
                   Exchange(index=2, asker="r", question_turn=2)]
    t.analysis["label_grammar"] = "name-colon"
    d = diagnose(t, plain)
    assert d.confidence == "ok" and d.anonymous_question_share == 0.667 and d.label_grammar == "name-colon"
    assert d.warnings == ["67% of questions have no named asker"]


def test_short_unlabelled_text_is_not_flagged() -> None:
    t, plain = _transcript([(None, None, "A short statement of two sentences. Nothing more to say.")])
    d = diagnose(t, plain)
    assert d.confidence == "ok" and d.warnings == [] and d.label_grammar is None


def test_parse_cli_shows_diagnostics(tmp_path: Path) -> None:
    f = tmp_path / "statement.txt"
    f.write_text(prose(), encoding="utf-8")
    pretty = CliRunner().invoke(app, ["parse", str(f)])
    assert pretty.exit_code == 0 and "parse confidence none" in pretty.output
    assert "warning: 6 KB in one turn: no speaker labels recognised" in pretty.output
    out = CliRunner().invoke(app, ["parse", str(f), "--format", "json"])
    doc = json.loads(out.output)
    assert doc["diagnostics"]["confidence"] == "none" and doc["diagnostics"]["turns"] == 1


def test_check_lists_the_low_confidence_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(_folder(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("low confidence ")]
    assert lines == ["low confidence central/statement.txt: 1 turn, labels cover 0% — "
                     "6 KB in one turn: no speaker labels recognised"]


def test_ingest_warns_stores_and_exits_0(tmp_path: Path) -> None:
    root, db = _folder(tmp_path), tmp_path / "p.db"
    out = subprocess.run([PODIUM, "ingest", str(root), "--db", str(db), "-j", "1"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    warned = [line for line in out.stderr.splitlines() if "low confidence" in line]
    assert len(warned) == 1 and "statement.txt: 1 turn, labels cover 0%" in warned[0]
    assert "ingested 2, skipped 0, failed 0" in out.stdout
    assert "1 stored with low parse confidence" in out.stdout.splitlines()[-1]


def test_store_keeps_the_diagnostics(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.db") as s:
        report = ingest(s, [_folder(tmp_path)], jobs=1)
        assert [Path(p).name for p, _ in report.low_confidence] == ["statement.txt"]
        stored = {Path(t.source.path or "").name: t.diagnostics for t in map(s.get, report.ingested)}
    assert stored["statement.txt"] is not None and stored["statement.txt"].confidence == "none"
    assert stored["nato.txt"] is not None and stored["nato.txt"].confidence == "ok"


@pytest.mark.parametrize("event", ["speech", "other"])
def test_one_long_turn_in_a_speech_is_not_a_failure_when_labelled(event: str) -> None:
    t, plain = _transcript([("President", "p", "w" * 8000)], metadata=Metadata(event_type=event))
    d = diagnose(t, plain)
    assert (d.confidence, d.warnings) == (
        ("ok", []) if event == "speech" else ("low", ["8 KB in one turn: one speaker throughout"]))
