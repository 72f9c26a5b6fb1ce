"""Nearest-neighbour search over turn embeddings with an inverted-file (IVF) index.

Exact search reads every vector for every query: at 10^6 turns of 384 float32 numbers that
is 1.5 GB per query (p95 179 ms measured in ``benchmarks/bench_search.py``). An inverted
file partitions the vectors into about sqrt(N) cells by spherical k-means; a query scores the
cell centroids, then exactly scores only the vectors of the ``NPROBE`` best cells. Rows are
stored grouped by cell, so a cell is one contiguous slice of a memory-mapped matrix: a query
reads only the pages it needs, and a one-shot ``podium search --semantic`` does not load the
whole matrix. Recall against exact search is measured in the benchmark. Small collections
(below ``EXACT_BELOW`` vectors) get a single cell, which is exact search.

Filters are applied to the candidates; when the allowed turns are few, those rows are scored
exactly instead, and when too few candidates survive, more cells are probed.

The index is derived data, like the tantivy index: for a SQLite store it is kept in
``<db>.vectors/`` and stamped with the store's vector generation (bumped whenever embeddings
change), so a crash can leave it stale (then it is rebuilt), never wrong. PostgreSQL stores
keep it on the searching machine beside their tantivy index (``postgres.index_folder``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podium.errors import UsageError

if TYPE_CHECKING:
    import numpy as np

EXACT_BELOW = 20_000
"""Collections smaller than this are searched exactly (one cell): it is fast enough."""
NPROBE = 64
"""Cells scored per query: with sqrt(N) cells, 6% of the vectors at 10^6 (recall: see the benchmark)."""
SMALL_FILTER = 10_000
"""Filters that allow at most this many turns are answered by scoring those rows exactly."""
LAYOUT = "1"
STAMP = "podium-vector-generation"
_FILES = ("ids", "vectors", "centroids", "offsets", "by_id")


@dataclass
class IVF:
    """Vectors grouped by cell: rows ``offsets[c]:offsets[c+1]`` of ``vectors`` are cell ``c``."""

    ids: np.ndarray  # int64 turn ids, row order
    vectors: np.ndarray  # float32 (N, D), unit length
    centroids: np.ndarray  # float32 (K, D)
    offsets: np.ndarray  # int64 (K + 1,)
    by_id: np.ndarray  # int64 row numbers ordered by turn id (for filters)

    @property
    def size(self) -> int:
        return len(self.ids)

    def search(
        self, query: np.ndarray, limit: int, allowed: np.ndarray | None = None, *,
        accept: Callable[[list[int]], set[int]] | None = None, nprobe: int = NPROBE,
    ) -> list[tuple[int, float]]:
        """The ``limit`` best ``(turn_id, cosine)`` pairs, best first.

        ``allowed`` (sorted turn ids) restricts the result to those turns; ``accept`` is the
        alternative for broad filters: it is given candidate ids best first, in chunks, and
        returns those that pass.
        """
        import numpy as np

        if self.size == 0 or limit < 1:
            return []
        if query.shape[0] != self.vectors.shape[1]:
            raise UsageError(
                f"stored embeddings have {self.vectors.shape[1]} dimensions, the query {query.shape[0]}:"
                " re-embed the store with this Podium's model"
            )
        query = query.astype(np.float32, copy=False)
        if allowed is not None and len(allowed) <= SMALL_FILTER:
            rows = self._rows_of(allowed)
            return _top(self.ids[rows], self.vectors[rows] @ query, limit)
        order = np.argsort(-(self.centroids @ query))
        probe = min(nprobe, len(order))
        verdicts: dict[int, bool] = {}
        while True:
            ids, scores = self._score_cells(order[:probe], query)
            if allowed is not None:
                keep = _member(ids, allowed)
                ids, scores = ids[keep], scores[keep]
            if accept is None:
                if len(ids) >= limit or probe >= len(order):
                    return _top(ids, scores, limit)
            else:
                hits = _accepted(ids, scores, limit, accept, verdicts)
                if len(hits) >= limit or probe >= len(order):
                    return hits
            probe *= 4

    def _score_cells(self, cells: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        ids, scores = [], []
        for c in np.sort(cells):  # in file order: sequential reads of the memory map
            a, b = int(self.offsets[c]), int(self.offsets[c + 1])
            if b > a:
                ids.append(self.ids[a:b])
                scores.append(self.vectors[a:b] @ query)
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(ids), np.concatenate(scores)

    def _rows_of(self, turn_ids: np.ndarray) -> np.ndarray:
        """Row numbers of the given turn ids that have a vector."""
        import numpy as np

        if self.size == 0:
            return np.zeros(0, np.int64)
        at = np.searchsorted(self.sorted_ids, turn_ids).clip(max=self.size - 1)
        return np.sort(self.by_id[at[self.sorted_ids[at] == turn_ids]])

    @cached_property
    def sorted_ids(self) -> np.ndarray:
        """Turn ids in ascending order (row ``by_id[i]`` holds ``sorted_ids[i]``)."""
        ids: np.ndarray = self.ids[self.by_id]
        return ids


def _member(ids: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Boolean mask of ``ids`` found in the sorted array ``allowed``."""
    import numpy as np

    at = np.searchsorted(allowed, ids).clip(max=len(allowed) - 1)
    return allowed[at] == ids if len(allowed) else np.zeros(len(ids), bool)


def _accepted(
    ids: np.ndarray, scores: np.ndarray, limit: int, accept: Callable[[list[int]], set[int]],
    verdicts: dict[int, bool],
) -> list[tuple[int, float]]:
    """The best ``limit`` candidates that ``accept`` passes, asking it in chunks, best first."""
    import numpy as np

    ranked = np.lexsort((ids, -scores))
    hits: list[tuple[int, float]] = []
    chunk = max(10 * limit, 500)
    for a in range(0, len(ranked), chunk):
        rows = ranked[a : a + chunk]
        unknown = [int(i) for i in ids[rows] if int(i) not in verdicts]
        if unknown:
            passed = accept(unknown)
            verdicts.update((i, i in passed) for i in unknown)
        hits += [(int(ids[r]), float(scores[r])) for r in rows if verdicts[int(ids[r])]]
        if len(hits) >= limit:
            break
    return hits[:limit]


def _top(ids: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple[int, float]]:
    import numpy as np

    if len(ids) == 0:
        return []
    k = min(limit, len(ids))
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.lexsort((ids[best], -scores[best]))]
    return [(int(ids[i]), float(scores[i])) for i in best]


# -- building ------------------------------------------------------------------------------------


def build(ids: np.ndarray, vectors: np.ndarray, *, seed: int = 0) -> IVF:
    """An index of ``vectors`` (unit rows) keyed by ``ids``; deterministic for a given seed."""
    import numpy as np

    n = len(ids)
    cells = 1 if n < EXACT_BELOW else int(np.sqrt(n))
    if cells == 1:
        centroids = np.zeros((1, vectors.shape[1] if vectors.ndim == 2 else 0), np.float32)
        assign = np.zeros(n, np.int64)
    else:
        rng = np.random.default_rng(seed)
        sample = vectors[np.sort(rng.choice(n, min(n, 40 * cells), replace=False))]
        centroids = _kmeans(np.asarray(sample, np.float32), cells, rng)
        assign = _nearest(vectors, centroids)
    order = np.argsort(assign, kind="stable")
    counts = np.bincount(assign, minlength=len(centroids))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    grouped_ids = np.asarray(ids, np.int64)[order]
    return IVF(
        ids=grouped_ids,
        vectors=np.ascontiguousarray(vectors[order], np.float32),
        centroids=centroids,
        offsets=offsets,
        by_id=np.argsort(grouped_ids, kind="stable"),
    )


def _nearest(x: np.ndarray, centroids: np.ndarray, chunk: int = 16_384) -> np.ndarray:
    """Index of the most similar centroid for each row of ``x`` (in chunks, to bound memory)."""
    import numpy as np

    out = np.empty(len(x), np.int64)
    for i in range(0, len(x), chunk):
        out[i : i + chunk] = np.argmax(np.asarray(x[i : i + chunk], np.float32) @ centroids.T, axis=1)
    return out


def _kmeans(x: np.ndarray, k: int, rng: Any, iterations: int = 10) -> np.ndarray:
    """Spherical k-means: centroids are unit-length means of their rows."""
    import numpy as np

    centroids = x[rng.choice(len(x), k, replace=False)].copy()
    for _ in range(iterations):
        assign = _nearest(x, centroids)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assign, x)
        counts = np.bincount(assign, minlength=k)
        empty = counts == 0
        sums[empty] = x[rng.choice(len(x), int(empty.sum()), replace=False)]  # re-seed empty cells
        centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    out: np.ndarray = centroids.astype(np.float32)
    return out


# -- persistence and freshness -----------------------------------------------------------------


class VectorIndex:
    """The IVF index of a store's embeddings, rebuilt when the store's vectors change.

    With a ``folder`` it is saved there (memory-mapped on load); without, it lives in memory.
    ``read_only`` (a store opened read-only) loads a saved index that is current but never
    writes the folder: a stale or missing one is built in memory for this process only.
    """

    def __init__(self, folder: Path | None = None, *, read_only: bool = False) -> None:
        self.folder = folder
        self.read_only = read_only
        self._ivf: IVF | None = None
        self._generation = -1

    def get(self, store: Any) -> IVF:
        """The index for ``store``'s current embeddings, built or loaded as needed."""
        gen = store.vector_generation()
        if self._ivf is not None and self._generation == gen:
            return self._ivf
        ivf = self._load(gen) if self.folder is not None else None
        if ivf is None:
            ids, vectors = read_vectors(store)
            ivf = build(ids, vectors)
            if self.folder is not None and not self.read_only:
                ivf = self._save(ivf, gen)
        self._ivf, self._generation = ivf, gen
        return ivf

    def _load(self, gen: int) -> IVF | None:
        import numpy as np

        assert self.folder is not None
        try:
            if (self.folder / STAMP).read_text() != f"{LAYOUT}:{gen}":
                return None
            return IVF(**{name: np.load(self.folder / f"{name}.npy", mmap_mode="r") for name in _FILES})
        except (OSError, ValueError):
            return None

    def _save(self, ivf: IVF, gen: int) -> IVF:
        """Write the index next to the store (via a temporary folder, then a rename)."""
        import numpy as np

        assert self.folder is not None
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            for name in _FILES:
                np.save(tmp / f"{name}.npy", getattr(ivf, name))
            (tmp / STAMP).write_text(f"{LAYOUT}:{gen}")
            shutil.rmtree(self.folder, ignore_errors=True)
            tmp.rename(self.folder)
        except OSError:  # e.g. a read-only folder: keep the index in memory only
            shutil.rmtree(tmp, ignore_errors=True)
            return ivf
        return self._load(gen) or ivf


def read_vectors(store: Any, batch: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """Every stored embedding as ``(turn_ids, matrix)``, read in batches into one array."""
    import numpy as np

    n = int(store._one("SELECT count(*) FROM turn_embeddings"))
    if n == 0:
        return np.zeros(0, np.int64), np.zeros((0, 0), np.float32)
    first = store._one("SELECT vector FROM turn_embeddings LIMIT 1")
    dim = len(bytes(first)) // 4
    ids = np.empty(n, np.int64)
    matrix = np.empty((n, dim), np.float32)
    cursor = store._execute("SELECT turn_id, vector FROM turn_embeddings ORDER BY turn_id")
    at = 0
    while rows := cursor.fetchmany(batch):
        rows = rows[: n - at]  # rows written since the count are picked up by the next build
        ids[at : at + len(rows)] = [r[0] for r in rows]
        matrix[at : at + len(rows)] = np.frombuffer(b"".join(bytes(r[1]) for r in rows), np.float32).reshape(-1, dim)
        at += len(rows)
        if at >= n:
            break
    return ids[:at], matrix[:at]
