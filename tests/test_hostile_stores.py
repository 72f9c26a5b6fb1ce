"""Stores under hostile conditions: mistyped paths, damage, read-only files, two ingests at
once, replaced transcripts and a read-only server (issue 14)."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests._store_fixtures import drop_test_store, open_test_store, pg_url
from tests.conftest import SHARED, need_shared

ROOT = Path(__file__).resolve().parents[1]
BRIEFINGS = SHARED / "data" / "transcripts" / "whitehouse_briefing_room" / "press-briefings"


def podium(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real entry point in a subprocess: exit code and stderr as a user sees them."""
    return subprocess.run(
        [sys.executable, "-c", "from podium.cli import main; main()", *args], cwd=cwd,
        capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.stderr.startswith("podium: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a dozen real briefings (copied to a temp folder, not into the repo)."""
    need_shared()
    folder = tmp_path_factory.mktemp("briefings")
    for f in sorted(BRIEFINGS.rglob("*.md"))[:12]:
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def store_db(files: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("store") / "s.db"
    done = podium("ingest", str(files), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


def digest(*paths: Path) -> dict[str, str]:
    """Hash of every file under ``paths`` (files or folders), by relative name."""
    out = {}
    for p in paths:
        for f in sorted([p] if p.is_file() else p.rglob("*")):
            if f.is_file():
                out[str(f.relative_to(p.parent))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


@pytest.mark.parametrize("command", [("search", "nato"), ("stats",), ("export", "--to", "jsonl", "out.jsonl"),
                                     ("serve", "--get", "/api/home")])
def test_read_commands_refuse_a_missing_store_and_create_nothing(tmp_path: Path, command: tuple[str, ...]) -> None:
    done = podium(*command, "--db", str(tmp_path / "typo.db"), cwd=tmp_path)
    assert done.returncode == 2
    assert "no such store" in one_line(done)
    assert not (tmp_path / "typo.db").exists()


def _pg_elsewhere(base: str, *, database: str | None = None, port: int | None = None, schema: str | None = None) -> str:
    """``base`` (the test server's URL) pointed at another database, port or schema."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(base)
    if database is not None:
        parts = parts._replace(path="/" + database)
    if port is not None:
        parts = parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{port}")
    url = urlunsplit(parts)
    return url + (("&" if "?" in url else "?") + f"schema={schema}" if schema else "")


@pytest.mark.parametrize("command", [("search", "nato"), ("stats",), ("export", "--to", "jsonl", "out.jsonl"),
                                     ("serve", "--get", "/api/home")])
def test_read_commands_refuse_a_missing_postgresql_schema_and_create_nothing(tmp_path: Path, command: tuple[str, ...]) -> None:
    """A mistyped ``schema=`` used to be created, migrated and answered with "no matches"."""
    import psycopg

    base = pg_url()
    schema = f"podium_typo_{uuid.uuid4().hex[:10]}"
    done = podium(*command, "--db", _pg_elsewhere(base, schema=schema), cwd=tmp_path)
    assert done.returncode == 2
    assert "no such store" in one_line(done) and schema in done.stderr
    with psycopg.connect(base) as con:
        assert not con.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (schema,)).fetchone()
    assert not (tmp_path / "out.jsonl").exists()


def test_a_missing_postgresql_database_or_server_is_one_line(tmp_path: Path) -> None:
    base = pg_url()
    missing = f"podium_typo_{uuid.uuid4().hex[:10]}"
    done = podium("stats", "--db", _pg_elsewhere(base, database=missing), cwd=tmp_path)
    assert done.returncode == 2
    assert "no such store" in one_line(done) and missing in done.stderr
    with socket.socket() as s:  # a port nothing listens on: the server does not answer
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = podium("search", "nato", "--db", _pg_elsewhere(base, port=port, schema="x").replace("postgres@", "postgres:secret@"),
                  cwd=tmp_path)
    assert done.returncode == 2
    line = one_line(done)
    assert "cannot connect" in line and "secret" not in line  # the password is not printed


def _damage(db: Path) -> None:
    with open(db, "r+b") as fh:  # overwrite pages in the middle, as a bad disk or copy would
        fh.seek(4096 * 3)
        fh.write(bytes(range(256)) * 64)


@pytest.mark.parametrize("command", [("stats",), ("search", "president"), ("export", "--to", "jsonl", "out.jsonl"),
                                     ("serve", "--get", "/api/home")])
def test_damaged_store_is_one_line_with_a_hint(store_db: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    db = tmp_path / "damaged.db"
    shutil.copy(store_db, db)
    _damage(db)
    done = podium(*command, "--db", str(db), cwd=tmp_path)
    assert done.returncode == 1
    line = one_line(done)
    assert "store is damaged" in line or "cannot be read" in line
    assert "restore it from a backup" in line


def test_ingest_never_writes_to_a_damaged_store(store_db: Path, files: Path, tmp_path: Path) -> None:
    db = tmp_path / "damaged.db"
    shutil.copy(store_db, db)
    _damage(db)
    extra = tmp_path / "new"
    extra.mkdir()
    shutil.copy(sorted(BRIEFINGS.rglob("*.md"))[20], extra)
    before = digest(db)
    done = podium("ingest", str(extra), "--db", str(db))
    assert done.returncode == 1
    assert "nothing was written" in one_line(done)
    assert digest(db) == before


def test_read_only_store_file_is_one_line_for_ingest_and_readable(store_db: Path, files: Path, tmp_path: Path) -> None:
    db = tmp_path / "ro.db"
    shutil.copy(store_db, db)
    db.chmod(0o444)
    extra = tmp_path / "new"
    extra.mkdir()
    shutil.copy(sorted(BRIEFINGS.rglob("*.md"))[21], extra)
    before = digest(db)
    done = podium("ingest", str(extra), "--db", str(db))
    assert done.returncode == 1
    assert "read-only" in one_line(done)
    stats = podium("stats", "--db", str(db), "--json")
    assert stats.returncode == 0 and '"transcripts": 12' in stats.stdout
    assert digest(db) == before


def _two_ingests(db: str, files: Path) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-c", "from podium.cli import main; main()", "ingest", str(files), "--db", db, "--jobs", "1"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)]
    time.sleep(0.3)  # the first takes the lock; the second arrives while it parses
    procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def _counts(store: object) -> tuple[int, ...]:
    q = store._one  # type: ignore[attr-defined]
    return tuple(int(q(f"SELECT count(*) FROM {t}")) for t in ("transcripts", "turns", "persons", "participants"))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_ingest_while_another_holds_the_store_stops_with_one_line(kind: str, files: Path, tmp_path: Path) -> None:
    store = open_test_store(kind, tmp_path)
    url = store.url if kind == "postgresql" else str(store.path)
    try:
        with store.ingest_lock():  # type: ignore[attr-defined]  (this process is "the first ingest")
            second = podium("ingest", str(files), "--db", url, "--jobs", "1")
        assert second.returncode == 1
        assert "another ingest into this store is running" in one_line(second)
        assert _counts(store) == (0, 0, 0, 0)
    finally:
        drop_test_store(store)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_concurrent_ingests_neither_duplicate_nor_traceback(kind: str, files: Path, tmp_path: Path) -> None:
    """Two real processes: which one wins the lock depends on the machine's load, so the test
    asks only that one of them ingests, the other (if it overlapped) stops with the one line,
    and the store equals a fresh ingest."""
    store = open_test_store(kind, tmp_path)
    url = store.url if kind == "postgresql" else str(store.path)
    try:
        runs = _two_ingests(url, files)
        assert sorted(r.returncode for r in runs)[0] == 0, [r.stderr for r in runs]
        for r in runs:
            assert "Traceback" not in r.stderr
            if r.returncode:
                assert r.returncode == 1
                assert "another ingest into this store is running" in one_line(r)
        (tmp_path / "fresh").mkdir()
        fresh = open_test_store("fts5" if kind == "sqlite" else kind, tmp_path / "fresh")
        try:
            from podium.store.ingest import ingest

            ingest(fresh, [files], jobs=1)
            assert _counts(store) == _counts(fresh)
        finally:
            drop_test_store(fresh)
    finally:
        drop_test_store(store)


def _people(store: object) -> set[tuple[str, ...]]:
    rows = store._rows(  # type: ignore[attr-defined]
        "SELECT p.display_name, coalesce(p.organisation, ''), a.alias FROM persons p"
        " JOIN person_aliases a ON a.person_id = p.person_id")
    return {tuple(r) for r in rows}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_replacing_a_transcript_leaves_the_store_equal_to_a_fresh_ingest(kind: str, tmp_path: Path) -> None:
    need_shared()
    folder = tmp_path / "in"
    folder.mkdir()
    sources = sorted(BRIEFINGS.rglob("*.md"))[:3]
    for f in sources:
        shutil.copy(f, folder / f.name)
    store = open_test_store(kind, tmp_path)
    fresh = None
    try:
        from podium.store.ingest import ingest

        ingest(store, [folder], jobs=1)
        target = folder / sources[0].name
        text = target.read_text()
        from podium import parse_file

        named = [p.name for p in parse_file(target).participants if p.role == "journalist" and p.name]
        assert named, "the briefing names no journalist"
        old = named[0].split()[-1]
        target.write_text(text.replace(old, "Zyxwort"))  # rename a journalist, as a correction would
        ingest(store, [folder], jobs=1)
        (tmp_path / "fresh").mkdir()
        fresh = open_test_store("fts5" if kind == "sqlite" else kind, tmp_path / "fresh")
        ingest(fresh, [folder], jobs=1)
        assert _people(store) == _people(fresh)
        assert any("Zyxwort" in p[0] for p in _people(store))
        assert _counts(store) == _counts(fresh)
        orphans = store._one("SELECT count(*) FROM persons p WHERE NOT EXISTS"
                             " (SELECT 1 FROM participants x WHERE x.person_id = p.person_id)")
        assert orphans == 0
    finally:
        drop_test_store(store)
        if fresh is not None:
            drop_test_store(fresh)


def test_read_only_server_never_writes(store_db: Path, files: Path, tmp_path: Path) -> None:
    """1,000 mixed requests on a read-only server whose tantivy index is one change behind:
    the store file and the index folder stay byte-identical."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from podium.store import open_store
    from podium.web import create_app

    db = tmp_path / "ro.db"
    shutil.copy(store_db, db)
    index = db.with_name(db.name + ".tantivy")
    shutil.copytree(store_db.with_name(store_db.name + ".tantivy"), index)
    with open_store(str(db), engine="fts5") as store:  # a write the tantivy index has not seen
        store.delete(store._one("SELECT transcript_id FROM transcripts ORDER BY transcript_id LIMIT 1"))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tid = store._one("SELECT transcript_id FROM transcripts ORDER BY transcript_id LIMIT 1")
        assert store._one("SELECT count(*) FROM change_log"), "the index should be one change behind"
    vectors = _embed_some_turns(db)  # and a vector index one embedding change behind
    before = digest(db, index, vectors)
    client = TestClient(create_app(str(db), read_only=True))
    paths = ["/api/home", "/", "/api/search?q=president", "/search?q=border+OR+economy",
             "/search.csv?q=ukraine", f"/api/transcripts/{tid}", f"/transcripts/{tid}", "/transcripts",
             "/api/search?q=%22press+secretary%22&role=journalist", "/api/search?q=(((deep"]
    statuses = set()
    for i in range(1000):
        statuses.add(client.get(paths[i % len(paths)]).status_code)
    stored = client.post("/api/transcripts", files={"file": ("a.txt", b"Q: Hello?\n\nMINISTER: Hi.\n")})
    assert stored.status_code == 403
    assert statuses == {200, 400}, statuses
    client.close()
    with open_store(str(db), read_only=True) as store:  # semantic and hybrid: the store API and CLI
        for mode in ("semantic", "hybrid"):
            hits = store.search("energy prices and inflation", mode=mode, limit=5)
            assert hits and all(h.transcript_id for h in hits)
        # the 20 newest embeddings are found: the stale folder was not used, nor rewritten
        newest = store._one("SELECT text FROM turns WHERE turn_id = (SELECT max(turn_id) FROM turn_embeddings)")
        assert store.search(newest, mode="semantic", limit=1)[0].text == newest
    assert digest(db, index, vectors) == before


def _embed_some_turns(db: Path) -> Path:
    """Embed 60 turns, build the saved vector index, then embed 20 more: the index folder
    (``<db>.vectors``) is one change behind, as after an ingest that did not search."""
    pytest.importorskip("numpy")
    from podium.embed import MODEL_NAME, embed
    from podium.store import open_store

    with open_store(str(db), engine="fts5") as store:
        rows = store._rows("SELECT turn_id, text FROM turns ORDER BY turn_id LIMIT 80")
        x = embed([text for _, text in rows])
        store.add_vectors({tid: x[i].tobytes() for i, (tid, _) in enumerate(rows[:60])}, MODEL_NAME)
        assert store.search("energy", mode="semantic", limit=1)  # saves the index of 60
        store.add_vectors({tid: x[60 + i].tobytes() for i, (tid, _) in enumerate(rows[60:])}, MODEL_NAME)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = db.with_name(db.name + ".vectors")
    assert (folder / "ids.npy").exists()
    return folder


def test_a_corrupted_tantivy_index_is_rebuilt_once(store_db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from podium.store import open_store

    db = tmp_path / "c.db"
    shutil.copy(store_db, db)
    index = db.with_name(db.name + ".tantivy")
    shutil.copytree(store_db.with_name(store_db.name + ".tantivy"), index)
    (index / "meta.json").write_text("{ not json")
    with open_store(str(db)) as store:
        assert store.engine == "tantivy"
        hits = store.search("president", limit=3)
        assert hits
        assert any("rebuilding it" in r.getMessage() for r in caplog.records)
        assert '"segments"' in (index / "meta.json").read_text()
    caplog.clear()
    with open_store(str(db)) as store:
        assert store.search("president", limit=3) == hits
    assert not any("unusable" in r.getMessage() or "rebuilding" in r.getMessage() for r in caplog.records)
