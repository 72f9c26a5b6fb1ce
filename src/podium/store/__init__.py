"""The corpus store: transcripts in SQLite (default) or PostgreSQL, searchable.

``open_store(url)`` picks the backend from the URL: ``None`` means ``$PODIUM_DB`` or
``./podium.db``; a path or ``sqlite:///path`` means SQLite; ``postgresql://…`` means
PostgreSQL (a ``schema=NAME`` query parameter selects a schema, created if needed).
"""

from __future__ import annotations

import os
from typing import Any

from podium.store.base import SQLStore
from podium.store.filters import Filters
from podium.store.results import (
    AnswerRecord,
    ExchangeHit,
    Facets,
    OutletSummary,
    Page,
    PersonSummary,
    QuestionRecord,
    SearchHit,
    Stats,
    TranscriptSummary,
)

DEFAULT_DB = "podium.db"

__all__ = [
    "DEFAULT_DB",
    "AnswerRecord",
    "ExchangeHit",
    "Facets",
    "Filters",
    "OutletSummary",
    "Page",
    "PersonSummary",
    "QuestionRecord",
    "SQLStore",
    "SearchHit",
    "Stats",
    "TranscriptSummary",
    "default_url",
    "open_store",
]


def default_url() -> str:
    """``$PODIUM_DB`` if set, else ``podium.db`` in the working directory."""
    return os.environ.get("PODIUM_DB") or DEFAULT_DB


def open_store(url: str | os.PathLike[str] | None = None, *, existing: bool = False, **options: Any) -> Any:
    """Open (creating and migrating as needed) the store at ``url``.

    ``existing`` refuses a store that is not there yet (read commands: a mistyped ``--db``
    must not create an empty store and answer "no matches"). ``options`` go to the backend:
    ``engine="fts5"|"tantivy"`` and ``read_only=True`` (opened ``mode=ro``; derived indexes
    are never written) for SQLite.
    """
    target = str(url) if url is not None else default_url()
    if target.startswith(("postgresql://", "postgres://")):
        from podium.store.postgres import PostgresStore

        options.pop("read_only", None)  # PostgreSQL: the web layer refuses writes
        return PostgresStore(target, existing=existing, **options)
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///") :]
    elif "://" in target:
        from podium.errors import UsageError

        raise UsageError(f"--db {target!r}: give a file path, sqlite:///PATH or postgresql://…")
    from podium.store.sqlite import SQLiteStore

    if existing and not os.path.exists(target):
        from podium.errors import UsageError

        raise UsageError(f"--db {target}: no such store; check the path, or create it with 'podium ingest FOLDER --db {target}'")
    return SQLiteStore(target, **options)
