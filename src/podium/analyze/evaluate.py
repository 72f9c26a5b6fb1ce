"""``podium eval clarity``: the model against baselines on QEvasion, as one reproducible table.

Experiments: (a) train on the SemEval evaluation set, test on the public test split; (b) the
reverse; (c) 5-fold cross-validation on both together, folds grouped by answer so pairs
that share an answer never straddle train and test; plus (d) train split → public test when
``train/*.csv`` exists. Every experiment scores the majority class, TF-IDF + LR (plain and
with balanced class weights) and Podium's model on the 3-class clarity task and the 9-class
evasion task.

The 9-class gold is a set of annotator labels (three in the public split, two in the SemEval
set). It is scored two ways: against the *majority* label (most frequent annotator label,
ties going to the first annotator), and as *any* (a prediction is right when some annotator
gave it; for macro-F1 the gold of a row is then the prediction if it is among the
annotators' labels, else the majority label).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from podium.analyze.baselines import Majority, TfidfLR
from podium.analyze.clarity import SEED, ClarityModel
from podium.analyze.data import LabelledPair
from podium.analyze.features import FeatureBuilder
from podium.analyze.labels import CLARITY, EVASION


@dataclass
class Score:
    """Scores of one method in one experiment."""

    experiment: str
    method: str
    n_test: int
    clarity_acc: float
    clarity_f1: float
    clarity_per_class: dict[str, float]
    evasion_acc_majority: float
    evasion_f1_majority: float
    evasion_acc_any: float
    evasion_f1_any: float
    evasion_per_class: dict[str, float] = field(default_factory=dict)
    clarity_ece: float | None = None
    pairs_per_s: float | None = None


def _f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> tuple[float, dict[str, float]]:
    from sklearn.metrics import f1_score

    present = [lab for lab in labels if lab in set(gold)]
    per = f1_score(gold, pred, labels=present, average=None, zero_division=0)
    return float(np.mean(per)), {lab: float(v) for lab, v in zip(present, per, strict=True)}


def ece(scores: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error of the reported scores (equal-width bins)."""
    s, c = np.asarray(scores), np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (s > lo) & (s <= hi)
        if m.any():
            total += m.sum() / len(s) * abs(s[m].mean() - c[m].mean())
    return float(total)


def score(experiment: str, method: str, test: Sequence[LabelledPair], clar: Sequence[str],
          ev: Sequence[str], clar_scores: Sequence[float] | None = None) -> Score:
    """Score one method's predictions on ``test``."""
    gold_c = [t.clarity for t in test]
    cf1, cper = _f1(gold_c, clar, CLARITY)
    gold_maj = [t.evasion_majority for t in test]
    gold_any = [p if p in t.evasion else t.evasion_majority for t, p in zip(test, ev, strict=True)]
    ef1, eper = _f1(gold_maj, ev, EVASION)
    ef1_any, _ = _f1(gold_any, ev, EVASION)
    right = [g == p for g, p in zip(gold_c, clar, strict=True)]
    return Score(
        experiment, method, len(test),
        float(np.mean(right)), cf1, cper,
        float(np.mean([g == p for g, p in zip(gold_maj, ev, strict=True)])), ef1,
        float(np.mean([p in t.evasion for t, p in zip(test, ev, strict=True)])), ef1_any,
        eper, ece(clar_scores, right) if clar_scores is not None else None,
    )


Predictor = Callable[[Sequence[LabelledPair], Sequence[LabelledPair]], tuple[list[str], list[str], list[float] | None]]


def _baseline(make: Callable[[], Majority | TfidfLR]) -> Predictor:
    def run(train: Sequence[LabelledPair], test: Sequence[LabelledPair]) -> tuple[list[str], list[str], None]:
        tp = [t.pair for t in train]
        c = make().fit(tp, [t.clarity for t in train]).predict([t.pair for t in test])
        e = make().fit(tp, [t.evasion_majority for t in train]).predict([t.pair for t in test])
        return c, e, None
    return run


def _podium(builder: FeatureBuilder) -> Predictor:
    def run(train: Sequence[LabelledPair], test: Sequence[LabelledPair]) -> tuple[list[str], list[str], list[float]]:
        m = ClarityModel.fit([t.pair for t in train], [t.clarity for t in train],
                             [t.evasion for t in train], [t.group for t in train],
                             config=builder.config, builder=builder)
        preds = m.predict([t.pair for t in test])
        return [p.clarity for p in preds], [p.evasion for p in preds], [p.clarity_score for p in preds]
    return run


def methods(builder: FeatureBuilder) -> dict[str, Predictor]:
    """The compared methods, baselines first."""
    return {
        "majority class": _baseline(Majority),
        "TF-IDF + LR": _baseline(lambda: TfidfLR(seed=SEED)),
        "TF-IDF + LR (balanced)": _baseline(lambda: TfidfLR(balanced=True, seed=SEED)),
        "podium (embeddings + cues + LR)": _podium(builder),
    }


def cv_folds(items: Sequence[LabelledPair], k: int = 5, seed: int = SEED) -> list[tuple[list[int], list[int]]]:
    """Stratified (by clarity) k-fold splits with pairs sharing an answer kept together."""
    from sklearn.model_selection import StratifiedGroupKFold

    y = [t.clarity for t in items]
    g = [t.group for t in items]
    cv = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return [(list(tr), list(te)) for tr, te in cv.split(np.zeros(len(items)), y, g)]


def run(semeval: Sequence[LabelledPair], public: Sequence[LabelledPair],
        train: Sequence[LabelledPair] = (), folds: int = 5,
        progress: Callable[[str], None] | None = None) -> list[Score]:
    """Every experiment × method; deterministic for fixed data."""
    builder = FeatureBuilder()
    meths = methods(builder)
    say = progress or (lambda _msg: None)
    experiments: list[tuple[str, list[tuple[Sequence[LabelledPair], Sequence[LabelledPair]]]]] = [
        ("(a) SemEval → public test", [(semeval, public)]),
        ("(b) public test → SemEval", [(public, semeval)]),
    ]
    both = list(semeval) + list(public)
    experiments.append((f"(c) {folds}-fold CV, both sets",
                        [([both[i] for i in tr], [both[i] for i in te]) for tr, te in cv_folds(both, folds)]))
    if train:
        experiments.append(("(d) train split + SemEval → public test", [(list(train) + list(semeval), public)]))
    out = []
    for name, splits in experiments:
        for mname, fn in meths.items():
            t0 = time.perf_counter()
            test_all: list[LabelledPair] = []
            clar: list[str] = []
            ev: list[str] = []
            sc: list[float] | None = []
            for tr, te in splits:
                c, e, s = fn(tr, te)
                test_all += te
                clar += c
                ev += e
                sc = None if s is None or sc is None else sc + s
            out.append(score(name, mname, test_all, clar, ev, sc))
            say(f"{name}: {mname} done in {time.perf_counter() - t0:.1f}s")
    return out


V1 = "v1: embeddings + cues + LR"
V2 = "v2: MiniLM cross-encoder (top layer fine-tuned)"


def _shipped(model: Any) -> Predictor:
    """A trained model as it is: the training rows are not used (it was trained beforehand)."""
    def run(train: Sequence[LabelledPair], test: Sequence[LabelledPair]) -> tuple[list[str], list[str], list[float]]:
        preds = model.predict([t.pair for t in test])
        return [p.clarity for p in preds], [p.evasion for p in preds], [p.clarity_score for p in preds]
    return run


def run_v2(train: Sequence[LabelledPair], semeval: Sequence[LabelledPair], public: Sequence[LabelledPair],
           v2: Any | None = None, v1_shipped: Any | None = None, v1_on_train: bool = False,
           progress: Callable[[str], None] | None = None) -> list[Score]:
    """The table for the train split: methods trained on it, tested on the public split and on SemEval.

    ``v2`` is a model ``podium train clarity`` wrote (trained on the train split's training
    documents, epoch and calibration chosen on its development documents); it is scored as it
    is, not re-trained, so it has no "train + SemEval" row. ``v1_on_train`` re-trains the v1
    linear model on the train split too (embedding 3,400 pairs: tens of minutes on two busy
    cores). Pairs per second are wall-clock over the test set from a cold cache, prediction
    only (the shipped models), on whatever else the machine is doing;
    ``benchmarks/clarity_speed.py`` measures speed properly.
    """
    builder = FeatureBuilder()
    say = progress or (lambda _msg: None)
    base: dict[str, Predictor] = {
        "majority class": _baseline(Majority),
        "TF-IDF + LR": _baseline(lambda: TfidfLR(seed=SEED)),
        "TF-IDF + LR (balanced)": _baseline(lambda: TfidfLR(balanced=True, seed=SEED)),
    }
    if v1_on_train:
        base[V1] = _podium(builder)
    shipped = {V2: _shipped(v2)} if v2 is not None else {}
    experiments: list[tuple[str, Sequence[LabelledPair], Sequence[LabelledPair], dict[str, Predictor]]] = [
        ("(1) train → public test", train, public, {**base, **shipped}),
        ("(2) train + SemEval → public test", list(train) + list(semeval), public, base),
        ("(3) train → SemEval", train, semeval, {**base, **shipped}),
    ]
    if v1_shipped is not None:
        experiments.append(("(4) SemEval → public test", semeval, public,
                            {"v1 as shipped (trained on SemEval only)": _shipped(v1_shipped)}))
    out = []
    for name, tr, te, meths in experiments:
        for mname, fn in meths.items():
            t0 = time.perf_counter()
            c, e, sc = fn(tr, te)
            s = score(name, mname, te, c, e, sc)
            if mname == V2 or mname.startswith("v1 as shipped"):
                s.pairs_per_s = len(te) / (time.perf_counter() - t0)
            out.append(s)
            say(f"{name}: {mname} done in {time.perf_counter() - t0:.1f}s")
    return out
