"""Ingest on a Dask cluster: workers read, parse (and analyse, embed), this process writes.

``podium ingest PATHS --cluster local:N`` starts a ``LocalCluster`` of N one-thread worker
processes; ``--cluster tcp://host:8786`` uses a running scheduler (``dask scheduler`` and
``dask worker tcp://host:8786 --nthreads 1`` on each machine; docs/scale.md). Needs the
``cluster`` extra (``dask.distributed``).

Why this shape:
- The CPU work (reading, parsing, clarity labels, embeddings) is what scales with the
  archive, so it goes to the workers; the store has one writer, this process, exactly as in
  the single-machine ingest, so person and outlet resolution see one order of writes.
- Results are written in sorted path order, whatever order the workers finish in: the store
  is then the same function of the input as a single-process ingest (ids included), and a
  re-run after a killed client completes it to the same rows (``plan`` skips what is stored).
- Writes go in batches of whole transcripts, one transaction per batch: fewer commits on a
  server store, and a kill loses at most the batch being written, never half a transcript.
- At most ``window`` files are in flight, so memory on the client stays bounded on a
  million-file archive. A worker that dies loses only its running tasks: the scheduler gives
  them to another worker. A file that kills workers repeatedly (``KilledWorker``) is reported
  as failed with that reason, like a file the parser rejects.
- Workers read each file by its path, so every worker must see the archive at the same path
  (a shared or replicated file system); a worker that cannot read a file reports it failed.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podium.errors import InputError, UsageError
from podium.store.ingest import IngestReport, Progress, _tick, parse_path, plan, store_parsed

BATCH = 32
"""Transcripts per write transaction."""
WAIT_FOR_WORKERS = 60
"""Seconds to wait for a first worker on a scheduler that has none."""
BATCH_SECONDS = 2.0
"""A batch is also written when it has waited this long, so progress never stalls."""


@dataclass
class Status:
    """What the client shows while a cluster ingest runs."""

    done: int
    total: int
    failed: int
    seconds: float
    workers: int
    writing: float = 0.0
    """Seconds the client spent writing so far: the serial part of the run (docs/scale.md)."""

    @property
    def rate(self) -> float:
        """Files a second so far."""
        return self.done / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the rate so far; ``None`` before the first file."""
        return (self.total - self.done) / self.rate if self.rate else None


def work(path: str, analyze: bool = False, embed: bool = False) -> tuple[str, Any, str | None, dict[int, bytes] | None]:
    """What a worker does with one file: ``(path, transcript_json, error, vectors)``.

    Runs in the worker process; the clarity model and the embedding model are loaded once per
    worker (both are cached at module level).
    """
    path, doc, error = parse_path(path)
    if doc is None or not (analyze or embed):
        return path, doc, error, None
    from podium.model import Transcript

    tr = Transcript.model_validate(doc)
    if analyze:
        from podium.analyze import analyze as annotate

        tr = annotate(tr)
        doc = tr.to_json_dict()
    vectors = None
    if embed:
        from podium import embed as emb

        found = emb.embed([t.text for t in tr.turns])
        vectors = {t.index: found[i].tobytes() for i, t in enumerate(tr.turns)}
    return path, doc, None, vectors


def parse_target(target: str) -> tuple[str, int | str]:
    """``local:N`` → ``("local", N)``; ``tcp://host:port`` (or tls://) → ``("remote", address)``."""
    if target.startswith("local:"):
        try:
            n = int(target[len("local:"):])
        except ValueError:
            n = 0
        if n < 1:
            raise UsageError(f"--cluster {target!r}: give local:N with N ≥ 1 worker processes")
        return "local", n
    if target.startswith(("tcp://", "tls://")) and ":" in target.split("://", 1)[1]:
        return "remote", target
    raise UsageError(f"--cluster {target!r}: give local:N or a scheduler address such as tcp://host:8786")


@contextmanager
def connect(target: str) -> Iterator[Any]:
    """A ``distributed.Client`` for ``target`` (starting a LocalCluster for ``local:N``)."""
    kind, value = parse_target(target)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--cluster needs dask.distributed: pip install 'podium[cluster]'") from None
    if kind == "local":
        cluster = LocalCluster(n_workers=int(value), threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                               dashboard_address=None, silence_logs=logging.ERROR)
        try:
            with Client(cluster) as client:  # type: ignore[no-untyped-call]
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(str(value), timeout=10)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"--cluster {value}: cannot reach the scheduler ({first})") from None
    with client:
        yield client


def ingest_on_cluster(
    store: Any,
    files: Iterable[Path],
    client: Any,
    *,
    analyze: bool = False,
    embed: bool = False,
    progress: Progress | None = None,
    status: Callable[[Status], None] | None = None,
    window: int | None = None,
    refresh_index: bool = True,
) -> IngestReport:
    """Ingest ``files`` (from ``collect``) into ``store`` with ``client``'s workers parsing.

    The rules are those of ``podium.store.ingest.ingest``; see the module docstring for how
    the work is split. ``status`` is called after each write batch. ``refresh_index=False``
    leaves the full-text index to the next search (benchmarks time the two apart).
    """
    lock = store.ingest_lock() if hasattr(store, "ingest_lock") else contextlib.nullcontext()
    with lock:  # one ingest per store at a time, cluster or not
        return _ingest_on_cluster(store, files, client, analyze=analyze, embed=embed, progress=progress,
                                  status=status, window=window, refresh_index=refresh_index)


def _ingest_on_cluster(
    store: Any, files: Iterable[Path], client: Any, *, analyze: bool, embed: bool, progress: Progress | None,
    status: Callable[[Status], None] | None, window: int | None, refresh_index: bool,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    todo = plan(store, files, report, progress)
    if todo and not client.scheduler_info().get("workers"):
        try:
            client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
        except TimeoutError:
            raise UsageError(f"no Dask worker joined the scheduler within {WAIT_FOR_WORKERS} s;"
                             " start some with: dask worker SCHEDULER_ADDRESS --nthreads 1") from None
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = window or max(16, 8 * workers)
    total, failed_before = len(todo), len(report.failed)
    pending: deque[tuple[str, str, int, Any]] = deque()
    queue = iter(todo)
    done = 0
    batch: list[tuple[str, str, int, Any, str | None, dict[int, bytes] | None]] = []
    last_write = time.perf_counter()
    writing = 0.0

    def refill() -> None:
        for path, sha, size in queue:
            fut = client.submit(work, path, analyze, embed, pure=False)
            pending.append((path, sha, size, fut))
            if len(pending) >= window:
                return

    def flush() -> None:
        nonlocal done, last_write, writing
        if not batch:
            return
        began = time.perf_counter()
        with store._transaction():
            for path, sha, _size, doc, error, vectors in batch:
                store_parsed(store, report, path, sha, doc, error, None, vectors,
                             _model_name() if vectors else None)
        for path, _sha, size, *_ in batch:
            report.bytes += size
            _tick(progress, path, size)
        done += len(batch)
        batch.clear()
        last_write = time.perf_counter()
        writing += last_write - began
        if status is not None:
            status(Status(done, total, len(report.failed) - failed_before,
                          time.perf_counter() - started, workers, writing))

    refill()
    while pending:
        path, sha, size, fut = pending.popleft()
        refill()
        doc, error, vectors = _outcome(path, fut)
        fut.release()
        batch.append((path, sha, size, doc, error, vectors))
        if len(batch) >= BATCH or time.perf_counter() - last_write > BATCH_SECONDS:
            flush()
    flush()
    if embed:  # turns stored earlier without vectors, as the single-machine --embed does
        report.embedded += embed_missing_on_cluster(store, client, workers)
    if refresh_index and (report.ingested or report.embedded) and hasattr(store, "refresh_index"):
        store.refresh_index()
    report.seconds = time.perf_counter() - started
    return report


def embed_missing_on_cluster(store: Any, client: Any, workers: int, *, chunk: int = 256) -> int:
    """Embed every turn that has no vector yet, ``chunk`` turns a task, one transaction a chunk."""
    from podium.embed import MODEL_NAME

    done = 0
    while rows := store.turns_without_vectors(chunk * workers * 2):
        parts = [rows[i : i + chunk] for i in range(0, len(rows), chunk)]
        futures = [client.submit(_embed_texts, [text for _, text in part], pure=False) for part in parts]
        for part, fut in zip(parts, futures, strict=True):
            vectors = fut.result()
            store.add_vectors({tid: vectors[i] for i, (tid, _) in enumerate(part)}, MODEL_NAME)
            done += len(part)
    return done


def _embed_texts(texts: list[str]) -> list[bytes]:
    """On a worker: the float32 embedding of each text, as bytes."""
    from podium import embed as emb

    return [v.tobytes() for v in emb.embed(texts)]


def _outcome(path: str, fut: Any) -> tuple[Any, str | None, dict[int, bytes] | None]:
    """A future's ``(doc, error, vectors)``; a task lost with its workers is a failed file."""
    from distributed import KilledWorker

    try:
        _path, doc, error, vectors = fut.result()
    except KilledWorker:
        return None, f"{path}: the workers parsing it died repeatedly (a file that crashes the parser?)", None
    except (ModuleNotFoundError, ImportError) as exc:
        raise UsageError(f"cluster workers cannot run Podium ({exc}); install podium on every worker") from None
    except InputError as exc:
        return None, str(exc), None
    except Exception as exc:  # any other task error fails this file, never the whole archive
        return None, f"{path}: could not be processed on the cluster ({type(exc).__name__}: {exc})", None
    return doc, error, vectors


def _model_name() -> str:
    from podium.embed import MODEL_NAME

    return MODEL_NAME
