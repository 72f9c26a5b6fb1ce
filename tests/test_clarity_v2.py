"""Clarity v2 (the MiniLM cross-encoder): the shipped artefact, its data hygiene, its inference."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tokenizers", reason="needs the embed extra")
pytest.importorskip("sklearn")

from podium.analyze.clarity import default_model, load_model  # noqa: E402
from podium.analyze.data import _keys, load_hf_train, load_public_test, load_semeval  # noqa: E402
from podium.analyze.encoder import DEFAULT_V2, MAX_TOKENS, EncoderModel, bottom, pair_encoding, quantise  # noqa: E402
from podium.analyze.features import Pair  # noqa: E402
from podium.analyze.labels import EVASION_TO_CLARITY  # noqa: E402
from podium.analyze.train import dev_split  # noqa: E402
from podium.errors import InputError  # noqa: E402

QEVASION = Path(__file__).parents[1] / ".." / "shared" / "data" / "qevasion"
needs_data = pytest.mark.skipif(not (QEVASION / "hf_train_split").is_dir(), reason="QEvasion train split not present")


@pytest.fixture(scope="module")
def splits() -> tuple[list, list, list]:
    pt, se = load_public_test(QEVASION), load_semeval(QEVASION)
    return pt, se, load_hf_train(QEVASION, exclude=pt + se)


@needs_data
def test_train_split_drops_duplicates_and_evaluation_rows(splits: tuple[list, list, list]) -> None:
    pt, se, tr = splits
    raw = load_hf_train(QEVASION)
    assert 3400 < len(tr) < len(raw) < 3448  # exact duplicates kept once, then the overlap dropped
    held = {k for x in pt + se for k in _keys(x.pair)}
    assert not any(_keys(x.pair) & held for x in tr)
    assert any(_keys(x.pair) & held for x in raw)


@needs_data
def test_overlap_with_the_evaluation_sets_is_one_public_test_row(splits: tuple[list, list, list]) -> None:
    """SOURCE.md names one train row that coincides with a SemEval row; none does, by any key.

    Checked on the raw train split: no shared document URL, no shared question (letters and
    digits), no shared answer opening (the first 200 letters and digits of a long answer).
    The one public-test overlap is found by its question alone (the answers' first 200
    characters differ in their cutting), which is why ``_keys`` matches long questions alone.
    """
    pt, se, _ = splits
    raw = load_hf_train(QEVASION)
    norm = lambda t: re.sub(r"[^a-z0-9]+", "", t.lower())  # noqa: E731
    se_keys = {k for x in se for k in _keys(x.pair)}
    pt_keys = {k for x in pt for k in _keys(x.pair)}
    assert sum(1 for x in raw if _keys(x.pair) & pt_keys) == 1
    assert not any(_keys(x.pair) & se_keys for x in raw)
    assert not {x.group.split("|")[0] for x in se} & {x.group.split("|")[0] for x in raw}
    assert not {norm(x.pair.question) for x in se} & {norm(x.pair.question) for x in raw}
    openings = lambda xs: {o for x in xs if len(o := norm(x.pair.answer)[:200]) == 200}  # noqa: E731
    assert not openings(se) & openings(raw)


@needs_data
def test_development_documents_never_train(splits: tuple[list, list, list]) -> None:
    _, _, tr = splits
    train_idx, dev_idx = dev_split(tr)
    assert 0.05 < len(dev_idx) / len(tr) < 0.2
    url = lambda i: tr[i].group.split("|")[0]  # noqa: E731
    assert not {url(i) for i in train_idx} & {url(i) for i in dev_idx}
    assert (train_idx, dev_idx) == dev_split(tr)


def test_pair_encoding_is_question_then_cut_answer() -> None:
    ids, types = pair_encoding(Pair("Will you go?", "word " * 400))
    assert len(ids) == MAX_TOKENS and ids[0] == 101 and ids[-1] == 102
    assert types[0] == 0 and types[-1] == 1 and list(types).count(0) == 6  # [CLS] will you go ? [SEP]


def test_int8_storage_error_is_small() -> None:
    w = np.random.default_rng(0).normal(0, 0.05, (384, 1536)).astype(np.float32)
    q, s = quantise(w)
    assert q.dtype == np.int8 and s.shape == (1536,)
    assert np.abs(q * s - w).max() <= s.max() / 2 + 1e-7


def _untrained() -> EncoderModel:
    """A v2 model whose trainable layer is MiniLM's own top layer and whose heads are random."""
    from podium.embed import model

    top = model().layers[-1]
    arrays = {"l0_qkv": top.qkv, "l0_qkv_bias": top.qkv_bias, "l0_out": top.out, "l0_out_bias": top.out_bias,
              "l0_n1_w": top.norm1[0], "l0_n1_b": top.norm1[1], "l0_up": top.up, "l0_up_bias": top.up_bias,
              "l0_down": top.down, "l0_down_bias": top.down_bias, "l0_n2_w": top.norm2[0], "l0_n2_b": top.norm2[1]}
    rng = np.random.default_rng(1)
    for head, k in (("clarity", 3), ("evasion", 9)):
        arrays[f"{head}_w"] = rng.normal(0, 0.5, (384, k)).astype(np.float32)
        arrays[f"{head}_b"] = np.zeros(k, np.float32)
    cal = {"clarity": (1.0, np.zeros(3)), "evasion": (1.0, np.zeros(9))}
    return EncoderModel.from_arrays(arrays, cal, {"trained_on": []})


PAIRS = [
    Pair("Will you raise taxes on the middle class?", "I'm not going to comment on that. No comment."),
    Pair("How many troops will you send?", "We will send 3,000 troops, starting next week."),
]


def test_numpy_cross_encoder_matches_the_torch_training_graph() -> None:
    """Inference (numpy) and training (torch) compute the same function on the same weights."""
    torch = pytest.importorskip("torch")
    from podium.analyze import finetune

    m = _untrained()
    top_cls, _ = finetune._build(torch)
    top = top_cls(0.0)
    with torch.no_grad():
        top.clarity.weight.copy_(torch.from_numpy(m.heads["clarity"][0].T.copy()))
        top.evasion.weight.copy_(torch.from_numpy(m.heads["evasion"][0].T.copy()))
        top.clarity.bias.zero_()
        top.evasion.bias.zero_()
    states = [bottom(*pair_encoding(p)) for p in PAIRS]
    zc_t, ze_t = finetune.predict_logits(top, states, [0, 1])
    zc, ze = m.logits(PAIRS)
    assert np.allclose(zc, zc_t, atol=1e-3) and np.allclose(ze, ze_t, atol=1e-3)


def test_labels_are_consistent_and_scored() -> None:
    for p in _untrained().predict(PAIRS):
        assert EVASION_TO_CLARITY[p.evasion] == p.clarity
        assert 0.0 < p.clarity_score < 1.0 and 0.0 < p.evasion_score < 1.0


def test_save_load_round_trip_is_small_and_close(tmp_path: Path) -> None:
    m = _untrained()
    path = tmp_path / "v2.npz"
    m.save(path)
    assert path.stat().st_size < 5_000_000
    again = load_model(path)
    assert isinstance(again, EncoderModel)
    assert np.allclose(m.logits(PAIRS)[0], again.logits(PAIRS)[0], atol=0.05)  # int8 storage
    assert [p.clarity for p in m.predict(PAIRS)] == [p.clarity for p in again.predict(PAIRS)]


def test_foreign_file_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(InputError, match="not a Podium clarity model"):
        load_model(bad)


def test_default_model_is_v2_only_when_shipped() -> None:
    assert isinstance(default_model(), EncoderModel) == DEFAULT_V2.is_file()
