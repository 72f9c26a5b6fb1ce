"""``podium search``: ranked turns from the store, with snippets and citations."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any

import typer

from podium.cli import app, fail
from podium.cli._options import DbOption, format_option, write_records
from podium.errors import PodiumError, UsageError
from podium.store.filters import FilterSpec, with_filter_parameters
from podium.store.results import ExchangeHit


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _filter_option(spec: FilterSpec) -> Any:
    """A ``--name`` option for one declared filter (``store/filters.py`` holds the list)."""
    return Annotated[str | None, typer.Option("--" + spec.name.replace("_", "-"), help=spec.help)]


class By(str, Enum):
    turn = "turn"
    exchange = "exchange"


class SortOrder(str, Enum):
    relevance = "relevance"
    date = "date"


@app.command("search")
@with_filter_parameters(_filter_option)
def search_cmd(
    query: Annotated[
        str, typer.Argument(help='Words, "phrases", word*, AND/OR/NOT; leave out to list by filters.')
    ] = "",
    db: DbOption = None,
    by: Annotated[By, typer.Option("--by", help="Result unit: single turns, or question-answer exchanges.")] = By.turn,
    sort: Annotated[SortOrder, typer.Option("--sort", help="relevance, or date (newest first).")] = SortOrder.relevance,
    semantic: Annotated[bool, typer.Option("--semantic", help="Rank by meaning (sentence embeddings).")] = False,
    hybrid: Annotated[bool, typer.Option("--hybrid", help="Fuse full-text and semantic rankings.")] = False,
    engine: Annotated[str | None, typer.Option(help="SQLite full-text engine: tantivy or fts5.")] = None,
    limit: Annotated[int, typer.Option(help="Number of results.")] = 20,
    offset: Annotated[int, typer.Option(help="Skip this many results (for paging).")] = 0,
    format: Annotated[OutputFormat, format_option()] = OutputFormat.table,
    filters: dict[str, str] | None = None,
) -> None:
    """Search the store's turns or exchanges; prints ranked hits with snippets and citations."""
    from podium.store import open_store

    filters = filters or {}
    mode = "hybrid" if hybrid else "semantic" if semantic else "fulltext"
    try:
        if not query.strip() and not filters:
            raise UsageError("search needs a query or at least one filter (e.g. --org NATO)")
        if by is By.exchange and mode != "fulltext":
            raise UsageError("--by exchange ranks by full text; leave out --semantic/--hybrid")
        options = {"engine": engine} if engine else {}
        with open_store(db, existing=True, **options) as store:
            if by is By.exchange:
                hits: list[Any] = store.search_exchanges(
                    query, limit=limit, offset=offset, sort=sort.value, **filters)
            else:
                hits = store.search(query, mode=mode, limit=limit, offset=offset, sort=sort.value, **filters)
    except PodiumError as exc:
        raise fail(exc) from None
    if format is OutputFormat.table:
        _exchange_table(hits) if by is By.exchange else _table(hits)
    elif by is By.exchange:
        rows = (exchange_row(h) if format is OutputFormat.csv else h.to_dict() for h in hits)
        write_records(format.value, rows, EXCHANGE_FIELDS)
    else:
        fields = ["permalink", "date", "organisation", "title", "speaker", "role", "outlet", "kind", "score", "snippet"]
        write_records(format.value, (h.to_dict() for h in hits), fields)


EXCHANGE_FIELDS = ["permalink", "date", "organisation", "title", "asker", "outlet", "channel", "questions",
                   "answerer", "answer_start", "clarity", "evasion", "score"]
"""The CSV columns of an exchange hit (JSON has every field of ``ExchangeHit``)."""


def exchange_row(h: ExchangeHit) -> dict[str, Any]:
    """An exchange hit as a CSV row: questions joined, ``<mark>`` tags removed."""
    row = h.to_dict()
    row["asker"] = h.asker or "unnamed journalist"
    row["questions"] = " | ".join(re.sub(r"</?mark>", "", q) for q in h.questions)
    row["answer_start"] = re.sub(r"</?mark>", "", h.answer_start)
    return row


def _marked(s: str) -> str:
    """A snippet's <mark> highlights as rich markup; everything else escaped."""
    from rich.markup import escape

    return re.sub(r"&lt;mark&gt;|<mark>", "[bold yellow]", escape(s)).replace("</mark>", "[/]")


def _print_rows(who_column: str, text_column: str, rows: list[tuple[str, str]]) -> None:
    """The hit table both result kinds share: number, who and where, matched text."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if not rows:
        console.print("no matches")
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column(who_column, ratio=1, overflow="fold")
    table.add_column(text_column, ratio=3)
    for n, (cite, text) in enumerate(rows, 1):
        table.add_row(str(n), cite, text)
    console.print(table)


def _exchange_table(hits: list[ExchangeHit]) -> None:
    from rich.markup import escape

    rows = []
    for h in hits:
        who = escape(h.asker or "unnamed journalist") + (f" [dim]({escape(h.outlet)})[/]" if h.outlet else "")
        badge = f" · {h.clarity}" if h.clarity else ""
        cite = f"{who}\n[dim]{escape(h.date or 'undated')} · {escape(h.permalink)}{badge}\n{escape((h.title or '')[:80])}[/]"
        body = "\n".join(_marked(q) for q in h.questions[:3])
        if h.answer_start:
            body += f"\n[dim]→ {escape(h.answerer or 'answer')}:[/] " + _marked(h.answer_start)
        rows.append((cite, body))
    _print_rows("asker · citation", "question → answer", rows)


def _table(hits: list) -> None:  # type: ignore[type-arg]
    from rich.markup import escape

    rows = []
    for h in hits:
        who = escape(h.speaker or "(unknown)") + (f" [dim]({escape(h.outlet)})[/]" if h.outlet else "")
        cite = (f"{who}\n[dim]{escape(h.kind)} · {escape(h.date or 'undated')} · {escape(h.permalink)}"
                f"\n{escape((h.title or '')[:80])}[/]")
        rows.append((cite, _marked(h.snippet)))
    _print_rows("speaker · citation", "snippet", rows)
