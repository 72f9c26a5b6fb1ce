"""The structure eval gate: parses of the hand-checked gold transcripts must not get worse.

``tests/gold/floors.json`` holds, per gold set and source, the scores the parser reached when
the floors were set. Floors only ever rise: raise them when the parser improves, never lower
them to let a change through. ``dev`` is the set the parser was tuned on; ``heldout``,
``heldout2`` and ``heldout3`` were annotated later, each before its files were parsed (their
first, unseen scores are in docs/gold-format.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podium.errors import InputError
from podium.evaluate.structure import evaluate, load_gold

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
DATA = ROOT / ".." / "shared" / "data"
TARGETS = {"turn_recall": 0.97, "speaker_acc": 0.97, "kind_acc": 0.95, "asker_acc": 0.95}

needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data (the transcript corpus) is not here")


FLOORS = json.loads((GOLD / "floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores():  # noqa: ANN201
    return evaluate([GOLD / "dev"], DATA)


@pytest.fixture(scope="module")
def heldout():  # noqa: ANN201
    return {name: evaluate([GOLD / name], DATA) for name in FLOORS if name != "dev"}


@needs_data
def test_every_source_has_two_gold_transcripts(scores) -> None:  # noqa: ANN001
    floors = FLOORS["dev"]
    for source in floors:
        if source != "all":
            assert scores[source].files >= 2, source
    assert len([s for s in scores if s != "all"]) == 7


@needs_data
@pytest.mark.parametrize(("gold_set", "source"), [(g, s) for g in sorted(FLOORS) for s in sorted(FLOORS[g])])
def test_floors_hold(scores, heldout, gold_set: str, source: str) -> None:  # noqa: ANN001
    floors = FLOORS[gold_set][source]
    rates = (scores if gold_set == "dev" else heldout[gold_set])[source].rates()
    for metric, floor in floors.items():
        assert rates[metric] is not None and rates[metric] >= floor, (source, metric, rates[metric], floor)


@needs_data
def test_issue_targets_met_on_the_gold_set(scores) -> None:  # noqa: ANN001
    for source, sc in scores.items():
        rates = sc.rates()
        for metric, target in TARGETS.items():
            assert rates[metric] >= target, (source, metric, rates[metric])


def test_gold_files_are_well_formed() -> None:
    files = sorted(GOLD.rglob("*.json"))
    files.remove(GOLD / "floors.json")
    assert len(files) >= 32
    for f in files:
        gold = load_gold(f)
        assert len(gold["turns"]) >= 8
        assert not Path(gold["file"]).is_absolute() and gold["file"].startswith("transcripts/")
        # The gold quotes only short snippets, never transcript text.
        assert all(len(t[0]) <= 90 for t in gold["turns"])


def test_a_wrong_gold_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"file": "x", "source": "s", "turns": [["a", "b", "speech"]]}', encoding="utf-8")
    with pytest.raises(InputError, match="kind in"):
        load_gold(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_gold(bad)


@needs_data
def test_eval_catches_a_wrong_annotation(tmp_path: Path) -> None:
    """The scorer is not blind: a deliberately wrong speaker and kind are counted as misses."""
    src = json.loads((GOLD / "dev" / "china-en-t1560357-lu-kang.json").read_text(encoding="utf-8"))
    src["turns"][1][1] = "Hua Chunying"
    src["turns"][2][2] = "answer"
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(src), encoding="utf-8")
    sc = evaluate([path], DATA)["china_mfa"]
    assert sc.speaker == sc.recalled - 1 and sc.kind == sc.recalled - 1


@needs_data
def test_eval_cli_prints_every_source(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from podium.cli import app

    result = CliRunner().invoke(app, ["eval-structure", str(GOLD / "dev"), "--data", str(DATA), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) >= {"kremlin", "china_mfa", "mexico_mananeras", "all"}
    assert out["all"]["gold_turns"] >= 400
    missing = CliRunner().invoke(app, ["eval-structure", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "no such gold file" in missing.output
