"""The store's SQL schema, versioned, with migrations for SQLite and PostgreSQL.

Tables and columns are named to explain themselves to someone opening ``podium.db`` in the
``sqlite3`` shell (see ``docs/store.md``). ``transcripts.document_json`` keeps the full
``podium.transcript/1`` document: it is the lossless record that ``get`` returns, while the
other tables are its queryable projection, written in the same transaction.

A migration is a version number, a description and statements per dialect; ``migrate``
applies the missing ones in order, each in its own transaction, and records it in
``schema_migrations``. Add a migration by appending to ``MIGRATIONS``; never edit a shipped one.

Version 2 adds ``change_log``: one row per write and per transcript whose turns it added,
replaced or deleted, so the tantivy index beside a SQLite store can apply just those
transcripts instead of rebuilding (``tantivy_index.py``). It also gives the store a random
``store_id`` in ``store_info``, so an index left beside a deleted and recreated file is not
mistaken for this store's.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 6

# {id} is an integer key type, {blob} a byte string, {real} a float: the only dialect gaps.
_TABLES = """
CREATE TABLE store_info (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE transcripts (
  transcript_id TEXT PRIMARY KEY,
  source_sha256 TEXT NOT NULL,
  source_path TEXT,
  source_url TEXT,
  source_format TEXT,
  title TEXT,
  event_type TEXT,
  organisation TEXT,
  principal TEXT,
  event_date TEXT,
  last_updated TEXT,
  location TEXT,
  delivery TEXT,
  language TEXT,
  turn_count INTEGER NOT NULL,
  exchange_count INTEGER NOT NULL,
  question_count INTEGER NOT NULL,
  document_json TEXT NOT NULL
);
CREATE INDEX transcripts_by_date ON transcripts (event_date);
CREATE INDEX transcripts_by_organisation ON transcripts (organisation, event_date);
CREATE TABLE source_files (
  path TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  transcript_id TEXT NOT NULL REFERENCES transcripts (transcript_id) ON DELETE CASCADE
);
CREATE INDEX source_files_by_sha256 ON source_files (sha256);
CREATE TABLE persons (
  person_id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  given_name_key TEXT,
  surname_key TEXT NOT NULL,
  organisation TEXT
);
CREATE INDEX persons_by_surname ON persons (surname_key);
CREATE TABLE person_aliases (
  person_id TEXT NOT NULL REFERENCES persons (person_id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  alias_key TEXT NOT NULL,
  PRIMARY KEY (person_id, alias)
);
CREATE INDEX person_aliases_by_key ON person_aliases (alias_key);
CREATE TABLE outlets (
  outlet_id TEXT PRIMARY KEY,
  full_name TEXT NOT NULL,
  abbreviation TEXT
);
CREATE TABLE outlet_aliases (
  alias_key TEXT PRIMARY KEY,
  alias TEXT NOT NULL,
  outlet_id TEXT NOT NULL REFERENCES outlets (outlet_id) ON DELETE CASCADE
);
CREATE TABLE participants (
  transcript_id TEXT NOT NULL REFERENCES transcripts (transcript_id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL,
  person_id TEXT REFERENCES persons (person_id),
  name TEXT,
  role TEXT NOT NULL,
  title TEXT,
  organisation TEXT,
  outlet_as_written TEXT,
  outlet_id TEXT REFERENCES outlets (outlet_id),
  labels_json TEXT NOT NULL,
  PRIMARY KEY (transcript_id, participant_id)
);
CREATE INDEX participants_by_person ON participants (person_id);
CREATE INDEX participants_by_outlet ON participants (outlet_id);
CREATE TABLE turns (
  turn_id {id} PRIMARY KEY,
  transcript_id TEXT NOT NULL REFERENCES transcripts (transcript_id) ON DELETE CASCADE,
  turn_index INTEGER NOT NULL,
  speaker_participant_id TEXT,
  person_id TEXT,
  speaker_role TEXT,
  outlet_id TEXT,
  speaker_label TEXT,
  kind TEXT NOT NULL,
  section TEXT NOT NULL,
  channel TEXT,
  exchange_index INTEGER,
  text TEXT NOT NULL,
  span_start INTEGER NOT NULL,
  span_end INTEGER NOT NULL,
  start_seconds {real},
  end_seconds {real},
  UNIQUE (transcript_id, turn_index)
);
CREATE INDEX turns_by_person ON turns (person_id);
CREATE TABLE exchanges (
  transcript_id TEXT NOT NULL REFERENCES transcripts (transcript_id) ON DELETE CASCADE,
  exchange_index INTEGER NOT NULL,
  asker_participant_id TEXT,
  asker_person_id TEXT,
  outlet_as_written TEXT,
  outlet_id TEXT,
  channel TEXT,
  moderation_turn_index INTEGER,
  question_turn_index INTEGER NOT NULL,
  answer_turn_indexes_json TEXT NOT NULL,
  answered_by_json TEXT NOT NULL,
  PRIMARY KEY (transcript_id, exchange_index)
);
CREATE INDEX exchanges_by_asker ON exchanges (asker_person_id);
CREATE INDEX exchanges_by_outlet ON exchanges (outlet_id);
CREATE TABLE questions (
  transcript_id TEXT NOT NULL REFERENCES transcripts (transcript_id) ON DELETE CASCADE,
  exchange_index INTEGER NOT NULL,
  question_index INTEGER NOT NULL,
  text TEXT NOT NULL,
  span_start INTEGER NOT NULL,
  span_end INTEGER NOT NULL,
  clarity_label TEXT,
  clarity_score {real},
  evasion_label TEXT,
  evasion_score {real},
  PRIMARY KEY (transcript_id, exchange_index, question_index)
);
CREATE INDEX questions_by_clarity ON questions (clarity_label);
CREATE TABLE turn_embeddings (
  turn_id {id} PRIMARY KEY REFERENCES turns (turn_id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  vector {blob} NOT NULL
);
"""

_SQLITE_FTS = """
CREATE VIRTUAL TABLE turns_fts USING fts5(
  text, content='turns', content_rowid='turn_id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER turns_fts_insert AFTER INSERT ON turns BEGIN
  INSERT INTO turns_fts (rowid, text) VALUES (new.turn_id, new.text);
END;
CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns BEGIN
  INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.turn_id, old.text);
END;
CREATE TRIGGER turns_fts_update AFTER UPDATE OF text ON turns BEGIN
  INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.turn_id, old.text);
  INSERT INTO turns_fts (rowid, text) VALUES (new.turn_id, new.text);
END;
"""

_POSTGRES_FTS = """
ALTER TABLE turns ADD COLUMN text_search tsvector
  GENERATED ALWAYS AS (to_tsvector('english', text)) STORED;
CREATE INDEX turns_text_search ON turns USING GIN (text_search);
"""

# Filters compare lower(...): without these, an --org filter scans every turn (1.1 s at 10^6
# turns, measured) instead of starting from the organisation's transcripts (2 ms).
_FILTER_INDEXES = """
CREATE INDEX transcripts_by_organisation_folded ON transcripts (lower(organisation));
CREATE INDEX transcripts_by_principal_folded ON transcripts (lower(principal));
"""

# transcript_id is NULL for a write that changed no transcript's turns (embeddings, a copy of a
# file recorded as a source): the row still says "this generation is accounted for".
_CHANGE_LOG = """
CREATE TABLE change_log (
  generation INTEGER NOT NULL,
  transcript_id TEXT
);
CREATE INDEX change_log_by_generation ON change_log (generation);
"""

# The --clarity/--evasion filters start from the labelled questions and reach their turns by
# exchange, instead of probing the questions of every turn (at 10^5 turns 17 ms instead of 58 ms
# to list a label's turns); questions_by_clarity exists since version 1.
_LABEL_INDEXES = """
CREATE INDEX questions_by_evasion ON questions (evasion_label);
CREATE INDEX turns_by_exchange ON turns (transcript_id, exchange_index);
"""

# Question threads (``podium.analyze.threads``): a vector per individual question (its text
# plus a little of the question turn before it), the thread each question belongs to, and
# saved searches with the matches already reported. Threads are derived data a rebuild can
# recompute; watches are the user's own and survive re-ingests.
_THREADS = """
CREATE TABLE question_embeddings (
  transcript_id TEXT NOT NULL REFERENCES transcripts (transcript_id) ON DELETE CASCADE,
  exchange_index INTEGER NOT NULL,
  question_index INTEGER NOT NULL,
  model TEXT NOT NULL,
  vector {blob} NOT NULL,
  content_words INTEGER,
  PRIMARY KEY (transcript_id, exchange_index, question_index)
);
CREATE TABLE thread_members (
  transcript_id TEXT NOT NULL REFERENCES transcripts (transcript_id) ON DELETE CASCADE,
  exchange_index INTEGER NOT NULL,
  question_index INTEGER NOT NULL,
  thread_id INTEGER NOT NULL,
  linked_to TEXT,
  similarity {real},
  PRIMARY KEY (transcript_id, exchange_index, question_index)
);
CREATE INDEX thread_members_by_thread ON thread_members (thread_id);
CREATE TABLE watches (
  watch_id INTEGER PRIMARY KEY,
  query TEXT NOT NULL,
  filters_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_run_at TEXT
);
CREATE TABLE watch_matches (
  watch_id INTEGER NOT NULL REFERENCES watches (watch_id) ON DELETE CASCADE,
  match_key TEXT NOT NULL,
  transcript_id TEXT NOT NULL,
  turn_index INTEGER NOT NULL,
  found_at TEXT NOT NULL,
  PRIMARY KEY (watch_id, match_key)
);
CREATE INDEX watch_matches_by_time ON watch_matches (watch_id, found_at);
"""

_SQLITE_STORE_ID = "INSERT INTO store_info (key, value) VALUES ('store_id', lower(hex(randomblob(16))))"
_POSTGRES_STORE_ID = (
    "INSERT INTO store_info (key, value) VALUES ('store_id', md5(random()::text || clock_timestamp()::text))"
)


# Ingest asks "are these bytes stored already?" twice a file; without an index that is a scan of
# every transcript (document JSON included), the largest per-file cost of an ingest into a big store.
_SHA_INDEX = """
CREATE INDEX transcripts_by_sha256 ON transcripts (source_sha256);
"""


@dataclass(frozen=True)
class Migration:
    """One schema step: ``sqlite`` and ``postgresql`` hold its statements."""

    version: int
    description: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]


def _split(script: str) -> tuple[str, ...]:
    """Statements of a script; trigger bodies (BEGIN … END;) stay whole."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text.endswith(";") and (" BEGIN" not in text or text.endswith("END;")):
            out.append(text.rstrip(";"))
            buf = []
    return tuple(out)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "transcripts, participants, persons, outlets, turns, exchanges, questions, full text",
        _split(_TABLES.format(id="INTEGER", blob="BLOB", real="REAL") + _SQLITE_FTS),
        _split(_TABLES.format(id="BIGINT", blob="BYTEA", real="DOUBLE PRECISION") + _POSTGRES_FTS),
    ),
    Migration(
        2,
        "indexes for the organisation and principal filters (case-insensitive)",
        _split(_FILTER_INDEXES),
        _split(_FILTER_INDEXES),
    ),
    Migration(
        3,
        "change_log: transcripts changed by each write, so the full-text index updates incrementally",
        (*_split(_CHANGE_LOG), _SQLITE_STORE_ID),
        (*_split(_CHANGE_LOG), _POSTGRES_STORE_ID),
    ),
    Migration(
        4,
        "indexes for the clarity and evasion filters",
        _split(_LABEL_INDEXES),
        _split(_LABEL_INDEXES),
    ),
    Migration(
        5,
        "question embeddings, question threads, saved searches (watches) and their reported matches",
        _split(_THREADS.format(blob="BLOB", real="REAL")),
        _split(_THREADS.format(blob="BYTEA", real="DOUBLE PRECISION")),
    ),
    Migration(
        6,
        "index on transcripts.source_sha256 (every ingested file looks its bytes up: a scan at 10^5 transcripts)",
        _split(_SHA_INDEX),
        _split(_SHA_INDEX),
    ),
)

MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
)
