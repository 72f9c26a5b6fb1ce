"""Shared helpers for the store, search and ingest tests: stores to test against and
small transcripts written for these tests (never copies of shared data)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from podium.model import Exchange, Metadata, Participant, Question, Score, Source, Transcript, Turn

SHARED = Path(__file__).parents[1] / ".." / "shared"
SHARED_DATA = SHARED / "data"
EXAMPLES = Path(__file__).parents[1] / "examples"


def pg_url() -> str:
    """The test server URL from ``PODIUM_TEST_PG``; in CI its absence is a failure."""
    url = os.environ.get("PODIUM_TEST_PG")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("PODIUM_TEST_PG is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("PostgreSQL tests skipped: set PODIUM_TEST_PG=postgresql://… (.ci/run does)")
    try:
        import psycopg
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("psycopg is not installed in CI: install the postgres extra")
        pytest.skip("PostgreSQL tests skipped: pip install 'podium[postgres]'")
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {url} does not answer in CI: {exc}")
        pytest.skip(f"PostgreSQL at {url} does not answer: {exc}")
    return url


def open_test_store(kind: str, tmp_path: Path, **options: Any) -> Any:
    """A fresh, empty store of ``kind``: sqlite (tantivy), fts5 (sqlite) or postgresql."""
    from podium.store import open_store

    if kind == "postgresql":
        schema = f"podium_test_{uuid.uuid4().hex[:12]}"
        sep = "&" if "?" in pg_url() else "?"
        store = open_store(f"{pg_url()}{sep}schema={schema}")
        store._test_schema = schema
        return store
    if kind == "fts5":
        options["engine"] = "fts5"
    return open_store(tmp_path / f"{kind}.db", **options)


def drop_test_store(store: Any) -> None:
    """Close a store, dropping its PostgreSQL schema if it has one."""
    schema = getattr(store, "_test_schema", None)
    if schema:
        store.conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    store.close()


@pytest.fixture(params=["sqlite", "fts5", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Each test using it runs on SQLite+tantivy, SQLite+FTS5 and PostgreSQL."""
    s = open_test_store(request.param, tmp_path)
    yield s
    drop_test_store(s)


def make_transcript(
    tid: str,
    *,
    org: str = "Harbour Council",
    date: str = "2024-03-14",
    principal: tuple[str, list[str]] = ("Maren Olsen", ["Maren Olsen, Chair"]),
    journalist: tuple[str | None, list[str], str | None, str | None] = ("Lena Park", ["Lena Park (CH)"], "CH", "Coastal Herald"),
    question: str = "How much will the dredging cost?",
    answer: str = "The dredging is budgeted at four million.",
    statement: str = "The council agreed a plan to dredge the northern channel.",
    clarity: str | None = None,
) -> Transcript:
    """A small, valid transcript: a statement, one question, one answer."""
    pname, plabels = principal
    jname, jlabels, outlet, outlet_name = journalist
    texts = [statement, question, answer]
    plain, spans, pos = "", [], 0
    for t in texts:
        spans.append((pos, pos + len(t)))
        plain += t + "\n\n"
        pos = len(plain)
    pid, jid = "p-" + tid, "j-" + tid
    return Transcript(
        id=tid,
        source=Source(path=f"{tid}.txt", sha256=(tid.encode().hex() * 64)[:64]),
        metadata=Metadata(title=f"Press conference {tid}", organisation=org, date=date, principal=pname,
                          event_type="press_conference", language="en"),
        participants=[
            Participant(id=pid, name=pname, role="principal", organisation=org, labels=plabels),
            Participant(id=jid, name=jname, role="journalist", outlet=outlet, outlet_name=outlet_name,
                        labels=jlabels),
        ],
        turns=[
            Turn(index=0, speaker=pid, kind="statement", section="opening", text=statement, span=spans[0]),
            Turn(index=1, speaker=jid, kind="question", text=question, span=spans[1], channel="in_room"),
            Turn(index=2, speaker=pid, kind="answer", text=answer, span=spans[2]),
        ],
        exchanges=[
            Exchange(index=0, asker=jid, outlet=outlet, question_turn=1, answer_turns=[2], answered_by=[pid],
                     questions=[Question(index=0, text=question, span=spans[1],
                                         clarity=Score(label=clarity, score=0.9) if clarity else None)]),
        ],
    )


def conference_text(i: int) -> str:
    """A press-conference transcript in the plain-text layout the parser reads (our own words)."""
    topics = ["ferry fares", "harbour dredging", "night crossings", "fishing quotas", "port security",
              "winter storms", "cargo tariffs", "pier repairs"]
    topic = topics[i % len(topics)]
    day = 1 + i % 28
    return f"""Press Conference

by Harbour Council Chair Maren Olsen after meeting number {i} of the Harbour Council

  • {day} Mar. 2024 -
  • |
  • Last updated: {day} Mar. 2024 17:05

(As delivered)

Good afternoon. Today the council discussed {topic} in detail, meeting {i}.

We also agreed to publish the minutes of meeting {i} next week.

Tomas Reyes, spokesperson: We will start in the room with Lena Park from the Coastal Herald.

Lena Park (CH): Thank you. What will the decision on {topic} cost the ferry operators? And when will it take effect?

Maren Olsen, Chair: The decision on {topic} costs nothing this year; it takes effect in May.

Tomas Reyes, spokesperson: Next, Sami Virtanen from Radio North.

Sami Virtanen (Radio North): Will the council revisit {topic} after the summer season?

Maren Olsen, Chair: We will review it in September, as always.

Tomas Reyes, spokesperson: Thank you very much. This concludes this press conference.
"""
