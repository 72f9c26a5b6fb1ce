"""Search over a store: full text, semantic, hybrid, and facet counts.

Each dialect supplies ``_fulltext`` (ranked ``(turn_id, score)`` pairs for a parsed query
and filters); everything else is shared. Semantic search ranks turn embeddings by cosine
similarity through an inverted-file index (``vector_index.py``): exact below 20,000 turns,
approximate (recall measured in the benchmark) above.
Hybrid ranking fuses the two rankings by reciprocal rank (k=60), which needs no score
calibration between bm25 and cosine similarity.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from podium.errors import UsageError
from podium.store import cjk, vector_index
from podium.store.filters import Filters
from podium.store.query import And, Node, Not, Or, Phrase, Term, parse_query
from podium.store.results import ExchangeHit, Facets, SearchHit
from podium.store.snippets import highlighter, snippet
from podium.store.vector_index import VectorIndex

Mode = Literal["fulltext", "semantic", "hybrid"]
Sort = Literal["relevance", "date"]
RRF_K = 60
_FACETS: dict[tuple[Any, ...], Facets] = {}
"""Facets by (store, generation, query, filters, top), shared by every connection of a process."""
MAX_DEPTH = 1_000_000
"""How far into a result list paging may go: every hit of any real corpus."""


def _check_page(mode: str, sort: str, offset: int, limit: int) -> None:
    if mode not in ("fulltext", "semantic", "hybrid"):
        raise UsageError(f"search mode {mode!r}: choose fulltext, semantic or hybrid")
    if sort not in ("relevance", "date"):
        raise UsageError(f"sort {sort!r}: choose relevance or date")
    if not 1 <= limit <= 10_000:
        raise UsageError(f"--limit {limit}: give a number from 1 to 10000")
    if not 0 <= offset <= MAX_DEPTH:
        raise UsageError(f"offset {offset}: give a number from 0 to {MAX_DEPTH}")


class SearchMixin:
    """Search methods shared by every store dialect."""

    _vector_index: VectorIndex | None = None

    if TYPE_CHECKING:
        url: str

        def _rows(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
            raise NotImplementedError

        def generation(self) -> int:
            raise NotImplementedError

        def store_id(self) -> str:
            raise NotImplementedError

    def _fulltext(self, node: Node, filters: Filters, limit: int) -> list[tuple[int, float]]:
        raise NotImplementedError

    def _fts_match_sql(self, node: Node) -> tuple[str, list[Any], str]:
        """FROM/WHERE pieces restricting ``turns t`` to full-text matches (for counting)."""
        raise NotImplementedError

    # -- the public entry point ------------------------------------------------------------------

    def search(
        self, query: str | None, *, mode: Mode = "fulltext", limit: int = 20, offset: int = 0,
        sort: Sort = "relevance", **filters: Any,
    ) -> list[SearchHit]:
        """Ranked turns matching ``query`` and ``filters`` (see ``Filters``), from ``offset`` on.

        An empty ``query`` lists the filtered turns newest first, e.g. every question with
        ``clarity="clear_non_reply"``; ``sort="date"`` lists matches newest first too.
        Malformed queries and filter values raise ``UsageError``.
        """
        _check_page(mode, sort, offset, limit)
        f = Filters.of(**filters)
        text = (query or "").strip()
        if not text:
            return self._hydrate(self._browse(f, limit, offset), None)
        node = parse_query(text) if mode != "semantic" else None
        if sort == "date" and node is not None and mode == "fulltext":
            return self._hydrate(self._by_date(node, f, limit, offset), node)
        depth = offset + limit
        if mode == "fulltext":
            assert node is not None
            ranked = self._fulltext(node, f, depth)
        elif mode == "semantic":
            ranked = self._semantic(text, f, depth)
        else:
            assert node is not None
            wide = max(depth * 5, 100)
            # A sentence typed for meaning rarely has every word in one turn: the full-text
            # side of a hybrid search treats plain words as OR (phrases and NOT still hold).
            loose = node
            if isinstance(node, And) and not any(isinstance(c, Not) for c in node.children):
                loose = Or(node.children)
            ranked = fuse([self._fulltext(loose, f, wide), self._semantic(text, f, wide)], depth)
        return self._hydrate(ranked[offset:], node)

    def _browse(self, f: Filters, limit: int, offset: int = 0) -> list[tuple[int, float]]:
        where, params = f.sql(listing=self._rare_labels(f))
        rows = self._rows(
            "SELECT t.turn_id FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id"
            f" WHERE {where} ORDER BY coalesce(d.event_date, '') DESC, t.transcript_id, t.turn_index"
            " LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [(r[0], 0.0) for r in rows]

    def _by_date(self, node: Node, f: Filters, limit: int, offset: int) -> list[tuple[int, float]]:
        """Matching turns newest first (the engines rank by relevance only)."""
        where, params = f.sql(listing=self._rare_labels(f))
        join, extra, cond = self._match_sql(node)
        rows = self._rows(
            f"SELECT t.turn_id FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id {join}"
            f" WHERE {cond} AND {where} ORDER BY coalesce(d.event_date, '') DESC, t.transcript_id, t.turn_index"
            " LIMIT ? OFFSET ?",
            (*extra, *params, limit, offset),
        )
        return [(r[0], 0.0) for r in rows]

    def _match_sql(self, node: Node) -> tuple[str, list[Any], str]:
        """FROM/WHERE pieces restricting ``turns t`` to the turns ``node`` matches.

        The engine's own match, except for queries with Chinese or Japanese words: those
        are found by substring (``LIKE``), which is what the bigram index matches too, so
        counts, facets and date order agree with the ranked hits.
        """
        if not query_has_cjk(node):
            return self._fts_match_sql(node)
        params: list[Any] = []
        cond = self._match_expr(node, params)
        return "", params, cond

    def _match_expr(self, node: Node, params: list[Any]) -> str:
        if isinstance(node, Term | Phrase) and query_has_cjk(node):
            words = (node.word,) if isinstance(node, Term) else node.words
            params.append("%" + "%".join(w.replace("%", "").replace("_", "") for w in words) + "%")
            return "t.text LIKE ?"
        if isinstance(node, Term | Phrase):
            join, extra, cond = self._fts_match_sql(node)
            params.extend(extra)
            if join:  # SQLite: the FTS table's rowids are turn ids
                return f"t.turn_id IN (SELECT rowid FROM turns_fts WHERE {cond})"
            return cond
        if isinstance(node, Not):
            return f"NOT ({self._match_expr(node.child, params)})"
        sep = " OR " if isinstance(node, Or) else " AND "
        return "(" + sep.join(self._match_expr(c, params) for c in node.children) + ")"

    def iter_search(
        self, query: str | None, *, by: str = "turn", sort: Sort = "relevance", batch: int = 100,
        **filters: Any,
    ) -> Iterator[SearchHit | ExchangeHit]:
        """Every hit of a full-text search (or listing), ``batch`` at a time: for downloads.

        The order is worked out once (ids and scores only, a few bytes per hit), then hits are
        built ``batch`` at a time, so memory stays flat however many hits there are.
        """
        _check_page("fulltext", sort, 0, batch)
        f = Filters.of(**filters)
        text = (query or "").strip()
        node = parse_query(text) if text else None
        counts = self.facets(text, **filters)
        if by == "exchange":
            keys = self._exchange_order(node, f, sort, max(counts.exchanges, 1))
            for i in range(0, len(keys), batch):
                yield from self._exchange_hits(keys[i : i + batch], node)
            return
        size = max(counts.total, 1)
        if node is None:
            ranked = self._browse(f, size)
        elif sort == "date":
            ranked = self._by_date(node, f, size, 0)
        else:
            ranked = self._fulltext(node, f, size)
        for i in range(0, len(ranked), batch):
            yield from self._hydrate(ranked[i : i + batch], node)

    def _hydrate(self, ranked: list[tuple[int, float]], node: Node | None) -> list[SearchHit]:
        """Hits for ``(turn_id, score)`` pairs, in the given order."""
        if not ranked:
            return []
        ids = [r[0] for r in ranked]
        marks = ", ".join("?" * len(ids))
        rows = self._rows(
            "SELECT t.turn_id, t.transcript_id, t.turn_index, d.title, d.event_date, d.organisation,"
            " coalesce(pe.display_name, pa.name, t.speaker_label), t.person_id, t.speaker_role,"
            " o.full_name, t.kind, t.text, d.source_url"
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
                permalink=f"{r[1]}#t{r[2]}", source_url=r[12],
            ))
        return hits

    # -- semantic --------------------------------------------------------------------------------

    def _vector_folder(self) -> Path | None:
        """Where the vector index is saved (``None``: kept in memory only)."""
        return None

    def _vectors(self) -> vector_index.IVF:
        """The vector index, brought up to date with the stored embeddings."""
        if self._vector_index is None:
            # A read-only store never writes its index folders (``serve --read-only``).
            self._vector_index = VectorIndex(self._vector_folder(), read_only=bool(getattr(self, "read_only", False)))
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
        """How every match (not only the first page) splits by organisation, principal, year,
        kind, role, speaker, outlet and answer clarity, with the number of turns and exchanges.

        One pass over the matching turns, counted in Python: one SQL count per facet runs the
        full-text match once per facet, which made a common word's results page 2-4 times slower.
        """
        f = Filters.of(**filters)
        text = (query or "").strip()
        key = (self.url, self.store_id(), self.generation(), text, f, top)
        if key not in _FACETS:
            if len(_FACETS) >= 256:
                _FACETS.clear()
            _FACETS[key] = self._facets(text, f, top)
        return _FACETS[key]

    def _facets(self, text: str, f: Filters, top: int) -> Facets:
        """``facets`` uncached. Browsing everything reads every turn (a second at 50,000 turns
        on a busy machine), so results are kept per store generation, query and filters."""
        where, params = f.sql(listing=self._rare_labels(f))
        join, extra, cond = self._match_sql(parse_query(text)) if text else ("", [], "1=1")
        rows = self._rows(
            "SELECT d.organisation, substr(d.event_date, 1, 4), t.kind, t.speaker_role, t.person_id,"
            " t.outlet_id, d.principal, t.transcript_id, t.exchange_index"
            f" FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id {join}"
            f" WHERE {cond} AND {where}",
            (*extra, *params),
        )
        counts = [Counter(r[i] for r in rows if r[i] is not None) for i in range(7)]
        exchanges = {(r[7], r[8]) for r in rows if r[8] is not None}
        persons = self._names("SELECT person_id, display_name FROM persons WHERE person_id",
                              [k for k, _ in counts[4].most_common(top)])
        outlets = self._names("SELECT outlet_id, full_name FROM outlets WHERE outlet_id",
                              [k for k, _ in counts[5].most_common(top)])
        return Facets(
            total=len(rows),
            organisation=[(str(k), n) for k, n in counts[0].most_common(top)],
            year=sorted(((str(k), n) for k, n in counts[1].items()), reverse=True)[:top],
            kind=[(str(k), n) for k, n in counts[2].most_common(top)],
            role=[(str(k), n) for k, n in counts[3].most_common(top)],
            speaker=[(persons.get(k, k), n) for k, n in counts[4].most_common(top)],
            outlet=[(outlets.get(k, k), n) for k, n in counts[5].most_common(top)],
            principal=[(str(k), n) for k, n in counts[6].most_common(top)],
            clarity=self._clarity_facet(exchanges),
            exchanges=len(exchanges),
        )

    def _names(self, select: str, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        return {k: v for k, v in self._rows(f"{select} IN ({', '.join('?' * len(ids))})", tuple(ids))}

    def _clarity_facet(self, exchanges: set[tuple[str, int]]) -> list[tuple[str, int]]:
        """Questions of the matching exchanges by the clarity of their answers (empty until labelled)."""
        if not exchanges or not self._rows("SELECT 1 FROM questions WHERE clarity_label IS NOT NULL LIMIT 1"):
            return []
        counts: Counter[str] = Counter()
        pairs = sorted(exchanges)
        for i in range(0, len(pairs), PAIRS_PER_QUERY):
            chunk = pairs[i : i + PAIRS_PER_QUERY]
            cond = _pairs_in("transcript_id", "exchange_index", len(chunk))
            for (label,) in self._rows(
                f"SELECT clarity_label FROM questions WHERE clarity_label IS NOT NULL AND ({cond})",
                [v for pair in chunk for v in pair],
            ):
                counts[str(label)] += 1
        return counts.most_common()

    # -- exchanges -------------------------------------------------------------------------------

    def search_exchanges(
        self, query: str | None, *, limit: int = 20, offset: int = 0, sort: Sort = "relevance",
        **filters: Any,
    ) -> list[ExchangeHit]:
        """Question-answer exchanges with a turn matching ``query`` and ``filters``, best first.

        An exchange ranks where its best matching turn ranks; ``sort="date"`` (and an empty
        query) lists newest first. Each hit names the asker and outlet, shows the question(s)
        with the matches marked and the start of the answer with who gave it.
        """
        _check_page("fulltext", sort, offset, limit)
        f = Filters.of(**filters)
        text = (query or "").strip()
        node = parse_query(text) if text else None
        return self._exchange_hits(self._exchange_order(node, f, sort, limit, offset), node)

    def _exchange_order(
        self, node: Node | None, f: Filters, sort: str, limit: int, offset: int = 0
    ) -> list[tuple[tuple[str, int], float]]:
        """``((transcript_id, exchange_index), score)`` of the exchanges ranked ``offset`` to
        ``offset + limit``: by their best matching turn, or newest first."""
        if node is None or sort == "date":
            where, params = f.sql(listing=self._rare_labels(f))
            join, extra, cond = self._match_sql(node) if node is not None else ("", [], "1=1")
            rows = self._rows(
                "SELECT t.transcript_id, t.exchange_index, max(coalesce(d.event_date, '')) AS day"
                f" FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id {join}"
                f" WHERE {cond} AND {where} AND t.exchange_index IS NOT NULL"
                " GROUP BY t.transcript_id, t.exchange_index ORDER BY day DESC, t.transcript_id, t.exchange_index"
                " LIMIT ? OFFSET ?",
                (*extra, *params, limit, offset),
            )
            return [((r[0], int(r[1])), 0.0) for r in rows]
        want = offset + limit
        depth = max(want * 4, 50)
        while True:
            ranked = self._fulltext(node, f, depth)
            order: dict[tuple[str, int], float] = {}
            for key, score in self._exchange_keys(ranked):
                order.setdefault(key, score)
            if len(order) >= want or len(ranked) < depth or depth >= MAX_DEPTH:
                return list(order.items())[offset:want]
            depth = min(depth * 8, MAX_DEPTH)

    def _exchange_keys(self, ranked: list[tuple[int, float]]) -> list[tuple[tuple[str, int], float]]:
        """``((transcript_id, exchange_index), score)`` of the ranked turns that are in an exchange."""
        where: dict[int, tuple[str, int]] = {}
        ids = [r[0] for r in ranked]
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            for turn_id, tid, ex in self._rows(
                "SELECT turn_id, transcript_id, exchange_index FROM turns"
                f" WHERE turn_id IN ({', '.join('?' * len(chunk))}) AND exchange_index IS NOT NULL",
                chunk,
            ):
                where[turn_id] = (tid, int(ex))
        return [(where[t], score) for t, score in ranked if t in where]

    def _exchange_hits(self, keys: list[tuple[tuple[str, int], float]], node: Node | None) -> list[ExchangeHit]:
        """Hits for ``((transcript_id, exchange_index), score)`` pairs, in the given order.

        Two queries per page: the exchanges joined to their turns (every turn of an exchange
        carries its ``exchange_index``), and their questions. Whether a turn matches is worked
        out once per turn, since the question, answer and hand-off each ask it more than once.
        """
        if len(keys) > PAIRS_PER_QUERY:
            return [h for i in range(0, len(keys), PAIRS_PER_QUERY)
                    for h in self._exchange_hits(keys[i : i + PAIRS_PER_QUERY], node)]
        if not keys:
            return []
        pairs = [k for k, _ in keys]
        cond = _pairs_in("e.transcript_id", "e.exchange_index", len(pairs))
        flat = [v for pair in pairs for v in pair]
        info: dict[tuple[str, int], tuple[Any, ...]] = {}
        turns: dict[tuple[str, int], tuple[str, str | None, str | None]] = {}
        for row in self._rows(
            "SELECT e.transcript_id, e.exchange_index, d.title, d.event_date, d.organisation,"
            " pe.display_name, e.asker_person_id, coalesce(o.full_name, e.outlet_as_written), e.outlet_id,"
            " e.channel, e.question_turn_index, e.answer_turn_indexes_json, e.moderation_turn_index, d.source_url,"
            " t.turn_index, t.text, coalesce(tp.display_name, pa.name, t.speaker_label), t.person_id"
            " FROM exchanges e JOIN transcripts d ON d.transcript_id = e.transcript_id"
            " LEFT JOIN persons pe ON pe.person_id = e.asker_person_id"
            " LEFT JOIN outlets o ON o.outlet_id = e.outlet_id"
            " LEFT JOIN turns t ON t.transcript_id = e.transcript_id AND t.exchange_index = e.exchange_index"
            " LEFT JOIN participants pa ON pa.transcript_id = t.transcript_id"
            "  AND pa.participant_id = t.speaker_participant_id"
            " LEFT JOIN persons tp ON tp.person_id = t.person_id"
            f" WHERE {cond}",
            flat,
        ):
            info.setdefault((row[0], int(row[1])), row[:14])
            if row[14] is not None:
                turns[(row[0], int(row[14]))] = (row[15], row[16], row[17])
        questions: dict[tuple[str, int], list[tuple[str, str | None, str | None]]] = {}
        for tid, ex, qtext, clarity, evasion in self._rows(
            "SELECT e.transcript_id, e.exchange_index, e.text, e.clarity_label, e.evasion_label FROM questions e"
            f" WHERE {cond} ORDER BY e.transcript_id, e.exchange_index, e.question_index",
            flat,
        ):
            questions.setdefault((tid, int(ex)), []).append((qtext, clarity, evasion))
        answer_turns = {key: [int(i) for i in json.loads(r[11])] for key, r in info.items()}
        # a turn shared by two exchanges carries the first one's index: look up what the join missed
        missing = [(key[0], int(i)) for key, r in info.items() for i in (r[12], r[10], *answer_turns[key])
                   if i is not None and (key[0], int(i)) not in turns]
        turns.update(self._turn_texts(missing))
        pattern = highlighter(node)
        matches: dict[tuple[str, int], bool] = {}

        def hit_in(key: tuple[str, int]) -> bool:
            if key not in matches:
                matches[key] = bool(pattern.search(turns[key][0])) if pattern else False
            return matches[key]

        def mark(text: str) -> str:
            return pattern.sub(lambda m: "<mark>" + m.group() + "</mark>", text) if pattern else text

        hits = []
        for key, score in keys:
            r = info.get(key)
            if r is None:  # deleted since it was ranked
                continue
            tid, ex = key
            qkey = (tid, int(r[10]))
            qturn = turns.get(qkey)
            akeys = [(tid, i) for i in answer_turns[key] if (tid, i) in turns]
            # the answer shown is the first that matches, else the first: where the words are
            akey = next((k for k in akeys if hit_in(k)), akeys[0] if akeys else None)
            answer = turns[akey] if akey else None
            answer_hit = akey is not None and hit_in(akey)
            # an answer that does not match is shown from its start: no need to scan all of it
            answer_text = (answer[0] if answer_hit else answer[0][:2000]) if answer else ""
            hkey = (tid, int(r[12])) if r[12] is not None else None
            handoff = turns.get(hkey) if hkey else None
            qs = questions.get(key, [])
            texts = [mark(q[0]) for q in qs]
            question_hit = qturn is not None and hit_in(qkey)
            if question_hit and not any("<mark>" in t for t in texts):
                # the words are in the question turn's preamble, not in a question itself
                texts = [snippet(qturn[0], node, words=50, pattern=pattern)] if qturn else texts
            elif not texts and qturn:
                texts = [snippet(qturn[0], node, words=50, pattern=pattern)]
            labelled = next((q for q in qs if q[1] or q[2]), None)
            matched = [kind for kind, hit in (("moderation", handoff is not None and hkey and hit_in(hkey)),
                                              ("question", question_hit)) if hit]
            if answer_hit:
                matched.append("answer")
            hits.append(ExchangeHit(
                transcript_id=tid, exchange_index=ex, title=r[2], date=r[3], organisation=r[4],
                asker=r[5], asker_person_id=r[6], outlet=r[7], outlet_id=r[8], channel=r[9],
                questions=texts,
                answer_start=snippet(answer_text, node, words=40, pattern=pattern) if answer else "",
                answerer=answer[1] if answer else None, answerer_person_id=answer[2] if answer else None,
                clarity=labelled[1] if labelled else None, evasion=labelled[2] if labelled else None,
                matched=matched, score=float(score), permalink=f"{tid}#t{r[10]}", source_url=r[13],
                handoff=snippet(handoff[0], node, words=30, pattern=pattern) if matched == ["moderation"] and handoff
                else "",
            ))
        return hits

    def _turn_texts(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, str | None, str | None]]:
        """(transcript_id, turn_index) → (text, speaker name, person id)."""
        if len(keys) > PAIRS_PER_QUERY:
            out = {}
            for i in range(0, len(keys), PAIRS_PER_QUERY):
                out.update(self._turn_texts(keys[i : i + PAIRS_PER_QUERY]))
            return out
        if not keys:
            return {}
        cond = _pairs_in("t.transcript_id", "t.turn_index", len(keys))
        rows = self._rows(
            "SELECT t.transcript_id, t.turn_index, t.text, coalesce(pe.display_name, pa.name, t.speaker_label),"
            " t.person_id FROM turns t"
            " LEFT JOIN participants pa ON pa.transcript_id = t.transcript_id"
            "  AND pa.participant_id = t.speaker_participant_id"
            " LEFT JOIN persons pe ON pe.person_id = t.person_id"
            f" WHERE {cond}",
            [v for k in keys for v in k],
        )
        return {(r[0], int(r[1])): (r[2], r[3], r[4]) for r in rows}


PAIRS_PER_QUERY = 100
"""Pairs looked up per query: an ``OR`` chain (which both engines answer from the primary key
index, unlike a row-value ``IN (VALUES …)``, measured 10x slower) must stay well under
SQLite's expression depth limit of 1000."""


def _pairs_in(first: str, second: str, n: int) -> str:
    """``(first = ? AND second = ?) OR …`` for ``n`` pairs (at most ``PAIRS_PER_QUERY``)."""
    return " OR ".join([f"({first} = ? AND {second} = ?)"] * n)


def query_has_cjk(node: Node) -> bool:
    """Whether any word of the query is Chinese or Japanese."""
    if isinstance(node, Term):
        return cjk.has_cjk(node.word)
    if isinstance(node, Phrase):
        return any(cjk.has_cjk(w) for w in node.words)
    if isinstance(node, Not):
        return query_has_cjk(node.child)
    return any(query_has_cjk(c) for c in node.children)


def fuse(rankings: list[list[tuple[int, float]]], limit: int) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: each list adds ``1 / (60 + rank)`` to an item's score."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, (turn_id, _score) in enumerate(ranking):
            scores[turn_id] = scores.get(turn_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
