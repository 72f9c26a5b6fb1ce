"""The clarity/evasion classifier: what Podium answers to "did they answer the question?".

Two linear models over the same features (``features.py``): one for the three clarity
labels, one for the nine evasion labels. Both weight classes towards balance, because the
labels are skewed and the measure that matters is macro-F1. The evasion label is chosen
among the labels under the predicted clarity label, so the two never contradict each other
(an ``explicit`` evasion always comes with ``clear_reply``). Scores are calibrated
probabilities (``_calibrate.py``).

Why linear: 237-545 labelled pairs are far too few to fine-tune an encoder; a regularised
logistic regression over frozen sentence embeddings and hand-made cues trains in seconds on
two cores and is small enough (< 100 kB) to ship. The trained model is a ``.npz`` file with
plain arrays and a JSON header, so loading it runs no pickled code and needs no scikit-learn.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from podium.analyze import _calibrate
from podium.analyze.features import FeatureBuilder, FeatureConfig, Pair
from podium.analyze.labels import CLARITY, EVASION, EVASION_TO_CLARITY
from podium.errors import InputError, UsageError

FORMAT = "podium.clarity-model/1"
DEFAULT_MODEL = Path(__file__).with_name("models") / "clarity-v1.npz"
SEED = 20240917


@dataclass(frozen=True)
class Prediction:
    """Labels and calibrated scores for one pair."""

    clarity: str
    clarity_score: float
    evasion: str
    evasion_score: float


@dataclass
class _Head:
    """One linear classifier with its calibration."""

    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float
    offsets: np.ndarray

    def logits(self, x: np.ndarray) -> np.ndarray:
        z: np.ndarray = x @ self.coef.T + self.intercept
        return z

    def proba(self, x: np.ndarray) -> np.ndarray:
        return _calibrate.apply(self.logits(x), self.temperature, self.offsets)


def _train_head(x: np.ndarray, y: list[str], w: np.ndarray, groups: list[str], c: float,
                balance: float) -> _Head:
    """A class-weighted logistic regression plus calibration fitted on out-of-fold scores.

    Class weights are ``(n / (k * n_class)) ** balance``: 1 is fully balanced, 0 is none;
    0.5 won the cross-validation on the SemEval set (full balancing over-predicts the rare
    labels on a test set with other priors).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    classes = sorted(set(y), key=lambda lab: (CLARITY + EVASION).index(lab))
    yi = np.array([classes.index(lab) for lab in y])
    counts = np.bincount(yi, weights=w, minlength=len(classes))
    bal = w * (w.sum() / (len(classes) * counts[yi])) ** balance

    def model() -> Any:
        return LogisticRegression(C=c, max_iter=3000)

    oof = np.zeros((len(y), len(classes)))
    folds = min(5, len(set(groups)))
    for tr, te in GroupKFold(n_splits=folds).split(x, yi, groups):
        m = model().fit(x[tr], yi[tr], sample_weight=bal[tr])
        z = np.full((len(te), len(classes)), -30.0)
        z[:, m.classes_] = m.predict_log_proba(x[te])  # = logits up to a per-row constant
        oof[te] = z
    temperature, offsets = _calibrate.fit(oof, yi, w)
    full = model().fit(x, yi, sample_weight=bal)
    return _Head(classes, full.coef_.astype(np.float64), full.intercept_.astype(np.float64),
                 temperature, offsets)


@dataclass
class ClarityModel:
    """A trained clarity/evasion classifier; ``fit`` to train, ``predict`` to label pairs."""

    config: FeatureConfig
    mean: np.ndarray
    scale: np.ndarray
    clarity: _Head
    evasion: _Head
    meta: dict[str, Any]
    builder: FeatureBuilder | None = None

    @classmethod
    def fit(
        cls,
        pairs: Sequence[Pair],
        clarity: Sequence[str],
        evasion: Sequence[Sequence[str]],
        groups: Sequence[str] | None = None,
        *,
        config: FeatureConfig | None = None,
        c_clarity: float = 0.01,
        c_evasion: float = 0.01,
        balance: float = 0.5,
        scalar_weight: float = 2.0,
        builder: FeatureBuilder | None = None,
        meta: dict[str, Any] | None = None,
    ) -> ClarityModel:
        """Train on ``pairs`` with gold ``clarity`` labels and each pair's annotator ``evasion`` labels.

        A pair with several annotators' evasion labels counts once per label with weight
        ``1/n``, so disagreement becomes a soft target instead of a coin toss.
        """
        cfg = config or FeatureConfig()
        b = builder or FeatureBuilder(cfg)
        x = b.transform(pairs).astype(np.float64)
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale < 1e-6] = 1.0
        # Up-weighting the few hand-made features (similarities, cues, overlap) against the
        # 384 embedding dimensions is the same as regularising them less.
        scale[-b.n_scalars:] /= scalar_weight
        xs = (x - mean) / scale
        grp = list(groups) if groups is not None else [str(i) for i in range(len(pairs))]
        head_c = _train_head(xs, list(clarity), np.ones(len(pairs)), grp, c_clarity, balance)
        idx = [i for i, labs in enumerate(evasion) for _ in labs]
        ev_y = [lab for labs in evasion for lab in labs]
        ev_w = np.array([1.0 / len(labs) for labs in evasion for _ in labs])
        head_e = _train_head(xs[idx], ev_y, ev_w, [grp[i] for i in idx], c_evasion, balance)
        info = {"c_clarity": c_clarity, "c_evasion": c_evasion, "balance": balance,
                "scalar_weight": scalar_weight,
                "n_pairs": len(pairs), **(meta or {})}
        return cls(cfg, mean, scale, head_c, head_e, info, b)

    def _features(self, pairs: Sequence[Pair]) -> np.ndarray:
        if self.builder is None:
            self.builder = FeatureBuilder(self.config)
        x = self.builder.transform(pairs).astype(np.float64)
        xs: np.ndarray = (x - self.mean) / self.scale
        return xs

    def predict(self, pairs: Sequence[Pair]) -> list[Prediction]:
        """Clarity and evasion label with calibrated scores for every pair."""
        if not pairs:
            return []
        x = self._features(pairs)
        zc, pc = self.clarity.logits(x), self.clarity.proba(x)
        ze, pe = self.evasion.logits(x), self.evasion.proba(x)
        out = []
        for i in range(len(pairs)):
            ci = int(np.argmax(zc[i]))
            clar = self.clarity.classes[ci]
            allowed = [j for j, lab in enumerate(self.evasion.classes) if EVASION_TO_CLARITY[lab] == clar]
            ej = max(allowed or range(len(self.evasion.classes)), key=lambda j: ze[i, j])
            out.append(Prediction(clar, float(pc[i, ci]), self.evasion.classes[ej], float(pe[i, ej])))
        return out

    def save(self, path: str | Path) -> None:
        """Write the model as a ``.npz`` of plain arrays with a JSON header."""
        header = {
            "format": FORMAT,
            "config": asdict(self.config),
            "clarity": {"classes": self.clarity.classes, "temperature": self.clarity.temperature},
            "evasion": {"classes": self.evasion.classes, "temperature": self.evasion.temperature},
            "meta": self.meta,
        }
        arrays: dict[str, Any] = {"mean": self.mean, "scale": self.scale}
        for name, h in (("clarity", self.clarity), ("evasion", self.evasion)):
            arrays[f"{name}_coef"] = h.coef.astype(np.float32)
            arrays[f"{name}_intercept"] = h.intercept
            arrays[f"{name}_offsets"] = h.offsets
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, header=np.array(json.dumps(header, sort_keys=True)), **arrays)

    @classmethod
    def load(cls, path: str | Path) -> ClarityModel:
        """Read a model written by ``save``; a missing or foreign file is an ``InputError``."""
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                arr = {k: z[k] for k in z.files if k != "header"}
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"{path}: not a Podium clarity model ({exc})") from None
        if header.get("format") != FORMAT:
            raise InputError(f"{path}: model format {header.get('format')!r}, expected {FORMAT!r}")
        heads = {
            name: _Head(header[name]["classes"], arr[f"{name}_coef"].astype(np.float64),
                        arr[f"{name}_intercept"], header[name]["temperature"], arr[f"{name}_offsets"])
            for name in ("clarity", "evasion")
        }
        return cls(FeatureConfig(**header["config"]), arr["mean"], arr["scale"],
                   heads["clarity"], heads["evasion"], header["meta"])


def load_model(path: str | Path) -> Any:
    """A saved v1 (``ClarityModel``) or v2 (``encoder.EncoderModel``) model, by its header."""
    from podium.analyze.encoder import FORMAT as V2_FORMAT
    from podium.analyze.encoder import EncoderModel

    try:
        with np.load(path, allow_pickle=False) as z:
            fmt = json.loads(str(z["header"])).get("format")
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"{path}: not a Podium clarity model ({exc})") from None
    return EncoderModel.load(path) if fmt == V2_FORMAT else ClarityModel.load(path)


@cache
def default_model() -> Any:
    """The model shipped with Podium, loaded once: clarity v2 (``encoder.py``) when present.

    v2 is the MiniLM cross-encoder trained on the QEvasion train split; v1 (this module's
    linear model, trained on the SemEval set) remains as the fallback and the baseline.
    """
    from podium.analyze.encoder import DEFAULT_V2

    if DEFAULT_V2.is_file():
        return load_model(DEFAULT_V2)
    if not DEFAULT_MODEL.is_file():
        raise UsageError(f"no trained clarity model at {DEFAULT_V2}: run `podium train clarity`")
    return ClarityModel.load(DEFAULT_MODEL)


def classify(pairs: Sequence[Pair], model: Any | None = None) -> list[Prediction]:
    """Label ``pairs`` with ``model`` (the shipped one by default)."""
    return list((model or default_model()).predict(pairs))
