"""Options shared by the commands: ``--db`` and the ``--format`` family, declared once.

Every command that prints data takes ``--format``/``-f`` with the same spelling, and the formats
it has in common with others mean the same everywhere: ``json`` is one indented JSON document,
``jsonl`` one JSON object per line, ``csv`` a header row then one row per record, and ``table``
(or ``text``) the default for a person at a terminal. A command declares which of them it
offers in its own ``Enum``, plus any of its own (``parse`` adds ``pretty``, ``markdown`` and the
export formats), and writes with :func:`write_records` or :func:`write_json`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

import typer

DB_HELP = "Store: a SQLite file or postgresql://… URL (default $PODIUM_DB, else podium.db)."


def db_option(help: str = DB_HELP) -> Any:
    """The ``--db`` option; ``help`` only where a command reads the store differently."""
    return typer.Option("--db", metavar="STORE", help=help, show_default=False)


DbOption = Annotated[str | None, db_option()]
"""``--db STORE``: the store a command reads or writes."""


def format_option(help: str = "Output format.") -> Any:
    """The ``--format``/``-f`` option; the annotation's ``Enum`` gives the choices."""
    return typer.Option("--format", "-f", help=help, case_sensitive=False)


JsonAlias = Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json.")]
"""The older ``--json`` flag of ``stats`` and ``eval structure``, kept hidden."""


def write_json(data: Any) -> None:
    """``data`` as one indented JSON document on stdout (UTF-8, not ASCII-escaped)."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def write_records(fmt: str, records: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> None:
    """Records as ``json`` (a list), ``jsonl`` or ``csv`` (the ``fields`` columns, in order)."""
    if fmt == "json":
        write_json([dict(r) for r in records])
    elif fmt == "jsonl":
        for r in records:
            sys.stdout.write(json.dumps(dict(r), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(fields)
        for r in records:
            w.writerow(["" if r.get(f) is None else r.get(f) for f in fields])
    else:  # a command's own format reached the shared writer: a bug, not bad input
        raise ValueError(f"write_records: no writer for format {fmt!r}")
