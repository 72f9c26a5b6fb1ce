"""The default store: one SQLite file, FTS5 inside it, tantivy and vector indexes beside it.

The file stays readable by the ``sqlite3`` shell (``turns_fts`` is FTS5, standard since
SQLite 3.9). WAL journaling with ``synchronous=NORMAL`` makes each committed transcript
durable against a killed process; an interrupted transaction is rolled back on next open.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from podium.errors import UsageError
from podium.store import tantivy_index
from podium.store.base import SQLStore
from podium.store.filters import Filters
from podium.store.query import Node, to_fts5
from podium.store.reading import ReadMixin
from podium.store.searching import SearchMixin

log = logging.getLogger(__name__)


class SQLiteStore(ReadMixin, SearchMixin, SQLStore):
    """A store in the SQLite file at ``path``; ``engine`` picks the full-text engine."""

    dialect = "sqlite"
    logs_changes = True  # the tantivy index follows change_log

    def __init__(self, path: str | Path, *, engine: str | None = None) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        if self.path.is_dir():
            raise UsageError(f"{self.path}: is a directory; give a database file such as podium.db")
        try:
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 10000")
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"{self.path}: not a usable SQLite database ({exc})") from None
        self._depth = 0
        chosen = engine or ("tantivy" if tantivy_index.available() else "fts5")
        if chosen not in ("tantivy", "fts5"):
            raise UsageError(f"full-text engine {engine!r}: choose tantivy or fts5")
        if chosen == "tantivy" and not tantivy_index.available():
            raise UsageError("the tantivy engine needs the tantivy package: pip install tantivy")
        self.engine = chosen
        self._tantivy = tantivy_index.TantivyIndex(self.path.with_name(self.path.name + ".tantivy"))
        try:
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"{self.path}: not a usable Podium store ({exc})") from None

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, params)

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.conn.executemany(sql, rows)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
        self.conn.close()

    def _vector_folder(self) -> Path | None:
        return self.path.with_name(self.path.name + ".vectors")

    # -- full text -----------------------------------------------------------------------------

    def refresh_index(self) -> None:
        """Bring the tantivy and vector indexes up to date now (search would do it lazily).

        An index another process is updating is left to it (or to the next search).
        """
        if self.engine == "tantivy":
            try:
                self._tantivy.ensure(self)
            except (OSError, ValueError) as exc:
                log.warning("tantivy index not refreshed (%s); the next search retries", exc)
        if self.vector_generation():
            self._vectors()

    def _fts_match_sql(self, node: Node) -> tuple[str, list[Any], str]:
        return "JOIN turns_fts ON turns_fts.rowid = t.turn_id", [to_fts5(node)], "turns_fts MATCH ?"

    def _fulltext(self, node: Node, filters: Filters, limit: int) -> list[tuple[int, float]]:
        if self.engine == "tantivy":
            try:
                return self._fulltext_tantivy(node, filters, limit)
            except (OSError, ValueError) as exc:  # e.g. locked by another process: FTS5 answers
                log.warning("tantivy index unusable (%s); searching with FTS5 this time", exc)
        return self._fulltext_fts5(node, filters, limit)

    def _fulltext_fts5(self, node: Node, filters: Filters, limit: int) -> list[tuple[int, float]]:
        where, params = filters.sql()
        try:
            rows = self._rows(
                "SELECT t.turn_id, bm25(turns_fts) AS rank FROM turns_fts"
                " JOIN turns t ON t.turn_id = turns_fts.rowid"
                " JOIN transcripts d ON d.transcript_id = t.transcript_id"
                f" WHERE turns_fts MATCH ? AND {where} ORDER BY rank LIMIT ?",
                (to_fts5(node), *params, limit),
            )
        except sqlite3.OperationalError as exc:
            raise UsageError(f"search query cannot be run: {exc}") from None
        return [(r[0], -float(r[1])) for r in rows]

    def _fulltext_tantivy(self, node: Node, filters: Filters, limit: int) -> list[tuple[int, float]]:
        return tantivy_index.search_store(self, self._tantivy, node, filters, limit)
