"""Read methods behind the reading room's pages: overviews, indexes, a person's answers.

They complete ``reading.py`` (lists and lookups) so that every question the web interface
asks is a public, typed store method: the web only renders what these return, and the CLI
and ``Corpus`` can ask the same questions. Every list is paged with its total.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podium.store.filters import Filters
from podium.store.reading import _page
from podium.store.results import (
    AnswerRecord,
    Count,
    JournalistCount,
    NamedCount,
    Page,
    ParticipantLink,
    Timeline,
    Totals,
)


class BrowseMixin:
    """Overview and index queries shared by every store dialect."""

    if TYPE_CHECKING:

        def _rows(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
            raise NotImplementedError

        def _one(self, sql: str, params: Any = ()) -> Any:
            raise NotImplementedError

    def totals(self) -> Totals:
        """Counts of transcripts, turns, exchanges, questions, persons and outlets."""
        return Totals(*(int(self._one(f"SELECT count(*) FROM {table}") or 0) for table in (
            "transcripts", "turns", "exchanges", "questions", "persons", "outlets")))

    def organisations(self) -> list[Count]:
        """Organisations with their number of transcripts, largest first (``None``: not known)."""
        rows = self._rows(
            "SELECT organisation, count(*) FROM transcripts GROUP BY organisation ORDER BY count(*) DESC, 1"
        )
        return [Count(None if o is None else str(o), int(n)) for o, n in rows]

    def timeline(self, *, max_months: int = 240) -> Timeline:
        """Transcripts per month (per year when that would be more than ``max_months`` bars).

        Every period between the first and the last is present, empty ones as zero, so a chart
        drawn from it shows gaps as gaps; ``dated`` and ``total`` say what share it covers.
        """
        rows = self._rows(
            "SELECT substr(event_date, 1, 7), count(*) FROM transcripts WHERE event_date IS NOT NULL"
            " AND length(event_date) >= 7 GROUP BY substr(event_date, 1, 7) ORDER BY 1"
        )
        months = {str(m): int(n) for m, n in rows if str(m)[:4].isdigit() and str(m)[5:7].isdigit()}
        total = int(self._one("SELECT count(*) FROM transcripts") or 0)
        dated = sum(months.values())
        if not months:
            return Timeline("year", [], dated, total)
        first, last = min(months), max(months)
        y0, y1 = int(first[:4]), int(last[:4])
        span = (y1 - y0) * 12 + int(last[5:7]) - int(first[5:7]) + 1
        if span <= max_months:
            points, (y, m) = [], (y0, int(first[5:7]))
            for _ in range(span):
                key = f"{y:04d}-{m:02d}"
                points.append(Count(key, months.get(key, 0)))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            return Timeline("month", points, dated, total)
        years: dict[str, int] = {}
        for key, n in months.items():
            years[key[:4]] = years.get(key[:4], 0) + n
        return Timeline("year", [Count(str(y), years.get(str(y), 0)) for y in range(y0, y1 + 1)], dated, total)

    def top_people(self, role: str, limit: int = 15) -> list[NamedCount]:
        """People by number of turns spoken in ``role``."""
        Filters.of(role=role)
        rows = self._rows(
            "SELECT p.person_id, p.display_name, count(*) FROM turns t JOIN persons p ON p.person_id = t.person_id"
            " WHERE t.speaker_role = ? GROUP BY p.person_id, p.display_name ORDER BY 3 DESC, 2 LIMIT ?",
            (role, limit),
        )
        return [NamedCount(str(i), str(n), int(c)) for i, n, c in rows]

    def top_outlets(self, limit: int = 15) -> tuple[list[NamedCount], int, int]:
        """Outlets by questions asked, with the questions whose outlet is known and all questions.

        The last two say what share of the questions a chart of this list speaks for.
        """
        rows = self._rows(
            "SELECT o.outlet_id, o.full_name, count(*) FROM exchanges e JOIN outlets o ON o.outlet_id = e.outlet_id"
            " JOIN questions q ON q.transcript_id = e.transcript_id AND q.exchange_index = e.exchange_index"
            " GROUP BY o.outlet_id, o.full_name ORDER BY 3 DESC, 2 LIMIT ?",
            (limit,),
        )
        known = int(self._one(
            "SELECT count(*) FROM questions q JOIN exchanges e ON q.transcript_id = e.transcript_id"
            " AND q.exchange_index = e.exchange_index WHERE e.outlet_id IS NOT NULL") or 0)
        total = int(self._one("SELECT count(*) FROM questions") or 0)
        return [NamedCount(str(i), str(n), int(c)) for i, n, c in rows], known, total

    def participant_links(self, transcript_id: str) -> dict[str, ParticipantLink]:
        """participant id → the person and outlet it was resolved to, to link names to pages."""
        rows = self._rows(
            "SELECT participant_id, person_id, outlet_id FROM participants WHERE transcript_id = ?",
            (transcript_id,),
        )
        return {pid: ParticipantLink(person, outlet) for pid, person, outlet in rows}

    def answers(self, person_id: str, *, offset: int = 0, limit: int = 50) -> Page[AnswerRecord]:
        """The answer turns a person gave, newest first, each with the questions it answers."""
        _page(offset, limit)
        total = int(self._one(
            "SELECT count(*) FROM turns WHERE person_id = ? AND kind = 'answer'", (person_id,)) or 0)
        rows = self._rows(
            "SELECT t.transcript_id, d.event_date, d.title, t.turn_index, t.exchange_index,"
            " substr(t.text, 1, 300), length(t.text) FROM turns t JOIN transcripts d"
            " ON d.transcript_id = t.transcript_id WHERE t.person_id = ? AND t.kind = 'answer'"
            " ORDER BY coalesce(d.event_date, '') DESC, t.transcript_id, t.turn_index LIMIT ? OFFSET ?",
            (person_id, limit, offset),
        )
        items = []
        for tid, date, title, turn, ex, excerpt, length in rows:
            questions = [q for (q,) in self._rows(
                "SELECT text FROM questions WHERE transcript_id = ? AND exchange_index = ? ORDER BY question_index",
                (tid, ex),
            )] if ex is not None else []
            items.append(AnswerRecord(tid, date, title, int(turn), ex, excerpt, int(length) > 300,
                                      questions, f"{tid}#t{turn}"))
        return Page(items, total, offset, limit)

    def outlet_journalists(self, outlet_id: str) -> list[JournalistCount]:
        """The people who asked for an outlet, by number of transcripts they appear in."""
        rows = self._rows(
            "SELECT p.person_id, coalesce(s.display_name, p.name), count(DISTINCT p.transcript_id)"
            " FROM participants p LEFT JOIN persons s ON s.person_id = p.person_id WHERE p.outlet_id = ?"
            " GROUP BY p.person_id, coalesce(s.display_name, p.name) ORDER BY 3 DESC, 2",
            (outlet_id,),
        )
        return [JournalistCount(pid, name, int(n)) for pid, name, n in rows]
