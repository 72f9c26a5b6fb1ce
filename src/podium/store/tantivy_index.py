"""A tantivy full-text index beside a SQLite store, rebuilt from the store when stale.

Measured in ``benchmarks/bench_search.py``: tantivy answers a top-20 query one to two
orders of magnitude faster than FTS5 ranked by bm25 on large stores, because it ranks with
block-max WAND over compressed posting lists instead of scoring every match. The store stays
the record; the index is derived data in ``<db>.tantivy/``, tagged with the store's write
generation, so a crash can only leave it stale (and then it is rebuilt), never wrong.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podium.errors import UsageError
from podium.store.filters import Filters
from podium.store.query import And, Node, Not, Or, Phrase, Term

if TYPE_CHECKING:
    from podium.store.sqlite import SQLiteStore

STAMP = "podium-generation"
LAYOUT = "2"
"""Bumped when the index fields change, so an index in an older layout is rebuilt."""


def available() -> bool:
    """Whether the ``tantivy`` package is installed."""
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


class TantivyIndex:
    """Index of turn texts keyed by ``turn_id``; ``search`` returns ranked ids."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._index: Any = None
        self._generation = -1

    def _schema(self) -> Any:
        import tantivy

        b = tantivy.SchemaBuilder()
        b.add_integer_field("turn_id", stored=True, indexed=True, fast=True)
        b.add_text_field("text", stored=False, tokenizer_name="en_stem", index_option="position")
        for name in ("kind", "role", "org", "person_id", "outlet_id"):  # exact-match filters
            b.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
        b.add_integer_field("date", stored=False, indexed=True, fast=True)  # YYYYMMDD
        return b.build()

    def _stamp(self) -> int:
        try:
            layout, gen = (self.folder / STAMP).read_text().split(":")
            return int(gen) if layout == LAYOUT else -1
        except (OSError, ValueError):
            return -1

    def ensure(self, store: SQLiteStore) -> None:
        """Open the index, rebuilding it first when it is missing or behind the store."""
        import tantivy

        gen = store.generation()
        if self._index is not None and self._generation == gen:
            return
        if self._stamp() != gen:
            self.rebuild(store)
        self._index = tantivy.Index(self._schema(), path=str(self.folder), reuse=True)
        self._index.reload()
        self._generation = gen

    def rebuild(self, store: SQLiteStore) -> int:
        """Index every turn of ``store`` afresh; returns the number of turns indexed."""
        import tantivy

        gen = store.generation()
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        index = tantivy.Index(self._schema(), path=str(tmp))
        writer = index.writer(heap_size=128_000_000, num_threads=1)
        n = 0
        rows = store._execute(
            "SELECT t.turn_id, t.text, t.kind, t.speaker_role, lower(d.organisation), t.person_id,"
            " t.outlet_id, d.event_date FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id"
        )
        for turn_id, text, kind, role, org, person, outlet, date in rows:
            doc = tantivy.Document(turn_id=turn_id, text=text, kind=kind)
            for name, value in (("role", role), ("org", org), ("person_id", person), ("outlet_id", outlet)):
                if value is not None:
                    doc.add_text(name, value)
            day = _day(date)
            if day is not None:
                doc.add_integer("date", day)
            writer.add_document(doc)
            n += 1
        writer.commit()
        writer.wait_merging_threads()
        (tmp / STAMP).write_text(f"{LAYOUT}:{gen}")
        shutil.rmtree(self.folder, ignore_errors=True)
        tmp.rename(self.folder)
        self._index = None
        return n

    def _query(self, node: Node) -> Any:
        """A tantivy ``Query`` built from the parsed tree (no query-string parsing of user text).

        Words and phrases go through tantivy's parser as quoted ``\\w`` tokens, so they get the
        field's English stemmer; ``word*`` is a regex over the (stemmed) index terms.
        """
        import tantivy

        if isinstance(node, Term) and node.prefix:
            return tantivy.Query.regex_query(self._index.schema, "text", f"{node.word}.*")
        if isinstance(node, Term | Phrase):
            words = (node.word,) if isinstance(node, Term) else node.words
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

    def filter_queries(self, f: Filters, ids: dict[str, list[str]]) -> tuple[list[Any], Filters]:
        """Tantivy queries for the filters it indexes, and the filters left for SQL.

        ``ids`` holds the person and outlet ids the speaker/outlet filters resolved to.
        """
        import tantivy

        schema = self._index.schema
        out = []
        for name, value in (("kind", f.kind), ("role", f.role), ("org", f.org.lower() if f.org else None)):
            if value:
                out.append(tantivy.Query.term_query(schema, name, value))
        if f.since or f.until:
            out.append(tantivy.Query.range_query(
                schema, "date", tantivy.FieldType.Integer, _day(f.since), _day(f.until)))
        for name, key in (("person_id", "speaker"), ("outlet_id", "outlet")):
            if getattr(f, key):
                out.append(tantivy.Query.term_set_query(schema, name, ids[key] or ["\x00none"]))
        rest = Filters(clarity=f.clarity, evasion=f.evasion, transcript_id=f.transcript_id, principal=f.principal)
        return out, rest

    def search(self, node: Node, limit: int, filters: list[Any] | None = None) -> list[tuple[int, float]]:
        """``(turn_id, bm25 score)`` best first, restricted by ``filters`` queries."""
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
        return [(int(i), float(score)) for i, (score, _) in zip(ids, found, strict=True)]


def _day(date: str | None) -> int | None:
    """``"2019-05-01"`` → ``20190501``; ``None`` or a malformed date → ``None``."""
    if not date or len(date) < 10:
        return None
    try:
        return int(date[:10].replace("-", ""))
    except ValueError:
        return None
