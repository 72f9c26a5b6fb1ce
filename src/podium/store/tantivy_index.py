"""A tantivy full-text index beside a store, kept up to date from the store's change log.

Measured in ``benchmarks/bench_search.py``: tantivy answers a top-20 query one to two
orders of magnitude faster than FTS5 ranked by bm25 on large stores, because it ranks with
block-max WAND over compressed posting lists instead of scoring every match. The store stays
the record; the index is derived data in ``<db>.tantivy/`` (for a PostgreSQL store, in a
folder on the searching machine named by the store's id: ``postgres.index_folder``), stamped
with the store's id and write generation, and the stamp is written only after the index
commit it describes.

When the stamp is behind, ``ensure`` asks the store's ``change_log`` which transcripts the
writes since the stamp touched. If the log accounts for every one of those writes, only those
transcripts are re-indexed in the live index, in one commit: all documents with the
transcript's raw ``transcript_id`` term are deleted, then its current turns (if it still
exists) are added. Delete-then-add makes this idempotent, so a crash after the commit but
before the stamp only means the same transcripts are applied again next time. Otherwise (no
index, another layout or store, log rows pruned, a write that logged nothing) the index is
rebuilt in a side folder and swapped in. Then the log rows the index absorbed are pruned.

One process at a time updates, holding ``<db>.tantivy.lock`` (a rebuild swaps the folder,
which must not happen under another process's writer). A process that finds that lock or
tantivy's writer lock busy gets an ``OSError``/``ValueError``: search answers with FTS5 and
the next search tries again.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podium.errors import UsageError
from podium.names import fold
from podium.store import cjk
from podium.store.filters import Filters
from podium.store.query import And, Node, Not, Or, Phrase, Term

if TYPE_CHECKING:
    from podium.store.base import SQLStore as SQLiteStore  # any store that logs its changes

log = logging.getLogger(__name__)

STAMP = "podium-generation"
LAYOUT = "5"
"""Bumped when the index fields change, so an index in an older layout is rebuilt
(5: turn text folded to ASCII before stemming)."""
TEXT_ANALYZER = "en_stem_folded"
"""tantivy's ``en_stem`` plus ASCII folding: "politica" finds "política", as FTS5's
``remove_diacritics`` does, so both engines count and list the same turns."""

_TURNS = (
    "SELECT t.turn_id, t.transcript_id, t.text, t.kind, t.speaker_role, lower(d.organisation), t.person_id,"
    " t.outlet_id, d.event_date FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id"
)
"""Every indexed value of a turn, for ``_document``; the rebuild and the update both read it."""

_REBUILD_HEAP = 128_000_000
_UPDATE_HEAP = 32_000_000  # a few transcripts at a time; tantivy's minimum is 15 MB


def available() -> bool:
    """Whether the ``tantivy`` package is installed."""
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


class StaleIndex(OSError):
    """A read-only index that is behind its store: the caller searches another way."""


class TantivyIndex:
    """Index of turn texts keyed by ``turn_id``; ``search`` returns ranked ids."""

    def __init__(self, folder: Path, *, read_only: bool = False) -> None:
        self.folder = folder
        self.read_only = read_only
        self._index: Any = None
        self._generation = -1
        self._rebuilt_damaged = False

    def _schema(self) -> Any:
        import tantivy

        b = tantivy.SchemaBuilder()
        b.add_integer_field("turn_id", stored=True, indexed=True, fast=True)
        b.add_text_field("text", stored=False, tokenizer_name=TEXT_ANALYZER, index_option="position")
        # exact-match filters; transcript_id is also the term an update deletes by
        for name in ("kind", "role", "org", "person_id", "outlet_id", "transcript_id"):
            b.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
        b.add_integer_field("date", stored=False, indexed=True, fast=True)  # YYYYMMDD
        return b.build()

    def _stamp(self, store_id: str) -> int:
        """The generation the index on disk holds; -1 if missing, in another layout or of another store."""
        try:
            layout, owner, gen = (self.folder / STAMP).read_text().split(":")
            return int(gen) if (layout, owner) == (LAYOUT, store_id) else -1
        except (OSError, ValueError):
            return -1

    @staticmethod
    def _write_stamp(folder: Path, store_id: str, gen: int) -> None:
        """Replace the stamp by rename, so a crash leaves the old stamp or the new one, never half."""
        tmp = folder / (STAMP + ".tmp")
        tmp.write_text(f"{LAYOUT}:{store_id}:{gen}")
        os.replace(tmp, folder / STAMP)

    def ensure(self, store: SQLiteStore) -> None:
        """Open the index, first bringing it up to the store's generation (see the module docstring)."""

        gen = store.generation()
        if self._index is not None and self._generation == gen:
            return
        store_id = store.store_id()
        if self._stamp(store_id) != gen:
            if self.read_only:  # catching up writes the folder and prunes change_log: not here
                raise StaleIndex(f"{self.folder}: behind the store and read-only; searching with FTS5")
            with self._exclusive():
                gen = self._catch_up(store, store_id)
        # reopened rather than reloaded: a rebuild (maybe by another process) swapped the folder
        try:
            self._index = _open_index(self._schema(), path=str(self.folder), reuse=True)
            self._index.reload()
        except ValueError as exc:  # damaged files: rebuilt once, not every search
            if self.read_only or self._rebuilt_damaged:
                raise
            self._rebuilt_damaged = True
            log.warning("tantivy index %s is damaged (%s); rebuilding it from the store", self.folder, exc)
            with self._exclusive():
                self._rebuild(store, store_id, gen)
            self._index = _open_index(self._schema(), path=str(self.folder), reuse=True)
            self._index.reload()
        self._generation = gen

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold ``<db>.tantivy.lock`` across processes; busy is a ``BlockingIOError`` (an ``OSError``)."""
        import fcntl

        with open(self.folder.with_name(self.folder.name + ".lock"), "a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BlockingIOError(f"{self.folder}: being updated by another process") from None
            yield  # closing the file releases the lock

    def _catch_up(self, store: SQLiteStore, store_id: str) -> int:
        """Under the lock: apply the logged changes or rebuild; returns the generation reached.

        The stamp is read again here because another process may have caught up meanwhile.
        Turns read after ``gen`` may already be newer; their writes are logged above ``gen``
        and are applied again next time, which delete-then-add makes harmless.
        """
        gen = store.generation()
        stamp = self._stamp(store_id)
        if stamp == gen:
            return gen
        changed = store.changed_since(stamp, gen) if stamp >= 0 else None
        if changed is None:
            self._rebuild(store, store_id, gen)
        else:
            self._apply(store, store_id, changed, gen)
        try:
            store.prune_changes(gen)
        except sqlite3.Error as exc:  # e.g. a long write elsewhere: the rows go next time
            log.info("change_log not pruned (%s)", exc)
        return gen

    def _apply(self, store: SQLiteStore, store_id: str, changed: set[str], gen: int) -> None:
        """Re-index the ``changed`` transcripts in the live index, in one commit."""

        index = _open_index(self._schema(), path=str(self.folder), reuse=True)
        writer = index.writer(heap_size=_UPDATE_HEAP, num_threads=1)
        # newer tantivy renamed it (the old name still works, with a DeprecationWarning)
        delete = getattr(writer, "delete_documents_by_term", None) or writer.delete_documents
        try:
            for tid in sorted(changed):
                delete("transcript_id", tid)
                for row in store._execute(_TURNS + " WHERE t.transcript_id = ?", (tid,)):
                    writer.add_document(_document(row))
            writer.commit()
        finally:  # drops the writer, releasing tantivy's lock now even on error (uncommitted work is lost)
            writer.wait_merging_threads()
        self._write_stamp(self.folder, store_id, gen)

    def _rebuild(self, store: SQLiteStore, store_id: str, gen: int) -> None:
        """Index every turn of ``store`` in a side folder, then swap it in."""

        tmp = self.folder.with_name(self.folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        index = _open_index(self._schema(), path=str(tmp))
        writer = index.writer(heap_size=_REBUILD_HEAP, num_threads=1)
        for row in store._stream(_TURNS):  # a server-side cursor on PostgreSQL: constant memory
            writer.add_document(_document(row))
        writer.commit()
        writer.wait_merging_threads()
        self._write_stamp(tmp, store_id, gen)
        shutil.rmtree(self.folder, ignore_errors=True)
        tmp.rename(self.folder)

    def _query(self, node: Node) -> Any:
        """A tantivy ``Query`` built from the parsed tree (no query-string parsing of user text).

        Words and phrases go through tantivy's parser as quoted ``\\w`` tokens, so they get the
        field's English stemmer; ``word*`` is a regex over the (stemmed) index terms.
        """
        import tantivy

        if isinstance(node, Term) and node.prefix and not cjk.has_cjk(node.word):
            # index terms are folded and stemmed: so is the prefix ("vaccine*" → vaccin.*, as FTS5 does)
            stems = _analyzer().analyze(node.word)
            stem = stems[0] if len(stems) == 1 else fold(node.word)
            return tantivy.Query.regex_query(self._index.schema, "text", f"{re.escape(stem)}.*")
        if isinstance(node, Term | Phrase):
            words = (node.word,) if isinstance(node, Term) else node.words
            if any(cjk.has_cjk(w) for w in words):
                return self._cjk_query(words)
            return self._index.parse_query('"' + " ".join(words) + '"', ["text"])
        if isinstance(node, Or):
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, self._query(c)) for c in node.children])
        if isinstance(node, And):
            return tantivy.Query.boolean_query([
                (tantivy.Occur.MustNot, self._query(c.child)) if isinstance(c, Not)
                else (tantivy.Occur.Must, self._query(c))
                for c in node.children
            ])
        raise UsageError("search query: NOT needs a positive term beside it")

    def _cjk_query(self, words: tuple[str, ...]) -> Any:
        """The phrase of the bigrams of each CJK run (indexed so by ``cjk.segment``); a lone
        CJK character matches the bigrams it starts or ends."""

        import tantivy

        tokens = cjk.segment(" ".join(words)).split()
        if len(tokens) == 1 and cjk.has_cjk(tokens[0]) and len(tokens[0]) == 1:
            char = re.escape(tokens[0])
            return tantivy.Query.regex_query(self._index.schema, "text", f"{char}.?|.{char}")
        return self._index.parse_query('"' + " ".join(tokens) + '"', ["text"])

    def filter_queries(self, f: Filters, ids: dict[str, list[str]]) -> tuple[list[Any], Filters]:
        """Tantivy queries for the filters it indexes, and the filters left for SQL.

        ``ids`` holds the person and outlet ids the speaker/outlet filters resolved to.
        """
        import tantivy

        schema = self._index.schema
        out = []
        for name, value in (("kind", f.kind), ("role", f.role), ("org", f.org.lower() if f.org else None),
                            ("transcript_id", f.transcript_id)):
            if value:
                out.append(tantivy.Query.term_query(schema, name, value))
        if f.since or f.until:
            out.append(tantivy.Query.range_query(
                schema, "date", tantivy.FieldType.Integer, _day(f.since), _day(f.until)))
        for name, key in (("person_id", "speaker"), ("outlet_id", "outlet")):
            if getattr(f, key):
                out.append(tantivy.Query.term_set_query(schema, name, ids[key] or ["\x00none"]))
        # every other filter (a field added to Filters later included) is left for SQL
        rest = replace(f, kind=None, role=None, org=None, transcript_id=None, since=None, until=None,
                       speaker=None, outlet=None)
        return out, rest

    def turn_set(self, turn_ids: list[int]) -> Any:
        """A filter query admitting only these turns (an empty list admits none)."""
        import tantivy

        return tantivy.Query.term_set_query(self._index.schema, "turn_id", turn_ids or [-1])

    def search(self, node: Node, limit: int, filters: list[Any] | None = None) -> list[tuple[int, float]]:
        """``(turn_id, bm25 score)`` best first, restricted by ``filters`` queries.

        Equal scores (the same sentence in several turns) are ordered by ``turn_id``, not by
        where the documents sit in tantivy's segments, which differs between an updated index
        and a rebuilt one.
        """
        import tantivy

        try:
            query = self._query(node)
            if filters:
                query = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Must, query), *((tantivy.Occur.Must, q) for q in filters)])
        except ValueError as exc:
            raise UsageError(f"search query cannot be run: {exc}") from None
        searcher = self._index.searcher()
        found = searcher.search(query, limit).hits
        # turn ids from the fast-field column: no stored-document block to decompress per hit
        ids = searcher.fast_field_values("turn_id", [addr for _, addr in found])
        hits = [(int(i), float(score)) for i, (score, _) in zip(ids, found, strict=True)]
        return sorted(hits, key=lambda h: (-h[1], h[0]))


def search_store(store: Any, index: TantivyIndex, node: Node, filters: Filters, limit: int) -> list[tuple[int, float]]:
    """Top hits of ``store`` from its tantivy ``index``, with most filters inside the index.

    The rest (answer labels, principal) become a list of allowed turns when that list is short,
    else are checked in SQL on the best hits, widening the candidate pool until ``limit``
    survive. Shared by the SQLite and PostgreSQL stores.
    """
    index.ensure(store)
    ids = {
        "speaker": [r[0] for r in store._rows(*filters.speaker_ids_sql())] if filters.speaker else [],
        "outlet": [r[0] for r in store._rows(*filters.outlet_ids_sql())] if filters.outlet else [],
    }
    in_index, rest = index.filter_queries(filters, ids)
    if rest.is_empty():
        return index.search(node, limit, in_index)
    few = store._few_turns(rest)
    if few is not None:  # e.g. a rare label: its turns become one more index filter
        return index.search(node, limit, [*in_index, index.turn_set(few)])
    depth = limit * 10
    while True:
        pool = index.search(node, depth, in_index)
        keep = store._matching([p[0] for p in pool], rest)
        hits = [p for p in pool if p[0] in keep]
        if len(hits) >= limit or len(pool) < depth:
            return hits[:limit]
        depth *= 8


def _open_index(schema: Any, path: str, *, reuse: bool = False) -> Any:
    """A tantivy index at ``path`` that knows ``TEXT_ANALYZER`` (tantivy keeps no analyzer on disk:
    every opening registers it)."""
    import tantivy

    index = tantivy.Index(schema, path=path, reuse=reuse)
    index.register_tokenizer(TEXT_ANALYZER, _analyzer())
    return index


@cache
def _analyzer() -> Any:
    """``TEXT_ANALYZER``: tantivy's ``en_stem`` chain with ASCII folding before the stemmer."""
    import tantivy

    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold()).filter(tantivy.Filter.stemmer("english")).build())


def _document(row: tuple[Any, ...]) -> Any:
    """The tantivy document of one ``_TURNS`` row: the one place the index fields are filled."""
    import tantivy

    turn_id, tid, text, kind, role, org, person, outlet, date = row
    doc = tantivy.Document(turn_id=turn_id, transcript_id=tid, text=cjk.segment(text), kind=kind)
    for name, value in (("role", role), ("org", org), ("person_id", person), ("outlet_id", outlet)):
        if value is not None:
            doc.add_text(name, value)
    day = _day(date)
    if day is not None:
        doc.add_integer("date", day)
    return doc


def _day(date: str | None) -> int | None:
    """``"2019-05-01"`` → ``20190501``; ``None`` or a malformed date → ``None``."""
    if not date or len(date) < 10:
        return None
    try:
        return int(date[:10].replace("-", ""))
    except ValueError:
        return None
