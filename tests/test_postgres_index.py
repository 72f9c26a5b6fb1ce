"""A PostgreSQL store ranks full text with a tantivy index kept on the searching machine.

Compared against what matters: the same store searched with ``ts_rank`` (the matches must be
the same turns), and a freshly rebuilt index (an incrementally updated one must answer alike).
Whether an update was incremental is read from the disk (a rebuild swaps in a new folder).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _store_fixtures import drop_test_store, make_transcript, open_test_store
from test_search import fill
from test_tantivy_incremental import CASES, results

from podium.store import open_store, tantivy_index

pytest.importorskip("tantivy")


@pytest.fixture()
def pg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("PODIUM_INDEX_DIR", str(tmp_path / "machine-a"))
    s = open_test_store("postgresql", tmp_path)
    assert s.engine == "tantivy"
    fill(s)
    yield s
    drop_test_store(s)


def folder(s: Any) -> Path:
    return s._tantivy.folder


def stamped(s: Any) -> int:
    return int((folder(s) / tantivy_index.STAMP).read_text().split(":")[-1])


def test_tantivy_and_ts_rank_find_the_same_turns(pg: Any) -> None:
    plain = open_store(pg.url, engine="postgresql")
    try:
        for (q, f), ranked in zip(CASES, results(pg), strict=True):
            assert sorted(ranked) == sorted(h.permalink for h in plain.search(q, limit=500, **f)), (q, f)
        assert any(results(pg))
        hit = pg.search("dredging", limit=1)[0]
        assert "<mark>dredg" in hit.snippet.lower()  # stemmed: "dredging" finds "dredge"
    finally:
        plain.close()
    assert folder(pg).is_dir() and str(folder(pg)).startswith(os.environ["PODIUM_INDEX_DIR"])


def test_the_index_follows_the_change_log_and_equals_a_rebuild(pg: Any, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = results(pg)
    inode = folder(pg).stat().st_ino
    pg.add(make_transcript("t9", answer="A pipeline to the islands, and sanctions on smugglers."))
    assert pg.delete("t2")
    after = results(pg)
    assert after != before
    assert folder(pg).stat().st_ino == inode, "the update rebuilt the index instead of applying the log"
    assert stamped(pg) == pg.generation()
    assert any("t9#" in p for p in after[0]) and not any("t2#" in p for r in after for p in r)
    # another machine (its own index folder) builds its index from scratch and answers alike
    monkeypatch.setenv("PODIUM_INDEX_DIR", str(tmp_path / "machine-b"))
    other = open_store(pg.url)
    try:
        assert folder(other) != folder(pg)
        assert results(other) == after
    finally:
        other.close()
    # a deleted index is rebuilt on the next search, with the same answers
    shutil.rmtree(folder(pg))
    again = open_store(pg.url)
    try:
        assert results(again) == after
    finally:
        again.close()


def test_a_busy_index_falls_back_to_ts_rank(pg: Any) -> None:
    import fcntl

    pg.add(make_transcript("t9", answer="A pipeline to the islands."))  # index now behind
    lock = folder(pg).with_name(folder(pg).name + ".lock")
    with open(lock, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # another process is updating it
        hits = pg.search("pipeline", limit=50)
    assert any(h.transcript_id == "t9" for h in hits)


def test_engine_choice_is_checked(tmp_path: Path) -> None:
    from _store_fixtures import pg_url

    from podium.errors import UsageError

    with pytest.raises(UsageError, match="tantivy or postgresql"):
        open_store(pg_url(), engine="fts5")
