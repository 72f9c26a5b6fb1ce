"""A small transcript of our own with awkward text, for the export tests.

Its text has commas, double quotes, newlines inside turns, markup-like text, Chinese,
Arabic, Cyrillic and an emoji, a journalist without a name, a two-turn answer and an
analysed question (clarity/evasion, answer spans). It is built through the model (not parsed)
so each test knows exactly what every field holds; spans index into ``PLAIN`` as the spec
requires.
"""

from __future__ import annotations

from podium.model import (
    Exchange,
    Metadata,
    Participant,
    Question,
    Score,
    Source,
    Transcript,
    Turn,
)

TURNS = [
    ("chen-wei", "statement", "opening", None,
     'Good morning, everyone.\nToday: "trade, tariffs & talks" — 贸易谈判.'),
    ("li-na", "moderation", "qa", None, "First question, please; the floor is yours."),
    ("anon", "question", "qa", "in_room",
     'Спасибо. Is the deal "final", or not?\nAnd what does <script>alert(1)</script> mean here?'),
    ("chen-wei", "answer", "qa", None, "It is final, as of today.\nMore, later, perhaps."),
    ("chen-wei", "answer", "qa", None, "سؤال جيد — and on the second point: no comment. 🙂"),
    ("li-na", "moderation", "qa", None, 'Next: Ana "Q" O\'Brien, from El Diario, online.'),
    ("ana-obrien", "question", "qa", "remote", "¿Cuándo? When, exactly, will it start?"),
    ("chen-wei", "answer", "qa", None, "Soon."),
    ("li-na", "closing", "closing", None, "Thank you, all."),
]


def _build() -> tuple[str, Transcript]:
    plain, turns = "", []
    for i, (who, kind, section, channel, text) in enumerate(TURNS):
        plain += f"{who}: "
        start = len(plain)
        plain += text
        turns.append(Turn(index=i, speaker=who, label=who, kind=kind, section=section,  # type: ignore[arg-type]
                          channel=channel, text=text, span=(start, len(plain))))
        plain += "\n\n"

    def span_of(i: int, part: str) -> tuple[int, int]:
        a = turns[i].span[0] + turns[i].text.index(part)
        return (a, a + len(part))

    q0 = 'Is the deal "final", or not?'
    q1 = "And what does <script>alert(1)</script> mean here?"
    q2 = "When, exactly, will it start?"
    t = Transcript(
        id="fixture-2024-02-29-awkward",
        source=Source(path="fixture.txt", format="text", sha256="0" * 64),
        metadata=Metadata(title='Briefing on "trade", tariffs & <talks>', event_type="briefing",
                          organisation="Ministry of Fixtures", principal="Chen Wei",
                          date="2024-02-29", language="en"),
        participants=[
            Participant(id="chen-wei", name="Chen Wei", role="principal", title="Minister, Trade",
                        organisation="Ministry of Fixtures", labels=["chen-wei"]),
            Participant(id="li-na", name="Li Na", role="moderator", title="spokesperson", labels=["li-na"]),
            Participant(id="anon", name=None, role="journalist", outlet="Новая газета",
                        outlet_name="Новая газета", labels=["anon"]),
            Participant(id="ana-obrien", name='Ana "Q" O\'Brien', role="journalist",
                        outlet="El Diario, Madrid", outlet_name="El Diario, Madrid", labels=["ana-obrien"]),
        ],
        turns=turns,
        exchanges=[
            Exchange(index=0, asker="anon", outlet="Новая газета", channel="in_room", moderation_turn=1,
                     question_turn=2, answer_turns=[3, 4], answered_by=["chen-wei"],
                     questions=[
                         Question(index=0, text=q0, span=span_of(2, q0),
                                  answer_spans=[span_of(3, "It is final, as of today.")],
                                  clarity=Score(label="clear_reply", score=0.9),
                                  evasion=Score(label="explicit", score=0.8)),
                         Question(index=1, text=q1, span=span_of(2, q1),
                                  clarity=Score(label="clear_non_reply", score=0.7),
                                  evasion=Score(label="declining", score=0.6)),
                     ]),
            Exchange(index=1, asker="ana-obrien", outlet="El Diario, Madrid", channel="remote",
                     moderation_turn=5, question_turn=6, answer_turns=[7], answered_by=["chen-wei"],
                     questions=[Question(index=0, text=q2, span=span_of(6, q2))]),
        ],
    )
    return plain, t


PLAIN, AWKWARD = _build()


def awkward() -> Transcript:
    """A fresh deep copy, so a test may change it freely."""
    return AWKWARD.model_copy(deep=True)
