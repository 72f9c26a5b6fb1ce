"""The PostgreSQL store: the same schema and queries; full text ranked by a tantivy index.

Selected by a ``postgresql://`` URL. A ``schema=NAME`` query parameter (not sent to the
server) puts the tables in that schema, created if needed, so one database can hold
several stores (the tests use one schema each). Needs ``pip install 'podium[postgres]'``.

Why tantivy beside a server store: ``ts_rank`` scores every matching row (about 5 µs a match;
"president" has 191,253 matches at 10^6 turns: 481 ms), where tantivy's block-max WAND skips
most of them (benchmarks/bench_scale.py measures both on the same store). The index is derived
data on each searching machine, in ``$PODIUM_INDEX_DIR`` (default ``~/.cache/podium``) under
the store's random id, and follows the store's ``change_log`` exactly as the SQLite store's
index does (``tantivy_index.py``). The log is not pruned here: several machines may each keep
an index of the same store, and a row per transcript written costs little beside its turns.
``engine="postgresql"`` (or no tantivy package) ranks with ``ts_rank`` over the GIN index, which
also serves the facet counts. The vector index of semantic search is saved in the same folder
(``vectors/``), so a new process loads it instead of reading every embedding from the server.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from podium.errors import UsageError
from podium.store import tantivy_index
from podium.store.base import SQLStore
from podium.store.browsing import BrowseMixin
from podium.store.filters import Filters
from podium.store.query import Node, to_tsquery
from podium.store.reading import ReadMixin
from podium.store.searching import SearchMixin, query_has_cjk
from podium.store.threads import ThreadMixin

log = logging.getLogger(__name__)

_PLAIN_INSERT = re.compile(r"^INSERT INTO (\w+) \(([\w, ]+)\) VALUES \([?, ]+\)$")
"""An INSERT of plain values (no ON CONFLICT, no SELECT): rows can go by COPY instead."""
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


def _without_password(url: str) -> str:
    """``url`` as it may be printed: a password in it becomes ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class PostgresStore(BrowseMixin, ReadMixin, SearchMixin, ThreadMixin, SQLStore):
    """A store in a PostgreSQL database."""

    dialect = "postgresql"
    logs_changes = True  # the tantivy index follows change_log

    def __init__(self, url: str, *, engine: str | None = None, existing: bool = False) -> None:
        if engine not in (None, "tantivy", "postgresql"):
            raise UsageError(f"full-text engine {engine!r}: choose tantivy or postgresql")
        if engine == "tantivy" and not tantivy_index.available():
            raise UsageError("the tantivy engine needs the tantivy package: pip install tantivy")
        try:
            import psycopg
        except ImportError:
            raise UsageError("PostgreSQL stores need psycopg: pip install 'podium[postgres]'") from None
        self._psycopg = psycopg
        conninfo, schema = split_url(url)
        self.url = url
        self.engine = engine or ("tantivy" if tantivy_index.available() else "postgresql")
        shown = _without_password(url)
        try:
            self.conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            first = " ".join(str(exc).split()) or type(exc).__name__
            if existing and "does not exist" in first:  # a mistyped database name
                raise UsageError(
                    f"--db {shown}: no such store ({first.split('FATAL:')[-1].strip()}); check the URL, "
                    f"or create the database and run 'podium ingest FOLDER --db URL'"
                ) from None
            raise UsageError(f"--db {shown}: cannot connect ({first}); check that the server runs and the URL") from None
        if existing and not self._has_store(schema):
            where = f"database {self.conn.info.dbname!r}" + (f", schema {schema!r}" if schema else "")
            self.conn.close()
            raise UsageError(
                f"--db {shown}: no such store (no Podium tables in {where}); check the URL, "
                f"or create it with 'podium ingest FOLDER --db URL'"
            )
        if schema:
            self.conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            self.conn.execute(f'SET search_path TO "{schema}"')
        self._depth = 0
        self._migrate()
        self._tantivy = tantivy_index.TantivyIndex(index_folder(self.store_id()) / "tantivy")

    def _has_store(self, schema: str | None) -> bool:
        """Whether the database (and schema) already holds a Podium store: read commands
        must not create one (the schema, the tables) for a mistyped URL."""
        table = f'"{schema}".schema_migrations' if schema else "schema_migrations"
        return self.conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0] is not None  # type: ignore[index]

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
        if not rows:
            return
        plain = _PLAIN_INSERT.match(sql)
        if plain and len(rows) >= 8:  # e.g. a transcript's turns: COPY sends them as one stream
            with self.conn.cursor() as cur, cur.copy(f"COPY {plain[1]} ({plain[2]}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
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

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        with self.conn.transaction(), self.conn.cursor(name="podium_stream") as cur:
            cur.itersize = 5_000
            cur.execute(sql.replace("?", "%s"), params)
            yield from cur

    def close(self) -> None:
        self.conn.close()

    def _vector_folder(self) -> Path | None:
        """Saved beside the tantivy index, so each process does not rebuild it from the server."""
        return self._tantivy.folder.with_name("vectors")

    def prune_changes(self, upto: int) -> None:
        """Kept: other machines' indexes may still need these rows (see the module docstring)."""

    def refresh_index(self) -> None:
        """Bring this machine's tantivy index up to date now (search would do it lazily)."""
        if self.engine == "tantivy":
            try:
                self._tantivy.ensure(self)
            except (OSError, ValueError) as exc:
                log.warning("tantivy index not refreshed (%s); the next search retries", exc)

    def _fts_match_sql(self, node: Node) -> tuple[str, list[Any], str]:
        return "", [to_tsquery(node)], "t.text_search @@ to_tsquery('english', ?)"

    def _fulltext(self, node: Node, filters: Filters, limit: int) -> list[tuple[int, float]]:
        if self.engine == "tantivy":  # tantivy indexes Han characters as bigrams too
            try:
                return tantivy_index.search_store(self, self._tantivy, node, filters, limit)
            except (OSError, ValueError) as exc:  # e.g. being rebuilt by another process
                log.warning("tantivy index unusable (%s); searching with ts_rank this time", exc)
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



def index_folder(store_id: str) -> Path:
    """Where this machine keeps derived indexes of the PostgreSQL store with ``store_id``."""
    base = os.environ.get("PODIUM_INDEX_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "podium")
    folder = Path(base) / f"pg-{store_id}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
