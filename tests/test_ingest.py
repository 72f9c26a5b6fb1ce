"""Ingest: real shared transcripts, idempotency, replacement, junk folders, kill -9."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from _store_fixtures import SHARED_DATA, conference_text, drop_test_store, open_test_store

from podium.store import open_store
from podium.store.ingest import collect, ingest

PODIUM = str(Path(sys.executable).with_name("podium"))


def corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"conf-{i:03d}.txt").write_text(conference_text(i))
    return folder


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: two equal dumps mean two identical stores."""
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'turns_fts%'"
        " AND name NOT IN ('schema_migrations', 'store_info')")]
    out = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    out["fts"] = sorted(con.execute("SELECT rowid FROM turns_fts WHERE turns_fts MATCH 'council'").fetchall())
    con.close()
    return out


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared/data not found beside the repo")
def test_ingest_real_transcripts_is_idempotent(tmp_path: Path) -> None:
    kremlin = SHARED_DATA / "transcripts" / "kremlin"
    seed = SHARED_DATA / "seed"
    files = collect([kremlin, seed])
    assert all(f.suffix != ".csv" and not f.name.startswith("SOURCE") for f in files)
    with open_store(tmp_path / "p.db") as s:
        first = ingest(s, [kremlin, seed], jobs=2)
        assert first.ok, first.failed
        assert len(first.ingested) == len(files) == len(s)
        hit = s.search("AUKUS", org="NATO", speaker="stoltenberg")[0]
        assert hit.date == "2021-10-07" and "<mark>AUKUS</mark>" in hit.snippet
        again = ingest(s, [kremlin, seed])
        assert again.ingested == [] and len(again.skipped) == len(files)
        assert {r for _, r in again.skipped} == {"unchanged since last ingest"}


def test_changed_file_replaces_and_copy_is_skipped(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in", 3)
    with open_store(tmp_path / "p.db") as s:
        assert len(ingest(s, [folder]).ingested) == 3
        old = s.get(ingest(s, [folder]).skipped[0][0] and s.list_transcripts().items[0].transcript_id)
        path = Path(old.source.path)
        path.write_text(path.read_text().replace("Good afternoon.", "Good evening."))
        shutil.copy(folder / "conf-001.txt", folder / "conf-copy.txt")
        report = ingest(s, [folder])
        assert len(report.ingested) == 1
        assert any("same content" in r for _, r in report.skipped)
        assert old.id not in s and len(s) == 3
        assert s.search('"good evening"')[0].transcript_id == report.ingested[0]


def test_junk_folder_reports_each_file_and_writes_nothing_half(tmp_path: Path) -> None:
    junk = corpus(tmp_path / "junk", 2)
    (junk / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (junk / "empty.txt").write_bytes(b"")
    (junk / "broken.html").write_text("<html><body><div><p>Unclosed <b>tags and no speakers")
    (junk / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (junk / "bad.json").write_text('{"schema": "podium.transcript/1", "id": 3}')
    db = tmp_path / "p.db"
    out = subprocess.run([PODIUM, "ingest", str(junk), "--db", str(db), "-j", "1"], capture_output=True, text=True)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    reasons = {line.split(":")[0].split("/")[-1]: line for line in out.stderr.splitlines()
               if line.startswith(("  failed", "  warning"))}
    assert set(reasons) == {"image.png", "empty.txt", "broken.html", "latin1.txt", "bad.json"}
    assert "binary" in reasons["image.png"] and "empty" in reasons["empty.txt"]
    assert "UTF-8" in reasons["latin1.txt"] and "podium.transcript/1" in reasons["bad.json"]
    # broken HTML fails in an HTML reader, or is kept as unattributed text with a warning
    assert "failed" in reasons["broken.html"] or "no speaker labels" in reasons["broken.html"]
    stored = 3 if "warning" in reasons["broken.html"] else 2
    assert f"ingested {stored}, skipped 0, failed {7 - stored} of 7 files" in out.stdout
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM transcripts").fetchone()[0] == stored
    assert con.execute("SELECT count(*) FROM source_files").fetchone()[0] == stored
    assert con.execute("SELECT count(DISTINCT transcript_id) FROM turns").fetchone()[0] == stored


def test_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    out = subprocess.run([PODIUM, "ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "p.db")],
                         capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.strip().count("\n") == 0 and "no such file" in out.stderr


def test_kill_9_mid_ingest_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in", 120)
    calm, killed = tmp_path / "calm.db", tmp_path / "killed.db"
    assert subprocess.run([PODIUM, "ingest", str(folder), "--db", str(calm), "-j", "1"],
                          capture_output=True).returncode == 0
    proc = subprocess.Popen([PODIUM, "ingest", str(folder), "--db", str(killed), "-j", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            con = sqlite3.connect(killed, timeout=0.1)
            stored = con.execute("SELECT count(*) FROM transcripts").fetchone()[0]
            con.close()
        except sqlite3.Error:
            stored = 0
        if stored >= 10:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    with open_store(killed) as s:  # consistent right after the kill: every transcript whole
        n = len(s)
        assert 10 <= n < 120
        assert s.stats().turns == n * 8
    rerun = subprocess.run([PODIUM, "ingest", str(folder), "--db", str(killed), "-j", "1"],
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"ingested {120 - n}, skipped {n}" in rerun.stdout
    assert dump(killed) == dump(calm)


@pytest.mark.parametrize("kind", ["postgresql"])
def test_ingest_into_postgresql(kind: str, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in", 6)
    s = open_test_store(kind, tmp_path)
    try:
        report = ingest(s, [folder], jobs=2)
        assert report.ok and len(report.ingested) == 6
        assert len(ingest(s, [folder]).skipped) == 6
        assert len(s.search("dredging OR storms", kind="statement")) == 2
        assert s.persons(name="olsen").total == 1
        assert s.outlets(name="radio north").items[0].question_count == 6
    finally:
        drop_test_store(s)


def test_cli_stats(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    subprocess.run([PODIUM, "ingest", str(corpus(tmp_path / "in", 4)), "--db", str(db)], check=True,
                   capture_output=True)
    out = subprocess.run([PODIUM, "stats", "--db", str(db)], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.startswith("4 transcripts · 32 turns · 8 exchanges")
    assert "Maren Olsen" in out.stdout
