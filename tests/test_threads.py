"""Question threads, answer drift, watches and feeds (issue 17).

Threading is tested with vectors we construct (so the rule itself is checked exactly) and
once with the real model on two shared China MFA briefings that ask the same question.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _store_fixtures import (
    SHARED_DATA,
    drop_test_store,
    make_transcript,
    open_test_store,
)
from typer.testing import CliRunner

from podium.analyze import drift, thread_views, threads
from podium.cli import app

runner = CliRunner()


def _unit(*xs: float) -> np.ndarray:
    v = np.zeros(8, np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


def _add(store: Any, tid: str, date: str, vec: np.ndarray, *, lang: str = "en", **kw: Any) -> None:
    t = make_transcript(tid, date=date, **kw)
    t.metadata.language = lang
    store.add(t)
    store.add_question_vectors({(tid, 0, 0): vec.tobytes()}, threads.MODEL)


@pytest.fixture(params=["sqlite", "postgresql"])
def tstore(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    s = open_test_store(request.param, tmp_path)
    yield s
    drop_test_store(s)


def test_questions_join_their_nearest_earlier_question_above_the_threshold(tstore: Any) -> None:
    a, close, far = _unit(1, 0.1), _unit(1, 0.15), _unit(0, 1)
    _add(tstore, "t1", "2024-01-01", a)
    _add(tstore, "t2", "2024-02-01", close)
    _add(tstore, "t3", "2024-03-01", far)
    rep = threads.update_threads(tstore)
    m = tstore.thread_memberships()
    assert rep.threaded == 3
    assert m[("t1", 0, 0)] == m[("t2", 0, 0)] != m[("t3", 0, 0)]


def test_languages_never_share_a_thread(tstore: Any) -> None:
    v = _unit(1, 0.2)
    _add(tstore, "en1", "2024-01-01", v)
    _add(tstore, "zh1", "2024-01-02", v, lang="zh")
    _add(tstore, "en2", "2024-01-03", v)
    threads.update_threads(tstore)
    m = tstore.thread_memberships()
    assert m[("en1", 0, 0)] == m[("en2", 0, 0)] != m[("zh1", 0, 0)]


def test_incremental_update_equals_a_rebuild_and_leaves_old_members_alone(tstore: Any) -> None:
    rng = np.random.default_rng(5)
    base = [_unit(*rng.normal(size=8)) for _ in range(4)]
    vecs = [b + rng.normal(scale=0.05, size=8).astype(np.float32) for b in base for _ in range(3)]
    for i, v in enumerate(vecs[:-3]):
        _add(tstore, f"t{i:02d}", f"2024-01-{i + 1:02d}", v / np.linalg.norm(v))
    threads.update_threads(tstore)
    before = tstore.thread_memberships()
    for i, v in enumerate(vecs[-3:], len(vecs) - 3):
        _add(tstore, f"t{i:02d}", f"2024-01-{i + 1:02d}", v / np.linalg.norm(v))
        rep = threads.update_threads(tstore)
        assert rep.threaded == 1  # only the new question is looked at
    after = tstore.thread_memberships()
    assert {k: after[k] for k in before} == before
    assert len(set(after.values())) == 4
    threads.update_threads(tstore, rebuild=True)
    rebuilt = tstore.thread_memberships()
    # the same partition (ids may be numbered differently)
    assert {frozenset(k for k in after if after[k] == t) for t in set(after.values())} == \
        {frozenset(k for k in rebuilt if rebuilt[k] == t) for t in set(rebuilt.values())}


def test_replacing_a_transcript_drops_its_memberships(tstore: Any) -> None:
    _add(tstore, "t1", "2024-01-01", _unit(1))
    _add(tstore, "t2", "2024-01-02", _unit(1))
    threads.update_threads(tstore)
    tstore.delete("t2")
    assert set(tstore.thread_memberships()) == {("t1", 0, 0)}


def _pool_file(store: Any) -> Any:
    from podium.store.thread_pool import ThreadPool, folder_for

    folder = folder_for(store)
    layout, stamp, count, _ = (folder / "podium-threads-stamp").read_text().split(":")
    return ThreadPool(folder).load(stamp, int(count))


def test_adding_a_transcript_reads_the_pool_file_not_every_stored_vector(tmp_path: Path, monkeypatch: Any) -> None:
    """The pool file beside the store answers an update while it is current; a deleted
    transcript makes it stale (its memberships are gone), and the database is read again."""
    from podium.store import open_store

    with open_store(tmp_path / "p.db") as store:
        for i, tid in enumerate(("t1", "t2")):
            _add(store, tid, f"2024-01-0{i + 1}", _unit(1, 0.1 * i))
        threads.update_threads(store)
        pool = _pool_file(store)
        assert pool is not None and sorted(pool.transcripts) == ["t1", "t2"]
        reads: list[int] = []
        real = store.threaded_question_vectors
        monkeypatch.setattr(store, "threaded_question_vectors", lambda: reads.append(1) or real())
        _add(store, "t3", "2024-01-03", _unit(1, 0.05))
        assert threads.update_threads(store).threaded == 1
        assert reads == []  # the file was current
        m = store.thread_memberships()
        assert m[("t3", 0, 0)] == m[("t1", 0, 0)]
        store.delete("t2")
        _add(store, "t4", "2024-01-04", _unit(0, 1))
        threads.update_threads(store)
        assert reads == [1]  # stale after the delete: read from the database once
        assert sorted(_pool_file(store).transcripts) == ["t1", "t3", "t4"]
        _add(store, "t5", "2024-01-05", _unit(0, 1, 0.1))
        threads.update_threads(store)
        assert reads == [1]
        m = store.thread_memberships()
        assert m[("t5", 0, 0)] == m[("t4", 0, 0)] != m[("t1", 0, 0)]


def test_rows_a_crash_left_unstamped_in_the_pool_file_are_ignored(tmp_path: Path) -> None:
    from podium.store import open_store
    from podium.store.thread_pool import folder_for

    with open_store(tmp_path / "p.db") as store:
        _add(store, "t1", "2024-01-01", _unit(1))
        threads.update_threads(store)
        folder = folder_for(store)
        with (folder / "vectors.f32").open("ab") as fh:  # appended, never stamped
            fh.write(_unit(0, 1).tobytes())
        with (folder / "rows.tsv").open("a") as fh:
            fh.write("ghost\t0\t0\ten\t99\t1\n")
        assert _pool_file(store).transcripts == ["t1"]
        _add(store, "t2", "2024-01-02", _unit(0, 1))
        threads.update_threads(store)
        pool = _pool_file(store)
        assert pool.transcripts == ["t1", "t2"] and pool.vectors.shape == (2, 8)
        assert np.allclose(pool.vectors[1], _unit(0, 1))
        assert store.thread_memberships()[("t2", 0, 0)] != 99


def test_parts_of_one_question_turn_do_not_link_to_each_other() -> None:
    v = _unit(1, 0.3)
    links, _ = threads.thread_new(threads.Pool(), [("t", 0, 0), ("t", 0, 1), ("t", 1, 0)],
                                  np.stack([v, v, v]), 1)
    assert links[0].thread == links[1].thread - 1  # same exchange: a new thread
    assert links[2].linked_to in (("t", 0, 0), ("t", 0, 1))  # the next exchange may join


def test_thread_list_filters_and_the_reader_line(tstore: Any) -> None:
    q = "When will the northern channel dredging start?"
    _add(tstore, "t1", "2023-05-01", _unit(1), question=q, clarity="clear_non_reply", org="Harbour Council")
    _add(tstore, "t2", "2024-02-01", _unit(1), question=q, clarity="clear_non_reply", org="Harbour Council")
    _add(tstore, "t3", "2024-03-01", _unit(1), question=q, clarity="clear_reply", org="Harbour Council")
    _add(tstore, "t4", "2024-03-02", _unit(0, 1), org="River Board")
    _add(tstore, "t5", "2024-03-03", _unit(0, 1), org="River Board", clarity="clear_non_reply")
    threads.update_threads(tstore)
    listed = thread_views.list_threads(tstore, min_size=2)
    assert [t["size"] for t in listed["threads"]] == [3, 2]
    assert thread_views.list_threads(tstore, min_size=3)["total"] == 1
    unanswered = thread_views.list_threads(tstore, unanswered=True)["threads"]
    assert [t["organisations"] for t in unanswered] == [["River Board"]]
    assert thread_views.list_threads(tstore, org="harbour")["threads"][0]["first_asked"] == "2023-05-01"
    assert thread_views.list_threads(tstore, since="2024-03-03")["total"] == 1
    line = thread_views.links_for_transcript(tstore, "t3")["0:0"]
    assert line["asked_before"] == 2 and line["last_answer"] == "clear_non_reply"


# -- drift ------------------------------------------------------------------------------------


def _answer(text: str, clarity: str | None = None, vec: np.ndarray | None = None) -> drift.Answer:
    return drift.Answer(("t", 0, 0), "2024-01-01", clarity, text, vec)


def test_a_non_reply_turning_into_a_reply_is_drift() -> None:
    d = drift.compare(_answer("We do not comment on that.", "clear_non_reply"),
                      _answer("Yes, the summit is in June.", "clear_reply"))
    assert d is not None and d.kinds == ["label"] and d.detail["label"] == ["clear_non_reply", "clear_reply"]


def test_a_changed_date_or_number_is_drift_but_an_added_one_is_not() -> None:
    d = drift.compare(_answer("The summit will be held on 14 June 2021."),
                      _answer("The summit is now planned for 20 July 2021."))
    assert d is not None and d.kinds == ["figures"]
    assert d.detail["figures"] == {"before_only": ["date:14 june 2021"], "after_only": ["date:20 july 2021"]}
    d = drift.compare(_answer("Unemployment stands at 5.2 percent."), _answer("Unemployment is 4.8%."))
    assert d is not None and d.detail["figures"]["after_only"] == ["num:4.8%"]
    same = drift.compare(_answer("Tariffs of 25 percent stay."), _answer("The 25% tariffs stay, and 10 more firms."))
    assert same is None  # a figure added while the old one stays is not a change
    assert drift.compare(_answer("He met 3 ministers."), _answer("No figures here.")) is None


def test_distant_answers_are_drift_only_when_both_have_vectors() -> None:
    a, b = _unit(1), _unit(0, 1)
    d = drift.compare(_answer("We support the plan.", vec=a), _answer("Ask the ministry.", vec=b))
    assert d is not None and d.kinds == ["wording"] and d.detail["similarity"] == 0.0
    assert drift.compare(_answer("We support the plan.", vec=a), _answer("Ask the ministry.")) is None


def test_thread_view_shows_drift_side_by_side(tstore: Any) -> None:
    q = "When will the northern channel dredging start?"
    _add(tstore, "t1", "2024-01-01", _unit(1), question=q, answer="We expect to start on 3 March.", clarity="clear_reply")
    _add(tstore, "t2", "2024-02-01", _unit(1), question=q, answer="Dredging now begins on 15 April.", clarity="clear_reply")
    threads.update_threads(tstore)
    tid = tstore.thread_memberships()[("t1", 0, 0)]
    t = thread_views.thread(tstore, tid)
    assert [m["transcript_id"] for m in t["members"]] == ["t1", "t2"]
    assert t["members"][0]["asker"] == "Lena Park" and t["members"][0]["outlet"] == "Coastal Herald"
    (d,) = t["drift"]
    assert d["kinds"] == ["figures"] and d["after"]["passage"].startswith("Dredging now begins")


# -- real data --------------------------------------------------------------------------------

MFA = SHARED_DATA / "transcripts" / "china_mfa"


def _mfa_file(date: str) -> Path:
    """The English MFA briefing of ``date`` (the folder's ``_index.csv`` lists file dates)."""
    import csv

    index = MFA / "_index.csv"
    if not index.exists():
        pytest.skip("shared China MFA transcripts not available")
    for row in csv.DictReader(index.open(encoding="utf-8")):
        if row["lang"] == "en" and row["date"] == date:
            return MFA / row["file"]
    pytest.skip(f"no shared China MFA briefing of {date}")


def test_the_same_question_on_two_real_briefings_threads_together(tmp_path: Path) -> None:
    """Pompeo's "US contribution is far larger than China's" was put to the MFA on 1 and 3
    April 2020 (a pair of the labelled set); the rest of those briefings' questions are
    mostly about other things and must not all collapse into one thread."""
    from podium.store import open_store
    from podium.store.ingest import ingest

    files = [_mfa_file("2020-04-01"), _mfa_file("2020-04-03")]
    with open_store(tmp_path / "mfa.db") as store:
        ingest(store, files, jobs=1)
        assert threads.embed_questions(store) > 10
        threads.update_threads(store)
        members = store.thread_questions()
        pompeo = [m for m in members if "far larger than that of China" in
                  store.turn_texts(m["transcript_id"], [m["question_turn"]])[m["question_turn"]]]
        assert sorted(m["date"] for m in pompeo) == ["2020-04-01", "2020-04-03"]
        assert pompeo[0]["thread_id"] == pompeo[1]["thread_id"]
        assert len({m["thread_id"] for m in members}) > len(members) * 0.7  # most questions stand alone


# -- CLI, watches, feeds ----------------------------------------------------------------------


def _cli_store(tmp_path: Path) -> str:
    from podium.store import open_store

    db = str(tmp_path / "w.db")
    with open_store(db) as s:
        _add(s, "t1", "2024-01-01", _unit(1), question="Will the ferry fares rise?", answer="Fares stay at 12 euros.",
             clarity="clear_reply")
        _add(s, "t2", "2024-02-01", _unit(1), question="Are ferry fares going up?", answer="Fares rise to 14 euros.",
             clarity="clear_reply")
        threads.update_threads(s)
    return db


def test_threads_and_thread_commands(tmp_path: Path) -> None:
    db = _cli_store(tmp_path)
    r = runner.invoke(app, ["threads", "--db", db, "--format", "json"])
    assert r.exit_code == 0, r.output
    import json

    listed = json.loads(r.output)
    assert listed["total"] == 1 and listed["threads"][0]["size"] == 2
    tid = listed["threads"][0]["id"]
    r = runner.invoke(app, ["thread", str(tid), "--db", db])
    assert r.exit_code == 0 and "Lena Park (Coastal Herald)" in r.output and "figures" in r.output
    r = runner.invoke(app, ["thread", "999", "--db", db])
    assert r.exit_code == 2 and "no thread with id 999" in r.output
    r = runner.invoke(app, ["threads", "--db", db, "--since", "last week"])
    assert r.exit_code == 2 and "--since" in r.output and "Traceback" not in r.output


def test_watch_run_prints_exactly_the_new_matches(tmp_path: Path) -> None:
    from podium.store import open_store

    db = _cli_store(tmp_path)
    r = runner.invoke(app, ["watch", "add", "ferry", "--db", db])
    assert r.exit_code == 0 and "watch 1 saved" in r.output
    r = runner.invoke(app, ["watch", "run", "--db", db])
    assert r.exit_code == 1 and r.output == ""  # nothing new since adding
    with open_store(db) as s:
        s.add(make_transcript("t3", date="2024-03-01", question="Why are ferry tickets dearer?", answer="Fuel."))
        s.add(make_transcript("t4", date="2024-03-02", question="What about the pier?", answer="Repairs."))
    r = runner.invoke(app, ["watch", "run", "--db", db])
    assert r.exit_code == 0
    assert [line.split("\t")[1] for line in r.output.splitlines()] == ["t3#t1"]
    r = runner.invoke(app, ["watch", "run", "--db", db])
    assert r.exit_code == 1 and r.output == ""
    r = runner.invoke(app, ["watch", "run", "7", "--db", db])
    assert r.exit_code == 2 and "no watch with id 7" in r.output


def test_watch_run_after_ingesting_one_more_real_briefing_prints_exactly_its_new_matches(tmp_path: Path) -> None:
    """Two China MFA briefings are ingested and "Taiwan" is watched; after a third is
    ingested, `watch run` prints exactly the third briefing's turns that say "Taiwan"
    (counted here from the stored turn texts, not by the search the watch runs)."""
    import re

    from podium.store import open_store

    db = str(tmp_path / "mfa.db")
    first, second, third = _mfa_file("2020-04-01"), _mfa_file("2020-04-03"), _mfa_file("2020-04-10")
    assert runner.invoke(app, ["ingest", str(first), str(second), "--db", db, "-j", "1"]).exit_code == 0
    r = runner.invoke(app, ["watch", "add", "Taiwan", "--db", db])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["watch", "run", "--db", db]).exit_code == 1
    assert runner.invoke(app, ["ingest", str(third), "--db", db, "-j", "1"]).exit_code == 0
    with open_store(db) as store:
        (tid,) = [t for (t,) in store._rows("SELECT transcript_id FROM transcripts WHERE event_date = '2020-04-10'")]
        turns = store._rows("SELECT turn_index, text FROM turns WHERE transcript_id = ?", (tid,))
    expected = sorted(f"{tid}#t{i}" for i, text in turns if re.search(r"\btaiwan", text, re.IGNORECASE))
    assert expected, "the 10 April 2020 briefing mentions Taiwan"
    r = runner.invoke(app, ["watch", "run", "--db", db])
    assert r.exit_code == 0, r.output
    assert sorted(line.split("\t")[1] for line in r.output.splitlines()) == expected
    assert runner.invoke(app, ["watch", "run", "--db", db]).exit_code == 1


def test_following_a_thread_reports_new_questions_that_join_it(tmp_path: Path) -> None:
    from podium.store import open_store

    db = _cli_store(tmp_path)
    with open_store(db) as s:
        tid = s.thread_memberships()[("t1", 0, 0)]
    assert runner.invoke(app, ["watch", "add", "--thread", str(tid), "--db", db]).exit_code == 0
    with open_store(db) as s:
        _add(s, "t5", "2024-04-01", _unit(1), question="Do fares rise again?")
        threads.update_threads(s)
    r = runner.invoke(app, ["watch", "run", "--db", db])
    assert r.exit_code == 0 and r.output.split("\t")[1] == "t5#e0q0"


def test_atom_feed_validates(tmp_path: Path) -> None:
    import feedparser
    from fastapi.testclient import TestClient

    from podium.web.app import create_app

    db = _cli_store(tmp_path)
    runner.invoke(app, ["watch", "add", "ferry <fares> & \"more\"", "--db", db])
    runner.invoke(app, ["watch", "add", "fares", "--db", db])
    client = TestClient(create_app(db))
    r = client.get("/feeds/2.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == ["t2#t2", "t2#t1", "t1#t2", "t1#t1"]  # newest first
    assert all(e.id.startswith("tag:podium,2024:") for e in feed.entries)
    assert client.get("/feeds/99.atom").status_code == 404


def test_pages_and_json_twins(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from podium.web.app import create_app

    db = _cli_store(tmp_path)
    client = TestClient(create_app(db))
    listed = client.get("/api/threads").json()
    tid = listed["threads"][0]["id"]
    page = client.get("/threads").text
    assert f'href="/threads/{tid}"' in page
    t = client.get(f"/api/threads/{tid}").json()["thread"]
    html = client.get(f"/threads/{tid}").text
    for m in t["members"]:
        assert m["date"] in html and m["text"] in html
    assert "clear reply" in html and "Coastal Herald" in html
    reader = client.get("/transcripts/t2")
    assert f'href="/threads/{tid}"' in reader.text and "asked 1 time before; last answer: clear reply" in reader.text
    assert client.get("/api/transcripts/t2").json()["threads"]["0:0"]["thread_id"] == tid
    assert client.get("/threads/12345").status_code == 404
    assert client.get("/threads?since=yesterday").status_code == 400


def test_exports_carry_the_thread_id(tmp_path: Path) -> None:
    import csv

    db = _cli_store(tmp_path)
    out = tmp_path / "qa.csv"
    r = runner.invoke(app, ["export", "--to", "qa-csv", "--db", db, str(out)])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(out.open()))
    assert len({row["thread_id"] for row in rows}) == 1 and rows[0]["thread_id"]


def test_the_same_briefing_stored_twice_counts_as_one_occasion(tstore: Any) -> None:
    _add(tstore, "copy1", "2024-05-01", _unit(1))
    _add(tstore, "copy2", "2024-05-01", _unit(1))
    _add(tstore, "later", "2024-06-01", _unit(1))
    threads.update_threads(tstore)
    (t,) = thread_views.list_threads(tstore, min_size=2)["threads"]
    assert (t["size"], t["occasions"]) == (3, 2)
    assert thread_views.list_threads(tstore, min_size=3)["total"] == 0


# -- what is embedded ---------------------------------------------------------------------------


def test_greetings_and_self_introductions_leave_the_context() -> None:
    from podium.analyze.thread_text import context, embedding_text, says_nothing

    before = ("Thank you, Karine. Jane Doe, Bloomberg News. On Taiwan: a US warship sailed through "
              "the Strait yesterday.")
    assert context(before) == "On Taiwan: a US warship sailed through the Strait yesterday."
    assert embedding_text("What's your comment?", before).endswith("yesterday. What's your comment?")
    assert says_nothing("Good afternoon, everyone.") and says_nothing("It's Richard Partington from the Guardian.")
    assert not says_nothing("On Taiwan.") and not says_nothing("Ebola is back in Congo.")
    assert says_nothing("Buenos días, presidente.", "es") and not says_nothing("Sobre el aeropuerto de Santa Lucía.", "es")
    assert says_nothing("谢谢。", "zh")
    # only the last words are kept, and only from sentences that say something
    long = "The ferry strike entered its third week on Monday. " * 5 + "Thanks."
    assert len(context(long, words=10).split()) == 10 and "Thanks" not in context(long, words=10)


def test_subject_words_ignore_template_words_in_every_language() -> None:
    from podium.analyze.thread_text import subject_words

    assert subject_words("What's your comment on the Taiwan Strait?") == {"taiwan", "strait"}
    assert subject_words("I wonder if you have any comment?") == {"wonder"}
    assert "fiscalía" in subject_words("¿Qué opina de la fiscalía?", "es")
    assert {"华为", "为公"} <= subject_words("华为公司", "zh")


def test_a_sentence_with_a_courtesy_word_and_names_is_not_always_a_greeting() -> None:
    from podium.analyze.thread_text import says_nothing

    assert not says_nothing("The Good Friday Agreement turns 25 in Belfast this week.")
    assert says_nothing("Thank you, Karine Jean-Pierre.")


def test_vectors_of_an_older_recipe_are_embedded_again(tstore: Any) -> None:
    tstore.add(make_transcript("old", date="2024-01-01", question="Will the ferry fares rise?"))
    tstore.add_question_vectors({("old", 0, 0): _unit(1).tobytes()}, "all-MiniLM-L6-v2+ctx24")
    assert tstore.questions_without_vectors(10) == []
    (row,) = tstore.questions_without_vectors(10, threads.MODEL)
    assert row["key"] == ("old", 0, 0) and row["text"] == "Will the ferry fares rise?"
