"""Features see only question and answer: label columns of the data cannot leak in."""

from __future__ import annotations

import csv
import dataclasses
import random
from pathlib import Path

import pytest

from podium.analyze import cues
from podium.analyze.data import LabelledPair, load_public_test, load_semeval
from podium.analyze.features import FeatureBuilder, FeatureConfig, Pair, content_words, scalar_names, scalars
from podium.analyze.labels import EVASION_TO_CLARITY, normalise

QEVASION = Path(__file__).parents[1] / ".." / "shared" / "data" / "qevasion"
needs_data = pytest.mark.skipif(not QEVASION.is_dir(), reason="../shared/data/qevasion not present")
LEAKY = ("annotator1", "annotator2", "annotator3", "gpt3.5_summary", "gpt3.5_prediction",
         "clarity_label", "evasion_label", "annotator_id")


def test_pair_holds_question_and_answer_only() -> None:
    assert [f.name for f in dataclasses.fields(Pair)] == ["question", "answer"]


def test_builder_refuses_anything_but_pairs() -> None:
    row = {"question": "Q?", "answer": "A.", "annotator1": "Explicit"}
    with pytest.raises(TypeError, match="Pair"):
        FeatureBuilder(FeatureConfig(embeddings=False)).transform([row])  # type: ignore[list-item]
    lp = LabelledPair(Pair("Q?", "A."), "clear_reply", ("explicit",), "x", "g")
    with pytest.raises(TypeError):
        FeatureBuilder(FeatureConfig(embeddings=False)).transform([lp])  # type: ignore[list-item]


@needs_data
def test_scrambling_label_columns_changes_no_feature(tmp_path: Path) -> None:
    """Rewrite the public split with every label column shuffled: pairs and features stay put."""
    src = QEVASION / "hf_test_split" / "test.csv"
    with src.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows, cols = list(reader), reader.fieldnames or []
    rng = random.Random(7)
    for col in LEAKY:
        values = [r[col] for r in rows]
        rng.shuffle(values)
        for r, v in zip(rows, values, strict=True):
            r[col] = v or "Explicit"
    root = tmp_path / "qevasion"
    (root / "hf_test_split").mkdir(parents=True)
    with (root / "hf_test_split" / "test.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    original = load_public_test(QEVASION)
    scrambled = load_public_test(root)
    assert len(original) == 308 and len(scrambled) == 308
    assert [x.pair for x in original] == [x.pair for x in scrambled]
    assert [x.clarity for x in original] != [x.clarity for x in scrambled]  # the scramble bit
    fb = FeatureBuilder(FeatureConfig(embeddings=False))
    assert (fb.transform([x.pair for x in original]) == fb.transform([x.pair for x in scrambled])).all()


@needs_data
def test_loaders_read_gold_labels() -> None:
    sem, pub = load_semeval(QEVASION), load_public_test(QEVASION)
    assert len(sem) == 237 and len(pub) == 308
    assert sum(x.clarity == "ambivalent" for x in pub) == 206
    assert sum(x.clarity == "clear_non_reply" for x in sem) == 35
    assert all(len(x.evasion) == 2 for x in sem) and all(len(x.evasion) == 3 for x in pub)
    assert not any(x.pair.question.startswith("Q.") or x.pair.answer.startswith("THE PRESIDENT.") for x in pub)


def test_majority_label_ties_go_to_first_annotator() -> None:
    lp = LabelledPair(Pair("q", "a"), "ambivalent", ("implicit", "dodging"), "x", "g")
    assert lp.evasion_majority == "implicit"
    lp = LabelledPair(Pair("q", "a"), "ambivalent", ("general", "dodging", "dodging"), "x", "g")
    assert lp.evasion_majority == "dodging"


@pytest.mark.parametrize(("raw", "label"), [
    ("Clear Reply", "clear_reply"), ("Direct Non-Reply", "clear_non_reply"),
    ("Declining to answer", "declining"), ("Claims Ignorance", "claims_ignorance"),
    ("Partial/half-answer", "partial"), ("Partial", "partial"), (" Dodging", "dodging"), ("", None),
])
def test_label_spellings(raw: str, label: str | None) -> None:
    assert normalise(raw) == label


def test_every_evasion_label_has_a_clarity_parent() -> None:
    assert set(EVASION_TO_CLARITY.values()) == {"clear_reply", "ambivalent", "clear_non_reply"}
    assert len(EVASION_TO_CLARITY) == 9


@pytest.mark.parametrize(("answer", "category"), [
    ("Yes, we have a date in mind, but we have not yet announced it; you will get the date soon.", "declining"),
    ("I'm not going to comment on private conversations.", "declining"),
    ("Well, I think it's a bit early now to prejudge what leaders will decide.", "declining"),
    ("I don't know. I haven't seen the report.", "ignorance"),
    ("We'll see. Time will tell.", "deferral"),
    ("What do you mean by that?", "clarification"),
])
def test_cues_find_non_answers(answer: str, category: str) -> None:
    assert category in cues.matches(answer)


def test_factual_answer_has_no_refusal_cue() -> None:
    found = cues.matches("We withdrew the accreditation of eight members because they were intelligence officers.")
    assert "declining" not in found and "ignorance" not in found


def test_scalars_measure_question_uptake() -> None:
    names = scalar_names()
    on = dict(zip(names, scalars(Pair("When is the summit in Madrid?", "The summit in Madrid is in June.")), strict=True))
    off = dict(zip(names, scalars(Pair("When is the summit in Madrid?", "Our economy is growing fast.")), strict=True))
    assert on["overlap_all"] == 1.0 and off["overlap_all"] == 0.0
    assert on["wh_question"] == 1.0 and on["yes_no_question"] == 0.0
    assert "summit" in content_words("The Summits") or "summit" in content_words("the summit")


def test_embed_texts_encodes_each_distinct_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question embedded for linking, for its twins and for its features is encoded once."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("tokenizers", reason="needs the embed extra")
    import podium.embed as emb
    from podium.analyze import features

    monkeypatch.setattr(features, "_recent", features.OrderedDict())
    monkeypatch.setattr(features, "RECENT_TEXTS", 3)
    encoded: list[str] = []
    real = emb.embed

    def spy(texts: list[str]) -> object:
        encoded.extend(texts)
        return real(texts)

    monkeypatch.setattr(emb, "embed", spy)
    texts = ["Do you have a date yet?", "Thank you.", "Do you have a date yet?", "We will see."]
    first = features.embed_texts(texts)
    assert encoded == ["Do you have a date yet?", "Thank you.", "We will see."]
    again = features.embed_texts(["We will see.", "Do you have a date yet?", "Next question."])
    assert encoded[3:] == ["Next question."]  # the two seen texts came from the cache
    assert np.array_equal(again[:2], first[[3, 0]]) and np.array_equal(first, real(texts))
    features.embed_texts(["Thank you."])  # evicted: the least recently used of four, one too many
    assert encoded[4:] == ["Thank you."]
