"""The default store: one SQLite file, FTS5 inside it, tantivy and vector indexes beside it.

The file stays readable by the ``sqlite3`` shell (``turns_fts`` is FTS5, standard since
SQLite 3.9). WAL journaling with ``synchronous=NORMAL`` makes each committed transcript
durable against a killed process; an interrupted transaction is rolled back on next open.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from podium.errors import StoreError, UsageError
from podium.store import tantivy_index
from podium.store.base import SQLStore
from podium.store.browsing import BrowseMixin
from podium.store.filters import Filters
from podium.store.query import Node, to_fts5
from podium.store.reading import ReadMixin
from podium.store.searching import SearchMixin, query_has_cjk
from podium.store.threads import ThreadMixin

log = logging.getLogger(__name__)


def _writable(path: Path) -> bool:
    """The file may be written: permitted (``os.access``, which knows immutable files) and
    not marked read-only (no write bit: root may write anyway, but the owner said no)."""
    try:
        return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)
    except OSError:
        return False


class SQLiteStore(BrowseMixin, ReadMixin, SearchMixin, ThreadMixin, SQLStore):
    """A store in the SQLite file at ``path``; ``engine`` picks the full-text engine."""

    dialect = "sqlite"
    logs_changes = True  # the tantivy index follows change_log

    def __init__(self, path: str | Path, *, engine: str | None = None, read_only: bool = False) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self.read_only = read_only
        if self.path.is_dir():
            raise UsageError(f"{self.path}: is a directory; give a database file such as podium.db")
        if read_only and not self.path.exists():
            raise UsageError(f"--db {self.path}: no such store; check the path")
        try:
            if read_only:  # mode=ro: SQLite itself refuses every write, migrations included
                uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
                if _writable(self.path) or not self.path.exists():
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
        self._tantivy = tantivy_index.TantivyIndex(
            self.path.with_name(self.path.name + ".tantivy"), read_only=read_only
        )
        try:
            if read_only or not _writable(self.path):
                self._check_schema()
            else:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            self._raise_damaged(exc)
            raise UsageError(f"{self.path}: not a usable Podium store ({exc})") from None

    def _check_schema(self) -> None:
        """A store opened without writing must already be at this Podium's schema."""
        from podium.store.schema import SCHEMA_VERSION

        try:
            current = self.schema_version()
        except sqlite3.OperationalError:
            current = 0
        if current != SCHEMA_VERSION:
            raise UsageError(
                f"{self.path}: store schema version {current}, this Podium needs {SCHEMA_VERSION}; "
                "open it once without --read-only (and with write permission) to migrate it"
            )

    # -- damage, permissions and the ingest lock ---------------------------------------------------

    def quick_check(self) -> str | None:
        """``None`` if ``PRAGMA quick_check`` finds the file sound, else its first complaint."""
        try:
            rows = self.conn.execute("PRAGMA quick_check(5)").fetchall()
        except sqlite3.DatabaseError as exc:
            return str(exc)
        lines = [ln for r in rows for ln in str(r[0]).splitlines() if ln and not ln.startswith("***")]
        if lines == ["ok"]:
            return None
        if not lines:
            return "quick_check gave no answer"
        more = f" and {len(lines) - 1} more problems" if len(lines) > 1 else ""
        return f"{lines[0]}{more}"

    def _raise_damaged(self, exc: sqlite3.DatabaseError) -> None:
        """After an error: if the file fails ``quick_check``, say so in one line (else return)."""
        if isinstance(exc, sqlite3.OperationalError) and any(
            w in str(exc) for w in ("locked", "busy", "readonly", "interrupted", "syntax", "no such")
        ):
            return
        problem = self.quick_check()
        if problem is not None or "malformed" in str(exc) or "not a database" in str(exc):
            raise StoreError(
                f"{self.path}: the store is damaged ({problem or exc}); restore it from a backup, "
                f"or rebuild it with 'podium ingest FOLDER --db NEW.db'"
            ) from None

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            self._raise_write_refused(exc)
            self._raise_damaged(exc)
            raise

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self._execute(sql, params).fetchall())
        except sqlite3.DatabaseError as exc:  # bad pages or bytes may show only while fetching
            self._raise_damaged(exc)
            raise

    def _raise_write_refused(self, exc: sqlite3.DatabaseError) -> None:
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise StoreError(
                f"{self.path}: the store is read-only here ({exc}); check the file's permissions, "
                "or copy it somewhere writable"
            ) from None

    @contextmanager
    def ingest_lock(self) -> Iterator[None]:
        """Hold ``<db>.ingest.lock`` for a whole ingest; refuse a damaged or unwritable store.

        Two ingests at once each decided what was new before the other wrote it, so both wrote
        it; the lock makes the second one stop with one line instead. The lock is an ``flock``:
        the kernel releases it when the process ends, however it ends.
        """
        import fcntl

        if self.read_only or not _writable(self.path):
            raise StoreError(
                f"{self.path}: the store file is read-only; check its permissions, or copy it somewhere writable"
            )
        problem = self.quick_check()
        if problem is not None:
            raise StoreError(
                f"{self.path}: the store is damaged ({problem}); nothing was written; restore it from a "
                "backup, or rebuild it with 'podium ingest FOLDER --db NEW.db'"
            )
        lock_path = self.path.with_name(self.path.name + ".ingest.lock")
        try:
            fh = open(lock_path, "a")  # noqa: SIM115  (held until the ingest ends)
        except OSError as exc:
            raise StoreError(f"{lock_path}: cannot create the ingest lock ({exc.strerror})") from None
        with fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(
                    f"{self.path}: another ingest into this store is running; wait for it to finish"
                ) from None
            yield

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
        if self.engine == "tantivy" and not self.read_only:
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
            except tantivy_index.StaleIndex as exc:  # read-only and behind: FTS5 is current
                log.info("%s", exc)
            except (OSError, ValueError) as exc:  # e.g. locked by another process: FTS5 answers
                log.warning("tantivy index unusable (%s); searching with FTS5 this time", exc)
        return self._fulltext_fts5(node, filters, limit)

    def _fulltext_fts5(self, node: Node, filters: Filters, limit: int) -> list[tuple[int, float]]:
        if query_has_cjk(node):  # FTS5 reads a run of Han characters as one word: match by substring
            return self._by_date(node, filters, limit, 0)
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
