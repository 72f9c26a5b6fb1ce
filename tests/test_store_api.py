"""The name registry's rules and the ``Corpus`` Python API."""

from __future__ import annotations

from pathlib import Path

import pytest
from _store_fixtures import make_transcript

import podium
from podium.names import NameKey, display_name, name_key, slugify


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("MS. PSAKI", NameKey(None, "psaki")),
        ("Press Secretary Psaki", NameKey(None, "psaki")),
        ("Jen Psaki", NameKey("jen", "psaki")),
        ("Jens Stoltenberg, Secretary General", NameKey("jens", "stoltenberg")),
        ("Matthias Kolb (SDZ)", NameKey("matthias", "kolb")),
        ("Dr. Anthony Fauci", NameKey("anthony", "fauci")),
        ("Presidente Andrés Manuel López Obrador", NameKey("andres", "obrador")),
        ("Q", None),
        ("THE PRESIDENT", None),
        ("Senior Administration Official", None),
        ("", None),
    ],
)
def test_name_keys(label: str, key: NameKey | None) -> None:
    assert name_key(label) == key


def test_display_names_and_slugs() -> None:
    assert display_name("MS. PSAKI") == "Psaki"
    assert display_name("Jens Stoltenberg, Secretary General") == "Jens Stoltenberg"
    assert slugify("Süddeutsche Zeitung") == "suddeutsche-zeitung"


def test_corpus_api_search_to_pandas_and_pages(tmp_path: Path) -> None:
    assert "Corpus" in podium.__all__
    with podium.Corpus(str(tmp_path / "c.db")) as corpus:
        corpus.store.add(make_transcript("t1", answer="Sanctions will stay."))
        corpus.store.add(make_transcript("t2", date="2025-01-01"))
        hits = corpus.search("sanctions")
        assert len(hits) == 1 and hits[0].permalink == "t1#t2"
        assert hits.to_dicts()[0]["speaker"] == "Maren Olsen"
        assert [t.id for t in corpus] == ["t1", "t2"]
        assert corpus.transcripts().items[0].transcript_id == "t2"
        assert corpus.facets("dredging").total == 5  # stems: dredge, dredging
        pd = pytest.importorskip("pandas", reason="to_pandas needs pandas (the pandas extra)")
        frame = corpus.search("dredging", limit=10).to_pandas()
        assert isinstance(frame, pd.DataFrame) and len(frame) == 5
        assert {"permalink", "snippet", "score", "date"} <= set(frame.columns)
