"""Step ``split``: cut each question turn into its individual questions.

A sentence is a question when it ends with a question mark, opens like a question
("do you have a date for the Summit yet."), or asks indirectly ("I wonder if you can
expand…", "If you can say whether…"). Line checks ("Can you hear me?") are not questions,
and a sentence opening with "Or" continues the question before it. The patterns are
language data (``parse/lang/<code>.toml``).
"""

from __future__ import annotations

from podium.model import Exchange, Question, Turn
from podium.parse._text import sentences
from podium.parse.style import Language

_QMARKS = ("?", "？")
# Questions are looked for in the first 100,000 characters of a question turn (about 15,000
# words; a real one is under 2,000): a turn of a million "Q: why?" is not a million questions.
MAX_QUESTION_CHARS = 100_000


def _core(sentence: str, lang: Language) -> str:
    """The sentence without its discourse lead-in ("And by the way, …")."""
    return lang.lead_in.sub("", sentence, count=1).lstrip("¿¡\"“‘( ")


def is_question(sentence: str, lang: Language) -> bool:
    """Whether ``sentence`` asks something (directly or indirectly) and is not a line check."""
    core = _core(sentence, lang)
    if any(rx.search(core) for rx in lang.phatic):
        return False
    if sentence.rstrip("\"”’) ").endswith(_QMARKS) or "¿" in sentence:
        return True
    return any(rx.search(core) for rx in (*lang.interrogative, *lang.indirect))


def split_questions(text: str, turn: Turn, lang: Language) -> list[Question]:
    """The individual questions of ``turn``, with spans into the plain ``text``."""
    spans: list[tuple[int, int]] = []
    start, end = turn.span
    for s, e in sentences(text, start, min(end, start + MAX_QUESTION_CHARS), lang):
        sentence = text[s:e]
        if not is_question(sentence, lang):
            continue
        cont = any(rx.search(sentence.lstrip()) for rx in lang.continuation)
        if cont and spans:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return [Question(index=i, text=text[s:e], span=(s, e)) for i, (s, e) in enumerate(spans)]


def add_questions(text: str, turns: list[Turn], exchanges: list[Exchange], lang: Language) -> None:
    """Fill ``Exchange.questions`` for every exchange."""
    for ex in exchanges:
        ex.questions = split_questions(text, turns[ex.question_turn], lang)
