"""``analyze`` and ``podium parse --analyze`` on the reference NATO transcript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("tokenizers", reason="needs the embed extra")

import podium  # noqa: E402
from podium.analyze import analyze  # noqa: E402
from podium.analyze.labels import EVASION_TO_CLARITY  # noqa: E402
from podium.cli import app  # noqa: E402
from podium.model import Exchange, Question, Transcript  # noqa: E402


@pytest.fixture(scope="module")
def analysed(nato: Transcript) -> Transcript:
    return analyze(nato)


def _exchange(t: Transcript, asker: str) -> Exchange:
    return next(ex for ex in t.exchanges if ex.asker == asker)


def _answer_text(t: Transcript, ex: Exchange, q: Question) -> str:
    assert t.source.path is not None
    plain = Path(t.source.path).read_text(encoding="utf-8")  # a text file's plain text is its own text
    assert q.answer_spans is not None
    for s, e in q.answer_spans:
        assert any(t.turns[i].span[0] <= s < e <= t.turns[i].span[1] for i in ex.answer_turns)
    return " ".join(plain[s:e] for s, e in q.answer_spans)


def test_somer_date_question_is_a_declined_non_reply(analysed: Transcript) -> None:
    ex = _exchange(analysed, "iryna-somer")
    assert len(ex.questions) == 4
    q = ex.questions[3]
    assert q.text.startswith("And by the way, do you have a date for the Summit yet")
    assert "not yet announced" in _answer_text(analysed, ex, q)
    assert q.clarity is not None and q.clarity.label == "clear_non_reply"
    assert q.evasion is not None and q.evasion.label == "declining"


def test_aspirant_question_is_judged_by_its_own_sentences(analysed: Transcript) -> None:
    """Not by the date sentence of its sibling question (which made it a non-reply before)."""
    ex = _exchange(analysed, "iryna-somer")
    q = next(q for q in ex.questions if "aspirant countries" in q.text)
    text = _answer_text(analysed, ex, q)
    assert "Ukraine" in text and "not yet announced" not in text
    assert q.clarity is not None and q.clarity.label != "clear_non_reply"


def test_jozwiak_accreditation_question_is_a_clear_reply(analysed: Transcript) -> None:
    ex = _exchange(analysed, "rikard-jozwiak")
    linked = [q for q in ex.questions if "withdrawn the accreditation" in _answer_text(analysed, ex, q)]
    assert len(linked) == 1
    assert "intelligence" in linked[0].text
    for q in ex.questions:
        assert q.clarity is not None and q.clarity.label == "clear_reply"


def test_every_question_is_labelled_consistently(analysed: Transcript) -> None:
    qs = [q for ex in analysed.exchanges for q in ex.questions]
    assert len(qs) == 12
    for q in qs:
        assert q.clarity is not None and q.evasion is not None and q.answer_spans is not None
        assert EVASION_TO_CLARITY[q.evasion.label] == q.clarity.label
        assert 0 < q.clarity.score < 1
    assert analysed.analysis["clarity"]["model"] == "podium.clarity-v1"


def test_analyze_returns_a_copy(seed_path: Path) -> None:
    t = podium.parse_file(str(seed_path))
    analyze(t)
    assert all(q.clarity is None for ex in t.exchanges for q in ex.questions)


def test_no_special_case_for_the_reference_transcript() -> None:
    """The labels must come from the method: no NATO names or phrases in the analysis code."""
    src = Path(podium.__file__).parent / "analyze"
    code = " ".join(p.read_text(encoding="utf-8") for p in [*src.glob("*.py"), *src.glob("*.toml")]).lower()
    for word in ("somer", "jozwiak", "summit", "accreditation", "stoltenberg", "twenty"):
        assert word not in code
    assert not re.search(r"\bnato\b", code)


def test_parse_analyze_prints_a_badge_per_question(seed_path: Path) -> None:
    result = CliRunner().invoke(app, ["parse", str(seed_path), "--analyze"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    badges = re.findall(r"\[(clear_reply|ambivalent|clear_non_reply)\]", result.output)
    assert len(badges) == 12
    assert "date for the Summit yet. [clear_non_reply]" in result.output


def test_analysed_json_validates_and_round_trips(analysed: Transcript) -> None:
    import json

    import jsonschema

    root = Path(__file__).resolve().parents[1]
    schema = json.loads((root / "docs" / "transcript.schema.json").read_text(encoding="utf-8"))
    doc = json.loads(json.dumps(analysed.to_json_dict()))
    jsonschema.Draft202012Validator(schema).validate(doc)
    q = doc["exchanges"][3]["questions"][3]
    assert q["clarity"]["label"] == "clear_non_reply" and isinstance(q["answer_spans"][0], list)
    assert Transcript.model_validate(doc).to_json_dict() == doc
