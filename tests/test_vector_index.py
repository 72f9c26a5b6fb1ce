"""The IVF vector index: exact when small, high recall when large, filters, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

from _store_fixtures import make_transcript  # noqa: E402

from podium.errors import UsageError  # noqa: E402
from podium.store import open_store, vector_index  # noqa: E402
from podium.store.vector_index import VectorIndex, build  # noqa: E402


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def clustered(n: int, dim: int = 32, topics: int = 300, seed: int = 7) -> np.ndarray:
    """Unit vectors around ``topics`` directions, like embeddings of texts on a few hundred subjects."""
    rng = np.random.default_rng(seed)
    centres = unit(rng.normal(size=(topics, dim)))
    return unit(centres[rng.integers(topics, size=n)] + 0.6 * unit(rng.normal(size=(n, dim))))


def exact(vectors: np.ndarray, ids: np.ndarray, q: np.ndarray, k: int) -> list[int]:
    scores = vectors @ q
    order = np.lexsort((ids, -scores))[:k]
    return [int(ids[i]) for i in order]


def test_small_collections_are_searched_exactly() -> None:
    x = clustered(2_000)
    ids = np.arange(10, 2_010, dtype=np.int64)
    ivf = build(ids, x)
    assert len(ivf.centroids) == 1
    for q in clustered(20, seed=8):
        got = ivf.search(q, 10)
        assert [i for i, _ in got] == exact(x, ids, q, 10)
        assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)


def test_large_collections_keep_high_recall_while_scoring_a_fraction() -> None:
    n = 40_000
    x = clustered(n)
    ids = np.arange(n, dtype=np.int64) * 3 + 1  # ids need not be dense
    ivf = build(ids, x)
    cells = len(ivf.centroids)
    assert cells == int(np.sqrt(n))
    assert (np.diff(ivf.offsets) >= 0).all() and ivf.offsets[-1] == n
    probed = np.sort(np.diff(ivf.offsets))[-vector_index.NPROBE:].sum()
    assert probed < n / 2  # even the largest cells are a minority of the rows
    queries = clustered(50, seed=9)
    recall = np.mean([
        len({i for i, _ in ivf.search(q, 20)} & set(exact(x, ids, q, 20))) / 20 for q in queries
    ])
    assert recall >= 0.9, recall


def test_filters_restrict_results_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 30_000
    x = clustered(n)
    ids = np.arange(n, dtype=np.int64)
    ivf = build(ids, x)
    q = clustered(1, seed=11)[0]
    few = np.sort(np.random.default_rng(3).choice(n, 300, replace=False)).astype(np.int64)
    # few allowed turns: scored exactly
    assert [i for i, _ in ivf.search(q, 10, few)] == exact(x[few], few, q, 10)
    # many allowed turns: cells are probed and the rest dropped; rare ones widen the probe
    monkeypatch.setattr(vector_index, "SMALL_FILTER", 10)
    even = ids[ids % 2 == 0]
    got = ivf.search(q, 10, even)
    assert len(got) == 10 and all(i % 2 == 0 for i, _ in got)
    rare = np.sort(np.random.default_rng(4).choice(n, 40, replace=False)).astype(np.int64)
    got = ivf.search(q, 30, rare)
    assert len(got) == 30 and {i for i, _ in got} <= set(rare.tolist())
    assert ivf.search(q, 5, np.zeros(0, np.int64)) == []
    # a broad filter checked by callback, best candidates first, gives the same answer
    asked: list[int] = []

    def thirds(chunk: list[int]) -> set[int]:
        asked.extend(chunk)
        return {i for i in chunk if i % 3 == 0}

    by_callback = ivf.search(q, 10, accept=thirds)
    assert by_callback == ivf.search(q, 10, ids[ids % 3 == 0])
    assert len(asked) == len(set(asked)) < n // 10  # stopped early, asked nothing twice


def test_query_of_another_model_is_a_clear_error() -> None:
    ivf = build(np.arange(5, dtype=np.int64), clustered(5, dim=8))
    with pytest.raises(UsageError, match="dimensions"):
        ivf.search(np.ones(384, np.float32), 3)


def test_saved_index_follows_vector_changes(tmp_path: Path) -> None:
    """Saved beside the store, reused by a new process, rebuilt when embeddings change."""
    folder = tmp_path / "s.db.vectors"
    with open_store(tmp_path / "s.db") as s:
        for tid in ("a", "b"):
            s.add(make_transcript(tid))
        turns = s._rows("SELECT turn_id, transcript_id FROM turns ORDER BY turn_id")
        x = clustered(len(turns), dim=16)
        s.add_vectors({t: x[i].tobytes() for i, (t, _) in enumerate(turns)}, "test")
        ivf = VectorIndex(folder).get(s)
        assert ivf.size == len(turns)
        assert isinstance(ivf.vectors, np.memmap)  # read from disk, not held twice
        stamp = (folder / vector_index.STAMP).stat().st_mtime_ns

        again = VectorIndex(folder)
        assert again.get(s).size == len(turns)
        assert (folder / vector_index.STAMP).stat().st_mtime_ns == stamp  # loaded, not rebuilt

        s.add(make_transcript("c"))  # no embeddings: the vector index stays valid
        assert again.get(s) is again.get(s)
        assert (folder / vector_index.STAMP).stat().st_mtime_ns == stamp

        s.delete("a")
        left = {t for t, tid in turns if tid == "b"}
        assert set(again.get(s).ids.tolist()) == left
        q = x[-1]
        assert again.get(s).search(q, 1)[0][0] == turns[-1][0]
