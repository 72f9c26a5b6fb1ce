"""The ConvoKit export, loaded by the real ``convokit`` package (``Corpus(filename=...)``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from export_fixture import AWKWARD, awkward

from podium.export.convokit import FILES, write_convokit
from podium.model import Transcript

convokit = pytest.importorskip(
    "convokit", reason="needs the convokit extra (docs/exports.md)"
)


@pytest.fixture
def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Export transcripts and load the folder with ConvoKit (its config file goes to tmp)."""
    monkeypatch.setenv("HOME", str(tmp_path))

    def _load(*transcripts: Transcript) -> Any:
        folder = tmp_path / "corpus"
        write_convokit(list(transcripts), folder)
        assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
        return convokit.Corpus(filename=str(folder))

    return _load


def test_reference_conversation_and_reply_chains(load, nato: Transcript) -> None:  # noqa: ANN001
    corpus = load(nato)
    assert len(corpus.conversations) == 1 and len(corpus.utterances) == 17
    convo = next(corpus.iter_conversations())
    assert convo.meta["organisation"] == "NATO" and convo.meta["date"] == "2021-10-07"
    assert convo.meta["n_exchanges"] == 5 and convo.meta["n_questions"] == 12
    utts = convo.get_chronological_utterance_list()
    assert [u.text for u in utts] == [t.text for t in nato.turns]
    assert utts[0].reply_to is None and convo.id == utts[0].id
    by_turn = {u.meta["turn_index"]: u for u in utts}
    for ex in nato.exchanges:
        q = by_turn[ex.question_turn]
        hand_off = by_turn[ex.moderation_turn]
        assert q.reply_to == hand_off.id and q.meta["is_question"] and not q.meta["is_answer"]
        assert hand_off.meta["kind"] == "moderation" and hand_off.meta["is_handoff"]
        assert hand_off.meta["next_id"] == q.id
        for a in ex.answer_turns:
            ans = by_turn[a]
            assert ans.reply_to == q.id and ans.meta["is_answer"] and not ans.meta["is_question"]
            assert ans.meta["pair_idx"] == q.meta["pair_idx"] == hand_off.meta["pair_idx"]
        assert q.meta["channel"] == ex.channel and q.meta["outlet"] == ex.outlet
        assert q.meta["questions"] == [x.text for x in ex.questions]
    assert len({u.meta["pair_idx"] for u in utts if u.meta["pair_idx"]}) == 5
    # One tree: ConvoKit can walk it from the root and reaches every utterance.
    assert convo.check_integrity(verbose=False)
    assert len(list(convo.traverse("dfs"))) == 17


def test_reference_speakers(load, nato: Transcript) -> None:  # noqa: ANN001
    corpus = load(nato)
    assert len(corpus.speakers) == 7
    kolb = corpus.get_speaker("matthias-kolb")
    assert kolb.meta["role"] == "journalist" and kolb.meta["outlet"] == "SDZ"
    assert kolb.meta["outlet_name"] == "Süddeutsche Zeitung"
    boss = corpus.get_speaker("jens-stoltenberg")
    assert boss.meta["role"] == "principal" and boss.meta["title"] == "Secretary General"
    assert corpus.get_speaker("oana-lungescu").meta["role"] == "moderator"
    askers = {u.speaker.id for u in corpus.iter_utterances(lambda u: u.meta["is_question"])}
    assert askers == {ex.asker for ex in nato.exchanges}


def test_several_transcripts_share_named_speakers(load, nato: Transcript) -> None:  # noqa: ANN001
    other = awkward()
    corpus = load(nato, other, nato)  # the repeat of nato is skipped, not duplicated
    assert len(corpus.conversations) == 2
    assert len(corpus.utterances) == len(nato.turns) + len(other.turns)
    assert corpus.get_speaker("jens-stoltenberg").meta["n_conversations"] == 1
    # An unnamed journalist is a speaker of that transcript only.
    anon = corpus.get_speaker(f"{AWKWARD.id}:anon")
    assert anon.meta["outlet"] == "Новая газета" and anon.meta["name"] is None
    convo = corpus.get_conversation(f"{AWKWARD.id}.0")
    assert [u.text for u in convo.get_chronological_utterance_list()] == [t.text for t in AWKWARD.turns]
    # A two-turn answer: both turns reply to the question.
    assert [corpus.get_utterance(f"{AWKWARD.id}.{i}").reply_to for i in (3, 4)] == [f"{AWKWARD.id}.2"] * 2
    assert convo.check_integrity(verbose=False)


def test_index_lists_metadata_types(tmp_path: Path, nato: Transcript) -> None:
    write_convokit([nato], tmp_path)
    index = json.loads((tmp_path / "index.json").read_text())
    assert index["utterances-index"]["is_question"] == ["<class 'bool'>"]
    assert index["utterances-index"]["turn_index"] == ["<class 'int'>"]
    assert index["conversations-index"]["location"] == []  # only None seen: any type
    assert json.loads((tmp_path / "corpus.json").read_text())["num_utterances"] == 17
