"""Read queries the web pages need beyond the store's public methods.

They are written against the store's documented schema (``podium/store/schema.py``) with
``?`` placeholders that the store binds for either engine, so no value from a URL is ever
spliced into SQL text. Each returns plain dicts, ready for both a template and the JSON twin.
"""

from __future__ import annotations

from typing import Any, Protocol


class Rows(Protocol):
    """The one store capability these queries use: run bound SQL, get tuples back."""

    def _rows(self, sql: str, params: Any = ...) -> list[tuple[Any, ...]]: ...


def _dicts(store: Rows, sql: str, params: tuple[Any, ...], keys: str) -> list[dict[str, Any]]:
    names = keys.split()
    return [dict(zip(names, row, strict=True)) for row in store._rows(sql, params)]


def _one(store: Rows, sql: str, params: tuple[Any, ...] = ()) -> Any:
    rows = store._rows(sql, params)
    return rows[0][0] if rows else None


def counts(store: Rows) -> dict[str, int]:
    """Corpus totals: transcripts, turns, exchanges, questions, persons and outlets."""
    out = {}
    for table in ("transcripts", "turns", "exchanges", "questions", "persons", "outlets"):
        out[table] = int(_one(store, f"SELECT count(*) FROM {table}") or 0)  # table names are ours
    return out


def organisations(store: Rows) -> list[tuple[str | None, int]]:
    """Organisations with their number of transcripts, largest first (``None``: not known)."""
    rows = store._rows(
        "SELECT organisation, count(*) FROM transcripts GROUP BY organisation ORDER BY count(*) DESC, 1",
        (),
    )
    return [(None if o is None else str(o), int(n)) for o, n in rows]


def per_month(store: Rows) -> list[tuple[str, int]]:
    """Transcripts per calendar month (``YYYY-MM``), with empty months filled in as zero."""
    rows = store._rows(
        "SELECT substr(event_date, 1, 7), count(*) FROM transcripts WHERE event_date IS NOT NULL"
        " AND length(event_date) >= 7 GROUP BY substr(event_date, 1, 7) ORDER BY 1",
        (),
    )
    got = {str(m): int(n) for m, n in rows}
    if not got:
        return []
    first, last = min(got), max(got)
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        key = f"{y:04d}-{m:02d}"
        out.append((key, got.get(key, 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        if len(out) > 1200:  # a century of months: a bad date must not make this loop forever
            break
    return out


def per_year(store: Rows) -> list[tuple[str, int]]:
    """Transcripts per year, for corpora whose months are too many to chart legibly."""
    rows = store._rows(
        "SELECT substr(event_date, 1, 4), count(*) FROM transcripts WHERE event_date IS NOT NULL"
        " GROUP BY substr(event_date, 1, 4) ORDER BY 1",
        (),
    )
    return [(str(y), int(n)) for y, n in rows]


_SUMMARY = (
    "transcript_id, title, event_date, organisation, event_type, principal, turn_count,"
    " exchange_count, question_count"
)
_SUMMARY_KEYS = "transcript_id title date organisation event_type principal turns exchanges questions"


def transcripts(
    store: Rows, *, org: str | None = None, offset: int = 0, limit: int = 20
) -> tuple[list[dict[str, Any]], int]:
    """A page of transcripts, newest first, optionally of one organisation, and the total."""
    where, params = ("WHERE lower(organisation) = ?", (org.lower(),)) if org else ("", ())
    total = int(_one(store, f"SELECT count(*) FROM transcripts {where}", params) or 0)
    items = _dicts(
        store,
        f"SELECT {_SUMMARY} FROM transcripts {where}"
        " ORDER BY coalesce(event_date, '') DESC, transcript_id LIMIT ? OFFSET ?",
        (*params, limit, offset),
        _SUMMARY_KEYS,
    )
    return items, total


def people_of(store: Rows, transcript_id: str) -> dict[str, dict[str, Any]]:
    """participant id → {person_id, outlet_id} for one transcript, to link names to pages."""
    rows = store._rows(
        "SELECT participant_id, person_id, outlet_id FROM participants WHERE transcript_id = ?",
        (transcript_id,),
    )
    return {pid: {"person_id": person, "outlet_id": outlet} for pid, person, outlet in rows}


def person(store: Rows, person_id: str, *, limit: int = 200) -> dict[str, Any] | None:
    """A person: names seen, the questions they asked and the questions they answered."""
    rows = _dicts(
        store,
        "SELECT person_id, display_name, organisation FROM persons WHERE person_id = ?",
        (person_id,),
        "person_id name organisation",
    )
    if not rows:
        return None
    out = rows[0]
    out["aliases"] = [a for (a,) in store._rows(
        "SELECT alias FROM person_aliases WHERE person_id = ? ORDER BY alias", (person_id,)
    )]
    out["roles"] = [r for (r,) in store._rows(
        "SELECT DISTINCT role FROM participants WHERE person_id = ? ORDER BY role", (person_id,)
    )]
    out["asked"] = _dicts(
        store,
        "SELECT e.transcript_id, d.event_date, d.title, e.exchange_index, e.question_turn_index,"
        " coalesce(o.full_name, e.outlet_as_written), e.outlet_id, e.channel, q.question_index, q.text,"
        " q.clarity_label FROM exchanges e JOIN transcripts d ON d.transcript_id = e.transcript_id"
        " JOIN questions q ON q.transcript_id = e.transcript_id AND q.exchange_index = e.exchange_index"
        " LEFT JOIN outlets o ON o.outlet_id = e.outlet_id WHERE e.asker_person_id = ?"
        " ORDER BY coalesce(d.event_date, '') DESC, e.transcript_id, e.exchange_index, q.question_index"
        " LIMIT ?",
        (person_id, limit),
        "transcript_id date title exchange_index turn_index outlet outlet_id channel question_index"
        " text clarity",
    )
    answered = _dicts(
        store,
        "SELECT t.transcript_id, d.event_date, d.title, t.turn_index, t.exchange_index,"
        " substr(t.text, 1, 300) FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id"
        " WHERE t.person_id = ? AND t.kind = 'answer'"
        " ORDER BY coalesce(d.event_date, '') DESC, t.transcript_id, t.turn_index LIMIT ?",
        (person_id, limit),
        "transcript_id date title turn_index exchange_index excerpt",
    )
    for a in answered:  # the topic of an answer is the question it answers
        a["questions"] = [q for (q,) in store._rows(
            "SELECT text FROM questions WHERE transcript_id = ? AND exchange_index = ?"
            " ORDER BY question_index",
            (a["transcript_id"], a["exchange_index"]),
        )] if a["exchange_index"] is not None else []
    out["answered"] = answered
    out["turns"] = int(_one(store, "SELECT count(*) FROM turns WHERE person_id = ?", (person_id,)) or 0)
    return out


def outlet(store: Rows, outlet_id: str, *, limit: int = 200) -> dict[str, Any] | None:
    """An outlet: the forms it is written in, its journalists and every question they asked."""
    rows = _dicts(
        store,
        "SELECT outlet_id, full_name, abbreviation FROM outlets WHERE outlet_id = ?",
        (outlet_id,),
        "outlet_id name abbreviation",
    )
    if not rows:
        return None
    out = rows[0]
    out["aliases"] = [a for (a,) in store._rows(
        "SELECT alias FROM outlet_aliases WHERE outlet_id = ? ORDER BY alias", (outlet_id,)
    )]
    out["journalists"] = _dicts(
        store,
        "SELECT p.person_id, coalesce(s.display_name, p.name), count(DISTINCT p.transcript_id)"
        " FROM participants p LEFT JOIN persons s ON s.person_id = p.person_id WHERE p.outlet_id = ?"
        " GROUP BY p.person_id, coalesce(s.display_name, p.name) ORDER BY 3 DESC, 2",
        (outlet_id,),
        "person_id name transcripts",
    )
    out["questions"] = _dicts(
        store,
        "SELECT e.transcript_id, d.event_date, d.title, e.exchange_index, e.question_turn_index,"
        " e.asker_person_id, coalesce(s.display_name, e.asker_participant_id), q.text, q.clarity_label"
        " FROM exchanges e JOIN transcripts d ON d.transcript_id = e.transcript_id"
        " JOIN questions q ON q.transcript_id = e.transcript_id AND q.exchange_index = e.exchange_index"
        " LEFT JOIN persons s ON s.person_id = e.asker_person_id WHERE e.outlet_id = ?"
        " ORDER BY coalesce(d.event_date, '') DESC, e.transcript_id, e.exchange_index, q.question_index"
        " LIMIT ?",
        (outlet_id, limit),
        "transcript_id date title exchange_index turn_index person_id asker text clarity",
    )
    out["question_total"] = int(_one(
        store,
        "SELECT count(*) FROM questions q JOIN exchanges e ON q.transcript_id = e.transcript_id"
        " AND q.exchange_index = e.exchange_index WHERE e.outlet_id = ?",
        (outlet_id,),
    ) or 0)
    return out


def top_outlets(store: Rows, limit: int = 15) -> list[dict[str, Any]]:
    """Outlets by number of questions asked, for the home page and the outlet index."""
    return _dicts(
        store,
        "SELECT o.outlet_id, o.full_name, count(*) FROM exchanges e JOIN outlets o ON o.outlet_id = e.outlet_id"
        " JOIN questions q ON q.transcript_id = e.transcript_id AND q.exchange_index = e.exchange_index"
        " GROUP BY o.outlet_id, o.full_name ORDER BY 3 DESC, 2 LIMIT ?",
        (limit,),
        "outlet_id name questions",
    )


def top_people(store: Rows, role: str, limit: int = 15) -> list[dict[str, Any]]:
    """People of one role by number of turns, for the home page and the person index."""
    return _dicts(
        store,
        "SELECT p.person_id, p.display_name, count(*) FROM turns t JOIN persons p ON p.person_id = t.person_id"
        " WHERE t.speaker_role = ? GROUP BY p.person_id, p.display_name ORDER BY 3 DESC, 2 LIMIT ?",
        (role, limit),
        "person_id name turns",
    )




MAX_HITS = 10_000


def search(store: Any, q: str, filters: dict[str, str], *, offset: int, limit: int) -> dict[str, Any]:
    """A page of search hits (as dicts), the total number of matches and the facets.

    The store ranks the first ``offset + limit`` hits and this page is sliced from them:
    the store has no offset, and ranking deeper pages costs little next to rendering.
    """
    from podium.errors import UsageError

    if offset + limit > MAX_HITS:
        raise UsageError(f"page: only the first {MAX_HITS:,} hits can be paged through; narrow the search")
    hits = store.search(q, limit=offset + limit, **filters)[offset:]
    raw = facets(store, q, filters)
    return {"hits": [h.to_dict() for h in hits], "total": raw.pop("total"), "facets": _facets(raw)}


def facets(store: Any, q: str, filters: dict[str, str], top: int = 10) -> dict[str, Any]:
    """How all matches split by organisation, principal, year, kind, role, speaker, outlet, clarity.

    One pass over the matching turns, counted in Python: the store's ``facets`` runs one
    full-text match per facet, which made a common word's results page 2-4 times slower.
    Falls back to the store's method for engines without ``_fts_match_sql``.
    """
    from collections import Counter

    from podium.store.filters import Filters
    from podium.store.query import parse_query

    if not hasattr(store, "_fts_match_sql"):
        return {**store.facets(q, **filters).to_dict(), "clarity": []}
    f = Filters.of(**filters)
    where, params = f.sql(listing=store._rare_labels(f))
    join, extra, cond = store._fts_match_sql(parse_query(q))
    rows = store._rows(
        "SELECT d.organisation, substr(d.event_date, 1, 4), t.kind, t.speaker_role, t.person_id, t.outlet_id,"
        " d.principal"
        f" FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id {join}"
        f" WHERE {cond} AND {where}",
        (*extra, *params),
    )
    counts = [Counter(r[i] for r in rows if r[i] is not None) for i in range(7)]
    names = {
        "persons": _names(store, "SELECT person_id, display_name FROM persons", "person_id",
                          [k for k, _ in counts[4].most_common(top)]),
        "outlets": _names(store, "SELECT outlet_id, full_name FROM outlets", "outlet_id",
                          [k for k, _ in counts[5].most_common(top)]),
    }
    return {
        "total": len(rows),
        "organisation": counts[0].most_common(top),
        "principal": counts[6].most_common(top),
        "year": sorted(counts[1].items(), reverse=True)[:top],
        "kind": counts[2].most_common(top),
        "role": counts[3].most_common(top),
        "speaker": [(names["persons"].get(k, k), n) for k, n in counts[4].most_common(top)],
        "outlet": [(names["outlets"].get(k, k), n) for k, n in counts[5].most_common(top)],
        "clarity": clarity_facet(store, q, filters),
    }


def _names(store: Any, select: str, key: str, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return {k: v for k, v in store._rows(f"{select} WHERE {key} IN ({marks})", tuple(ids))}


def clarity_facet(store: Any, q: str, filters: dict[str, str]) -> list[tuple[str, int]]:
    """Matching question turns by the clarity of their answers (empty until clarity is labelled)."""
    if not _one(store, "SELECT count(*) FROM questions WHERE clarity_label IS NOT NULL"):
        return []
    from podium.store.filters import Filters
    from podium.store.query import parse_query

    f = Filters.of(**filters)
    where, params = f.sql(listing=store._rare_labels(f))
    join, extra, cond = store._fts_match_sql(parse_query(q))
    rows = store._rows(
        "SELECT q.clarity_label, count(*) FROM turns t JOIN transcripts d ON d.transcript_id = t.transcript_id"
        f" {join} JOIN questions q ON q.transcript_id = t.transcript_id AND q.exchange_index = t.exchange_index"
        f" WHERE {cond} AND {where} AND t.kind = 'question' AND q.clarity_label IS NOT NULL"
        " GROUP BY q.clarity_label ORDER BY 2 DESC",
        (*extra, *params),
    )
    return [(str(k), int(n)) for k, n in rows]


_FACET_NAMES = {"organisation": "org", "principal": "principal", "year": "year", "kind": "kind", "role": "role",
                "speaker": "speaker", "outlet": "outlet", "clarity": "clarity"}


def _facets(raw: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    """Facet lists keyed by the page's filter names (``organisation`` → ``org``)."""
    return {name: [(str(v), int(n)) for v, n in raw[key]] for key, name in _FACET_NAMES.items() if raw.get(key)}


def filterable() -> set[str]:
    """Filter names the store accepts (``principal`` only once the store's ``Filters`` has it)."""
    from dataclasses import fields

    from podium.store.filters import Filters

    return {f.name for f in fields(Filters)} | {"year"}
