"""The store of record: lossless round trip, replacement, the person/outlet registry,
streaming, schema versioning and the read methods a web page uses."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from _store_fixtures import SHARED_DATA, drop_test_store, make_transcript, open_test_store, store  # noqa: F401
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.errors import UsageError
from podium.model import Exchange, Metadata, Participant, Question, Score, Source, Transcript, Turn
from podium.store import open_store
from podium.store.filters import Filters

TABLES = ("transcripts", "participants", "turns", "exchanges", "questions", "source_files")


def counts(s: Any) -> dict[str, int]:
    return {t: s._one(f"SELECT count(*) FROM {t}") for t in TABLES}


# -- lossless round trip (property test) -----------------------------------------------------------

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
opt_text = st.none() | text


@st.composite
def transcripts(draw: Any) -> Transcript:
    n_people = draw(st.integers(1, 3))
    people = [
        Participant(
            id=f"p{i}", name=draw(opt_text), role=draw(st.sampled_from(["principal", "journalist", "unknown"])),
            outlet=draw(opt_text), outlet_name=draw(opt_text), labels=draw(st.lists(text, max_size=3)),
        )
        for i in range(n_people)
    ]
    turns = [
        Turn(index=i, speaker=draw(st.sampled_from([None, *[p.id for p in people]])), text=draw(text),
             kind=draw(st.sampled_from(["statement", "question", "answer", "other"])),
             span=(i * 100, i * 100 + draw(st.integers(0, 99))),
             start=draw(st.none() | st.floats(0, 1e5, allow_nan=False)))
        for i in range(draw(st.integers(0, 5)))
    ]
    exchanges = []
    if len(turns) >= 2:
        labels = st.none() | st.builds(Score, label=st.sampled_from(["clear_reply", "clear_non_reply"]),
                                       score=st.floats(0, 1))
        exchanges.append(Exchange(
            index=0, asker=people[0].id, question_turn=0, answer_turns=[1], outlet=draw(opt_text),
            questions=[Question(index=0, text=draw(text), span=(0, 5), clarity=draw(labels),
                                answer_spans=draw(st.none() | st.just([(10, 20)])))],
        ))
    tr = Transcript(
        id=draw(st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)),
        source=Source(path=draw(opt_text), sha256="ab" * 32, format=draw(st.sampled_from(["text", "html"]))),
        metadata=Metadata(title=draw(opt_text), organisation=draw(opt_text),
                          date=draw(st.none() | st.dates().map(str))),
        participants=people, turns=turns, exchanges=exchanges,
        analysis=draw(st.dictionaries(st.sampled_from(["style", "topics"]), st.integers() | text, max_size=2)),
    )
    if draw(st.booleans()):  # fields from a newer schema must survive too
        tr = Transcript.model_validate({**tr.to_json_dict(), "x_future": {"a": [1, 2]}})
    return tr


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_json_store_json_round_trip_is_lossless(kind: str, tmp_path: Path) -> None:
    s = open_test_store(kind, tmp_path)
    try:
        @settings(max_examples=60 if kind == "sqlite" else 25, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(transcripts())
        def check(tr: Transcript) -> None:
            s.add(tr)
            assert s.get(tr.id).to_json_dict() == tr.to_json_dict()

        check()
    finally:
        drop_test_store(s)


# -- writing ----------------------------------------------------------------------------------------

def test_add_replaces_and_delete_removes_every_row(store: Any) -> None:
    store.add(make_transcript("t1"))
    store.add(make_transcript("t2"))
    before = counts(store)
    assert before["transcripts"] == 2 and before["turns"] == 6 and before["questions"] == 2
    store.add(make_transcript("t1", answer="A different answer."))  # same id: replaced
    assert counts(store) == before
    assert store.get("t1").turns[2].text == "A different answer."
    assert store.delete("t1") is True
    after = counts(store)
    assert after["transcripts"] == 1 and after["turns"] == 3 and after["exchanges"] == 1
    assert store.delete("t1") is False
    with pytest.raises(KeyError):
        store.get("t1")


def test_person_aliases_resolve_to_one_person_across_transcripts(store: Any) -> None:
    wh = "White House"
    store.add(make_transcript("a", org=wh, principal=(None, ["MS. PSAKI"])))
    store.add(make_transcript("b", org=wh, principal=("Jen Psaki", ["Press Secretary Psaki"])))
    store.add(make_transcript("c", org=wh, principal=(None, ["Press Secretary Psaki"])))
    store.add(make_transcript("d", org=wh, principal=("Jens Stoltenberg", ["Jens Stoltenberg, Secretary General"])))
    found = store.persons(name="psaki")
    assert found.total == 1
    psaki = found.items[0]
    assert psaki.name == "Jen Psaki"
    assert psaki.transcript_count == 3
    assert {"MS. PSAKI", "Jen Psaki", "Press Secretary Psaki"} <= set(psaki.aliases)
    # any alias finds all her turns: stemming matches "dredge" (statement) and "dredging" (answer)
    assert len(store.search("dredging", speaker="ms. psaki")) == 6
    assert {h.person_id for h in store.search("", speaker="Press Secretary Psaki", limit=50)} == {psaki.person_id}


def test_same_surname_different_given_names_stay_apart(store: Any) -> None:
    store.add(make_transcript("a", principal=("Anna Berg", [])))
    store.add(make_transcript("b", principal=("Olaf Berg", [])))
    assert store.persons(name="berg").total == 2


def test_outlet_abbreviation_links_to_full_name(store: Any) -> None:
    store.add(make_transcript("a", journalist=("Matthias Kolb", [], "SDZ", "Süddeutsche Zeitung")))
    store.add(make_transcript("b", journalist=("Matthias Kolb", [], "Süddeutsche Zeitung", "Süddeutsche Zeitung")))
    store.add(make_transcript("c", journalist=("Ola Nordmann", [], "VG", "Verdens Gang")))
    page = store.outlets(name="sdz")
    assert page.total == 1
    sdz = page.items[0]
    assert sdz.name == "Süddeutsche Zeitung" and sdz.abbreviation == "SDZ"
    assert sdz.question_count == 2 and sdz.journalist_count == 1
    assert [h.transcript_id for h in store.search("dredging", outlet="SDZ", kind="question")] in (["a", "b"], ["b", "a"])
    assert store.outlets().total == 2


def test_iter_transcripts_streams_in_date_order_with_filters(store: Any) -> None:
    for i in range(7):
        store.add(make_transcript(f"t{i}", date=f"2020-0{7 - i}-01", org="NATO" if i % 2 else "EU"))
    got = list(store.iter_transcripts(batch=2))
    assert [t.metadata.date for t in got] == sorted(t.metadata.date for t in got)
    assert len(got) == 7
    assert {t.id for t in store.iter_transcripts(org="nato", batch=2)} == {"t1", "t3", "t5"}
    assert {t.id for t in store.iter_transcripts(since="2020-03", until="2020-05")} == {"t2", "t3", "t4"}
    assert len(list(store.iter_transcripts(speaker="lena park"))) == 7


def test_read_methods_page_and_filter(store: Any) -> None:
    for i in range(5):
        store.add(make_transcript(f"t{i}", date=f"2021-01-0{i + 1}", clarity="clear_non_reply" if i < 2 else None))
    page = store.list_transcripts(offset=1, limit=2)
    assert page.total == 5 and [t.transcript_id for t in page.items] == ["t3", "t2"]
    q = store.questions(clarity="clear_non_reply")
    assert q.total == 2 and all(r.clarity == "clear_non_reply" for r in q.items)
    assert q.items[0].answer_text == "The dredging is budgeted at four million."
    person = store.persons(role="journalist").items[0]
    assert store.questions(asker=person.person_id).total == 5
    two = make_transcript("t9", date="2021-02-01", clarity="clear_reply")  # a second question, another label
    ex = two.exchanges[0]
    second = ex.questions[0].model_copy(update={"index": 1, "clarity": Score(label="clear_non_reply", score=0.8)})
    store.add(two.model_copy(update={"exchanges": [ex.model_copy(update={"questions": [*ex.questions, second]})]}))
    q = store.questions(clarity="clear_non_reply")
    assert q.total == 3 and [(r.transcript_id, r.clarity) for r in q.items][0] == ("t9", "clear_non_reply")
    store.delete("t9")
    s = store.stats()
    assert (s.transcripts, s.turns, s.questions) == (5, 15, 5)
    assert dict(s.by_clarity) == {"clear_non_reply": 2}
    with pytest.raises(UsageError):
        store.list_transcripts(limit=0)


# -- schema -----------------------------------------------------------------------------------------

def test_sqlite_file_is_readable_by_plain_sqlite_with_clear_names(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.db") as s:
        s.add(make_transcript("t1"))
    con = sqlite3.connect(tmp_path / "p.db")
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"transcripts", "persons", "person_aliases", "outlets", "outlet_aliases", "participants",
            "turns", "exchanges", "questions", "schema_migrations"} <= tables
    row = con.execute("SELECT p.display_name, t.text FROM turns t JOIN persons p USING (person_id)"
                      " WHERE t.kind = 'answer'").fetchone()
    assert row == ("Maren Olsen", "The dredging is budgeted at four million.")
    # porter stems all three turns
    assert con.execute("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH 'dredge'").fetchone()[0] == 3


def test_store_from_a_newer_podium_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_store(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2099-01-01')")
    con.commit()
    con.close()
    with pytest.raises(UsageError, match="newer"):
        open_store(path)


def test_store_at_an_older_schema_version_is_migrated_in_place(tmp_path: Path) -> None:
    """A store written at version 1 gains the later migrations on open and keeps its data."""
    from podium.store import schema

    path = tmp_path / "old.db"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute(schema.MIGRATIONS_TABLE)
    for stmt in schema.MIGRATIONS[0].sqlite:
        con.execute(stmt)
    con.execute("INSERT INTO schema_migrations VALUES (1, 'v1', '2026-01-01')")
    con.execute("INSERT INTO store_info VALUES ('generation', '7')")
    con.close()
    with open_store(path) as s:
        assert s.schema_version() == schema.SCHEMA_VERSION > 1
        assert s.generation() == 7
        s.add(make_transcript("t1"))
        assert [h.permalink for h in s.search("budgeted", org="harbour council")] == ["t1#t2"]
        plan = " ".join(r[3] for r in s._rows(
            "EXPLAIN QUERY PLAN SELECT t.turn_id FROM turns t JOIN transcripts d USING (transcript_id)"
            " WHERE lower(d.organisation) = ?", ("x",)))
        assert "transcripts_by_organisation_folded" in plan
        for label, index in (("clarity", "questions_by_clarity"), ("evasion", "questions_by_evasion")):
            where, params = Filters.of(**{label: "clear_reply" if label == "clarity" else "dodging"}).sql(listing=True)
            plan = " ".join(r[3] for r in s._rows(
                "EXPLAIN QUERY PLAN SELECT t.turn_id FROM turns t JOIN transcripts d USING (transcript_id)"
                f" WHERE {where}", params))
            assert index in plan and "turns_by_exchange" in plan and "SCAN" not in plan, plan


def test_bad_store_urls_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(UsageError):
        open_store(tmp_path / "junk.db")
    with pytest.raises(UsageError):
        open_store("mysql://x/y")
    with pytest.raises(UsageError):
        open_store(tmp_path)


def test_default_store_follows_podium_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PODIUM_DB", str(tmp_path / "env.db"))
    open_store().close()
    assert (tmp_path / "env.db").exists()
    monkeypatch.delenv("PODIUM_DB")
    monkeypatch.chdir(tmp_path)
    open_store().close()
    assert (tmp_path / "podium.db").exists()


def test_outlet_with_and_without_the_is_one_outlet(store: Any) -> None:
    store.add(make_transcript("a", journalist=("Ken Thomas", [], "WSJ", "the Wall Street Journal")))
    store.add(make_transcript("b", journalist=("Ken Thomas", [], "Wall Street Journal", None)))
    store.add(make_transcript("c", journalist=("Ola Nordmann", [], "The Times", None)))
    assert store.outlets().total == 2
    wsj = store.outlets(name="wsj").items[0]
    assert wsj.name == "the Wall Street Journal" and wsj.question_count == 2
    for form in ("The Wall Street Journal", "wall street journal", "WSJ"):
        assert sorted(h.transcript_id for h in store.search("dredging", outlet=form, kind="question")) == ["a", "b"]
    assert [h.transcript_id for h in store.search("dredging", outlet="times", kind="question")] == ["c"]


REGISTRY_FILES = [
    "china_mfa/zh/t1561836.html",  # 陆慷 answers, labelled 答; anonymous 问
    "china_mfa/zh/t1566770.html",  # 华春莹
    "china_mfa/en/t1762834.html",  # askers labelled by outlet only: "CCTV:"
    "mexico_mananeras/corpus/2019-09-24.md",  # INTERLOCUTORA, PREGUNTA
    "whitehouse_briefing_room/press-briefings/2021-12/2021-12-13-press-briefing-by-press-secretary-jen-psaki-december-13-2021.md",
    "australia_pm/transcripts/transcript-10193.xml",  # QUESTION
]


def test_registry_makes_no_person_of_a_role_label_outlet_or_anonymous_asker(tmp_path: Path) -> None:
    from podium.names import is_person_name
    from podium.store.ingest import ingest

    paths = [SHARED_DATA / "transcripts" / f for f in REGISTRY_FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        pytest.skip(f"shared corpus files missing: {missing}")
    s = open_test_store("fts5", tmp_path)
    try:
        ingest(s, paths, jobs=1)
        persons = s._rows("SELECT person_id, display_name FROM persons")
        ids = {pid for pid, _ in persons}
        assert {"陆慷", "华春莹"} <= ids
        assert not [pid for pid in ids if pid.startswith("unnamed") or pid.startswith("question")]
        assert all(is_person_name(name) for _, name in persons), persons
        outlets = {n for row in s._rows("SELECT full_name, abbreviation FROM outlets") for n in row if n}
        assert not [name for _, name in persons if not is_person_name(name, outlets)]
        # anonymous askers stay anonymous: many exchanges, none merged into one asker person
        anon = s._one("SELECT count(*) FROM exchanges WHERE asker_person_id IS NULL")
        top = s._one("SELECT max(n) FROM (SELECT count(*) AS n FROM exchanges"
                     " WHERE asker_person_id IS NOT NULL GROUP BY asker_person_id) x")
        assert anon > 50 and (top or 0) < 10
        # an outlet-labelled asker ("CCTV:") keeps the outlet on the exchange
        assert s._one("SELECT count(*) FROM exchanges e JOIN outlets o USING (outlet_id)"
                      " WHERE e.asker_person_id IS NULL AND o.abbreviation = 'CCTV'") > 0
    finally:
        drop_test_store(s)
