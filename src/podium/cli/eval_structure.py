"""``podium eval-structure GOLD...``: structure accuracy against hand-checked gold, per source.

``structure_cmd`` is a plain Typer command function: it mounts itself as
``podium eval structure`` when the ``eval`` sub-app (``podium/cli/eval.py``) exists, and is
always reachable as ``podium eval-structure``.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import JsonAlias, format_option, write_json, write_records
from podium.errors import PodiumError

COLUMNS = ("turn_recall", "turn_precision", "speaker_acc", "kind_acc", "asker_acc",
           "question_count_acc", "exchange_precision", "outlet_acc", "metadata_acc")


class StructureFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


# Table headers: the JSON keys are long for a terminal.
HEADERS = {"turn_recall": "turn rec", "turn_precision": "turn prec", "speaker_acc": "speaker",
           "kind_acc": "kind", "asker_acc": "asker", "question_count_acc": "questions",
           "exchange_precision": "exch prec", "outlet_acc": "outlet", "metadata_acc": "metadata"}


def structure_cmd(
    gold: Annotated[list[Path], typer.Argument(help="Gold files or folders of them (docs/gold-format.md).")],
    data: Annotated[
        Path | None, typer.Option("--data", help="Folder the gold 'file' paths start from (default: ../shared/data).")
    ] = None,
    format: Annotated[
        StructureFormat, format_option("table, json (keyed by source) or csv (a row per source).")
    ] = StructureFormat.table,
    as_json: JsonAlias = False,
    errors: Annotated[bool, typer.Option("--errors", help="List every disagreement with the gold.")] = False,
) -> None:
    """Compare parses with gold annotations: per-source turn recall and precision, speaker,
    kind, asker, question-count, exchange precision, outlet and metadata accuracy."""
    from podium.evaluate.structure import evaluate

    try:
        scores = evaluate(gold, data)
    except PodiumError as exc:
        raise fail(exc) from None
    out = {s: {"files": sc.files, "gold_turns": sc.turns, "exchanges": sc.exchanges,
               "counted_exchanges": sc.qcount_total, "outlet_exchanges": sc.outlet_total,
               "parsed_exchanges": sc.parsed_exchanges, **sc.rates()}
           for s, sc in scores.items()}
    if as_json or format is StructureFormat.json:
        write_json(out)
    elif format is StructureFormat.csv:
        rows = [{"source": s, **row} for s, row in out.items()]
        write_records("csv", rows, ["source", *next(iter(out.values()), {})])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="structure accuracy against gold")
        for col in ("source", "files", "turns", "exchanges", *COLUMNS):
            table.add_column(HEADERS.get(col, col), justify="left" if col == "source" else "right")
        for source, sc in scores.items():
            r = sc.rates()
            table.add_row(source, str(sc.files), str(sc.turns), str(sc.exchanges),
                          *("-" if r[c] is None else f"{r[c]:.3f}" for c in COLUMNS))
        Console(width=170).print(table)
    if errors:
        for line in scores["all"].errors:
            sys.stderr.write(line + "\n")


def _eval_app() -> typer.Typer | None:
    """The ``podium eval`` sub-app, where the branch that adds it has been merged."""
    try:
        from podium.cli.eval import eval_app
    except ImportError:
        return None
    return eval_app


_sub = _eval_app()
if _sub is not None:
    _sub.command("structure")(structure_cmd)
# Also ``podium eval-structure``: the only spelling before ``podium eval`` exists.
app.command("eval-structure", hidden=_sub is not None)(structure_cmd)
