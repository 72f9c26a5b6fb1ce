"""Store methods for question threads and saved searches (``podium.analyze.threads``).

The store only keeps rows: question vectors, which thread each question is in, the saved
searches and the matches already reported. Deciding what belongs together is the analysis
module's job; these methods read and write in bulk so that threading a whole corpus is a
handful of queries, not one per question.

A question is keyed by ``(transcript_id, exchange_index, question_index)`` everywhere, the
key of the ``questions`` table; a thread is an integer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

QuestionKey = tuple[str, int, int]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ThreadMixin:
    """Question vectors, thread membership and watches, shared by every store dialect."""

    if TYPE_CHECKING:

        def _rows(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
            raise NotImplementedError

        def _one(self, sql: str, params: Any = ()) -> Any:
            raise NotImplementedError

        def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
            raise NotImplementedError

        def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
            raise NotImplementedError

        def _transaction(self) -> Any:
            raise NotImplementedError

    # -- question vectors ---------------------------------------------------------------------

    def questions_without_vectors(self, limit: int = 1000, model: str | None = None) -> list[dict[str, Any]]:
        """Questions that have no vector yet (or, given ``model``, a vector made another way),
        with the text of their question turn before them (the embedding's context) and their
        transcript's language; ordered by transcript and position."""
        stale: str = ""
        params: list[Any] = [limit]
        if model is not None:
            stale, params = " OR v.model <> ?", [model, limit]
        rows = self._rows(
            "SELECT q.transcript_id, q.exchange_index, q.question_index, q.text, q.span_start,"
            " t.text, t.span_start, d.language FROM questions q"
            " JOIN transcripts d ON d.transcript_id = q.transcript_id"
            " JOIN exchanges e ON e.transcript_id = q.transcript_id AND e.exchange_index = q.exchange_index"
            " LEFT JOIN turns t ON t.transcript_id = q.transcript_id AND t.turn_index = e.question_turn_index"
            " LEFT JOIN question_embeddings v ON v.transcript_id = q.transcript_id"
            "  AND v.exchange_index = q.exchange_index AND v.question_index = q.question_index"
            f" WHERE v.transcript_id IS NULL{stale}"
            " ORDER BY q.transcript_id, q.exchange_index, q.question_index LIMIT ?",
            params,
        )
        return [
            {"key": (r[0], int(r[1]), int(r[2])), "text": r[3],
             "before": (r[5] or "")[: max(0, int(r[4]) - int(r[6] or 0))], "language": r[7] or ""}
            for r in rows
        ]

    def add_question_vectors(
        self, vectors: dict[QuestionKey, bytes], model: str, content_words: dict[QuestionKey, int] | None = None
    ) -> None:
        """Store question vectors (float32 bytes), replacing old ones, in one transaction;
        ``content_words`` says how much a question says (``None``: not measured)."""
        words = content_words or {}
        with self._transaction():
            for tid, ex, q in vectors:
                self._execute(
                    "DELETE FROM question_embeddings WHERE transcript_id = ? AND exchange_index = ?"
                    " AND question_index = ?", (tid, ex, q),
                )
            self._executemany(
                "INSERT INTO question_embeddings (transcript_id, exchange_index, question_index, model, vector,"
                " content_words) VALUES (?, ?, ?, ?, ?, ?)",
                [(tid, ex, q, model, blob, words.get((tid, ex, q))) for (tid, ex, q), blob in vectors.items()],
            )

    def question_vectors(self) -> list[tuple[str, int, int, str, str, str, bytes, int | None]]:
        """Every question vector with what threading orders and groups by:
        ``(transcript_id, exchange, question, language, event_date, model, vector, content_words)``.

        The transcripts' language and date are read once each and joined here: a join in
        SQL repeats them for each of the ~20,000 rows and was the slowest part of an update.
        """
        meta = {r[0]: (r[1] or "", r[2] or "") for r in self._rows(
            "SELECT transcript_id, language, event_date FROM transcripts"
        )}
        return [
            (r[0], int(r[1]), int(r[2]), *meta.get(r[0], ("", "")), r[3], bytes(r[4]),
             None if r[5] is None else int(r[5]))
            for r in self._rows(
                "SELECT transcript_id, exchange_index, question_index, model, vector, content_words"
                " FROM question_embeddings"
            )
        ]

    def unthreaded_question_vectors(self) -> list[tuple[str, int, int, str, str, str, bytes, int | None]]:
        """``question_vectors`` rows of the questions that have a vector but no thread yet.

        The keys are found on the primary-key indexes alone; only those questions' vectors
        are read (what makes adding one transcript cheap).
        """
        keys = self._rows(
            "SELECT v.transcript_id, v.exchange_index, v.question_index FROM question_embeddings v"
            " WHERE NOT EXISTS (SELECT 1 FROM thread_members m WHERE m.transcript_id = v.transcript_id"
            "  AND m.exchange_index = v.exchange_index AND m.question_index = v.question_index)"
        )
        by_transcript: dict[str, set[tuple[int, int]]] = {}
        for tid, ex, q in keys:
            by_transcript.setdefault(tid, set()).add((int(ex), int(q)))
        out = []
        for tid, wanted in by_transcript.items():
            lang, date = self._rows(
                "SELECT language, event_date FROM transcripts WHERE transcript_id = ?", (tid,)
            )[0] if wanted else ("", "")
            for r in self._rows(
                "SELECT exchange_index, question_index, model, vector, content_words FROM question_embeddings"
                " WHERE transcript_id = ?", (tid,),
            ):
                if (int(r[0]), int(r[1])) in wanted:
                    out.append((tid, int(r[0]), int(r[1]), lang or "", date or "", r[2], bytes(r[3]),
                                None if r[4] is None else int(r[4])))
        return out

    def threaded_question_vectors(self) -> list[tuple[str, int, int, str, int, int | None, bytes]]:
        """Every threaded question: ``(transcript_id, exchange, question, language, thread,
        content_words, vector)`` (the pool new questions are scored against)."""
        lang = {r[0]: r[1] or "" for r in self._rows("SELECT transcript_id, language FROM transcripts")}
        return [
            (r[0], int(r[1]), int(r[2]), lang.get(r[0], ""), int(r[3]), None if r[4] is None else int(r[4]),
             bytes(r[5]))
            for r in self._rows(
                "SELECT m.transcript_id, m.exchange_index, m.question_index, m.thread_id, v.content_words, v.vector"
                " FROM thread_members m JOIN question_embeddings v ON v.transcript_id = m.transcript_id"
                "  AND v.exchange_index = m.exchange_index AND v.question_index = m.question_index"
            )
        ]

    def threads_stamp(self) -> tuple[str, int, int]:
        """``(stamp, memberships, largest thread id)``: the stamp is new at every write of
        memberships, so a pool file saved with it (``store.thread_pool``) knows it is current."""
        stamp = self._one("SELECT value FROM store_info WHERE key = 'threads_stamp'") or ""
        count, top = self._rows("SELECT count(*), coalesce(max(thread_id), 0) FROM thread_members")[0]
        return str(stamp), int(count), int(top)

    # -- thread membership --------------------------------------------------------------------

    def thread_memberships(self) -> dict[QuestionKey, int]:
        """Which thread every threaded question is in."""
        return {
            (r[0], int(r[1]), int(r[2])): int(r[3])
            for r in self._rows(
                "SELECT transcript_id, exchange_index, question_index, thread_id FROM thread_members"
            )
        }

    def set_thread_members(
        self, rows: Iterable[tuple[QuestionKey, int, QuestionKey | None, float | None]], *, replace_all: bool = False
    ) -> str:
        """Record ``(question, thread, linked_to, similarity)`` rows in one transaction;
        ``replace_all`` first forgets every membership (a rebuild). Returns the new threads stamp."""
        data = [
            (k[0], k[1], k[2], thread, json.dumps(list(link)) if link else None, sim)
            for k, thread, link, sim in rows
        ]
        with self._transaction():
            if replace_all:
                self._execute("DELETE FROM thread_members")
            else:
                for r in data:
                    self._execute(
                        "DELETE FROM thread_members WHERE transcript_id = ? AND exchange_index = ?"
                        " AND question_index = ?", r[:3],
                    )
            self._executemany(
                "INSERT INTO thread_members (transcript_id, exchange_index, question_index, thread_id,"
                " linked_to, similarity) VALUES (?, ?, ?, ?, ?, ?)",
                data,
            )
            stamp = uuid.uuid4().hex
            self._execute(
                "INSERT INTO store_info (key, value) VALUES ('threads_stamp', ?) ON CONFLICT (key)"
                " DO UPDATE SET value = excluded.value", (stamp,),
            )
        return stamp

    def thread_sizes(self) -> dict[int, int]:
        return {int(r[0]): int(r[1]) for r in self._rows(
            "SELECT thread_id, count(*) FROM thread_members GROUP BY thread_id"
        )}

    def thread_questions(self, thread_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """Members of the given threads (all threads when ``None``) with everything a thread
        page shows: date, organisation, asker, outlet, question, clarity, answer turns."""
        where, params = "1 = 1", []
        if thread_ids is not None:
            if not thread_ids:
                return []
            where = f"m.thread_id IN ({', '.join('?' for _ in thread_ids)})"
            params = [int(t) for t in thread_ids]
        rows = self._rows(
            "SELECT m.thread_id, m.transcript_id, m.exchange_index, m.question_index, m.similarity,"
            " d.event_date, d.organisation, d.title, d.language, q.text, q.clarity_label, q.clarity_score,"
            " q.evasion_label, e.asker_person_id, p.name, e.outlet_id, coalesce(o.full_name, e.outlet_as_written),"
            " e.answer_turn_indexes_json, e.question_turn_index"
            " FROM thread_members m"
            " JOIN transcripts d ON d.transcript_id = m.transcript_id"
            " JOIN questions q ON q.transcript_id = m.transcript_id AND q.exchange_index = m.exchange_index"
            "  AND q.question_index = m.question_index"
            " JOIN exchanges e ON e.transcript_id = m.transcript_id AND e.exchange_index = m.exchange_index"
            " LEFT JOIN participants p ON p.transcript_id = e.transcript_id AND p.participant_id = e.asker_participant_id"
            " LEFT JOIN outlets o ON o.outlet_id = e.outlet_id"
            f" WHERE {where}"
            " ORDER BY m.thread_id, coalesce(d.event_date, ''), m.transcript_id, m.exchange_index, m.question_index",
            params,
        )
        names = ("thread_id", "transcript_id", "exchange_index", "question_index", "similarity", "date",
                 "organisation", "title", "language", "text", "clarity", "clarity_score", "evasion",
                 "asker_person_id", "asker", "outlet_id", "outlet", "answer_turns", "question_turn")
        out = []
        for r in rows:
            d = dict(zip(names, r, strict=True))
            d["answer_turns"] = json.loads(d["answer_turns"] or "[]")
            out.append(d)
        return out

    def turn_texts(self, transcript_id: str, turn_indexes: Sequence[int]) -> dict[int, str]:
        """Text of some turns of one transcript (answers shown beside each other)."""
        if not turn_indexes:
            return {}
        marks = ", ".join("?" for _ in turn_indexes)
        return {int(r[0]): r[1] for r in self._rows(
            f"SELECT turn_index, text FROM turns WHERE transcript_id = ? AND turn_index IN ({marks})",
            (transcript_id, *[int(i) for i in turn_indexes]),
        )}

    def answer_turn_vectors(self, pairs: Sequence[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
        """Stored turn embeddings of ``(transcript_id, turn_index)`` pairs that have one."""
        out: dict[tuple[str, int], bytes] = {}
        by_transcript: dict[str, list[int]] = {}
        for tid, i in pairs:
            by_transcript.setdefault(tid, []).append(int(i))
        for tid, idx in by_transcript.items():
            marks = ", ".join("?" for _ in idx)
            for r in self._rows(
                "SELECT t.turn_index, v.vector FROM turns t JOIN turn_embeddings v ON v.turn_id = t.turn_id"
                f" WHERE t.transcript_id = ? AND t.turn_index IN ({marks})", (tid, *idx),
            ):
                out[(tid, int(r[0]))] = bytes(r[1])
        return out

    # -- watches ------------------------------------------------------------------------------

    def add_watch(self, query: str, filters: dict[str, str]) -> int:
        """Save a search; returns its id."""
        with self._transaction():
            wid = int(self._one("SELECT coalesce(max(watch_id), 0) FROM watches")) + 1
            self._execute(
                "INSERT INTO watches (watch_id, query, filters_json, created_at) VALUES (?, ?, ?, ?)",
                (wid, query, json.dumps(filters, sort_keys=True), _now()),
            )
        return wid

    def watches(self) -> list[dict[str, Any]]:
        return [
            {"id": int(r[0]), "query": r[1], "filters": json.loads(r[2]), "created_at": r[3], "last_run_at": r[4]}
            for r in self._rows(
                "SELECT watch_id, query, filters_json, created_at, last_run_at FROM watches ORDER BY watch_id"
            )
        ]

    def watch(self, watch_id: int) -> dict[str, Any] | None:
        return next((w for w in self.watches() if w["id"] == watch_id), None)

    def remove_watch(self, watch_id: int) -> bool:
        with self._transaction():
            self._execute("DELETE FROM watch_matches WHERE watch_id = ?", (watch_id,))
            return bool(self._execute("DELETE FROM watches WHERE watch_id = ?", (watch_id,)).rowcount)

    def watch_seen(self, watch_id: int) -> set[str]:
        return {r[0] for r in self._rows("SELECT match_key FROM watch_matches WHERE watch_id = ?", (watch_id,))}

    def record_watch_matches(self, watch_id: int, matches: list[tuple[str, str, int]]) -> str:
        """Remember ``(match_key, transcript_id, turn_index)`` as reported now; returns the time."""
        now = _now()
        with self._transaction():
            self._executemany(
                "INSERT INTO watch_matches (watch_id, match_key, transcript_id, turn_index, found_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(watch_id, k, tid, i, now) for k, tid, i in matches],
            )
            self._execute("UPDATE watches SET last_run_at = ? WHERE watch_id = ?", (now, watch_id))
        return now

    def watch_matches(self, watch_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The latest reported matches of a watch, newest first (the feed's entries)."""
        rows = self._rows(
            "SELECT m.match_key, m.transcript_id, m.turn_index, m.found_at, d.title, d.event_date,"
            " d.organisation, t.text, t.speaker_label FROM watch_matches m"
            " LEFT JOIN transcripts d ON d.transcript_id = m.transcript_id"
            " LEFT JOIN turns t ON t.transcript_id = m.transcript_id AND t.turn_index = m.turn_index"
            " WHERE m.watch_id = ? ORDER BY m.found_at DESC, m.match_key LIMIT ?",
            (watch_id, limit),
        )
        names = ("key", "transcript_id", "turn_index", "found_at", "title", "date", "organisation", "text", "speaker")
        return [dict(zip(names, r, strict=True)) for r in rows]

    def thread_memberships_of(self, transcript_id: str) -> list[tuple[tuple[int, int], int]]:
        """``((exchange, question), thread)`` for the threaded questions of one transcript."""
        return [((int(r[0]), int(r[1])), int(r[2])) for r in self._rows(
            "SELECT exchange_index, question_index, thread_id FROM thread_members WHERE transcript_id = ?"
            " ORDER BY exchange_index, question_index", (transcript_id,),
        )]
