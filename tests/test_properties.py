"""Property tests: spans always slice back to their text, and the parser never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.model import Document
from podium.parse import parse_document
from podium.readers import normalise_newlines, sha256

LABELS = [
    "Jane Doe (ABC): ", "John Roe, spokesperson: ", "Ann Lee, Minister: ", "QUESTION: ",
    "Moderator: ", "Q: ", "Last updated: ", "Note: ",
]
pieces = st.one_of(
    st.text(max_size=80),
    st.sampled_from(LABELS),
    st.sampled_from(["\n", "\n\n", "  • 07 Oct. 2021 -\n", "(As delivered)\n", "?", ". ", "\u00a0"]),
    st.sampled_from(["Can you hear me? ", "I wonder if you can say why. ", "Or not? ", "Mr. X. "]),
)


def _doc(text: str) -> Document:
    plain = normalise_newlines(text)
    return Document(plain=plain, sha256=sha256(plain.encode("utf-8", "surrogatepass")))


def _check(text: str) -> None:
    doc = _doc(text)
    t = parse_document(doc)
    for turn in t.turns:
        assert doc.plain[turn.span[0] : turn.span[1]] == turn.text
    ids = {p.id for p in t.participants}
    for turn in t.turns:
        assert turn.speaker is None or turn.speaker in ids
    for ex in t.exchanges:
        assert t.turns[ex.question_turn].kind == "question"
        for q in ex.questions:
            assert doc.plain[q.span[0] : q.span[1]] == q.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=40).map("".join))
def test_structured_noise_never_breaks_the_parser(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_never_breaks_the_parser(text: str) -> None:
    _check(text)
