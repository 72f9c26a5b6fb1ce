"""NATO page layouts beyond the reference transcript, on small transcripts written for Podium.

Each fixture in ``tests/fixtures/nato`` imitates one layout seen on nato.int: an older date
block, a French "Mis à jour le", no date block at all, a photo caption and a repeated title,
labels on their own line, capitalised labels with a bracketed office, joint press
conferences with two principals, doorstep Q&A, and bulleted lists inside a statement.
"""

from __future__ import annotations

from pathlib import Path

from podium import Transcript, parse_file

FIX = Path(__file__).parent / "fixtures" / "nato"


def _parse(name: str) -> Transcript:
    return parse_file(FIX / name)


def _shape(t: Transcript) -> list[tuple[str | None, str]]:
    return [(t.turns[i].speaker, t.turns[i].kind) for i in range(len(t.turns))]


def test_old_date_format_bullet_list_and_capital_labels() -> None:
    t = _parse("doorstep-old-date.txt")
    m = t.metadata
    assert m.title == (
        "Doorstep statement by NATO Secretary General Jens Stoltenberg at the start of the "
        "meeting of NATO Defence Ministers"
    )
    assert (m.event_type, m.date, m.last_updated) == ("doorstep", "2017-05-25", "2017-05-25T09:01")
    assert m.principal == "Jens Stoltenberg" and m.delivery == "unknown"
    # The bulleted list belongs to the statement, not to the date block.
    assert "fair burden sharing." in t.turns[0].text and t.turns[0].text.startswith("Good morning.")
    sg = "jens-stoltenberg"
    assert _shape(t) == [(sg, "statement"), ("question", "question"), (sg, "answer"),
                         ("question", "question"), (sg, "answer")]
    assert t.participant(sg).title == "NATO Secretary General"  # type: ignore[union-attr]
    assert [len(e.questions) for e in t.exchanges] == [1, 1]
    assert all(e.asker == "question" and e.answered_by == [sg] for e in t.exchanges)


def test_french_last_updated_and_labels_on_their_own_line() -> None:
    t = _parse("french-date-label-own-line.txt")
    m = t.metadata
    assert m.title == "Press point by NATO Secretary General Jens Stoltenberg with the President of Finland"
    assert (m.date, m.last_updated, m.event_type) == ("2021-05-05", "2021-05-05T12:40", "press_conference")
    mod = t.participant("oana-lungescu")
    assert mod is not None and mod.role == "moderator" and mod.title == "NATO Spokesperson"
    assert [tu.kind for tu in t.turns] == ["statement", "moderation", "question", "answer", "closing"]
    assert t.turns[2].text == "Do you see Finland joining the Alliance soon?"  # label line not in text
    assert len(t.exchanges) == 1 and t.exchanges[0].moderation_turn == 1


def test_no_date_block_title_on_first_line() -> None:
    t = _parse("no-header.txt")
    assert t.metadata.title.startswith("Press conference by NATO Secretary General")  # type: ignore[union-attr]
    assert t.metadata.date is None and t.metadata.event_type == "press_conference"
    assert t.turns[0].text.startswith("Good afternoon.")
    assert [e.question_turn for e in t.exchanges] == [1, 3]


def test_caption_and_repeated_title_are_skipped_and_statement_has_no_exchanges() -> None:
    t = _parse("caption-repeated-title.txt")
    assert t.metadata.delivery == "as_delivered" and t.metadata.event_type == "speech"
    assert t.metadata.principal == "Mircea Geoană"
    assert len(t.turns) == 1 and t.exchanges == []
    body = t.turns[0].text
    assert body.startswith("Seventy-four years ago") and "through partnership." in body
    assert body.endswith("Thank you.")


def test_joint_press_conference_two_principals_answer() -> None:
    t = _parse("joint-press-conference.txt")
    m = t.metadata
    assert m.event_type == "joint_press_conference" and m.principal == "Jens Stoltenberg"
    assert m.title.endswith("and the Prime Minister of Norway, Jonas Gahr Støre")  # type: ignore[union-attr]
    roles = {p.id: p.role for p in t.participants}
    assert roles["jens-stoltenberg"] == roles["jonas-gahr-store"] == "principal"
    # The photo caption is not a turn; the first words are the Prime Minister's.
    assert t.turns[0].speaker == "jonas-gahr-store" and t.turns[0].text.startswith("Welcome to Oslo")
    first, second = t.exchanges
    assert first.answered_by == ["jonas-gahr-store", "jens-stoltenberg"] and first.outlet == "NRK"
    assert second.asker == "ola-hansen" and len(second.questions) == 2
    assert t.turns[-1].kind == "closing"
