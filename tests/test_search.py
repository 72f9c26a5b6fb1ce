"""Search: stemming, phrases, operators, filters, facets, bad syntax, semantic and hybrid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _store_fixtures import make_transcript, store  # noqa: F401

from podium.errors import UsageError
from podium.store import open_store, vector_index
from podium.store.query import parse_query, to_fts5


def fill(s: Any) -> None:
    s.add(make_transcript("t1", org="NATO", date="2019-05-01", question="Will sanctions on Russia be extended?",
                          answer="The allies sanctioned the regime and will keep the pressure.", clarity="clear_reply"))
    s.add(make_transcript("t2", org="NATO", date="2021-02-01", question="What about the North Sea pipeline?",
                          answer="The pipeline is a matter for Germany, not for sanctions policy.",
                          clarity="clear_non_reply"))
    s.add(make_transcript("t3", org="Harbour Council", date="2023-07-01",
                          journalist=("Sami Virtanen", [], "RN", "Radio North"),
                          question="Is the north channel open?", answer="Sea traffic resumes next week."))


def ids(hits: list[Any]) -> list[str]:
    return [h.permalink for h in hits]


def test_stemming_phrases_and_operators(store: Any) -> None:
    fill(store)
    assert set(ids(store.search("sanction"))) == {"t1#t1", "t1#t2", "t2#t2"}
    assert ids(store.search('"north sea"')) == ["t2#t1"]
    assert set(ids(store.search("north NOT sea"))) == {"t3#t1"}
    assert set(ids(store.search("pipe*"))) == {"t2#t1", "t2#t2"}
    assert set(ids(store.search("russia OR germany"))) == {"t1#t1", "t2#t2"}
    assert ids(store.search("(russia OR germany) AND allies")) == []
    assert store.search("nothingmatchesthis") == []


def test_hits_carry_citation_and_highlighted_snippet(store: Any) -> None:
    fill(store)
    hit = store.search("pipeline", kind="answer")[0]
    assert hit.permalink == "t2#t2" and hit.date == "2021-02-01" and hit.organisation == "NATO"
    assert hit.title == "Press conference t2" and hit.speaker == "Maren Olsen" and hit.role == "principal"
    assert "<mark>pipeline</mark>" in hit.snippet


def test_filters_narrow_results(store: Any) -> None:
    fill(store)
    assert ids(store.search("north", org="harbour council")) == ["t3#t1"]
    assert set(ids(store.search("sanctions", since="2020"))) == {"t2#t2"}
    assert set(ids(store.search("sanctions", until="2019-12"))) == {"t1#t1", "t1#t2"}
    assert ids(store.search("north", outlet="RN")) == ["t3#t1"]
    assert ids(store.search("north", role="journalist", speaker="virtanen")) == ["t3#t1"]
    assert set(ids(store.search("", clarity="clear_non_reply"))) == {"t2#t1", "t2#t2"}
    assert set(ids(store.search("sanctions", clarity="clear_reply", kind="question"))) == {"t1#t1"}


def test_facets_count_all_matches(store: Any) -> None:
    fill(store)
    f = store.facets("sanctions OR north")
    assert f.total == 5
    assert dict(f.organisation) == {"NATO": 4, "Harbour Council": 1}
    assert dict(f.year) == {"2019": 2, "2021": 2, "2023": 1}
    assert sum(n for _, n in f.kind) == 5


@pytest.mark.parametrize("bad", ['"unclosed', "(a OR b", "a AND", "NOT a", "OR", "***"])
def test_malformed_queries_are_usage_errors(bad: str, tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as s, pytest.raises(UsageError):
        s.search(bad)


def test_empty_query_browses_newest_first(store: Any) -> None:
    fill(store)
    everything = store.search("", limit=100)
    assert len(everything) == store.stats().turns
    dates = [h.date or "" for h in everything]
    assert dates == sorted(dates, reverse=True)
    assert [h.permalink for h in store.search("", limit=3, offset=2)] == [h.permalink for h in everything[2:5]]


def test_query_text_is_bound_not_interpreted(store: Any) -> None:
    fill(store)
    evil = "robert'; DROP TABLE turns; SELECT '"
    assert store.search(evil) == []
    worse = "x'); DROP TABLE turns; --"
    assert store.search("sanctions", speaker=worse, outlet=worse, org=worse) == []
    assert store.stats().turns == 9
    # FTS5 operators typed as words are quoted, not obeyed
    assert to_fts5(parse_query("NEAR title:x")) == '("near" AND "title x")'


def test_bad_filter_values_name_the_choices(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as s:
        with pytest.raises(UsageError, match="question"):
            s.search("x", kind="questoin")
        with pytest.raises(UsageError, match="YYYY"):
            s.search("x", since="last year")
        with pytest.raises(UsageError, match="clear_non_reply"):
            s.search("x", clarity="evasive")


def test_tantivy_index_follows_store_changes(tmp_path: Path) -> None:
    s = open_store(tmp_path / "s.db", engine="tantivy")
    fill(s)
    assert len(s.search("pipeline")) == 2
    s.delete("t2")
    assert s.search("pipeline") == []
    s.add(make_transcript("t4", answer="A new pipeline."))
    assert ids(s.search("pipeline")) == ["t4#t2"]
    s.close()
    # a fresh process with a stale index on disk rebuilds it
    with open_store(tmp_path / "s.db", engine="tantivy") as again:
        assert ids(again.search("pipeline")) == ["t4#t2"]


def test_cli_search_formats_and_errors(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open_store(db) as s:
        fill(s)
    cmd = [str(Path(sys.executable).with_name("podium")), "search", "--db", str(db)]
    out = subprocess.run([*cmd, "pipeline", "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert '"permalink": "t2#t1"' in out.stdout
    out = subprocess.run([*cmd, "pipeline", "--format", "csv"], capture_output=True, text=True)
    assert out.stdout.splitlines()[0].startswith("permalink,date")
    assert len(out.stdout.splitlines()) == 3
    bad = subprocess.run([*cmd, '"north sea'], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.startswith("podium: error: search query") and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_semantic_and_hybrid_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tokenizers", reason="semantic search needs the embed extra")
    from podium.store.ingest import embed_missing

    with open_store(tmp_path / "s.db") as s:
        fill(s)
        with pytest.raises(UsageError, match="embeddings"):
            s.search("economic punishment", mode="semantic")
        assert embed_missing(s) == 9
        top = s.search("economic punishment of a country", mode="semantic", limit=3)
        assert any("sanction" in h.text for h in top[:2])
        in_org = s.search("economic punishment", mode="semantic", org="Harbour Council")
        assert in_org and {h.organisation for h in in_org} == {"Harbour Council"}
        monkeypatch.setattr(vector_index, "SMALL_FILTER", 0)  # the broad-filter path agrees
        broad = s.search("economic punishment", mode="semantic", org="Harbour Council")
        assert [h.permalink for h in broad] == [h.permalink for h in in_org]
        assert [h.score for h in broad] == pytest.approx([h.score for h in in_org], abs=1e-6)
        hybrid = s.search("pipeline", mode="hybrid", limit=3)
        assert hybrid[0].permalink in {"t2#t1", "t2#t2"}


def test_tantivy_and_fts5_agree_on_every_filter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Filters run inside tantivy must select exactly what the SQL filters select; a label
    filter listed in full (few turns) and one checked candidate by candidate (many) agree."""
    from _store_fixtures import conference_text

    from podium.parse import parse_document
    from podium.readers import read_bytes

    with open_store(tmp_path / "s.db", engine="tantivy") as s:
        for i in range(12):
            s.add(parse_document(read_bytes(conference_text(i).encode(), f"c{i}.txt")))
        fill(s)
        fts = open_store(tmp_path / "s.db", engine="fts5")
        cases = [
            {}, {"kind": "question"}, {"role": "journalist"}, {"org": "nato"}, {"since": "2024-03-10"},
            {"until": "2024-03-05", "kind": "answer"}, {"speaker": "olsen"}, {"outlet": "Radio North"},
            {"outlet": "CH", "kind": "question"}, {"speaker": "nobody at all"}, {"clarity": "clear_reply"},
            {"clarity": "clear_non_reply", "kind": "answer"}, {"transcript_id": "t2"},
            {"transcript_id": "c3", "kind": "question"},
        ]
        listed = {}
        for query in ("council OR sanctions", "decision", "north*", "pipeline OR sanctions"):
            for i, f in enumerate(cases):
                a = [h.permalink for h in s.search(query, limit=1000, **f)]
                b = {h.permalink for h in fts.search(query, limit=1000, **f)}
                assert set(a) == b, (query, f)
                listed[query, i] = a
        assert listed["pipeline OR sanctions", 11] == ["t2#t2"]
        monkeypatch.setattr(vector_index, "SMALL_FILTER", 0)
        for (query, i), a in listed.items():
            assert [h.permalink for h in s.search(query, limit=1000, **cases[i])] == a, (query, cases[i])
        assert len(s.search("decision", limit=1000, outlet="Radio North")) == 0
        assert len(s.search("council", limit=1000, since="2024-03-10")) > 0
        fts.close()


def test_search_without_query_or_filter_is_a_usage_error_on_the_command_line(tmp_path: Path) -> None:
    """The store browses everything for an empty query (the web's browse view); the command
    line, where a bare ``podium search`` is more likely a slip, asks for a query or filter."""
    db = tmp_path / "s.db"
    with open_store(db) as s:
        fill(s)
        assert len(s.search("", limit=50)) == s.stats().turns
    podium = str(Path(sys.executable).with_name("podium"))
    out = subprocess.run([podium, "search", "--db", str(db)], capture_output=True, text=True)
    assert out.returncode == 2 and "query or at least one filter" in out.stderr
    out = subprocess.run([podium, "search", "--db", str(db), "--clarity", "clear_non_reply", "-f", "json"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.count('"permalink"') == 2


def test_forgiving_queries(store: Any) -> None:
    """Pasted text reads as meant: typographic quotes make a phrase, a spaced dash is punctuation."""
    fill(store)
    assert ids(store.search("\u201cnorth sea\u201d")) == ids(store.search('"north sea"')) == ["t2#t1"]
    assert parse_query("war - and peace") == parse_query("war and peace")
    assert parse_query("war -") == parse_query("war")
    assert parse_query("gas -oil") == parse_query("gas NOT oil")
    assert ids(store.search("north - sea")) == ids(store.search("north sea"))


def test_every_exchange_of_a_large_result_set_streams_in_order(store: Any) -> None:
    """More exchanges than one lookup query holds (pairs are looked up in chunks), listed in full
    by iter_search in the same order as paging through search_exchanges."""
    from podium.store.searching import PAIRS_PER_QUERY

    n = PAIRS_PER_QUERY * 2 + 7
    for i in range(n):
        store.add(make_transcript(f"big{i:03d}", date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    streamed = [h.permalink for h in store.iter_search("dredging", by="exchange", batch=40)]
    paged = [h.permalink for off in range(0, n, 50)
             for h in store.search_exchanges("dredging", limit=50, offset=off)]
    assert len(streamed) == len(set(streamed)) == store.facets("dredging").exchanges == n
    assert streamed == paged
    assert len(store.search_exchanges("dredging", limit=n)) == n
    by_date = [h.date for h in store.iter_search("dredging", by="exchange", sort="date")]
    assert by_date == sorted(by_date, reverse=True) and len(by_date) == n
    turns = [h.permalink for h in store.iter_search("dredging", by="turn", batch=64)]
    assert len(turns) == len(set(turns)) == store.facets("dredging").total


def test_an_answer_shared_by_two_exchanges_shows_in_both(store: Any) -> None:
    """Hits are built from the exchanges joined to the turns that carry their index; a turn that
    answers two exchanges carries only the first one's, so the second must still find it."""
    from podium.model import Exchange, Question, Turn

    t = make_transcript("shared", question="Will the ferry run at night?", answer="Both: yes, from May.")
    q2 = "And will the night ferry stop at the pier?"
    turns = [*t.turns[:2], Turn(index=2, speaker=t.turns[1].speaker, kind="question", text=q2, span=(0, 1)),
             t.turns[2].model_copy(update={"index": 3})]
    first = t.exchanges[0].model_copy(update={"answer_turns": [3]})
    second = Exchange(index=1, asker=first.asker, outlet=first.outlet, question_turn=2, answer_turns=[3],
                      answered_by=first.answered_by, questions=[Question(index=0, text=q2, span=(0, 1))])
    store.add(t.model_copy(update={"turns": turns, "exchanges": [first, second]}))
    hits = store.search_exchanges("ferry", limit=10)
    assert sorted(h.exchange_index for h in hits) == [0, 1]
    assert all("from May" in h.answer_start and h.answerer == "Maren Olsen" for h in hits)
    [alone] = store.search_exchanges("pier", limit=10)  # the second exchange without the first
    assert alone.exchange_index == 1 and "from May" in alone.answer_start
