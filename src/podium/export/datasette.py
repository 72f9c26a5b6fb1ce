"""Metadata that makes a Podium SQLite store pleasant in Datasette.

``datasette podium.db -m metadata.json`` then shows every table with a description and its
columns explained, facets that answer the first questions people ask (which organisation,
what kind of turn, in the room or remote, which clarity label), the turns' FTS5 index in
Datasette's own search box, and canned queries whose rows link back to ``podium serve``.

Nothing here touches the store: the metadata is data Datasette reads beside it (Datasette
names a database after its file's stem, so the metadata is keyed by that stem). The JSON
printed is also valid YAML, so ``> metadata.yml`` works as Datasette's docs suggest.

Permalinks are SQL string concatenations over a base URL given by the user (the address
``podium serve`` answers on); it is written into the SQL as a quoted literal, so a quote
in it cannot change the query.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from podium.errors import InputError, UsageError

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
"""Where ``podium serve`` listens by default."""

_NEEDED = ("transcripts", "turns", "turns_fts", "exchanges", "questions", "participants", "outlets", "persons")
_HIDDEN = ("store_info", "schema_migrations", "change_log", "turn_embeddings")

_TABLES: dict[str, dict[str, Any]] = {
    "transcripts": {
        "description": "One row per press conference or briefing; document_json is the full "
        "podium.transcript/1 record, the other tables are its queryable projection.",
        "facets": ["organisation", "event_type", "language", "delivery"],
        "sort_desc": "event_date",
        "label_column": "title",
        "columns": {
            "transcript_id": "Stable id (source slug plus content hash); the page is /transcripts/<id> in podium serve",
            "event_date": "ISO date of the event, empty when the source does not say",
            "organisation": "Who held the event (NATO, White House, ...)",
            "principal": "The main speaker, if any",
            "event_type": "press_conference, briefing, joint_press_conference, doorstep, interview, speech or other",
            "delivery": "as_delivered, check_against_delivery or unknown, as the source says",
            "turn_count": "Turns (uninterrupted contributions by one speaker)",
            "exchange_count": "Question-and-answer exchanges",
            "question_count": "Individual questions (a turn may ask several)",
            "document_json": "The whole transcript as podium.transcript/1 JSON",
        },
    },
    "turns": {
        "description": "One row per turn: who spoke, in what role, and what they said. "
        "The search box searches the text (SQLite FTS5, stemmed). A turn's permalink is "
        "/transcripts/<transcript_id>#t<turn_index> in podium serve.",
        "facets": ["kind", "speaker_role", "section", "channel"],
        "fts_table": "turns_fts",
        "fts_pk": "turn_id",
        "label_column": "speaker_label",
        "columns": {
            "turn_index": "Position in the transcript, from 0; the #t<turn_index> anchor of the permalink",
            "speaker_participant_id": "The speaker in this transcript's participants table",
            "person_id": "The speaker across transcripts (persons table)",
            "speaker_role": "principal, moderator, journalist, official or unknown",
            "outlet_id": "The speaker's outlet (outlets table), for journalists",
            "speaker_label": "The speaker label as printed",
            "kind": "statement, moderation, question, answer, closing or other",
            "section": "opening, qa or closing",
            "channel": "For questions: in_room or remote",
            "exchange_index": "The exchange this turn belongs to, if any",
            "span_start": "Offset of the text in the plain text the reader extracted",
            "start_seconds": "Caption time, for transcripts read from caption files",
        },
    },
    "exchanges": {
        "description": "One row per exchange: the hand-off, the question turn and its answer turns.",
        "facets": ["channel", "outlet_id"],
        "columns": {
            "asker_participant_id": "Who asked, in this transcript's participants table",
            "asker_person_id": "Who asked, across transcripts",
            "outlet_as_written": "The asker's outlet as printed (SDZ)",
            "outlet_id": "The outlet across transcripts (outlets table)",
            "channel": "in_room or remote",
            "moderation_turn_index": "The moderator's hand-off turn",
            "question_turn_index": "The question turn",
            "answer_turn_indexes_json": "The answer turns, as a JSON list",
            "answered_by_json": "Participant ids of who answered, as a JSON list",
        },
    },
    "questions": {
        "description": "One row per individual question inside a question turn, with its "
        "clarity and evasion labels when the store was ingested with --analyze.",
        "facets": ["clarity_label", "evasion_label"],
        "columns": {
            "clarity_label": "clear_reply, ambivalent or clear_non_reply (empty when not analysed)",
            "clarity_score": "Calibrated probability of the clarity label",
            "evasion_label": "explicit, implicit, dodging, deflection, partial, general, declining, "
            "claims_ignorance or clarification",
            "evasion_score": "Calibrated probability of the evasion label",
        },
    },
    "participants": {
        "description": "Everyone who speaks in a transcript, with every label they appeared under.",
        "facets": ["role", "outlet_id"],
        "label_column": "name",
        "columns": {
            "participant_id": "Id within the transcript (turns.speaker_participant_id)",
            "person_id": "The same person across transcripts",
            "outlet_as_written": "For journalists: the outlet as printed",
            "labels_json": "Every raw speaker label seen, as a JSON list",
        },
    },
    "persons": {
        "description": "People across transcripts: one row per person, however their name was printed.",
        "label_column": "display_name",
    },
    "person_aliases": {"description": "Other spellings of a person's name that resolve to them."},
    "outlets": {
        "description": "News outlets across transcripts, with the abbreviation printed where there is one.",
        "label_column": "full_name",
    },
    "outlet_aliases": {"description": "Other spellings of an outlet's name that resolve to it."},
    "source_files": {"description": "Files ingested and the transcript each produced."},
    "turns_fts": {"description": "The FTS5 index over turns.text (search it from the turns table)."},
}


def _sql_str(value: str) -> str:
    """``value`` as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _queries(base_url: str) -> dict[str, dict[str, Any]]:
    """Canned queries; every row that is a turn carries its podium serve permalink."""
    page = f"{_sql_str(base_url + '/transcripts/')} || t.transcript_id"
    asker = (
        "left join participants p on p.transcript_id = e.transcript_id"
        " and p.participant_id = e.asker_participant_id"
        " left join outlets o on o.outlet_id = e.outlet_id"
    )
    return {
        "questions_by_outlet": {
            "title": "Questions by outlet",
            "description": "How many exchanges and individual questions each outlet had, largest "
            "first. Leave organisation empty for all, or give one (NATO, White House, ...).",
            "sql": "select coalesce(o.full_name, e.outlet_as_written, '(no outlet)') as outlet,\n"
            "  count(distinct e.transcript_id || '/' || e.exchange_index) as exchanges,\n"
            "  count(q.question_index) as questions,\n"
            "  count(distinct e.transcript_id) as transcripts\n"
            "from exchanges e\n"
            "join transcripts t on t.transcript_id = e.transcript_id\n"
            "left join outlets o on o.outlet_id = e.outlet_id\n"
            "left join questions q on q.transcript_id = e.transcript_id"
            " and q.exchange_index = e.exchange_index\n"
            "where :organisation = '' or lower(t.organisation) = lower(:organisation)\n"
            "group by 1 order by exchanges desc, questions desc, outlet",
        },
        "clear_non_replies": {
            "title": "Questions that got a clear non-reply",
            "description": "Individual questions whose answer the clarity classifier labelled "
            "clear_non_reply (needs a store ingested with --analyze), newest first.",
            "sql": "select t.event_date, t.organisation, p.name as asker,\n"
            "  coalesce(o.full_name, e.outlet_as_written) as outlet, q.text as question,\n"
            "  q.clarity_score, q.evasion_label, q.evasion_score,\n"
            f"  {page} || '#t' || e.question_turn_index as permalink\n"
            "from questions q\n"
            "join exchanges e on e.transcript_id = q.transcript_id and e.exchange_index = q.exchange_index\n"
            "join transcripts t on t.transcript_id = q.transcript_id\n"
            f"{asker}\n"
            "where q.clarity_label = 'clear_non_reply'\n"
            "order by t.event_date desc, q.transcript_id, q.exchange_index, q.question_index",
        },
        "what_was_asked": {
            "title": "What was X asked?",
            "description": "The questions put to a person (part of their name, any case), newest "
            "first, with who asked, from which outlet, and a link to the answer.",
            "sql": "select t.event_date, t.organisation, p.name as asker,\n"
            "  coalesce(o.full_name, e.outlet_as_written) as outlet,\n"
            "  coalesce(q.text, qt.text) as question, q.clarity_label,\n"
            f"  {page} || '#t' || e.question_turn_index as permalink\n"
            "from exchanges e\n"
            "join transcripts t on t.transcript_id = e.transcript_id\n"
            "join turns qt on qt.transcript_id = e.transcript_id and qt.turn_index = e.question_turn_index\n"
            "left join questions q on q.transcript_id = e.transcript_id and q.exchange_index = e.exchange_index\n"
            f"{asker}\n"
            "where :person != '' and exists (\n"
            "  select 1 from json_each(e.answered_by_json) j\n"
            "  join participants ap on ap.transcript_id = e.transcript_id and ap.participant_id = j.value\n"
            "  where lower(ap.name) like '%' || lower(:person) || '%')\n"
            "order by t.event_date desc, e.transcript_id, e.exchange_index, q.question_index",
        },
        "search_turns": {
            "title": "Search what was said, with permalinks",
            "description": "Full-text search over every turn (words, any order; stemmed), best "
            "matches first, each with a link to the turn in podium serve.",
            "sql": "select t.event_date, t.organisation, u.speaker_label, u.kind,\n"
            "  snippet(turns_fts, 0, '[', ']', ' … ', 20) as snippet,\n"
            f"  {page} || '#t' || u.turn_index as permalink\n"
            "from turns_fts\n"
            "join turns u on u.turn_id = turns_fts.rowid\n"
            "join transcripts t on t.transcript_id = u.transcript_id\n"
            "where turns_fts match escape_fts(:q)\n"
            "order by rank limit 200",
        },
    }


def sqlite_path(db: str) -> Path:
    """The SQLite file behind ``db``; Datasette opens nothing else."""
    if db.startswith(("postgresql://", "postgres://")):
        raise UsageError("Datasette opens SQLite files only; give the path of a SQLite store as --db")
    if db.startswith("sqlite:///"):
        db = db[len("sqlite:///"):]
    elif "://" in db:
        raise UsageError(f"--db {db!r}: give a SQLite file path or sqlite:///PATH")
    return Path(db)


def check_store(path: Path) -> None:
    """Refuse a path that is not a Podium SQLite store, with what to do instead."""
    if not path.is_file():
        raise InputError(f"{path}: no such store; build one with: podium ingest FOLDER --db {path}")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {r[0] for r in con.execute("select name from sqlite_master")}
        finally:
            con.close()
    except sqlite3.DatabaseError:
        raise InputError(f"{path}: not a SQLite database; give a store made by podium ingest") from None
    missing = [t for t in _NEEDED if t not in names]
    if missing:
        raise InputError(f"{path}: not a Podium store (no {missing[0]} table); build one with podium ingest")


def metadata(db: str, base_url: str = DEFAULT_BASE_URL) -> dict[str, Any]:
    """Datasette metadata for the store at ``db``, with permalinks to ``base_url``.

    ``db`` must be an existing Podium SQLite store; ``base_url`` an http(s) URL where
    ``podium serve`` answers for this store.
    """
    if not re.match(r'https?://[^\s"<>]+$', base_url):
        raise UsageError(f"--base-url {base_url!r}: give an http:// or https:// URL, e.g. {DEFAULT_BASE_URL}")
    base = base_url.rstrip("/")
    path = sqlite_path(db)
    check_store(path)
    tables: dict[str, dict[str, Any]] = {name: dict(spec) for name, spec in _TABLES.items()}
    for name in _HIDDEN:
        tables[name] = {"hidden": True}
    return {
        "title": "Podium: press conferences and briefings",
        "description": "Transcripts parsed by Podium into turns, exchanges and individual "
        f"questions. Read any transcript at {base}/transcripts/<transcript_id> (podium serve).",
        "source": "Podium",
        "about": "podium serve",
        "about_url": base + "/",
        "databases": {
            path.stem: {
                "description": "A Podium store (docs/store.md): transcripts → turns, exchanges → questions.",
                "tables": tables,
                "queries": _queries(base),
            }
        },
    }
