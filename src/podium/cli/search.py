"""``podium search``: ranked turns from the store, with snippets and citations."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import DbOption, format_option, write_records
from podium.errors import PodiumError


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@app.command("search")
def search_cmd(
    query: Annotated[
        str, typer.Argument(help='Words, "phrases", word*, AND/OR/NOT; leave out to list by filters.')
    ] = "",
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Speaker name or alias (e.g. psaki).")] = None,
    role: Annotated[str | None, typer.Option(help="principal, moderator, journalist, official, unknown.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name or abbreviation (e.g. SDZ).")] = None,
    org: Annotated[str | None, typer.Option(help="Organisation, e.g. NATO.")] = None,
    principal: Annotated[str | None, typer.Option(help="The event's main speaker, e.g. 'Jens Stoltenberg'.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date, inclusive.")] = None,
    kind: Annotated[str | None, typer.Option(help="question, answer, statement, moderation, closing, other.")] = None,
    clarity: Annotated[str | None, typer.Option(help="clear_reply, ambivalent or clear_non_reply.")] = None,
    evasion: Annotated[str | None, typer.Option(help="An evasion label, e.g. dodging.")] = None,
    semantic: Annotated[bool, typer.Option("--semantic", help="Rank by meaning (sentence embeddings).")] = False,
    hybrid: Annotated[bool, typer.Option("--hybrid", help="Fuse full-text and semantic rankings.")] = False,
    engine: Annotated[str | None, typer.Option(help="SQLite full-text engine: tantivy or fts5.")] = None,
    limit: Annotated[int, typer.Option(help="Number of results.")] = 20,
    format: Annotated[OutputFormat, format_option()] = OutputFormat.table,
) -> None:
    """Search the store's turns; prints ranked hits with snippets and citations."""
    from podium.store import open_store

    mode = "hybrid" if hybrid else "semantic" if semantic else "fulltext"
    try:
        options = {"engine": engine} if engine else {}
        with open_store(db, existing=True, **options) as store:
            hits = store.search(
                query, mode=mode, limit=limit, speaker=speaker, role=role, outlet=outlet, org=org, principal=principal,
                since=since, until=until, kind=kind, clarity=clarity, evasion=evasion,
            )
    except PodiumError as exc:
        raise fail(exc) from None
    if format is OutputFormat.table:
        _table(hits)
    else:
        fields = ["permalink", "date", "organisation", "title", "speaker", "role", "outlet", "kind", "score", "snippet"]
        write_records(format.value, (h.to_dict() for h in hits), fields)


def _table(hits: list) -> None:  # type: ignore[type-arg]
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    if not hits:
        console.print("no matches")
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("speaker · citation", ratio=1, overflow="fold")
    table.add_column("snippet", ratio=3)
    for n, h in enumerate(hits, 1):
        who = escape(h.speaker or "(unknown)") + (f" [dim]({escape(h.outlet)})[/]" if h.outlet else "")
        cite = (f"{who}\n[dim]{escape(h.kind)} · {escape(h.date or 'undated')} · {escape(h.permalink)}"
                f"\n{escape((h.title or '')[:80])}[/]")
        snip = re.sub(r"&lt;mark&gt;|<mark>", "[bold yellow]", escape(h.snippet))
        snip = snip.replace("</mark>", "[/]")
        table.add_row(str(n), cite, snip)
    console.print(table)
