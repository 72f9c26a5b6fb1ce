"""Spanish without its accents: "politica" finds, lists and highlights "política", on the
Mexican presidency's transcripts, with tantivy and with FTS5.

FTS5 removes diacritics; tantivy's index folds to ASCII before stemming (``TEXT_ANALYZER``).
Before it did, tantivy listed no hit for "politica" while the count (made by FTS5) said 134.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from podium.store import open_store
from tests.conftest import SHARED, need_shared

MX = SHARED / "data" / "transcripts" / "mexico_mananeras" / "corpus"
ACCENTED = re.compile(r"\bpolíticas?\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def mx_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_shared()
    from podium.store.ingest import ingest

    files = [f for f in sorted(MX.glob("*.md")) if ACCENTED.search(f.read_text(encoding="utf-8"))][:6]
    assert len(files) == 6
    db = tmp_path_factory.mktemp("mx") / "mx.db"
    with open_store(str(db)) as store:
        assert not ingest(store, [str(f) for f in files], jobs=1).failed
    return db


@pytest.mark.parametrize("engine", ["tantivy", "fts5"])
def test_a_word_typed_without_accents_finds_and_marks_the_accented_word(mx_db: Path, engine: str) -> None:
    with open_store(str(mx_db), engine=engine) as store:
        # every turn where the word stands with its accent, by a plain scan of the stored text
        expected = {f"{t.id}#t{turn.index}" for t in store.iter_transcripts() for turn in t.turns
                    if ACCENTED.search(turn.text)}
        assert len(expected) >= 6
        plain = store.search("politica", limit=10_000)
        accented = store.search("política", limit=10_000)
        assert {h.permalink for h in plain} == {h.permalink for h in accented} >= expected
        assert len(plain) == store.facets("politica").total  # the count and the list agree
        assert all(re.search(r"<mark>[^<]*[ií]tica", h.snippet, re.IGNORECASE) for h in plain)
        exchanges = store.search_exchanges("politica", limit=1000)
        assert len(exchanges) == store.facets("politica").exchanges > 0
        assert any("<mark>" in q for h in exchanges for q in h.questions) or any(
            "<mark>" in h.answer_start for h in exchanges)


def test_a_prefix_lists_every_turn_its_count_promises(mx_db: Path) -> None:
    """``word*`` is stemmed and folded like the index terms ("gobiernos*" → gobierno.*), as FTS5
    does; before, tantivy matched the raw prefix against stemmed terms and listed almost none
    (on the demo corpus "vaccine*" listed 2 of 769 turns)."""
    with open_store(str(mx_db), engine="tantivy") as tantivy, open_store(str(mx_db), engine="fts5") as fts5:
        for q in ("gobiernos*", "políticas*", "Presidentes*"):
            listed = {h.permalink for h in tantivy.search(q, limit=10_000)}
            assert listed == {h.permalink for h in fts5.search(q, limit=10_000)}, q
            assert len(listed) == tantivy.facets(q).total > 0, q
