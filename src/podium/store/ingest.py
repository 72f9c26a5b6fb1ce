"""Ingest files and folders into a store: parallel parsing, ordered one-transaction writes.

Why this shape:
- Workers only parse (CPU-bound, one process per core); the parent alone writes, so SQLite
  never sees two writers and each transcript lands in exactly one transaction.
- Results are written in sorted path order (``imap`` keeps order), which makes the store a
  function of the input: a run killed half-way and re-run yields the same rows, ids included,
  as one uninterrupted run.
- A file is skipped when its path is stored with the same content hash, or when its bytes are
  already stored under another path; a changed file replaces its old transcript.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from podium.errors import InputError, PodiumError
from podium.model import Transcript

# Files in data folders that describe the data rather than being transcripts.
DEFAULT_EXCLUDE = ("README*", "SOURCE*", "LICENSE*", "CHANGELOG*", "*.csv", "*.tsv", "*.py", "*.db", "*.db-*")


@dataclass
class IngestReport:
    """What an ingest did; ``failed``, ``skipped``, ``warnings`` and ``low_confidence`` hold
    ``(path, reason)`` pairs. A low-confidence file (``podium.parse.diagnostics``) is stored all
    the same: its text stays searchable, and the list says which files to look at."""

    ingested: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    low_confidence: list[tuple[str, str]] = field(default_factory=list)
    embedded: int = 0
    threaded: int = 0
    bytes: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed


def collect(paths: Iterable[str | os.PathLike[str]], exclude: Iterable[str] = DEFAULT_EXCLUDE) -> list[Path]:
    """Every file under ``paths`` (recursively, sorted), minus hidden and excluded names."""
    patterns = tuple(exclude)
    out: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{p}: no such file or folder; check the path")
        candidates = [p] if p.is_file() else (q for q in p.rglob("*") if q.is_file())
        for q in candidates:
            parts = q.relative_to(p).parts if q != p else (q.name,)
            if any(part.startswith(".") for part in parts):
                continue
            if q != p and any(fnmatch.fnmatch(q.name, pat) for pat in patterns):
                continue
            out.add(q)
    return sorted(out)


def parse_path(path: str) -> tuple[str, dict[str, Any] | None, str | None]:
    """Parse one file in a worker: ``(path, transcript_json, None)`` or ``(path, None, reason)``.

    A transcript in which no turn has a speaker is still stored (its text is searchable), and
    the caller reports it as a warning: usually a format no reader understands yet.

    A ``podium.transcript/1`` JSON file is loaded as it is, so exports can be re-ingested.
    """
    from podium.parse import parse_document
    from podium.readers import catalogue, load_bytes, read_bytes, sha256

    try:
        data = load_bytes(path)
        if path.endswith(".json") and b'"podium.transcript/1"' in data[:4096]:
            try:
                tr = Transcript.model_validate_json(data)
            except ValueError as exc:
                raise InputError(f"{path}: not a valid podium.transcript/1 document ({str(exc).splitlines()[0]})") from None
        else:
            doc = read_bytes(data, path)
            doc.catalogue = catalogue.entry(path)  # date, title, address from an _index.csv beside it
            tr = parse_document(doc)
            tr.source.sha256 = sha256(data)
        if not tr.turns:
            raise InputError(f"{path}: no text found; is this a transcript?")
        return path, tr.to_json_dict(), None
    except PodiumError as exc:
        return path, None, str(exc)
    except Exception as exc:  # a parser bug must not stop a 10,000-file ingest
        return path, None, f"{path}: could not be parsed ({type(exc).__name__}: {exc})"


def _sha(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


Progress = Callable[[str, int], None]
"""Called after each file with its path and size in bytes."""


def ingest(
    store: Any,
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    embed: bool = False,
    analyze: bool = False,
    exclude: Iterable[str] = DEFAULT_EXCLUDE,
    progress: Progress | None = None,
    files: list[Path] | None = None,
) -> IngestReport:
    """Parse every file under ``paths`` into ``store``; see the module docstring for the rules.

    With ``analyze``, each new transcript gets clarity/evasion labels (``podium.analyze``)
    before it is written; it runs in this process, where the embedding model is loaded once.
    """
    annotate: Callable[..., Transcript] | None = None
    if analyze:
        from podium.analyze import analyze as annotate
    lock = store.ingest_lock() if hasattr(store, "ingest_lock") else contextlib.nullcontext()
    with lock:  # one ingest per store at a time: a second one stops with one line
        return _ingest(store, paths, jobs=jobs, embed=embed, annotate=annotate, exclude=exclude,
                       progress=progress, files=files)


def _ingest(
    store: Any, paths: Iterable[str | os.PathLike[str]], *, jobs: int | None, embed: bool,
    annotate: Callable[..., Transcript] | None, exclude: Iterable[str], progress: Progress | None,
    files: list[Path] | None,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    todo = plan(store, files if files is not None else collect(paths, exclude), report, progress)
    sizes = {p: (sha, size) for p, sha, size in todo}
    for path, doc, error in _parsed([p for p, _, _ in todo], jobs):
        sha, size = sizes[path]
        report.bytes += size
        store_parsed(store, report, path, sha, doc, error, annotate)
        _tick(progress, path, size)
    if embed:
        report.embedded = embed_missing(store)
        if hasattr(store, "question_vectors"):  # questions thread as they arrive (analyze/threads.py)
            from podium.analyze import threads

            threads.embed_questions(store)
            report.threaded = threads.update_threads(store).threaded
    if (report.ingested or report.embedded) and hasattr(store, "refresh_index"):
        store.refresh_index()
    report.seconds = time.perf_counter() - started
    return report


def plan(store: Any, files: Iterable[Path], report: IngestReport, progress: Progress | None = None) -> list[tuple[str, str, int]]:
    """The ``(path, sha256, size)`` of the files that need parsing; unreadable files go to
    ``report.failed``, unchanged files and copies of stored ones to ``report.skipped``.
    Shared by the single-machine and the cluster ingest (``podium.store.cluster``)."""
    todo: list[tuple[str, str, int]] = []
    for f in files:
        path, size = str(f), f.stat().st_size
        try:
            sha = _sha(f)
        except OSError as exc:
            report.failed.append((path, f"{path}: cannot be read ({exc.strerror})"))
            continue
        if store.source_state(path) == sha:
            report.skipped.append((path, "unchanged since last ingest"))
            _tick(progress, path, size)
            continue
        twin = store.transcript_for_sha(sha)
        if twin is not None:
            store.record_source(path, sha, twin)
            report.skipped.append((path, f"same content as stored transcript {twin}"))
            _tick(progress, path, size)
            continue
        todo.append((path, sha, size))
    return todo


def store_parsed(
    store: Any, report: IngestReport, path: str, sha: str, doc: dict[str, Any] | Transcript | None,
    error: str | None, annotate: Callable[[Transcript], Transcript] | None = None,
    vectors: dict[int, bytes] | None = None, model: str | None = None,
) -> None:
    """Write one parse result (or record its failure) the way every ingest does."""
    from podium.parse.diagnostics import summary

    if error is not None:
        report.failed.append((path, error))
    else:
        tr = doc if isinstance(doc, Transcript) else Transcript.model_validate(doc)
        if annotate is not None:
            tr = annotate(tr)
        twin = store.transcript_for_sha(sha)
        if twin is not None:  # two new files with the same bytes in one run
            store.record_source(path, sha, twin)
            report.skipped.append((path, f"same content as stored transcript {twin}"))
        else:
            report.ingested.append(store.add(tr, source_bytes_sha=sha, source_path=path, vectors=vectors, model=model))
            report.embedded += len(vectors or ())
            diag = tr.diagnostics
            if diag is not None and diag.confidence != "ok":  # says more than the line below
                report.low_confidence.append((path, f"{path}: {summary(diag)}"))
            elif not any(t.speaker or t.label for t in tr.turns):
                report.warnings.append((path, f"{path}: no speaker labels found; stored as unattributed text"))


def _tick(progress: Progress | None, path: str, size: int) -> None:
    if progress is not None:
        progress(path, size)


def _parsed(paths: list[str], jobs: int | None) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    """Parse results in input order, in worker processes when there is more than one job."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(paths) < 4:
        yield from map(parse_path, paths)
        return
    with get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(parse_path, paths, chunksize=2)


def embed_missing(store: Any, *, batch: int = 256) -> int:
    """Embed every turn that has no vector yet, ``batch`` turns per transaction."""
    from podium import embed as emb

    done = 0
    while rows := store.turns_without_vectors(batch):
        vectors = emb.embed([text for _, text in rows])
        store.add_vectors({tid: vectors[i].tobytes() for i, (tid, _) in enumerate(rows)}, emb.MODEL_NAME)
        done += len(rows)
    return done


def summary_json(report: IngestReport) -> str:
    """The report as one JSON object (for ``--format json``)."""
    return json.dumps({
        "ingested": len(report.ingested), "skipped": len(report.skipped), "failed": len(report.failed),
        "warnings": len(report.warnings), "low_confidence": len(report.low_confidence),
        "embedded_turns": report.embedded, "seconds": round(report.seconds, 2),
        "failures": [{"path": p, "reason": r} for p, r in report.failed],
    })
