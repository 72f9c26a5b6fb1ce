"""``podium stats``: what the store holds, by organisation, year, speaker and outlet."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import DbOption, JsonAlias, format_option, write_json
from podium.errors import PodiumError


class StatsFormat(str, Enum):
    table = "table"
    json = "json"


@app.command("stats")
def stats_cmd(
    db: DbOption = None,
    top: Annotated[int, typer.Option(help="How many of the largest groups to show.")] = 10,
    format: Annotated[StatsFormat, format_option()] = StatsFormat.table,
    as_json: JsonAlias = False,
) -> None:
    """Count transcripts, turns and questions, and the largest groups of each kind."""
    from podium.store import open_store

    try:
        with open_store(db, existing=True) as store:
            s = store.stats(top=top)
    except PodiumError as exc:
        raise fail(exc) from None
    if as_json or format is StatsFormat.json:
        write_json(s.to_dict())
        return
    from rich.columns import Columns
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.print(
        f"{s.transcripts:,} transcripts · {s.turns:,} turns · {s.exchanges:,} exchanges · "
        f"{s.questions:,} questions · {s.persons:,} persons · {s.outlets:,} outlets · "
        f"{s.embedded_turns:,} turns embedded"
    )
    tables = []
    for title, rows in (("organisation", s.by_organisation), ("year", s.by_year),
                        ("speaker (turns)", s.by_speaker), ("outlet (questions)", s.by_outlet),
                        ("clarity", s.by_clarity)):
        if not rows:
            continue
        t = Table(title=title, show_header=False)
        t.add_column(title)
        t.add_column("n", justify="right")
        for k, n in rows:
            t.add_row(k, f"{n:,}")
        tables.append(t)
    console.print(Columns(tables))
