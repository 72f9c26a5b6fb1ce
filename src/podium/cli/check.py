"""``podium check DIR``: parse every transcript in a folder and report what failed, per source."""

from __future__ import annotations

from dataclasses import fields
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import format_option, write_json
from podium.errors import InputError


class CheckFormat(str, Enum):
    table = "table"
    json = "json"


@app.command("check")
def check_cmd(
    folder: Annotated[Path, typer.Argument(help="A folder of transcripts (one sub-folder per source).")],
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List the files behind each count.")] = False,
    format: Annotated[
        CheckFormat, format_option("table, or json: per source, the counts and the files behind them.")
    ] = CheckFormat.table,
) -> None:
    """Parse every transcript under FOLDER: crashes, refusals, files with no turns, no
    exchanges or unknown speakers, and files parsed with low confidence (each listed with
    its diagnostic), per source. Exits 1 if anything crashed."""
    from rich.console import Console
    from rich.table import Table

    from podium.evaluate.check import check

    if not folder.is_dir():
        raise fail(InputError(f"{folder}: not a folder; give the folder that holds the transcripts"))
    reports = check(folder)
    if format is CheckFormat.json:
        # Counters become plain objects (dataclasses.asdict would rebuild them from pairs).
        write_json({source: {f.name: getattr(r, f.name) for f in fields(r)} for source, r in reports.items()})
        raise typer.Exit(code=1 if any(r.crashes for r in reports.values()) else 0)
    table = Table(title=f"podium check {folder}")
    for col in ("source", "files", "crashes", "refused", "no turns", "no exchanges", "unknown speakers",
                "low confidence", "turns", "exchanges", "event types"):
        table.add_column(col, justify="left" if col in ("source", "event types") else "right")
    for source, r in reports.items():
        types = ", ".join(f"{k} {v}" for k, v in r.event_types.most_common())
        counts = (r.files, len(r.crashes), len(r.refused), len(r.no_turns), len(r.no_exchanges),
                  len(r.unknown_speakers), len(r.low_confidence), r.turns, r.exchanges)
        table.add_row(source, *map(str, counts), types)
    console = Console(width=180)
    console.print(table)
    for r in reports.values():
        for what, items in (("CRASH", r.crashes), ("refused", r.refused)):
            for item in items:
                typer.echo(f"{what} {item}")
        for item in r.low_confidence:
            typer.echo(f"low confidence {item}")
        if verbose:
            for what, items in (("no turns", r.no_turns), ("no exchanges", r.no_exchanges),
                                ("unknown speakers", r.unknown_speakers)):
                for item in items:
                    typer.echo(f"{what}: {item}")
    if any(r.crashes for r in reports.values()):
        raise typer.Exit(code=1)
