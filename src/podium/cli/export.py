"""``podium export``: many transcripts (files or a store) out in a format other tools read."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from podium.cli import app, fail
from podium.cli._options import db_option
from podium.errors import PodiumError, UsageError
from podium.export import FORMATS
from podium.model import Transcript

ExportFormat = Enum("ExportFormat", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]


def _progress_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


class _Progress:
    """A rich progress bar on stderr, or nothing when stderr is not a terminal."""

    def __init__(self, total: int | None, label: str) -> None:
        console = _progress_console()
        self.bar: Any = None
        if console.is_terminal:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True,
            )
            self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def wrap(self, items: Iterable[Transcript]) -> Iterator[Transcript]:
        for t in items:
            self.advance()
            yield t


def _store_transcripts(db: str, filters: Any) -> Iterator[Transcript]:
    """Transcripts from the store at ``db``, filtered by the store itself."""
    try:
        from podium.store import open_store
    except ModuleNotFoundError as exc:
        if exc.name not in ("podium.store", "podium"):
            raise
        raise UsageError(
            "--db needs Podium's store (the podium.store module), which this installation "
            "lacks; export from files instead: podium export --to FORMAT PATHS... OUT"
        ) from None
    store = open_store(db, existing=True)
    yield from store.iter_transcripts(
        org=filters.org, since=filters.since, until=filters.until,
        speaker=filters.speaker, outlet=filters.outlet,
    )


def check_out(fmt: str, out: str) -> None:
    """Refuse an OUT that looks like input rather than a previous export of this format.

    OUT is the last path, so a forgotten OUT turns the last input into it; overwriting a
    transcript, or dropping files into a folder of transcripts, would be a nasty surprise.
    """
    from podium.export import FORMATS
    from podium.export.convokit import FILES

    spec, path = FORMATS[fmt], Path(out)
    if out == "-" or not path.exists():
        return
    if path.is_file() and spec.target != "folder" and path.suffix != spec.suffix:
        raise UsageError(
            f"{path}: exists and is not a {spec.suffix} file; refusing to overwrite it "
            "(OUT is the last path: did you forget it?)"
        )
    if path.is_dir():
        own = set(FILES) if spec.target == "folder" else None
        foreign = [
            p.name for p in path.iterdir()
            if (p.name not in own if own is not None else p.suffix != spec.suffix)
        ]
        if foreign:
            raise UsageError(
                f"{path}: folder holds files a {fmt} export does not write ({foreign[0]}, ...); "
                "give a new or empty folder as OUT"
            )


@app.command("export")
def export_cmd(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Transcript files or folders (walked recursively), then OUT: a file, '-' for "
            "stdout, or a folder (convokit; markdown/html for one file per transcript).",
            show_default=False,
            metavar="PATHS... OUT",
        ),
    ],
    to: Annotated[ExportFormat, typer.Option("--to", "-t", help="Export format.", case_sensitive=False)],
    db: Annotated[str | None, db_option("Export from this store (a SQLite file or postgresql://… URL) instead of files.")
                  ] = None,
    org: Annotated[str | None, typer.Option("--org", help="Only this organisation, e.g. NATO.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only events on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only events on or before YYYY-MM-DD.")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Only where a participant's name contains this.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only where an asker's outlet contains this.")] = None,
    style: Annotated[str | None, typer.Option("--style", help="House style for parsing files.")] = None,
    max_bytes: Annotated[int | None, typer.Option("--max-bytes", help="Skip files larger than this.")] = None,
) -> None:
    """Export transcripts (parsed from PATHS, or from --db) to OUT in the --to format.

    Files that cannot be parsed are skipped with a warning; the summary goes to stderr.
    """
    from podium.export import export
    from podium.export.sources import Filters, filtered, iter_paths, parse_paths

    try:
        *inputs, out = paths
        filters = Filters(org=org, since=since, until=until, speaker=speaker, outlet=outlet)
        if db is not None and inputs:
            raise UsageError("give either --db or input PATHS, not both")
        if db is None and not inputs:
            raise UsageError("nothing to export: give input PATHS before OUT, or --db URL")
        check_out(to.value, out)
        skipped: list[str] = []

        def warn(path: Path, exc: PodiumError) -> None:
            skipped.append(str(path))
            sys.stderr.write(f"podium: warning: skipped {exc}\n")

        if db is not None:
            progress = _Progress(None, "exporting")
            source: Iterable[Transcript] = progress.wrap(_store_transcripts(db, filters))
        else:
            files = list(iter_paths(inputs))
            progress = _Progress(len(files), "parsing")
            source = filtered(
                parse_paths(files, style=style, max_bytes=max_bytes, on_error=warn, on_file=progress.advance),
                filters,
            )
        with progress:
            result = export(source, to.value, out)
    except PodiumError as exc:
        raise fail(exc) from None
    where = "stdout" if out == "-" else out
    note = f"; skipped {len(skipped)} unreadable file(s)" if skipped else ""
    sys.stderr.write(
        f"podium: exported {result.transcripts} transcript(s) as {to.value}: "
        f"{result.written} {result.unit} to {where}{note}\n"
    )
