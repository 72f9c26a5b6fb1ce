"""``podium datasette-metadata``: Datasette, driven through its own test client, serves a store
of shared transcripts with described tables, facets, full-text search and canned queries whose
permalinks open in ``podium serve``.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datasette", reason="datasette is in the test extra: pip install -e '.[test]'")

from datasette.app import Datasette  # noqa: E402
from export_fixture import awkward  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from podium.cli import app  # noqa: E402
from tests.conftest import SEED, SHARED, need_shared  # noqa: E402

BASE = "http://podium.example:8123"
ECB = SHARED / "data" / "transcripts" / "ecb"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference transcript, three ECB press conferences, and our analysed fixture."""
    need_shared()
    from podium import parse_file
    from podium.store import open_store

    path = tmp_path_factory.mktemp("ds") / "corpus.db"
    with open_store(path, engine="fts5") as s:
        for f in [SEED, *sorted(ECB.glob("*.txt"))[:3]]:
            s.add(parse_file(f))
        s.add(awkward())  # clarity labels need --analyze; the fixture carries real labels
    return path


@pytest.fixture(scope="module")
def meta(store: Path) -> dict[str, Any]:
    r = CliRunner().invoke(app, ["datasette-metadata", "--db", str(store), "--base-url", BASE + "/"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def _fetch(store: Path, meta: dict[str, Any], *paths: str) -> list[Any]:
    """GET each path from a Datasette serving ``store`` with ``meta``."""

    async def run() -> list[Any]:
        ds = Datasette([str(store)], metadata=meta)
        await ds.invoke_startup()
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(run())


def _sql(store: Path, query: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(store)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def test_tables_are_described_and_internals_hidden(store: Path, meta: dict[str, Any]) -> None:
    index, turns, internals = _fetch(store, meta, "/corpus", "/corpus/turns", "/corpus.json")
    assert index.status_code == turns.status_code == 200
    assert "A Podium store" in index.text
    assert "One row per turn: who spoke" in turns.text
    assert "<dt>speaker_role</dt><dd>principal, moderator, journalist, official or unknown</dd>" in turns.text
    hidden = {t["name"] for t in internals.json()["tables"] if t["hidden"]}
    assert {"store_info", "schema_migrations", "change_log", "turn_embeddings"} <= hidden
    assert "turns" not in hidden and "questions" not in hidden


def test_full_text_search_in_datasettes_own_box(store: Path, meta: dict[str, Any]) -> None:
    page, hits, none = _fetch(
        store, meta, "/corpus/turns", "/corpus/turns.json?_search=inflation&_shape=objects&_size=max",
        "/corpus/turns.json?_search=zzyzxnotaword&_shape=objects",
    )
    assert 'name="_search"' in page.text  # Datasette shows its search box only with an FTS table
    rows = hits.json()["rows"]
    expected = _sql(store, "select count(*) from turns_fts where turns_fts match 'inflation'")[0][0]
    assert len(rows) == expected > 5  # the ECB press conferences talk about inflation
    assert all("inflation" in r["text"].lower() for r in rows)
    assert none.json()["rows"] == []


def test_facets_show(store: Path, meta: dict[str, Any]) -> None:
    turns, questions = _fetch(store, meta, "/corpus/turns.json?_size=0", "/corpus/questions.json?_size=0")
    facets = turns.json()["facet_results"]
    assert {"kind", "speaker_role", "section", "channel"} <= set(facets)
    kinds = {v["value"]: v["count"] for v in facets["kind"]["results"]}
    assert kinds == dict(_sql(store, "select kind, count(*) from turns group by kind"))
    clarity = {v["value"]: v["count"] for v in questions.json()["facet_results"]["clarity_label"]["results"]}
    assert clarity == {"clear_reply": 1, "clear_non_reply": 1}


def test_canned_queries_return_rows_with_permalinks(store: Path, meta: dict[str, Any]) -> None:
    by_outlet, non_replies, asked, search = (
        r.json()["rows"] for r in _fetch(
            store, meta,
            "/corpus/questions_by_outlet.json?organisation=NATO&_shape=objects",
            "/corpus/clear_non_replies.json?_shape=objects",
            "/corpus/what_was_asked.json?person=STOLTENBERG&_shape=objects",
            "/corpus/search_turns.json?q=Russian+intelligence&_shape=objects",
        )
    )
    outlets = {r["outlet"]: (r["exchanges"], r["questions"]) for r in by_outlet}
    assert outlets["Süddeutsche Zeitung"] == (1, 2) and outlets["Interfax-Ukraine"] == (1, 4)
    assert len(outlets) == 5  # the NATO reference only: five outlets, one exchange each

    fixture = awkward()
    assert [r["question"] for r in non_replies] == [fixture.exchanges[0].questions[1].text]
    assert non_replies[0]["permalink"] == f"{BASE}/transcripts/{fixture.id}#t2"
    assert non_replies[0]["outlet"] == "Новая газета"

    assert len(asked) == 12  # every individual question Stoltenberg answered in the reference
    assert {r["asker"] for r in asked} >= {"Matthias Kolb", "Iryna Somer"}
    assert all(r["permalink"].startswith(f"{BASE}/transcripts/nato-2021-10-07-") for r in asked)

    assert search and search[0]["permalink"].startswith(f"{BASE}/transcripts/nato-2021-10-07-")
    assert "[Russian]" in search[0]["snippet"] or "[intelligence]" in search[0]["snippet"]


def test_permalinks_open_in_podium_serve(store: Path, meta: dict[str, Any]) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")
    from fastapi.testclient import TestClient

    from podium.web import create_app

    (resp,) = _fetch(store, meta, "/corpus/what_was_asked.json?person=stoltenberg&_shape=objects")
    client = TestClient(create_app(str(store), read_only=True))
    for row in resp.json()["rows"][:3]:
        path, anchor = row["permalink"][len(BASE):].split("#")
        page = client.get(path)
        assert page.status_code == 200 and f'id="{anchor}"' in page.text


def test_bad_stores_and_urls_are_one_line_errors(tmp_path: Path, store: Path) -> None:
    runner = CliRunner()
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello")
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    cases = [
        (["--db", str(tmp_path / "missing.db")], 1, "no such store"),
        (["--db", str(not_db)], 1, "not a SQLite database"),
        (["--db", str(empty)], 1, "not a Podium store"),
        (["--db", "postgresql://localhost/x"], 2, "SQLite files only"),
        (["--db", str(store), "--base-url", "javascript:alert(1)"], 2, "http:// or https://"),
    ]
    for args, code, needle in cases:
        r = runner.invoke(app, ["datasette-metadata", *args])
        assert r.exit_code == code, (args, r.output)
        assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_quotes_in_base_url_cannot_change_the_sql(store: Path) -> None:
    from podium.export.datasette import metadata

    meta = metadata(str(store), "http://x.example/it's")
    (resp,) = _fetch(store, meta, "/corpus/search_turns.json?q=sanctions&_shape=objects")
    rows = resp.json()["rows"]
    assert rows and rows[0]["permalink"].startswith("http://x.example/it's/transcripts/")
