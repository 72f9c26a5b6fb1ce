"""The store's core: schema set-up, writing a transcript in one transaction, reading it back.

``SQLStore`` holds everything SQLite and PostgreSQL share (queries are written once with
``?`` placeholders); ``sqlite.py`` and ``postgres.py`` add connections, transactions and the
full-text engine. Reads for pages live in ``reading.py``, search in ``searching.py``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any

from podium import names
from podium.errors import UsageError
from podium.model import Participant, Transcript
from podium.store.schema import MIGRATIONS, MIGRATIONS_TABLE, SCHEMA_VERSION


@cache
def _style_outlets() -> frozenset[str]:
    """Every outlet name and abbreviation the built-in house styles know ("AFP", "CCTV")."""
    from podium.parse import style

    return frozenset(
        name for s in style.names() for pair in style.get(s).outlets.items() for name in pair
    )


def _outlet_names(tr: Transcript) -> frozenset[str]:
    """Outlets a participant's name must not be: the styles' and those this transcript names.

    Outlets seen in other transcripts are left out on purpose: outlet detection sometimes
    takes a person's name ("Yelena Glushakova") for an outlet, and what a name resolves to
    must not depend on the order files were ingested in.
    """
    own = {o for p in tr.participants for o in (p.outlet, p.outlet_name) if o}
    own |= {e.outlet for e in tr.exchanges if e.outlet}
    return _style_outlets() | own


class SQLStore:
    """Store of record for transcripts; subclasses supply the connection and dialect."""

    dialect = "sql"
    url: str
    logs_changes = False
    """Whether writes fill ``change_log``: only where an index follows and prunes it (SQLite's
    tantivy index); elsewhere the table would only grow."""

    # -- connection plumbing (overridden per dialect) -------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield  # pragma: no cover

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._execute(sql, params).fetchall())

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows one at a time without holding the whole result (index rebuilds over every turn)."""
        yield from self._execute(sql, params)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._execute(sql, params).fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        """Close the connection (the store cannot be used afterwards)."""
        raise NotImplementedError

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------

    def _migrate(self) -> None:
        """Apply missing migrations; refuse a store written by a newer Podium."""
        with self._transaction():
            self._execute(MIGRATIONS_TABLE)
        current = self._one("SELECT max(version) FROM schema_migrations") or 0
        if current > SCHEMA_VERSION:
            raise UsageError(
                f"{self.url}: store schema version {current} is newer than this Podium "
                f"understands ({SCHEMA_VERSION}); upgrade podium"
            )
        for m in MIGRATIONS:
            if m.version <= current:
                continue
            with self._transaction():
                for stmt in getattr(m, self.dialect):
                    self._execute(stmt)
                self._execute(
                    "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                    (m.version, m.description, datetime.now(UTC).isoformat(timespec="seconds")),
                )
                self._execute(
                    "INSERT INTO store_info (key, value) VALUES ('generation', '0') ON CONFLICT (key) DO NOTHING"
                )

    def schema_version(self) -> int:
        """The schema version the store is at."""
        return int(self._one("SELECT max(version) FROM schema_migrations") or 0)

    def generation(self) -> int:
        """A counter bumped by every write: derived indexes compare it to know they are stale."""
        return int(self._one("SELECT value FROM store_info WHERE key = 'generation'") or 0)

    def store_id(self) -> str:
        """A random id given to the store when it was created (or migrated to version 3), so
        derived data on disk can tell this store from an earlier file at the same path."""
        return str(self._one("SELECT value FROM store_info WHERE key = 'store_id'") or "")

    def _bump(self, changed: Collection[str] | None = None) -> None:
        """Bump the generation inside the caller's transaction and log what the write changed.

        ``changed`` names the transcripts whose turns were added, replaced or deleted; an empty
        collection says the write changed none. ``None`` (a write that cannot say) logs nothing,
        which leaves a gap in ``change_log`` and makes the tantivy index rebuild in full. Stores
        without ``logs_changes`` never log.
        """
        self._execute(
            "UPDATE store_info SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'"
        )
        if changed is None or not self.logs_changes:
            return
        rows: list[tuple[str | None]] = [(tid,) for tid in sorted(changed)] or [(None,)]
        self._executemany(
            "INSERT INTO change_log (generation, transcript_id)"
            " SELECT CAST(value AS INTEGER), ? FROM store_info WHERE key = 'generation'",
            rows,
        )

    def changed_since(self, after: int, upto: int) -> set[str] | None:
        """Transcripts whose turns changed in the writes after generation ``after`` up to ``upto``.

        ``None`` when ``change_log`` does not account for every one of those writes (rows pruned,
        a write that logged nothing, or ``upto`` behind ``after``): the caller must start afresh.
        """
        if upto < after:
            return None
        logged = self._one(
            "SELECT count(DISTINCT generation) FROM change_log WHERE generation > ? AND generation <= ?",
            (after, upto),
        )
        if int(logged or 0) != upto - after:
            return None
        return {r[0] for r in self._rows(
            "SELECT DISTINCT transcript_id FROM change_log"
            " WHERE generation > ? AND generation <= ? AND transcript_id IS NOT NULL",
            (after, upto),
        )}

    def prune_changes(self, upto: int) -> None:
        """Forget ``change_log`` rows at or below ``upto``, once the index has applied them.

        Not a write of data: the generation stays, so nothing derived becomes stale.
        """
        with self._transaction():
            self._execute("DELETE FROM change_log WHERE generation <= ?", (upto,))

    def vector_generation(self) -> int:
        """A counter bumped whenever embeddings are added or removed (the vector index's stamp)."""
        return int(self._one("SELECT value FROM store_info WHERE key = 'vector_generation'") or 0)

    def _bump_vectors(self) -> None:
        self._execute(
            "INSERT INTO store_info (key, value) VALUES ('vector_generation', '1') ON CONFLICT (key)"
            " DO UPDATE SET value = CAST(CAST(store_info.value AS INTEGER) + 1 AS TEXT)"
        )

    # -- idempotency ------------------------------------------------------------------------

    def source_state(self, path: str) -> str | None:
        """The sha256 stored for the file at ``path``, or ``None`` if it was never ingested."""
        sha: str | None = self._one("SELECT sha256 FROM source_files WHERE path = ?", (path,))
        return sha

    def transcript_for_sha(self, sha256: str) -> str | None:
        """The id of a stored transcript parsed from bytes with this hash, if any."""
        tid: str | None = self._one("SELECT transcript_id FROM transcripts WHERE source_sha256 = ?", (sha256,))
        return tid

    def record_source(self, path: str, sha256: str, transcript_id: str) -> None:
        """Remember that ``path`` (with these bytes) is stored as ``transcript_id``."""
        with self._transaction():
            self._bump(self._upsert_source(path, sha256, transcript_id))

    def _upsert_source(self, path: str, sha256: str, transcript_id: str) -> set[str]:
        """Point ``path`` at ``transcript_id``; returns the transcripts this deleted."""
        old = self._rows("SELECT transcript_id FROM source_files WHERE path = ?", (path,))
        self._execute("DELETE FROM source_files WHERE path = ?", (path,))
        self._execute(
            "INSERT INTO source_files (path, sha256, transcript_id) VALUES (?, ?, ?)",
            (path, sha256, transcript_id),
        )
        deleted: set[str] = set()
        for (tid,) in old:  # a changed file replaces its old version
            if tid != transcript_id and not self._one(
                "SELECT count(*) FROM source_files WHERE transcript_id = ?", (tid,)
            ):
                self._delete(tid)
                deleted.add(tid)
        return deleted

    # -- writing ------------------------------------------------------------------------------

    def add(
        self,
        transcript: Transcript,
        *,
        source_bytes_sha: str | None = None,
        source_path: str | None = None,
        vectors: dict[int, bytes] | None = None,
        model: str | None = None,
    ) -> str:
        """Store ``transcript`` in one transaction, replacing one with the same id.

        ``source_bytes_sha`` (default ``transcript.source.sha256``) and ``source_path``
        record where it came from, so a re-ingest skips it; ``vectors`` maps turn index to
        a float32 embedding (as bytes) made by ``model``. Returns the transcript id.
        """
        sha = source_bytes_sha or transcript.source.sha256
        changed = {transcript.id}
        with self._transaction():
            self._delete(transcript.id)
            self._insert(transcript, sha)
            if vectors:
                self._insert_vectors(transcript.id, vectors, model or "unknown")
            if source_path is not None:
                changed |= self._upsert_source(source_path, sha, transcript.id)
            self._bump(changed)
        return transcript.id

    def delete(self, transcript_id: str) -> bool:
        """Remove a transcript and everything derived from it; False if it was absent."""
        with self._transaction():
            found = self._delete(transcript_id)
            if found:
                self._bump({transcript_id})
        return found

    def _delete(self, tid: str) -> bool:
        if not self._one("SELECT count(*) FROM transcripts WHERE transcript_id = ?", (tid,)):
            return False
        # Children first, explicitly: SQLite enforces ON DELETE only with foreign_keys on.
        gone = self._execute(
            "DELETE FROM turn_embeddings WHERE turn_id IN (SELECT turn_id FROM turns WHERE transcript_id = ?)",
            (tid,),
        )
        if gone.rowcount:
            self._bump_vectors()
        persons = [r[0] for r in self._rows(
            "SELECT DISTINCT person_id FROM participants WHERE transcript_id = ? AND person_id IS NOT NULL", (tid,))]
        for table in ("questions", "exchanges", "turns", "participants", "source_files"):
            self._execute(f"DELETE FROM {table} WHERE transcript_id = ?", (tid,))
        self._execute("DELETE FROM transcripts WHERE transcript_id = ?", (tid,))
        # Persons only this transcript named go with it: a renamed journalist must not stay
        # behind as a person with no turns (the store must equal a fresh ingest).
        for pid in persons:
            if not self._one("SELECT count(*) FROM participants WHERE person_id = ?", (pid,)):
                self._execute("DELETE FROM person_aliases WHERE person_id = ?", (pid,))
                self._execute("DELETE FROM persons WHERE person_id = ?", (pid,))
        return True

    def _insert(self, tr: Transcript, sha: str) -> None:
        m = tr.metadata
        questions = sum(len(e.questions) for e in tr.exchanges)
        self._execute(
            "INSERT INTO transcripts (transcript_id, source_sha256, source_path, source_url,"
            " source_format, title, event_type, organisation, principal, event_date, last_updated,"
            " location, delivery, language, turn_count, exchange_count, question_count, document_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                tr.id, sha, tr.source.path, tr.source.url, tr.source.format, m.title,
                m.event_type, m.organisation, m.principal, m.date, m.last_updated, m.location,
                m.delivery, m.language, len(tr.turns), len(tr.exchanges), questions,
                json.dumps(tr.to_json_dict(), ensure_ascii=False, separators=(",", ":")),
            ),
        )
        people: dict[str, tuple[str | None, str | None, str]] = {}
        outlets = _outlet_names(tr)
        rows_p = []  # inserted together: one round trip to a server store, not one per row
        for p in tr.participants:
            person = self._resolve_person(p, m.organisation, outlets)
            outlet = self._resolve_outlet(p.outlet, p.outlet_name)
            people[p.id] = (person, outlet, p.role)
            rows_p.append((tr.id, p.id, person, p.name, p.role, p.title, p.organisation, p.outlet, outlet,
                           json.dumps(p.labels, ensure_ascii=False)))
        self._executemany(
            "INSERT INTO participants (transcript_id, participant_id, person_id, name, role, title,"
            " organisation, outlet_as_written, outlet_id, labels_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows_p,
        )
        exchange_of: dict[int, int] = {}
        for e in tr.exchanges:
            for i in (e.moderation_turn, e.question_turn, *e.answer_turns):
                if i is not None:
                    exchange_of.setdefault(i, e.index)
        first = int(self._one("SELECT coalesce(max(turn_id), 0) FROM turns")) + 1
        rows = []
        for n, t in enumerate(tr.turns):
            person, outlet, role = people.get(t.speaker or "", (None, None, None))
            rows.append((
                first + n, tr.id, t.index, t.speaker, person, role, outlet, t.label, t.kind,
                t.section, t.channel, exchange_of.get(t.index), t.text, t.span[0], t.span[1],
                t.start, t.end,
            ))
        self._executemany(
            "INSERT INTO turns (turn_id, transcript_id, turn_index, speaker_participant_id, person_id,"
            " speaker_role, outlet_id, speaker_label, kind, section, channel, exchange_index, text,"
            " span_start, span_end, start_seconds, end_seconds)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        rows_e, rows_q = [], []
        for e in tr.exchanges:
            asker = people.get(e.asker or "", (None, None, None))
            outlet_id = asker[1] or self._resolve_outlet(e.outlet, None)
            rows_e.append((tr.id, e.index, e.asker, asker[0], e.outlet, outlet_id, e.channel, e.moderation_turn,
                           e.question_turn, json.dumps(e.answer_turns), json.dumps(e.answered_by)))
            rows_q += [
                (tr.id, e.index, q.index, q.text, q.span[0], q.span[1],
                 q.clarity.label if q.clarity else None, q.clarity.score if q.clarity else None,
                 q.evasion.label if q.evasion else None, q.evasion.score if q.evasion else None)
                for q in e.questions
            ]
        self._executemany(
            "INSERT INTO exchanges (transcript_id, exchange_index, asker_participant_id, asker_person_id,"
            " outlet_as_written, outlet_id, channel, moderation_turn_index, question_turn_index,"
            " answer_turn_indexes_json, answered_by_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows_e,
        )
        self._executemany(
            "INSERT INTO questions (transcript_id, exchange_index, question_index, text, span_start,"
            " span_end, clarity_label, clarity_score, evasion_label, evasion_score)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows_q,
        )

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        for row in rows:
            self._execute(sql, row)

    def _insert_vectors(self, tid: str, vectors: dict[int, bytes], model: str) -> None:
        ids = dict(self._rows("SELECT turn_index, turn_id FROM turns WHERE transcript_id = ?", (tid,)))
        self._executemany(
            "INSERT INTO turn_embeddings (turn_id, model, vector) VALUES (?, ?, ?)",
            [(ids[i], model, blob) for i, blob in vectors.items() if i in ids],
        )
        self._bump_vectors()

    def add_vectors(self, vectors: dict[int, bytes], model: str) -> None:
        """Store embeddings by ``turn_id`` (replacing old ones), in one transaction."""
        with self._transaction():
            for turn_id, blob in vectors.items():
                self._execute("DELETE FROM turn_embeddings WHERE turn_id = ?", (turn_id,))
                self._execute(
                    "INSERT INTO turn_embeddings (turn_id, model, vector) VALUES (?, ?, ?)",
                    (turn_id, model, blob),
                )
            self._bump_vectors()
            self._bump(changed=())  # vectors are not in the full-text index

    def turns_without_vectors(self, limit: int = 10_000) -> list[tuple[int, str]]:
        """``(turn_id, text)`` of turns that have no embedding yet, oldest first."""
        return self._rows(
            "SELECT t.turn_id, t.text FROM turns t LEFT JOIN turn_embeddings v ON v.turn_id = t.turn_id"
            " WHERE v.turn_id IS NULL ORDER BY t.turn_id LIMIT ?",
            (limit,),
        )

    # -- the person and outlet registry -------------------------------------------------------

    def _resolve_person(
        self, p: Participant, organisation: str | None, outlets: frozenset[str] = frozenset()
    ) -> str | None:
        """The ``person_id`` for a participant, creating the person or adding aliases.

        A full name ("Jen Psaki") matches a stored person with that given name and surname,
        else a surname-only person ("MS. PSAKI") seen in the same organisation, which it
        completes; a bare surname matches the single stored person with that surname in the
        same organisation. Anything ambiguous gets a person of its own rather than a guess.
        A role label ("Q", "Pregunta", "答"), a sentence fragment or one of ``outlets`` is no
        name: a participant with nothing else is anonymous and gets no person, so anonymous
        askers are never merged into one.
        """
        forms = [f for f in [p.name, *p.labels] if f and names.is_person_name(f, outlets)]
        keys = [k for k in (names.name_key(f) for f in forms) if k]
        if not keys:
            return None
        key = next((k for k in keys if k.given), keys[0])
        org = organisation if p.role != "journalist" else None
        rows = self._rows(
            "SELECT person_id, given_name_key, organisation FROM persons WHERE surname_key = ?",
            (key.surname,),
        )
        person = None
        if key.given:
            exact = [r for r in rows if r[1] == key.given]
            partial = [r for r in rows if r[1] is None and r[2] == org] or (
                [r for r in rows if r[1] is None] if p.role != "journalist" else []
            )
            compatible = [r for r in rows if r[1] and names.given_compatible(r[1], key.given)]
            for group in (exact, partial, compatible):
                if len(group) == 1:
                    person = group[0][0]
                    break
            if person and person in [r[0] for r in partial]:
                self._execute(
                    "UPDATE persons SET given_name_key = ?, display_name = ? WHERE person_id = ?",
                    (key.given, names.display_name(forms[0]), person),
                )
        else:
            same_org = [r for r in rows if r[2] == org]
            # Organisation first; officials may also match the one person of that surname
            # anywhere (organisation detection is imperfect), journalists only within it.
            anywhere = rows if p.role != "journalist" else []
            for group in (same_org, anywhere):
                if len(group) == 1:
                    person = group[0][0]
                    break
        if person is None:
            person = self._new_person_id(names.slugify(key.full) or "person")
            self._execute(
                "INSERT INTO persons (person_id, display_name, given_name_key, surname_key, organisation)"
                " VALUES (?, ?, ?, ?, ?)",
                (person, names.display_name(forms[0]), key.given, key.surname, org),
            )
        self._executemany(
            "INSERT INTO person_aliases (person_id, alias, alias_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(person, form, names.fold(form)) for form in forms],
        )
        return person

    def _new_person_id(self, base: str) -> str:
        pid, n = base, 1
        while self._one("SELECT count(*) FROM persons WHERE person_id = ?", (pid,)):
            n += 1
            pid = f"{base}-{n}"
        return pid

    def _resolve_outlet(self, written: str | None, full: str | None) -> str | None:
        """The ``outlet_id`` for an outlet written as ``written`` and known as ``full``."""
        forms = [f.strip() for f in (full, written) if f and f.strip()]
        if not forms:
            return None
        outlet = None
        for form in forms:
            for key in names.outlet_keys(form):
                outlet = self._one("SELECT outlet_id FROM outlet_aliases WHERE alias_key = ?", (key,))
                if outlet:
                    break
            if outlet:
                break
        if outlet is None:
            outlet = names.slugify(forms[0]) or "outlet"
            while self._one("SELECT count(*) FROM outlets WHERE outlet_id = ?", (outlet,)):
                outlet += "-x"
            abbrev = written if written and full and written != full else None
            self._execute(
                "INSERT INTO outlets (outlet_id, full_name, abbreviation) VALUES (?, ?, ?)",
                (outlet, forms[0], abbrev),
            )
        elif written and full and written != full:
            self._execute(
                "UPDATE outlets SET abbreviation = coalesce(abbreviation, ?) WHERE outlet_id = ?",
                (written, outlet),
            )
        for form in forms:
            self._execute(
                "INSERT INTO outlet_aliases (alias_key, alias, outlet_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (names.fold(form), form, outlet),
            )
        return outlet

    # -- reading transcripts --------------------------------------------------------------------

    def get(self, transcript_id: str) -> Transcript:
        """The stored transcript, exactly as it was added; ``KeyError`` if absent."""
        doc = self._one("SELECT document_json FROM transcripts WHERE transcript_id = ?", (transcript_id,))
        if doc is None:
            raise KeyError(transcript_id)
        return Transcript.model_validate(json.loads(doc))

    def __contains__(self, transcript_id: object) -> bool:
        return bool(self._one("SELECT count(*) FROM transcripts WHERE transcript_id = ?", (transcript_id,)))

    def __len__(self) -> int:
        return int(self._one("SELECT count(*) FROM transcripts"))

    def iter_transcripts(
        self,
        *,
        org: str | None = None,
        since: str | None = None,
        until: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
        batch: int = 50,
    ) -> Iterator[Transcript]:
        """Stream matching transcripts by date then id, ``batch`` documents in memory at a time.

        Keyset pagination (not OFFSET, not a server cursor) keeps memory constant and lets
        the caller write to the store between batches.
        """
        from podium.store.filters import Filters

        f = Filters.of(org=org, since=since, until=until, speaker=speaker, outlet=outlet)
        where, params = f.sql()
        if f.speaker or f.outlet:  # turn-level filters: transcripts with a matching turn
            where = f"d.transcript_id IN (SELECT t.transcript_id FROM turns t WHERE {where})"
        last: tuple[str, str] = ("", "")
        while True:
            rows = self._rows(
                f"SELECT coalesce(d.event_date, ''), d.transcript_id, d.document_json FROM transcripts d"
                f" WHERE {where} AND (coalesce(d.event_date, ''), d.transcript_id) > (?, ?)"
                " ORDER BY coalesce(d.event_date, ''), d.transcript_id LIMIT ?",
                (*params, *last, batch),
            )
            for _date, _tid, doc in rows:
                yield Transcript.model_validate(json.loads(doc))
            if len(rows) < batch:
                return
            last = (rows[-1][0], rows[-1][1])
