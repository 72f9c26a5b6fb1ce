"""Scoring rules of `podium eval clarity`, the train split hook, and the train/eval commands."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytest.importorskip("sklearn")

from podium.analyze import evaluate, report  # noqa: E402
from podium.analyze import train as train_mod  # noqa: E402
from podium.analyze.data import LabelledPair, load_train  # noqa: E402
from podium.analyze.features import Pair  # noqa: E402
from podium.cli import app  # noqa: E402

QEVASION = Path(__file__).parents[1] / ".." / "shared" / "data" / "qevasion"
needs_data = pytest.mark.skipif(not QEVASION.is_dir(), reason="../shared/data/qevasion not present")


def _lp(clarity: str, *evasion: str, group: str = "g") -> LabelledPair:
    return LabelledPair(Pair("q?", "a."), clarity, evasion, "test", group)


def test_nine_class_scored_against_majority_and_any() -> None:
    test = [_lp("ambivalent", "dodging", "general", "dodging"), _lp("clear_reply", "explicit", "implicit")]
    s = evaluate.score("x", "m", test, ["ambivalent", "clear_reply"], ["general", "implicit"])
    assert s.evasion_acc_majority == 0.0  # majorities are dodging, explicit (tie → first)
    assert s.evasion_acc_any == 1.0  # both predictions were given by some annotator
    assert s.evasion_f1_any == 1.0
    assert s.clarity_acc == 1.0 and s.clarity_f1 == 1.0


def test_cv_folds_keep_an_answer_in_one_fold() -> None:
    items = [_lp(c, "explicit", group=f"g{i // 3}") for i, c in enumerate(["clear_reply", "ambivalent", "clear_non_reply"] * 10)]
    folds = evaluate.cv_folds(items, k=5)
    assert sorted(i for _, te in folds for i in te) == list(range(30))
    for tr, te in folds:
        assert not {items[i].group for i in tr} & {items[i].group for i in te}
    assert folds == evaluate.cv_folds(items, k=5)  # fixed seed


def test_markdown_report_shows_gain_lines() -> None:
    test = [_lp("ambivalent", "dodging"), _lp("clear_reply", "explicit")]
    scores = [evaluate.score("(a) x", "TF-IDF + LR", test, ["ambivalent"] * 2, ["dodging"] * 2),
              evaluate.score("(a) x", "podium", test, ["ambivalent", "clear_reply"], ["dodging", "explicit"], [0.9, 0.8])]
    md = report.markdown(scores, "# Title")
    assert md.startswith("# Title") and "| (a) x | podium | 2 | 1.000 | 1.000 |" in md
    assert "+0.667 vs TF-IDF + LR" in md


def _write_train(root: Path) -> None:
    (root / "train").mkdir(parents=True)
    cols = ["url", "question", "interview_question", "interview_answer", "clarity_label", "evasion_label",
            "annotator1", "annotator2", "annotator3"]
    with (root / "train" / "part1.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerow({"url": "u1", "question": "Will you go?", "interview_question": "Q. Will you go?",
                    "interview_answer": "THE PRESIDENT. Yes, I will go.", "clarity_label": "Clear Reply",
                    "evasion_label": "Explicit", "annotator1": "", "annotator2": "", "annotator3": ""})
        w.writerow({"url": "u2", "question": "Why?", "interview_question": "Q. Why?",
                    "interview_answer": "No comment.", "clarity_label": "", "evasion_label": "Declining to answer",
                    "annotator1": "", "annotator2": "", "annotator3": ""})


def test_train_split_is_picked_up_when_it_appears(tmp_path: Path) -> None:
    assert load_train(tmp_path) == []
    _write_train(tmp_path)
    rows = load_train(tmp_path)
    assert [(r.clarity, r.evasion) for r in rows] == [("clear_reply", ("explicit",)), ("clear_non_reply", ("declining",))]
    assert rows[0].pair == Pair("Will you go?", "Yes, I will go.")


@needs_data
def test_train_uses_semeval_plus_train_split_never_public(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "qevasion"
    root.mkdir()
    (root / "semeval2026_eval").symlink_to((QEVASION / "semeval2026_eval").resolve())
    (root / "hf_test_split").symlink_to((QEVASION / "hf_test_split").resolve())
    _write_train(root)
    seen: dict[str, Any] = {}

    class Fake:
        meta: dict[str, Any] = {}

        def save(self, path: Path) -> None:
            seen["saved"] = path

    def fake_fit(pairs: list[Pair], clarity: list[str], evasion: list[Any], groups: list[str], meta: dict[str, Any]) -> Fake:
        seen.update(n=len(pairs), meta=meta)
        f = Fake()
        f.meta = {**meta, "n_pairs": len(pairs)}
        return f

    monkeypatch.setattr(train_mod.ClarityModel, "fit", staticmethod(fake_fit))
    out = tmp_path / "m.npz"
    result = CliRunner().invoke(app, ["train", "clarity", "--data", str(root), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert seen["n"] == 237 + 2 and seen["saved"] == out
    assert seen["meta"]["trained_on"] == ["semeval", "train:part1.csv"]
    assert "239 pairs" in result.stdout


def test_eval_is_a_sub_app_with_clarity() -> None:
    r = CliRunner().invoke(app, ["eval", "--help"])
    assert r.exit_code == 0 and "clarity" in r.stdout


@pytest.mark.parametrize("cmd", [["eval", "clarity"], ["train", "clarity"], ["train", "clarity", "--model", "v2"]])
def test_missing_data_is_a_one_line_error(tmp_path: Path, cmd: list[str]) -> None:
    r = CliRunner().invoke(app, [*cmd, "--data", str(tmp_path), "--no-write-docs"] if cmd[0] == "eval"
                           else [*cmd, "--data", str(tmp_path)])
    assert r.exit_code == 1
    assert r.stderr.startswith("podium: error:") and r.stderr.count("\n") == 1
