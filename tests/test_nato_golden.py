"""The NATO reference transcript, checked turn by turn against what a careful reader sees.

Expectations were written by hand from reading the file, not generated from the parser.
"""

from __future__ import annotations

import pytest

from podium import Transcript

SG = "jens-stoltenberg"
MOD = "oana-lungescu"

# (speaker, kind, section, channel) for each of the 17 turns, in order.
TURNS = [
    (SG, "statement", "opening", None),
    (MOD, "moderation", "qa", None),
    ("matthias-kolb", "question", "qa", "in_room"),
    (SG, "answer", "qa", None),
    (MOD, "moderation", "qa", None),
    ("rikard-jozwiak", "question", "qa", "remote"),
    (SG, "answer", "qa", None),
    (MOD, "moderation", "qa", None),
    ("brooks-tigner", "question", "qa", "remote"),
    (SG, "answer", "qa", None),
    (MOD, "moderation", "qa", None),
    ("iryna-somer", "question", "qa", "in_room"),
    (SG, "answer", "qa", None),
    (MOD, "moderation", "qa", None),
    ("alf-bjarne-johnsen", "question", "qa", "remote"),
    (SG, "answer", "qa", None),
    (MOD, "closing", "closing", None),
]

# (asker, outlet as written, channel, moderation turn, question turn, answer turns, n questions)
EXCHANGES = [
    ("matthias-kolb", "SDZ", "in_room", 1, 2, [3], 2),
    ("rikard-jozwiak", "Radio Free Europe/ Radio Liberty", "remote", 4, 5, [6], 2),
    ("brooks-tigner", "Jane’s Defence Weekly", "remote", 7, 8, [9], 1),
    ("iryna-somer", "Interfax-Ukraine", "in_room", 10, 11, [12], 4),
    ("alf-bjarne-johnsen", "Verdens Gang", "remote", 13, 14, [15], 3),
]


def test_metadata(nato: Transcript) -> None:
    m = nato.metadata
    assert m.title == (
        "Press Conference by NATO Secretary General Jens Stoltenberg following the meeting "
        "of the North Atlantic Council Meeting with the National Security Advisers"
    )
    assert m.event_type == "press_conference"
    assert m.organisation == "NATO"
    assert m.principal == "Jens Stoltenberg"
    assert m.date == "2021-10-07"
    assert m.last_updated == "2021-10-07T16:36"
    assert m.delivery == "as_delivered"
    assert m.language == "en"
    assert nato.id.startswith("nato-2021-10-07-")
    assert nato.source.format == "text" and len(nato.source.sha256) == 64


def test_turns(nato: Transcript) -> None:
    got = [(t.speaker, t.kind, t.section, t.channel) for t in nato.turns]
    assert got == TURNS
    assert [t.index for t in nato.turns] == list(range(17))
    kinds = [t.kind for t in nato.turns]
    assert (kinds.count("statement"), kinds.count("moderation"), kinds.count("question")) == (1, 5, 5)
    assert (kinds.count("answer"), kinds.count("closing")) == (5, 1)


def test_turn_text_and_labels(nato: Transcript) -> None:
    opening = nato.turns[0]
    assert opening.label is None
    assert opening.text.startswith("Good afternoon.")
    assert opening.text.endswith("With that, I am ready to take your questions.")
    assert nato.turns[1].label == "Oana Lungescu, spokesperson"
    assert nato.turns[2].label == "Matthias Kolb (SDZ)"
    assert nato.turns[2].text.startswith("Secretary General, two questions, if I may.")
    assert nato.turns[3].label == "Jens Stoltenberg, Secretary General"
    assert nato.turns[14].label == "Alf Bjarne Johnsen (Verdens Gang)"
    assert nato.turns[16].text == "Thank you very much. This concludes this press conference. Thank you."
    for t in nato.turns:  # no label text leaks into a turn, no turn is empty
        assert t.text and not t.text[0].isspace() and not t.text.endswith((" ", "\n"))
        assert "spokesperson:" not in t.text and "Secretary General:" not in t.text


def test_participants(nato: Transcript) -> None:
    by_id = {p.id: p for p in nato.participants}
    assert set(by_id) == {
        SG, MOD, "matthias-kolb", "rikard-jozwiak", "brooks-tigner", "iryna-somer",
        "alf-bjarne-johnsen",
    }
    sg = by_id[SG]
    assert (sg.name, sg.role, sg.title, sg.organisation) == (
        "Jens Stoltenberg", "principal", "Secretary General", "NATO",
    )
    assert sg.labels == ["Jens Stoltenberg, Secretary General"]
    mod = by_id[MOD]
    assert (mod.name, mod.role, mod.title) == ("Oana Lungescu", "moderator", "spokesperson")
    journalists = {p.id for p in nato.participants if p.role == "journalist"}
    assert journalists == {e[0] for e in EXCHANGES}
    assert by_id["matthias-kolb"].outlet == "SDZ"
    assert by_id["matthias-kolb"].outlet_name == "Süddeutsche Zeitung"
    assert by_id["alf-bjarne-johnsen"].outlet == "Verdens Gang"
    assert by_id["rikard-jozwiak"].outlet == "Radio Free Europe/ Radio Liberty"
    assert by_id["iryna-somer"].outlet == "Interfax-Ukraine"
    assert by_id["brooks-tigner"].outlet == "Jane’s Defence Weekly"


def test_exchanges(nato: Transcript) -> None:
    got = [
        (e.asker, e.outlet, e.channel, e.moderation_turn, e.question_turn, e.answer_turns, len(e.questions))
        for e in nato.exchanges
    ]
    assert got == EXCHANGES
    assert all(e.answered_by == [SG] for e in nato.exchanges)
    assert [e.index for e in nato.exchanges] == list(range(5))


@pytest.mark.parametrize(
    ("exchange", "index", "start", "end"),
    [
        (0, 0, "Can you elaborate a little bit more what Jake Sullivan said", "in the future?"),
        (0, 1, "Are you afraid that NATO's planned cooperation", "by the recent developments?"),
        (1, 0, "I wonder if you can expand a bit more", "why this happened now."),
        (1, 1, "If you can say a bit whether they were carrying out", "earlier this year."),
        (2, 0, "Is there any sense or evolving consensus", "in that region?"),
        (3, 0, "So what actually do you have in mind", "do you expect?"),
        (3, 1, "Will it be in format of Summit declaration", "Strategic Concept?"),
        (3, 2, "And do you consult with these aspirant countries?", "aspirant countries?"),
        (3, 3, "And by the way, do you have a date for the Summit yet.", "Summit yet."),
        (4, 0, "I would like you to elaborate a little bit more about Russia", "Mr. Stoltenberg."),
        (4, 1, "So how do NATO motivate that decision", "relations in general."),
        (4, 2, "And is this the time to for any NATO voices", "sanctions on Russia."),
    ],
)
def test_individual_questions(nato: Transcript, exchange: int, index: int, start: str, end: str) -> None:
    q = nato.exchanges[exchange].questions[index]
    assert q.index == index
    assert q.text.startswith(start) and q.text.endswith(end)


def test_line_checks_are_not_questions(nato: Transcript) -> None:
    texts = [q.text for e in nato.exchanges for q in e.questions]
    assert not any("Can you hear me?" in t for t in texts)
    assert not any(t.startswith(("Thank", "That's correct", "I hope you hear me")) for t in texts)


def test_spans_slice_back(nato: Transcript, seed_path) -> None:  # noqa: ANN001
    from podium import readers

    plain = readers.read(seed_path).plain
    for t in nato.turns:
        assert plain[t.span[0] : t.span[1]] == t.text
    for e in nato.exchanges:
        turn = nato.turns[e.question_turn]
        for q in e.questions:
            assert plain[q.span[0] : q.span[1]] == q.text
            assert turn.span[0] <= q.span[0] < q.span[1] <= turn.span[1]
