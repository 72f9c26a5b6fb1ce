"""``podium ingest``: parse files and folders into a corpus store."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from podium.cli import app, fail
from podium.cli._options import DbOption, format_option, write_json
from podium.errors import PodiumError

if TYPE_CHECKING:
    from podium.store.ingest import IngestReport


class IngestFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Transcript files and folders (searched recursively).")],
    db: DbOption = None,
    format: Annotated[
        IngestFormat, format_option("text: a summary, the lists on stderr; json: the whole report on stdout.")
    ] = IngestFormat.text,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Parser processes (default: all cores).")] = None,
    embed: Annotated[bool, typer.Option("--embed", help="Also compute sentence embeddings for semantic search.")] = False,
    analyze: Annotated[
        bool, typer.Option("--analyze", help="Label every question's answer for clarity and evasion.")
    ] = False,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Skip files whose name matches this glob (repeatable).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every warning, not the first five.")] = False,
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", help="Parse on Dask workers: local:N (a local cluster) or tcp://scheduler:8786."),
    ] = None,
) -> None:
    """Parse PATHS into the store; unchanged files are skipped, changed ones replaced.

    Exit code 1 when any file failed (each is listed with its reason). Files parsed with low
    confidence are stored and listed as warnings; they never fail the ingest.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from podium.store import open_store
    from podium.store.ingest import DEFAULT_EXCLUDE, collect, ingest

    err = Console(stderr=True)
    try:
        files = collect(paths, (*DEFAULT_EXCLUDE, *(exclude or [])))
        store = open_store(db)
    except PodiumError as exc:
        raise fail(exc) from None
    total = sum(f.stat().st_size for f in files)
    columns: list[ProgressColumn] = [TextColumn("ingest"), BarColumn(),
                                     TextColumn(f"{{task.fields[files]}}/{len(files)} files"),
                                     TransferSpeedColumn(), TimeRemainingColumn()]
    if cluster:  # a long run on many workers: failures as they happen
        columns.append(TextColumn("{task.fields[failed]} failed"))
    with store, Progress(*columns, console=err, disable=not err.is_terminal, transient=True) as bar:
        task = bar.add_task("ingest", total=total, files=0, failed=0)
        count = {"files": 0}

        def tick(_path: str, size: int) -> None:
            count["files"] += 1
            bar.update(task, advance=size, files=count["files"])

        try:
            if cluster:
                report = _on_cluster(store, files, cluster, analyze, embed, tick, quiet=err.is_terminal,
                                     failed=lambda n: bar.update(task, failed=n))
            else:
                report = ingest(
                    store, paths, jobs=jobs, embed=embed, analyze=analyze, progress=tick, files=files
                )
        except PodiumError as exc:
            raise fail(exc) from None
    rate = len(report.ingested) / report.seconds if report.seconds else 0.0
    if format is IngestFormat.json:
        pairs = ("skipped", "failed", "warnings", "low_confidence")
        write_json({
            "store": store.url, "files": len(files), "bytes": total, "seconds": round(report.seconds, 3),
            "ingested": report.ingested, "embedded": report.embedded,
            **{k: [{"path": p, "reason": r} for p, r in getattr(report, k)] for k in pairs},
        })
        raise typer.Exit(code=1 if report.failed else 0)
    out = sys.stdout
    out.write(
        f"ingested {len(report.ingested)}, skipped {len(report.skipped)}, failed {len(report.failed)}"
        f" of {len(files)} files ({total / 1e6:.1f} MB) in {report.seconds:.1f} s"
        f" ({rate:.1f} transcripts/s) into {store.url}\n"
    )
    if report.warnings:
        out.write(f"  {len(report.warnings)} stored with warnings (listed on stderr)\n")
    if report.embedded:
        out.write(f"embedded {report.embedded} turns\n")
    if report.threaded:
        out.write(f"threaded {report.threaded} questions (podium threads)\n")
    for reason, n in sorted(Counter(r for _, r in report.skipped if not r.startswith("same")).items()):
        out.write(f"  skipped {n}: {reason}\n")
    for path, reason in report.skipped:
        if reason.startswith("same"):
            out.write(f"  skipped {path}: {reason}\n")
    shown = len(report.warnings) if verbose else 5
    for _path, reason in report.warnings[:shown]:
        sys.stderr.write(f"  warning {reason}\n")
    if len(report.warnings) > shown:
        sys.stderr.write(f"  … and {len(report.warnings) - shown} more warnings (list them with --verbose)\n")
    for _path, reason in report.low_confidence:  # every one: these are the files to look at
        sys.stderr.write(f"  warning low confidence {reason}\n")
    for _path, reason in report.failed:
        sys.stderr.write(f"  failed {reason}\n")
    if report.low_confidence:
        out.write(f"  {len(report.low_confidence)} stored with low parse confidence (listed on stderr;"
                  " see docs/diagnostics.md)\n")
    if report.failed:
        raise typer.Exit(code=1)


def _on_cluster(store: Any, files: list[Path], target: str, analyze: bool, embed: bool,
                tick: Callable[[str, int], None], *, quiet: bool, failed: Callable[[int], object]) -> IngestReport:
    """The cluster ingest (podium.store.cluster); without a terminal, a status line every 10 s."""
    import time

    from podium.store.cluster import Status, connect, ingest_on_cluster

    last = [0.0]

    def status(s: Status) -> None:
        failed(s.failed)
        if quiet or time.monotonic() - last[0] < 10 and s.done < s.total:
            return
        last[0] = time.monotonic()
        eta = f", ETA {s.eta:.0f} s" if s.eta is not None else ""
        sys.stderr.write(f"ingest: {s.done}/{s.total} files, {s.rate:.1f} files/s{eta},"
                         f" {s.failed} failed, {s.workers} workers\n")

    with connect(target) as client:
        return ingest_on_cluster(store, files, client, analyze=analyze, embed=embed,
                                 progress=tick, status=status)
