"""``podium train clarity``: fit the shipped model on the SemEval set (plus any train split).

The public test split is never used here, so classifying it stays a clean measurement.
Training is deterministic: fixed fold assignment (``GroupKFold``), a deterministic solver.
"""

from __future__ import annotations

from pathlib import Path

from podium.analyze.clarity import DEFAULT_MODEL, ClarityModel
from podium.analyze.data import default_dir, load_semeval, load_train
from podium.errors import InputError

LICENCE_NOTE = (
    "Trained on QEvasion/CLARITY (Thomas et al., EMNLP 2024 Findings; SemEval-2026 Task 6) "
    "labels: the 237-row SemEval-2026 evaluation set as published in "
    "tzouvarasc/CSE-UOI-at-SemEval-2026-Task-6 (no licence stated there; the original "
    "dataset repository konstantinosftw/Question-Evasion is MIT-licensed). Source texts: "
    "American Presidency Project. Only learned weights are shipped, no text."
)


def train(data_dir: Path | None = None, output: Path | None = None) -> tuple[ClarityModel, Path]:
    """Train on ``semeval2026_eval`` + ``train/*.csv`` under ``data_dir`` and save the model."""
    root = data_dir or default_dir()
    if not (root / "semeval2026_eval").is_dir():
        raise InputError(f"{root}: no semeval2026_eval/ folder (QEvasion data directory expected)")
    items = load_semeval(root) + load_train(root)
    sources = sorted({i.source for i in items})
    meta = {"trained_on": sources, "licence": LICENCE_NOTE}
    model = ClarityModel.fit(
        [i.pair for i in items], [i.clarity for i in items], [i.evasion for i in items],
        [i.group for i in items], meta=meta,
    )
    out = output or DEFAULT_MODEL
    model.save(out)
    return model, out
