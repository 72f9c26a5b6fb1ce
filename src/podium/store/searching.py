"""Search over a store: full text, semantic, hybrid, and facet counts.

Each dialect supplies ``_fulltext`` (ranked ``(turn_id, score)`` pairs for a parsed query
and filters); everything else is shared. Semantic search ranks turn embeddings by cosine
similarity through an inverted-file index (``vector_index.py``): exact below 20,000 turns,
approximate (recall measured in the benchmark) above.
Hybrid ranking fuses the two rankings by reciprocal rank (k=60), which needs no score
calibration between bm25 and cosine similarity.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from podium.errors import UsageError
from podium.store import vector_index
from podium.store.filters import Filters
from podium.store.query import And, Node, Not, Or, parse_query
from podium.store.results import Facets, SearchHit
from podium.store.snippets import highlighter, snippet
from podium.store.vector_index import VectorIndex

Mode = Literal["fulltext", "semantic", "hybrid"]
RRF_K = 60


class SearchMixin:
    """Search methods shared by every store dialect."""

    _vector_index: VectorIndex | None = None

    if TYPE_CHECKING:

        def _rows(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
            raise NotImplementedError

        def generation(self) -> int:
            raise NotImplementedError

    def _fulltext(self, node: Node, filters: Filters, limit: int) -> list[tuple[int, float]]:
        raise NotImplementedError

    def _fts_match_sql(self, node: Node) -> tuple[str, list[Any], str]:
        """FROM/WHERE pieces restricting ``turns t`` to full-text matches (for counting)."""
        raise NotImplementedError

    # -- the public entry point ------------------------------------------------------------------

    def search(
        self, query: str | None, *, mode: Mode = "fulltext", limit: int = 20, **filters: Any
    ) -> list[SearchHit]:
        """Ranked turns matching ``query`` and ``filters`` (see ``Filters``).

        An empty ``query`` lists the filtered turns newest first, e.g. every question with
        ``clarity="clear_non_reply"``. Malformed queries and filter values raise
        ``UsageError``.
        """
        if mode not in ("fulltext", "semantic", "hybrid"):
            raise UsageError(f"search mode {mode!r}: choose fulltext, semantic or hybrid")
        if not 1 <= limit <= 10_000:
            raise UsageError(f"--limit {limit}: give a number from 1 to 10000")
        f = Filters.of(**filters)
        text = (query or "").strip()
        if not text:
            if f.is_empty():
                raise UsageError("search needs a query or at least one filter")
            return self._hydrate(self._browse(f, limit), None)
        node = parse_query(text) if mode != "semantic" else None
        if mode == "fulltext":
            assert node is not None
            ranked = self._fulltext(node, f, limit)
        elif mode == "semantic":
            ranked = self._semantic(text, f, limit)
        else:
            assert node is not None
            depth = max(limit * 5, 100)
            # A sentence typed for meaning rarely has every word in one turn: the full-text
            # side of a hybrid search treats plain words as OR (phrases and NOT still hold).
            loose = node
            if isinstance(node, And) and not any(isinstance(c, Not) for c in node.children):
                loose = Or(node.children)
            ranked = fuse([self._fulltext(loose, f, depth), self._semantic(text, f, depth)], limit)
        return self._hydrate(ranked, node)

    def _browse(self, f: Filters, limit: int) -> list[tuple[int, float]]:
        where, params = f.sql(listing=self._rare_labels(f))
        rows = self._rows(
            "SELECT t.turn_id FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id"
            f" WHERE {where} ORDER BY d.event_date DESC, t.transcript_id, t.turn_index LIMIT ?",
            (*params, limit),
        )
        return [(r[0], 0.0) for r in rows]

    def _hydrate(self, ranked: list[tuple[int, float]], node: Node | None) -> list[SearchHit]:
        """Hits for ``(turn_id, score)`` pairs, in the given order."""
        if not ranked:
            return []
        ids = [r[0] for r in ranked]
        marks = ", ".join("?" * len(ids))
        rows = self._rows(
            "SELECT t.turn_id, t.transcript_id, t.turn_index, d.title, d.event_date, d.organisation,"
            " coalesce(pe.display_name, pa.name, t.speaker_label), t.person_id, t.speaker_role,"
            " o.full_name, t.kind, t.text"
            " FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id"
            " LEFT JOIN participants pa ON pa.transcript_id = t.transcript_id"
            "  AND pa.participant_id = t.speaker_participant_id"
            " LEFT JOIN persons pe ON pe.person_id = t.person_id"
            " LEFT JOIN outlets o ON o.outlet_id = t.outlet_id"
            f" WHERE t.turn_id IN ({marks})",
            ids,
        )
        by_id = {r[0]: r for r in rows}
        pattern = highlighter(node)
        hits = []
        for turn_id, score in ranked:
            r = by_id.get(turn_id)
            if r is None:  # an index entry for a turn deleted since: skip it
                continue
            hits.append(SearchHit(
                transcript_id=r[1], turn_index=r[2], title=r[3], date=r[4], organisation=r[5],
                speaker=r[6], person_id=r[7], role=r[8], outlet=r[9], kind=r[10],
                snippet=snippet(r[11], node, pattern=pattern), text=r[11], score=float(score),
                permalink=f"{r[1]}#t{r[2]}",
            ))
        return hits

    # -- semantic --------------------------------------------------------------------------------

    def _vector_folder(self) -> Path | None:
        """Where the vector index is saved (``None``: kept in memory only)."""
        return None

    def _vectors(self) -> vector_index.IVF:
        """The vector index, brought up to date with the stored embeddings."""
        if self._vector_index is None:
            self._vector_index = VectorIndex(self._vector_folder())
        return self._vector_index.get(self)

    def _semantic(self, text: str, f: Filters, limit: int) -> list[tuple[int, float]]:
        import numpy as np

        from podium.embed import embed

        index = self._vectors()
        if index.size == 0:
            raise UsageError(
                "semantic search needs embeddings: run 'podium ingest --embed PATH' first"
            )
        query = embed([text])[0]
        if f.is_empty():
            return index.search(query, limit)
        # A selective filter is listed in full and its turns scored exactly; a broad one (more
        # than SMALL_FILTER turns) checks the nearest candidates in SQL, best first.
        few = self._few_turns(f)
        if few is not None:
            return index.search(query, limit, allowed=np.sort(np.array(few, np.int64)))
        return index.search(query, limit, accept=lambda ids: self._matching(ids, f))

    def _few_turns(self, f: Filters) -> list[int] | None:
        """Every turn passing ``f`` when there are at most ``SMALL_FILTER``; ``None`` when more.

        A selective filter is cheaper to list once than to check candidate by candidate. Listing
        a label filter costs all of the label's turns, whatever else is filtered (130 ms at 10^6
        turns), so a label given to more than ``SMALL_FILTER`` questions is broad without listing.
        """
        cap = vector_index.SMALL_FILTER
        if not self._rare_labels(f):
            return None
        where, params = f.sql(listing=True)
        rows = self._rows(
            "SELECT t.turn_id FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id"
            f" WHERE {where} LIMIT ?", (*params, cap + 1))
        return [r[0] for r in rows] if len(rows) <= cap else None

    def _rare_labels(self, f: Filters) -> bool:
        """True when no label filter of ``f`` is given to more than ``SMALL_FILTER`` questions."""
        cap = vector_index.SMALL_FILTER
        return all(
            self._rows(f"SELECT count(*) FROM (SELECT 1 FROM questions WHERE {column} = ? LIMIT ?) AS labelled",
                       (value, cap + 1))[0][0] <= cap
            for column, value in f.labels()
        )

    def _matching(self, turn_ids: list[int], f: Filters) -> set[int]:
        """Those of ``turn_ids`` that pass the filters (checked in SQL, in chunks)."""
        where, params = f.sql()
        keep: set[int] = set()
        for i in range(0, len(turn_ids), 900):
            chunk = turn_ids[i : i + 900]
            keep.update(r[0] for r in self._rows(
                "SELECT t.turn_id FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id"
                f" WHERE t.turn_id IN ({', '.join('?' * len(chunk))}) AND {where}",
                (*chunk, *params),
            ))
        return keep

    # -- facets ----------------------------------------------------------------------------------

    def facets(self, query: str | None, *, top: int = 10, **filters: Any) -> Facets:
        """Counts of every full-text match (not only the first page) by facet."""
        f = Filters.of(**filters)
        where, params = f.sql(listing=self._rare_labels(f))
        text = (query or "").strip()
        join, extra = "", list[Any]()
        if text:
            join, extra, cond = self._fts_match_sql(parse_query(text))
            where = f"{cond} AND {where}"
        base = (
            f"FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id {join}"
            f" WHERE {where}"
        )
        p = [*extra, *params]

        def count(expr: str, joins: str = "") -> list[tuple[str, int]]:
            rows = self._rows(
                f"SELECT {expr} AS k, count(*) AS n {base.replace(' WHERE ', f' {joins} WHERE ', 1)}"
                f" GROUP BY k ORDER BY n DESC, k LIMIT ?",
                (*p, top),
            )
            return [(str(k), int(n)) for k, n in rows if k is not None]

        total = int(self._rows(f"SELECT count(*) {base}", p)[0][0])
        return Facets(
            total=total,
            organisation=count("d.organisation"),
            year=count("substr(d.event_date, 1, 4)"),
            kind=count("t.kind"),
            role=count("t.speaker_role"),
            speaker=count("pe.display_name", "LEFT JOIN persons pe ON pe.person_id = t.person_id"),
            outlet=count("o.full_name", "LEFT JOIN outlets o ON o.outlet_id = t.outlet_id"),
        )


def fuse(rankings: list[list[tuple[int, float]]], limit: int) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: each list adds ``1 / (60 + rank)`` to an item's score."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, (turn_id, _score) in enumerate(ranking):
            scores[turn_id] = scores.get(turn_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
