"""Chinese search finds what a substring scan finds, on the Chinese MFA transcripts.

Han characters are written without spaces; the index holds their bigrams (``store/cjk.py``)
and counting, facets and date order match by substring, so every engine and every view
agrees with a plain ``in`` over the stored turns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from podium.store import open_store
from podium.store.cjk import bigrams, segment
from podium.web.views import words
from tests.conftest import SHARED, need_shared

ZH = SHARED / "data" / "transcripts" / "china_mfa" / "zh"
QUERIES = ["台湾", "美国", "一带一路", "中方", "香港", "新冠肺炎"]


@pytest.fixture(scope="module")
def zh_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_shared()
    from podium.store.ingest import ingest

    db = tmp_path_factory.mktemp("zh") / "zh.db"
    with open_store(str(db)) as store:
        report = ingest(store, [str(ZH)], jobs=1)
        assert not report.failed
    return db


def _containing(store: Any, word: str) -> set[str]:
    """Permalinks of every stored turn whose text contains ``word``, by plain substring scan."""
    found = set()
    for t in store.iter_transcripts():
        found |= {f"{t.id}#t{turn.index}" for turn in t.turns if word in turn.text}
    return found


@pytest.mark.parametrize("engine", ["tantivy", "fts5"])
def test_every_turn_containing_the_word_is_found(zh_db: Path, engine: str) -> None:
    with open_store(str(zh_db), engine=engine) as store:
        for word in QUERIES:
            expected = _containing(store, word)
            hits = store.search(word, limit=10_000)
            assert {h.permalink for h in hits} == expected, word
            assert store.facets(word).total == len(expected), word
            assert all(f"<mark>{word}" in h.snippet or word not in h.snippet for h in hits)
        taiwan = _containing(store, "台湾")
        assert len(taiwan) >= 10  # the shared files mention it in many turns, not one
        exchanges = store.search_exchanges("台湾", limit=1000)
        assert len(exchanges) == store.facets("台湾").exchanges > 0
        assert any("<mark>台湾</mark>" in q for h in exchanges for q in h.questions)


def test_a_longer_word_is_a_phrase_of_bigrams_not_any_of_them(zh_db: Path) -> None:
    with open_store(str(zh_db)) as store:
        # 台湾问题 must not match a turn that has 台湾 and 问题 apart but never together
        apart = _containing(store, "台湾") & _containing(store, "问题") - _containing(store, "台湾问题")
        found = {h.permalink for h in store.search("台湾问题", limit=10_000)}
        assert found == _containing(store, "台湾问题") and not found & apart


def test_segmentation_and_word_counts() -> None:
    assert bigrams("台湾问题") == ["台湾", "湾问", "问题"]
    assert segment("关于台湾问题，NATO said") == " 关于 于台 台湾 湾问 问题 ，NATO said"
    assert words("我们的立场是明确的。") == 9  # characters, not one "word" per clause
    assert words("We stand firm on this.") == 5
    assert words("中方 supports 和平") == 5


def test_source_urls_come_from_the_archive_index(zh_db: Path) -> None:
    """The MFA pages do not carry their address; the _index.csv beside them does (read by
    ``readers/catalogue.py``), and the store keeps it for the reader's source link."""
    import csv

    index = {r["file"]: r["source_url"] for r in csv.DictReader((ZH.parent / "_index.csv").open(encoding="utf-8"))}
    with open_store(str(zh_db)) as store:
        stored = list(store.iter_transcripts())
        assert stored
        for t in stored:
            assert t.source.url == index[f"zh/{Path(t.source.path or '').name}"]


JAPANESE = """外務報道官会見記録（令和7年6月4日）

報道官：本日は一点ご報告があります。来週、外務大臣が東南アジアを訪問します。

記者：共同通信の鈴木です。訪問の日程について教えてください。ありがとうございます。

報道官：日程は調整中です。決まり次第お知らせします。

記者：時事通信の中村です。首脳会談は予定されていますか。

報道官：現時点で申し上げることはありません。ありがとうございました。
"""


@pytest.mark.parametrize("engine", ["tantivy", "fts5"])
def test_japanese_kana_and_kanji_are_found_like_chinese(tmp_path: Path, engine: str) -> None:
    """Kana are CJK characters too: a word mixing kanji and kana finds every turn holding it."""
    from podium.store.ingest import ingest

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kaiken.txt").write_text(JAPANESE, encoding="utf-8")
    db = tmp_path / "ja.db"
    with open_store(str(db), engine=engine) as store:
        assert not ingest(store, [str(tmp_path / "in")], jobs=1).failed
        for word in ("ありがとう", "日程", "首脳会談", "外務大臣"):
            expected = _containing(store, word)
            assert expected, word
            assert {h.permalink for h in store.search(word, limit=100)} == expected, word
        assert not store.search("会談首脳", limit=100)  # the bigrams in another order are no match
