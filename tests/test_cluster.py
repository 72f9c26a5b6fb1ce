"""Ingest on a Dask cluster (podium.store.cluster) into PostgreSQL equals a single-process ingest.

The store written by the cluster ingest must be row for row the store the ordinary ingest
writes from the same files (ids included), also when a worker is killed mid-run (its files are
retried elsewhere) and when the client is killed and the ingest re-run.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _store_fixtures import SHARED_DATA, drop_test_store, open_test_store, pg_url

from podium.store.ingest import collect, ingest

pytest.importorskip("distributed")

PODIUM = str(Path(sys.executable).with_name("podium"))
CORPUS = [SHARED_DATA / "transcripts", SHARED_DATA / "seed"]
SUBSET = [SHARED_DATA / "transcripts" / name for name in ("kremlin", "whitehouse_trump_covid_taskforce", "ecb")]
DERIVED = ("schema_migrations", "store_info", "change_log")  # bookkeeping, not content

pytestmark = pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared/data not found beside the repo")


def fingerprint(store: Any) -> dict[str, tuple[int, str]]:
    """Row count and SHA-256 of the sorted rows of every content table of a PostgreSQL store."""
    tables = [r[0] for r in store._rows(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_type = 'BASE TABLE' ORDER BY 1")]
    out = {}
    for table in tables:
        if table in DERIVED:
            continue
        rows = sorted(repr(r) for r in store._rows(f"SELECT * FROM {table}"))
        out[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def url_of(store: Any) -> str:
    sep = "&" if "?" in pg_url() else "?"
    return f"{pg_url()}{sep}schema={store._test_schema}"


def reference(paths: list[Path], tmp_path: Path) -> dict[str, tuple[int, str]]:
    """The fingerprint of an ordinary one-process ingest of ``paths``."""
    s = open_test_store("postgresql", tmp_path)
    try:
        report = ingest(s, paths, jobs=1)
        assert report.ingested, "nothing ingested"
        return fingerprint(s)
    finally:
        drop_test_store(s)


@pytest.fixture(scope="module")
def subset_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    return reference(SUBSET, tmp_path_factory.mktemp("ref"))


@pytest.fixture()
def empty(tmp_path: Path) -> Iterator[Any]:
    s = open_test_store("postgresql", tmp_path)
    yield s
    drop_test_store(s)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A LocalCluster of two one-thread worker processes (each under a nanny that restarts it)."""
    import logging

    from distributed import Client, LocalCluster

    lc = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR)
    client = Client(lc)
    yield client
    client.close()
    lc.close()


def count(store: Any) -> int:
    return int(store._one("SELECT count(*) FROM transcripts"))


def test_local_cluster_ingest_of_the_corpus_equals_single_process(tmp_path: Path, empty: Any) -> None:
    expected = reference(CORPUS, tmp_path)
    run = subprocess.run([PODIUM, "ingest", *map(str, CORPUS), "--db", url_of(empty), "--cluster", "local:2"],
                         capture_output=True, text=True, timeout=1200)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    assert f"of {len(collect(CORPUS))} files" in run.stdout
    got = fingerprint(empty)
    assert {t: n for t, (n, _) in got.items()} == {t: n for t, (n, _) in expected.items()}
    assert got == expected
    assert expected["turns"][0] > 10_000 and expected["transcripts"][0] > 700
    again = subprocess.run([PODIUM, "ingest", *map(str, CORPUS), "--db", url_of(empty), "--cluster", "local:2"],
                           capture_output=True, text=True, timeout=600)
    assert again.stdout.startswith("ingested 0,"), again.stdout
    assert fingerprint(empty) == expected


def _ingest_in_background(store: Any, target: str) -> subprocess.Popen[str]:
    return subprocess.Popen([PODIUM, "ingest", *map(str, SUBSET), "--db", url_of(store), "--cluster", target],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(store: Any, proc: subprocess.Popen[str], n: int) -> None:
    deadline = time.monotonic() + 300
    while count(store) < n:
        assert proc.poll() is None, "the ingest finished before it could be interrupted"
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.05)


def test_a_killed_worker_is_replaced_and_the_store_is_still_equal(
    subset_reference: dict[str, tuple[int, str]], empty: Any, cluster: Any
) -> None:
    expected = subset_reference
    proc = _ingest_in_background(empty, cluster.scheduler.address)
    _wait_for(empty, proc, 5)
    busy = {addr for addr, tasks in cluster.processing().items() if tasks}
    pids = cluster.run(os.getpid)
    victim = next(addr for addr in pids if addr in busy) if busy else next(iter(pids))
    os.kill(pids[victim], signal.SIGKILL)
    assert proc.poll() is None, "the ingest finished before the worker was killed"
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    assert "failed 0" in out
    assert fingerprint(empty) == expected


def test_a_killed_client_leaves_a_store_that_a_rerun_completes(
    subset_reference: dict[str, tuple[int, str]], empty: Any, cluster: Any
) -> None:
    expected = subset_reference
    proc = _ingest_in_background(empty, cluster.scheduler.address)
    _wait_for(empty, proc, 20)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = count(empty)
    assert 20 <= stored < expected["transcripts"][0]
    # every stored transcript is whole: its turns are there
    assert not empty._rows("SELECT d.transcript_id FROM transcripts d WHERE d.turn_count <>"
                           " (SELECT count(*) FROM turns t WHERE t.transcript_id = d.transcript_id)")
    rerun = subprocess.run([PODIUM, "ingest", *map(str, SUBSET), "--db", url_of(empty), "--cluster",
                            cluster.scheduler.address], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"skipped {stored}," in rerun.stdout
    assert fingerprint(empty) == expected


def test_bad_cluster_targets_are_one_line_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    for target, words in (("local:0", "local:N"), ("spark://x", "local:N or a scheduler address"),
                          ("tcp://127.0.0.1:1", "cannot reach the scheduler")):
        run = subprocess.run([PODIUM, "ingest", str(SUBSET[0]), "--db", db, "--cluster", target],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode != 0
        assert words in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_embed_on_the_workers_equals_embed_in_one_process(tmp_path: Path, cluster: Any) -> None:
    pytest.importorskip("tokenizers")
    from _store_fixtures import conference_text

    from podium.store import open_store

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"c{i}.txt").write_text(conference_text(i))
    with open_store(tmp_path / "one.db") as one:
        assert ingest(one, [folder], jobs=1, embed=True).embedded > 0
        expected = one._rows("SELECT turn_id, model, vector FROM turn_embeddings ORDER BY 1")
    run = subprocess.run([PODIUM, "ingest", str(folder), "--db", str(tmp_path / "many.db"), "--embed",
                          "--cluster", cluster.scheduler.address], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"embedded {len(expected)} turns" in run.stdout
    import numpy as np

    with open_store(tmp_path / "many.db") as many:
        got = many._rows("SELECT turn_id, model, vector FROM turn_embeddings ORDER BY 1")
        assert [r[:2] for r in got] == [r[:2] for r in expected]
        for (_, _, a), (_, _, b) in zip(got, expected, strict=True):  # BLAS threads may differ by an ulp
            assert np.allclose(np.frombuffer(a, np.float32), np.frombuffer(b, np.float32), atol=1e-6)
        assert many.search("ferry operators", mode="semantic", limit=3)


def test_a_scheduler_without_workers_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from distributed import Client, LocalCluster

    from podium.errors import UsageError
    from podium.store import cluster as cl
    from podium.store import open_store

    monkeypatch.setattr(cl, "WAIT_FOR_WORKERS", 2)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None, silence_logs=logging.ERROR) as lc, \
            Client(lc) as client, open_store(tmp_path / "p.db") as store:
        with pytest.raises(UsageError, match="no Dask worker joined"):
            cl.ingest_on_cluster(store, collect([SUBSET[-1]]), client)
        assert len(store) == 0
