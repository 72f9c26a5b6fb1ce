"""Read methods for pages and reports: transcript lists, persons, outlets, questions, stats.

Every list is paged (``offset``/``limit`` with a ``total``), so a web page never loads a
whole table; every value reaches SQL as a bound parameter.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from podium.errors import UsageError
from podium.names import fold
from podium.store.filters import LIKE_ESCAPE, Filters, like_contains
from podium.store.results import (
    OutletSummary,
    Page,
    PersonSummary,
    QuestionRecord,
    Stats,
    TranscriptSummary,
)


def _page(offset: int, limit: int) -> None:
    if offset < 0 or not 1 <= limit <= 1000:
        raise UsageError(f"page offset {offset}, limit {limit}: offset >= 0 and limit 1-1000")


class ReadMixin:
    """Listing and lookup methods shared by every store dialect."""

    if TYPE_CHECKING:

        def _rows(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
            raise NotImplementedError

        def _one(self, sql: str, params: Any = ()) -> Any:
            raise NotImplementedError

    def list_transcripts(
        self, *, offset: int = 0, limit: int = 50, title: str | None = None, **filters: Any
    ) -> Page[TranscriptSummary]:
        """Transcripts newest first, filtered like ``search`` (plus a ``title`` substring)."""
        _page(offset, limit)
        f = Filters.of(**filters)
        where, params = f.sql()
        if any(getattr(f, k) for k in ("speaker", "outlet", "role", "kind", "clarity", "evasion")):
            where = f"d.transcript_id IN (SELECT t.transcript_id FROM turns t WHERE {where})"
        if title:
            where += f" AND lower(d.title) LIKE ? {LIKE_ESCAPE}"
            params.append(like_contains(title.lower()))
        total = int(self._one(f"SELECT count(*) FROM transcripts d WHERE {where}", params))
        rows = self._rows(
            "SELECT transcript_id, title, event_date, organisation, event_type, principal, language,"
            " source_path, turn_count, exchange_count, question_count FROM transcripts d"
            f" WHERE {where} ORDER BY event_date DESC, transcript_id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return Page([TranscriptSummary(*r) for r in rows], total, offset, limit)

    def persons(
        self, *, name: str | None = None, role: str | None = None, offset: int = 0, limit: int = 50
    ) -> Page[PersonSummary]:
        """Persons by number of turns spoken; ``name`` matches any alias, ``role`` any role held."""
        _page(offset, limit)
        Filters.of(role=role)
        where, params = "1=1", []
        if name:
            where += f" AND p.person_id IN (SELECT person_id FROM person_aliases WHERE alias_key LIKE ? {LIKE_ESCAPE})"
            params.append(like_contains(fold(name)))
        if role:
            where += " AND p.person_id IN (SELECT person_id FROM participants WHERE role = ?)"
            params.append(role)
        total = int(self._one(f"SELECT count(*) FROM persons p WHERE {where}", params))
        rows = self._rows(
            "SELECT p.person_id, (SELECT count(*) FROM turns t WHERE t.person_id = p.person_id) AS n"
            f" FROM persons p WHERE {where} ORDER BY n DESC, p.person_id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return Page([self.person(r[0]) for r in rows], total, offset, limit)

    def person(self, person_id: str) -> PersonSummary:
        """One person with aliases and counts; ``KeyError`` if unknown."""
        row = self._rows(
            "SELECT person_id, display_name, organisation FROM persons WHERE person_id = ?", (person_id,)
        )
        if not row:
            raise KeyError(person_id)
        pid, name, org = row[0]
        aliases = [r[0] for r in self._rows(
            "SELECT alias FROM person_aliases WHERE person_id = ? ORDER BY alias", (pid,))]
        roles = [r[0] for r in self._rows(
            "SELECT DISTINCT role FROM participants WHERE person_id = ? ORDER BY role", (pid,))]
        transcripts = int(self._one(
            "SELECT count(DISTINCT transcript_id) FROM participants WHERE person_id = ?", (pid,)))
        turns = int(self._one("SELECT count(*) FROM turns WHERE person_id = ?", (pid,)))
        return PersonSummary(pid, name, org, roles, aliases, transcripts, turns)

    def outlets(self, *, name: str | None = None, offset: int = 0, limit: int = 50) -> Page[OutletSummary]:
        """Outlets by number of questions asked; ``name`` matches any written form."""
        _page(offset, limit)
        where, params = "1=1", []
        if name:
            where = f"o.outlet_id IN (SELECT outlet_id FROM outlet_aliases WHERE alias_key LIKE ? {LIKE_ESCAPE})"
            params.append(like_contains(fold(name)))
        total = int(self._one(f"SELECT count(*) FROM outlets o WHERE {where}", params))
        rows = self._rows(
            "SELECT o.outlet_id, (SELECT count(*) FROM exchanges e WHERE e.outlet_id = o.outlet_id) AS n"
            f" FROM outlets o WHERE {where} ORDER BY n DESC, o.outlet_id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return Page([self.outlet(r[0]) for r in rows], total, offset, limit)

    def outlet(self, outlet_id: str) -> OutletSummary:
        """One outlet with its written forms and counts; ``KeyError`` if unknown."""
        row = self._rows("SELECT outlet_id, full_name, abbreviation FROM outlets WHERE outlet_id = ?", (outlet_id,))
        if not row:
            raise KeyError(outlet_id)
        oid, name, abbrev = row[0]
        aliases = [r[0] for r in self._rows(
            "SELECT alias FROM outlet_aliases WHERE outlet_id = ? ORDER BY alias", (oid,))]
        journalists = int(self._one(
            "SELECT count(DISTINCT coalesce(person_id, transcript_id || participant_id)) FROM participants"
            " WHERE outlet_id = ?", (oid,)))
        questions = int(self._one(
            "SELECT count(*) FROM questions q JOIN exchanges e ON e.transcript_id = q.transcript_id"
            " AND e.exchange_index = q.exchange_index WHERE e.outlet_id = ?", (oid,)))
        return OutletSummary(oid, name, abbrev, aliases, journalists, questions)

    def questions(
        self,
        *,
        asker: str | None = None,
        outlet: str | None = None,
        answered_by: str | None = None,
        offset: int = 0,
        limit: int = 50,
        **filters: Any,
    ) -> Page[QuestionRecord]:
        """Questions with their answers, newest first: a person's or an outlet's questions
        (``asker``/``outlet`` as ids), questions a person answered (``answered_by`` id), or
        any ``Filters`` such as ``clarity``."""
        _page(offset, limit)
        f = Filters.of(**filters)
        if f.speaker or f.role or f.kind or f.outlet:
            raise UsageError("questions(): filter by asker=, outlet=, answered_by=, org, dates or labels")
        where, params = replace(f, clarity=None, evasion=None).sql()
        where = where.replace("t.transcript_id", "e.transcript_id")
        for column, value in f.labels():  # a question's own label, not its exchange's
            where += f" AND q.{column} = ?"
            params.append(value)
        if asker:
            where += " AND e.asker_person_id = ?"
            params.append(asker)
        if outlet:
            where += " AND e.outlet_id = ?"
            params.append(outlet)
        if answered_by:
            where += (" AND EXISTS (SELECT 1 FROM turns a WHERE a.transcript_id = e.transcript_id"
                      " AND a.exchange_index = e.exchange_index AND a.kind = 'answer' AND a.person_id = ?)")
            params.append(answered_by)
        base = (
            "FROM questions q JOIN exchanges e ON e.transcript_id = q.transcript_id"
            " AND e.exchange_index = q.exchange_index JOIN transcripts d ON d.transcript_id = q.transcript_id"
            f" WHERE {where}"
        )
        total = int(self._one(f"SELECT count(*) {base}", params))
        rows = self._rows(
            "SELECT q.transcript_id, q.exchange_index, q.question_index, d.event_date, d.title,"
            " (SELECT display_name FROM persons WHERE person_id = e.asker_person_id), e.asker_person_id,"
            " (SELECT full_name FROM outlets WHERE outlet_id = e.outlet_id), q.text, e.answered_by_json,"
            " e.answer_turn_indexes_json, q.clarity_label, q.clarity_score, q.evasion_label, q.evasion_score,"
            f" e.question_turn_index {base}"
            " ORDER BY d.event_date DESC, q.transcript_id, q.exchange_index, q.question_index LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        items = []
        for r in rows:
            answers = json.loads(r[10])
            answer_text = "\n\n".join(
                x[0] for x in self._rows(
                    f"SELECT text FROM turns WHERE transcript_id = ? AND turn_index IN ({', '.join('?' * len(answers))})"
                    " ORDER BY turn_index", (r[0], *answers))
            ) if answers else ""
            items.append(QuestionRecord(
                transcript_id=r[0], exchange_index=r[1], question_index=r[2], date=r[3], title=r[4],
                asker=r[5], asker_person_id=r[6], outlet=r[7], text=r[8], answered_by=json.loads(r[9]),
                answer_text=answer_text, clarity=r[11], clarity_score=r[12], evasion=r[13],
                evasion_score=r[14], permalink=f"{r[0]}#t{r[15]}",
            ))
        return Page(items, total, offset, limit)

    def stats(self, *, top: int = 10) -> Stats:
        """Corpus totals and the ``top`` largest groups by organisation, year, speaker, outlet."""
        def count(table: str) -> int:
            return int(self._one(f"SELECT count(*) FROM {table}"))

        def groups(sql: str) -> list[tuple[str, int]]:
            return [(str(k), int(n)) for k, n in self._rows(sql + " ORDER BY n DESC, k LIMIT ?", (top,))]

        return Stats(
            transcripts=count("transcripts"), turns=count("turns"), exchanges=count("exchanges"),
            questions=count("questions"), persons=count("persons"), outlets=count("outlets"),
            embedded_turns=count("turn_embeddings"),
            by_organisation=groups(
                "SELECT coalesce(organisation, '(unknown)') AS k, count(*) AS n FROM transcripts GROUP BY k"),
            by_year=groups(
                "SELECT coalesce(substr(event_date, 1, 4), '(unknown)') AS k, count(*) AS n"
                " FROM transcripts GROUP BY k"),
            by_speaker=groups(
                "SELECT p.display_name AS k, count(*) AS n FROM turns t JOIN persons p"
                " ON p.person_id = t.person_id GROUP BY k"),
            by_outlet=groups(
                "SELECT o.full_name AS k, count(*) AS n FROM exchanges e JOIN outlets o"
                " ON o.outlet_id = e.outlet_id GROUP BY k"),
            by_clarity=groups(
                "SELECT clarity_label AS k, count(*) AS n FROM questions WHERE clarity_label IS NOT NULL GROUP BY k"),
        )
