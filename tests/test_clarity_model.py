"""The clarity model: the acceptance margin over TF-IDF + LR, calibration, determinism, storage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("tokenizers", reason="needs the embed extra")

from podium.analyze.baselines import Majority, TfidfLR  # noqa: E402
from podium.analyze.clarity import SEED, ClarityModel, default_model  # noqa: E402
from podium.analyze.data import load_public_test, load_semeval  # noqa: E402
from podium.analyze.evaluate import score  # noqa: E402
from podium.analyze.features import FeatureBuilder, Pair  # noqa: E402
from podium.analyze.labels import EVASION_TO_CLARITY  # noqa: E402
from podium.errors import InputError  # noqa: E402

QEVASION = Path(__file__).parents[1] / ".." / "shared" / "data" / "qevasion"
needs_data = pytest.mark.skipif(not QEVASION.is_dir(), reason="../shared/data/qevasion not present")


@pytest.fixture(scope="module")
def builder() -> FeatureBuilder:
    """One builder per module: each text is embedded once however many fits use it."""
    return FeatureBuilder()


@pytest.fixture(scope="module")
def semeval_model(builder: FeatureBuilder) -> ClarityModel:
    sem = load_semeval(QEVASION)
    return ClarityModel.fit([x.pair for x in sem], [x.clarity for x in sem], [x.evasion for x in sem],
                            [x.group for x in sem], builder=builder)


@needs_data
def test_beats_tfidf_lr_on_public_test_split(semeval_model: ClarityModel) -> None:
    """Acceptance: trained on SemEval, clarity macro-F1 on the public split >= TF-IDF+LR + 0.10."""
    sem, pub = load_semeval(QEVASION), load_public_test(QEVASION)
    preds = semeval_model.predict([x.pair for x in pub])
    mine = score("a", "podium", pub, [p.clarity for p in preds], [p.evasion for p in preds],
                 [p.clarity_score for p in preds])
    tp = [x.pair for x in sem]
    tfidf = TfidfLR(seed=SEED).fit(tp, [x.clarity for x in sem]).predict([x.pair for x in pub])
    base = score("a", "tfidf", pub, tfidf, tfidf, None)
    majority = score("a", "maj", pub, Majority().fit(tp, [x.clarity for x in sem]).predict([x.pair for x in pub]),
                     ["explicit"] * len(pub), None)
    assert mine.clarity_f1 >= base.clarity_f1 + 0.10
    assert mine.clarity_f1 > majority.clarity_f1 + 0.15
    assert mine.evasion_f1_majority > base.evasion_f1_majority
    assert mine.clarity_ece is not None and mine.clarity_ece < 0.15  # scores are calibrated


@needs_data
def test_training_is_deterministic_and_survives_save_load(
    semeval_model: ClarityModel, builder: FeatureBuilder, tmp_path: Path
) -> None:
    sem = load_semeval(QEVASION)
    again = ClarityModel.fit([x.pair for x in sem], [x.clarity for x in sem], [x.evasion for x in sem],
                             [x.group for x in sem], builder=builder)
    assert np.allclose(again.clarity.coef, semeval_model.clarity.coef)
    path = tmp_path / "m.npz"
    semeval_model.save(path)
    loaded = ClarityModel.load(path)
    pairs = [x.pair for x in sem[:40]]
    a, b = semeval_model.predict(pairs), loaded.predict(pairs)
    assert [p.clarity for p in a] == [p.clarity for p in b]
    assert np.allclose([p.clarity_score for p in a], [p.clarity_score for p in b], atol=1e-4)


def test_shipped_model_never_saw_the_public_test_split() -> None:
    m = default_model()
    assert "public_test" not in m.meta["trained_on"]
    assert "semeval" in m.meta["trained_on"]
    assert "licence" in m.meta


def test_shipped_model_labels_are_consistent_and_scored() -> None:
    pairs = [
        Pair("Will you raise taxes on the middle class?", "I'm not going to comment on that. No comment."),
        Pair("How many troops will you send?", "We will send 3,000 troops, starting next week."),
        Pair("What is your plan for the economy?", "Well, let me tell you, the American people are great."),
    ]
    preds = default_model().predict(pairs)
    for p in preds:
        assert EVASION_TO_CLARITY[p.evasion] == p.clarity
        assert 0.0 < p.clarity_score < 1.0 and 0.0 < p.evasion_score < 1.0
    assert preds[0].clarity == "clear_non_reply"
    assert preds[1].clarity == "clear_reply"


def test_loading_a_foreign_file_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(InputError, match="not a Podium clarity model"):
        ClarityModel.load(bad)
