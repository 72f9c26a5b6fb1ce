"""Clarity inference and training speed: `python benchmarks/clarity_speed.py` prints a table.

Inference is timed from a cold feature cache (the embedding model already loaded), on the
public QEvasion test split (308 pairs, 191 distinct answers, median answer 291 words), with
the shipped model. Training is `podium train clarity` on the SemEval set, embeddings included.
The machine is shared, so besides wall-clock rates the table gives the rate implied by the CPU
time used: the encoder runs on one BLAS thread (``podium.embed``), so that is what the run
would take alone on a core.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from podium.analyze import features
from podium.analyze.clarity import ClarityModel, default_model
from podium.analyze.data import default_dir, load_public_test
from podium.analyze.features import FeatureBuilder
from podium.analyze.train import train
from podium.embed import embed


def main() -> None:
    root = default_dir()
    if not root.is_dir():
        sys.exit(f"no QEvasion data at {root}")
    embed(["warm up"])
    pairs = [x.pair for x in load_public_test(root)]
    rows = []
    for label, subset in (("308 pairs, public test split", pairs),
                          ("191 pairs, one per distinct answer", list({p.answer: p for p in pairs}.values()))):
        m: ClarityModel = default_model()
        m.builder = FeatureBuilder(m.config)  # cold caches: the builder's and embed_texts'
        features._recent.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        m.predict(subset)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows.append((f"classify {label}", f"{dt:.1f} s", f"{len(subset) / dt:.0f} pairs/s",
                     f"{len(subset) / cpu:.0f} pairs/s"))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        train(root, Path(tmp) / "m.npz")
        rows.append(("train on SemEval (237 pairs)", f"{time.perf_counter() - t0:.1f} s", "", ""))
    w = max(len(r[0]) for r in rows)
    print(f"{'task':<{w}}  {'wall':>7}  {'rate (wall)':>13}  {'rate (cpu time)':>18}   load: {os.getloadavg()[0]:.1f}")
    for name, t, rate, cpu_rate in rows:
        print(f"{name:<{w}}  {t:>7}  {rate:>13}  {cpu_rate:>18}")


if __name__ == "__main__":
    main()
