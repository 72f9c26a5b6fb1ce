"""The PostgreSQL store: the same schema and queries, full text by ``tsvector`` + GIN.

Selected by a ``postgresql://`` URL. A ``schema=NAME`` query parameter (not sent to the
server) puts the tables in that schema, created if needed, so one database can hold
several stores (the tests use one schema each). Needs ``pip install 'podium[postgres]'``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from podium.errors import UsageError
from podium.store.base import SQLStore
from podium.store.browsing import BrowseMixin
from podium.store.filters import Filters
from podium.store.query import Node, to_tsquery
from podium.store.reading import ReadMixin
from podium.store.searching import SearchMixin, query_has_cjk
from podium.store.threads import ThreadMixin

_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def split_url(url: str) -> tuple[str, str | None]:
    """The connection URL without Podium's ``schema=`` parameter, and that schema."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    schema = next((v for k, v in query if k == "schema"), None)
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    if schema is not None and not _SCHEMA.match(schema):
        raise UsageError(f"schema={schema!r}: use lower-case letters, digits and _")
    return urlunsplit(parts._replace(query=rest)), schema


class PostgresStore(BrowseMixin, ReadMixin, SearchMixin, ThreadMixin, SQLStore):
    """A store in a PostgreSQL database."""

    dialect = "postgresql"

    def __init__(self, url: str, *, engine: str | None = None) -> None:
        if engine not in (None, "postgresql"):
            raise UsageError(f"full-text engine {engine!r} applies to SQLite stores only")
        try:
            import psycopg
        except ImportError:
            raise UsageError("PostgreSQL stores need psycopg: pip install 'podium[postgres]'") from None
        self._psycopg = psycopg
        conninfo, schema = split_url(url)
        self.url = url
        self.engine = "postgresql"
        try:
            self.conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UsageError(f"cannot connect to {conninfo}: {first}") from None
        if schema:
            self.conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            self.conn.execute(f'SET search_path TO "{schema}"')
        self._depth = 0
        self._migrate()

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), params)

    @contextmanager
    def ingest_lock(self) -> Iterator[None]:
        """A session advisory lock per store (database and schema) for a whole ingest.

        Without it two ingests both found the same files new, and the second died on the
        first's primary keys with a raw ``UniqueViolation``; now it stops with one line."""
        key = f"podium-ingest:{self.conn.info.dbname}:{self._schema_name()}"
        got = self._one("SELECT pg_try_advisory_lock(hashtextextended(?, 0))", (key,))
        if not got:
            from podium.errors import StoreError

            raise StoreError(f"{self.url}: another ingest into this store is running; wait for it to finish")
        try:
            yield
        finally:
            self._one("SELECT pg_advisory_unlock(hashtextextended(?, 0))", (key,))

    def _schema_name(self) -> str:
        return str(self._one("SELECT current_schema()") or "public")

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(sql.replace("?", "%s"), rows)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._depth:
            yield
            return
        self._depth = 1
        try:
            with self.conn.transaction():
                yield
        finally:
            self._depth = 0

    def close(self) -> None:
        self.conn.close()

    def _fts_match_sql(self, node: Node) -> tuple[str, list[Any], str]:
        return "", [to_tsquery(node)], "t.text_search @@ to_tsquery('english', ?)"

    def _fulltext(self, node: Node, filters: Filters, limit: int) -> list[tuple[int, float]]:
        if query_has_cjk(node):  # the english tsvector reads a run of Han characters as one word
            return self._by_date(node, filters, limit, 0)
        where, params = filters.sql()
        try:
            rows = self._rows(
                "SELECT t.turn_id, ts_rank(t.text_search, q) AS rank"
                " FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id,"
                " to_tsquery('english', ?) AS q"
                f" WHERE t.text_search @@ q AND {where} ORDER BY rank DESC, t.turn_id LIMIT ?",
                (to_tsquery(node), *params, limit),
            )
        except self._psycopg.Error as exc:
            raise UsageError(f"search query cannot be run: {str(exc).splitlines()[0]}") from None
        return [(r[0], float(r[1])) for r in rows]

