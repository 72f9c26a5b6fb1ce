"""The tantivy index follows the store's change log instead of rebuilding after every write.

Each test compares against what matters: a freshly rebuilt index of the same store. Whether
the update was incremental is read from the disk (a rebuild swaps in a new folder, so the
folder's inode changes) and from the index's document count, not from mocks.
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from _store_fixtures import conference_text, drop_test_store, make_transcript, open_test_store
from test_search import fill, ids

from podium.store import open_store, tantivy_index
from podium.store.ingest import ingest
from podium.store.schema import SCHEMA_VERSION

pytest.importorskip("tantivy")

CASES: list[tuple[str, dict[str, str]]] = [
    ("council OR sanctions", {}),
    ("decision", {"kind": "answer"}),
    ("north*", {"org": "harbour council"}),
    ("ferry OR fares", {"since": "2024-03-05"}),
    ("council", {"speaker": "olsen", "kind": "statement"}),
    ("council", {"outlet": "Radio North"}),
    ("pipeline OR dredging", {}),
    ("sanctions", {"clarity": "clear_reply"}),
    ('"night crossings" OR quotas', {"role": "journalist"}),
]


def results(s: Any) -> list[list[str]]:
    """Permalinks, in rank order, for every case."""
    return [[h.permalink for h in s.search(q, limit=500, **f)] for q, f in CASES]


def folder_of(db: Path) -> Path:
    return db.with_name(db.name + ".tantivy")


def inode(db: Path) -> int:
    """Changes only when a rebuild swaps in a new folder."""
    return folder_of(db).stat().st_ino


def documents(s: Any) -> int:
    """Live documents in the index the store searches (refreshed first)."""
    s.refresh_index()
    return int(s._tantivy._index.searcher().num_docs)


def stamped_generation(db: Path) -> int:
    return int((folder_of(db) / tantivy_index.STAMP).read_text().split(":")[-1])


def log_rows(s: Any) -> list[tuple[int, str | None]]:
    return s._rows("SELECT generation, transcript_id FROM change_log ORDER BY 1, 2")


def fresh_results(db: Path) -> list[list[str]]:
    """What a freshly rebuilt index answers for the same store."""
    shutil.rmtree(folder_of(db))
    with open_store(db, engine="tantivy") as fresh:
        return results(fresh)


def write_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"c{i}.txt").write_text(conference_text(i))


def test_add_replace_delete_update_the_index_like_a_rebuild(tmp_path: Path) -> None:
    db, corpus = tmp_path / "s.db", tmp_path / "in"
    write_corpus(corpus, 6)
    s = open_store(db, engine="tantivy")
    ingest(s, [corpus])  # ends with refresh_index: the first build
    fill(s)
    before = results(s)
    built = inode(db)
    tid_of = {Path(p).name: tid for p, tid in s._rows("SELECT path, transcript_id FROM source_files")}

    s.delete(tid_of["c0.txt"])  # delete A (and its file, so the next ingest does not bring it back)
    (corpus / "c0.txt").unlink()
    (corpus / "c1.txt").write_text(conference_text(1).replace("Good afternoon.", "Good afternoon, north."))
    (corpus / "c9.txt").write_text(conference_text(9))  # add C
    s.add(make_transcript("t2", org="NATO", date="2021-02-01", question="Is the pipeline finished?",
                          answer="The council expects sanctions to stay."))  # replace B under the same id
    s.add(make_transcript("t4", answer="Ferry fares fall in the north.", clarity="clear_reply"))
    report = ingest(s, [corpus])  # the changed file replaces its old transcript (a new id)
    assert len(report.ingested) == 2 and tid_of["c1.txt"] not in s and tid_of["c0.txt"] not in s

    after = results(s)
    assert inode(db) == built, "the index was rebuilt instead of updated"
    assert stamped_generation(db) == s.generation()
    assert documents(s) == s.stats().turns  # old versions' documents are gone, none twice
    assert after != before and sum(map(len, after)) > 30, after
    s.close()
    assert fresh_results(db) == after
    assert inode(db) != built


def test_change_log_records_each_write_and_is_pruned(tmp_path: Path) -> None:
    s = open_store(tmp_path / "s.db", engine="tantivy")
    fill(s)
    gen = s.generation()
    assert log_rows(s) == [(gen - 2, "t1"), (gen - 1, "t2"), (gen, "t3")]
    s.search("pipeline")
    assert log_rows(s) == []  # applied by the index, then pruned
    s.delete("t1")
    s.delete("nothing-by-this-id")  # not a write: no generation, no row
    s.add_vectors({s._one("SELECT min(turn_id) FROM turns"): b"\0" * 16}, "test")  # changes no turns
    assert log_rows(s) == [(gen + 1, "t1"), (gen + 2, None)]
    s.refresh_index()
    assert log_rows(s) == [] and stamped_generation(tmp_path / "s.db") == gen + 2
    s.close()


def test_stamp_older_than_the_pruned_log_rebuilds(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    s = open_store(db, engine="tantivy")
    fill(s)
    s.search("pipeline")
    old_copy = tmp_path / "old-index"
    shutil.copytree(folder_of(db), old_copy)  # an index stamped at this generation
    s.add(make_transcript("t5", answer="A pipeline to the islands."))
    s.search("pipeline")
    s.add(make_transcript("t4", answer="The pipeline reached the islands."))
    s.search("pipeline")  # two incremental updates, their log rows pruned
    s.close()

    shutil.rmtree(folder_of(db))
    shutil.copytree(old_copy, folder_of(db))  # put back the index from before them
    restored = inode(db)
    with open_store(db, engine="tantivy") as s:
        got = results(s)
        assert inode(db) != restored, "the log no longer covers the gap: expected a rebuild"
        assert {"t5#t2", "t4#t2"} <= set(got[6])
        assert documents(s) == s.stats().turns
    assert fresh_results(db) == got


def test_write_that_logged_nothing_rebuilds(tmp_path: Path) -> None:
    """A write through ``_bump()`` without saying what changed (as the benchmark's bulk copy
    does) leaves a gap in the log, which must not be mistaken for 'nothing changed'."""
    db = tmp_path / "s.db"
    s = open_store(db, engine="tantivy")
    fill(s)
    s.search("pipeline")
    built = inode(db)
    with s._transaction():
        s._execute("UPDATE turns SET text = 'a pipeline renamed' WHERE transcript_id = 't1' AND turn_index = 0")
        s._bump()
    assert ids(s.search("renamed")) == ["t1#t0"]
    assert inode(db) != built
    s.close()


def test_crash_after_commit_before_stamp_reapplies_without_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "s.db"
    s = open_store(db, engine="tantivy")
    fill(s)
    s.search("pipeline")
    stamp = stamped_generation(db)
    s.add(make_transcript("t5", answer="A pipeline to the islands."))
    s.add(make_transcript("t2", answer="The pipeline was sold."))

    def die(*_: Any) -> None:
        raise OSError("simulated crash after the commit")

    with monkeypatch.context() as m:
        m.setattr(tantivy_index.TantivyIndex, "_write_stamp", staticmethod(die))
        with caplog.at_level(logging.WARNING):
            assert set(ids(s.search("pipeline"))) == {"t2#t2", "t5#t2"}  # FTS5 answered
        assert "simulated crash" in caplog.text
    assert stamped_generation(db) == stamp and len(log_rows(s)) == 2  # committed, not stamped
    built = inode(db)
    got = results(s)  # applies the same two transcripts again
    assert inode(db) == built and stamped_generation(db) == s.generation()
    assert documents(s) == s.stats().turns
    s.close()
    assert fresh_results(db) == got


@pytest.mark.parametrize("holder", ["tantivy writer", "podium lock file"])
def test_busy_index_falls_back_to_fts5_and_the_next_search_catches_up(
    holder: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import tantivy

    db = tmp_path / "s.db"
    s = open_store(db, engine="tantivy")
    fill(s)
    s.search("pipeline")
    s.add(make_transcript("t5", answer="A pipeline to the islands."))
    if holder == "tantivy writer":  # as another process updating the index would hold it
        other = tantivy.Index(s._tantivy._schema(), path=str(folder_of(db)), reuse=True)
        lock: Any = other.writer(heap_size=15_000_000, num_threads=1)
    else:
        lock = open(db.with_name(db.name + ".tantivy.lock"), "a")  # noqa: SIM115
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with caplog.at_level(logging.WARNING):
        assert set(ids(s.search("pipeline"))) == {"t2#t1", "t2#t2", "t5#t2"}
        s.refresh_index()  # what ingest calls at its end: a warning, not a crash
    assert "FTS5" in caplog.text and s.engine == "tantivy"
    assert stamped_generation(db) < s.generation()
    if holder == "tantivy writer":
        lock.wait_merging_threads()  # drops the writer and its lock
    else:
        lock.close()
    assert set(ids(s.search("pipeline"))) == {"t2#t1", "t2#t2", "t5#t2"}
    assert stamped_generation(db) == s.generation()
    s.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_version_1_store_migrates(kind: str, tmp_path: Path) -> None:
    """A store written before the change log (version 1) opens, keeps its data and generation,
    and logs from then on."""
    s = open_test_store(kind, tmp_path)
    schema = getattr(s, "_test_schema", None)
    fill(s)
    with s._transaction():  # back to exactly what migration 1 alone creates
        s._execute("DROP TABLE change_log")
        s._execute("DELETE FROM store_info WHERE key = 'store_id'")
        s._execute("DROP INDEX transcripts_by_organisation_folded")
        s._execute("DROP INDEX transcripts_by_principal_folded")
        s._execute("DROP INDEX questions_by_evasion")
        s._execute("DROP INDEX turns_by_exchange")
        for table in ("question_embeddings", "thread_members", "watch_matches", "watches"):
            s._execute(f"DROP TABLE {table}")
        s._execute("DROP INDEX transcripts_by_sha256")
        s._execute("DELETE FROM schema_migrations WHERE version > 1")
    gen = s.generation()
    assert s.schema_version() == 1
    s.close()

    s = open_store(s.url)
    s._test_schema = schema
    try:
        assert s.schema_version() == SCHEMA_VERSION == 6
        assert s.generation() == gen and len(s) == 3 and len(s.store_id()) == 32
        assert log_rows(s) == []
        s.add(make_transcript("t5", answer="A pipeline to the islands."))
        assert log_rows(s) == [(gen + 1, "t5")]
        assert set(ids(s.search("pipeline"))) == {"t2#t1", "t2#t2", "t5#t2"}
        # the index was built in full (nothing logged before); SQLite then prunes the log,
        # PostgreSQL keeps it for the indexes of other machines
        assert log_rows(s) == ([] if kind == "sqlite" else [(gen + 1, "t5")])
    finally:
        drop_test_store(s)


def test_store_recreated_at_the_same_path_is_not_confused_with_the_old_index(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open_store(db, engine="tantivy") as s:
        fill(s)
        s.add(make_transcript("t5", answer="A pipeline to the islands."))
        s.search("pipeline")  # index stamped at generation 4
    db.unlink()
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)
    with open_store(db, engine="tantivy") as s:  # a new store: generations start again
        for tid in ("n1", "n2", "n3", "n4"):
            s.add(make_transcript(tid, answer=f"Pipeline news {tid}."))
        assert set(ids(s.search("pipeline"))) == {f"{t}#t2" for t in ("n1", "n2", "n3", "n4")}


def test_migration_is_idempotent_on_reopen(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_store(db).close()
    with open_store(db) as s:
        first = s.store_id()
    with open_store(db) as s:
        assert s.store_id() == first and s.schema_version() == SCHEMA_VERSION
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM store_info WHERE key = 'generation'").fetchone()[0] == 1
    con.close()
