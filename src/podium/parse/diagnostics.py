"""Parse diagnostics: how much of a document the parser could structure ("never silent garbage").

``diagnose`` measures a finished ``Transcript`` against the plain text it was parsed from and
turns the measures into warnings a person can read and a confidence a program can filter on.
It reads only the transcript and the text, so it runs the same on a fresh parse and on a stored
transcript, and never changes what the parser found.

Confidence:

- ``none``: the structure is not to be trusted: no turns, one unlabelled turn holding nearly all
  the text, or almost no text under a speaker label;
- ``low``: structure found but partial: labels cover only part of the text, one labelled turn
  holding nearly all the text of a document that is no speech, or a press conference without a
  single question-and-answer exchange;
- ``ok``: otherwise. Unnamed askers alone warn but do not lower confidence, since several
  sources ("Q:" at the White House, "Question:" at the ECB) never name the journalist.
"""

from __future__ import annotations

from podium.model import Diagnostics, Transcript, Turn

# One turn holding more than this share of the body means the labels were not recognised: even
# a long opening statement leaves room for the questions after it.
ONE_TURN_SHARE = 0.8
# ...but only for documents long enough to have more than one speaker: a 2-paragraph statement
# in one turn is right. 5,000 characters is about two pages of a transcript.
ONE_TURN_MIN_CHARS = 5000
# Below this labelled share the parser has in effect found no labels: what it found are stray
# matches (a "Q:" in a quotation), not the document's layout.
NO_LABELS_SHARE = 0.2
# Short texts (a one-paragraph statement) legitimately carry no label; 2,000 characters is
# about half a page, above which a transcript without labels is a parse failure.
NO_LABELS_MIN_CHARS = 2000
# Labels covering less than this share leave too much text unattributed for the structure to be
# trusted. An unlabelled opening statement attributed to its speaker counts as covered, so a
# long opening (ECB: a third of the text) does not trip it.
PARTIAL_LABELS_SHARE = 0.5
# More than this share of unnamed askers is worth saying: names are what make exchanges
# searchable by journalist and outlet.
ANONYMOUS_SHARE = 0.5
# Event types whose documents consist of questions and answers.
QA_EVENTS = ("press_conference", "briefing", "joint_press_conference")


# The characters ``str.isspace`` names (all below U+3001; a test checks the list is whole).
_SPACES = tuple(c for c in map(chr, range(0x3001)) if c.isspace())
_ASCII_SPACES = tuple(c for c in _SPACES if c.isascii())


def _weight(text: str) -> int:
    """Characters that count: all but white space, which differs by source format.

    Counting each white-space character with ``str.count`` runs in C without building a copy
    of the text: 4x faster than ``len("".join(text.split()))`` on a 50 MB line. ASCII text
    (``str.isascii`` is one C pass) needs only the ASCII ones."""
    return len(text) - sum(map(text.count, _ASCII_SPACES if text.isascii() else _SPACES))


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _kb(chars: int) -> str:
    return f"{chars / 1000:.0f} KB" if chars >= 1000 else f"{chars} characters"


def _body(t: Transcript, plain: str) -> str:
    """The text from the first turn on; what precedes it is the header (title, dates)."""
    start = min((turn.span[0] for turn in t.turns), default=0)
    return plain[start:]


def _covered(turns: list[Turn], weights: list[int], keep: str) -> int:
    """Weight of the turns that have ``keep`` ("label" or "speaker") set."""
    return sum(w for turn, w in zip(turns, weights, strict=True) if getattr(turn, keep))


def _anonymous_share(t: Transcript) -> float | None:
    """Share of exchanges whose asker is unknown or has no name."""
    if not t.exchanges:
        return None
    unnamed = 0
    for ex in t.exchanges:
        asker = t.participant(ex.asker)
        unnamed += asker is None or not asker.name
    return round(unnamed / len(t.exchanges), 3)


def diagnose(t: Transcript, plain: str) -> Diagnostics:
    """Measure how well ``t`` structures ``plain``; warnings and confidence follow the thresholds above."""
    whole = _weight(_body(t, plain))
    weights = [_weight(turn.text) for turn in t.turns]
    labelled = _share(_covered(t.turns, weights, "label"), whole)
    spoken = _share(_covered(t.turns, weights, "speaker"), whole)
    largest = max(t.turns, key=lambda turn: len(turn.text), default=None)
    largest_chars = len(largest.text) if largest else 0
    anonymous = _anonymous_share(t)
    warnings: list[str] = []
    confidence = "ok"

    if whole and not t.turns:
        warnings.append("no turns found")
        confidence = "none"
    one_turn = (
        largest is not None
        and largest_chars > ONE_TURN_MIN_CHARS
        and _weight(largest.text) > ONE_TURN_SHARE * whole
    )
    no_labels = labelled < NO_LABELS_SHARE and whole > NO_LABELS_MIN_CHARS
    if one_turn and (no_labels or largest.label is None):  # type: ignore[union-attr]
        warnings.append(f"{_kb(largest_chars)} in one turn: no speaker labels recognised")
        confidence = "none"
    elif one_turn and t.metadata.event_type != "speech":  # labelled, but a speech is one speaker's
        warnings.append(f"{_kb(largest_chars)} in one turn: one speaker throughout")
        confidence = "low"
    elif no_labels and t.turns:
        warnings.append("no speaker labels recognised")
        confidence = "none"
    elif t.turns and max(labelled, spoken) < PARTIAL_LABELS_SHARE and whole > NO_LABELS_MIN_CHARS:
        warnings.append(f"speaker labels cover only {labelled:.0%} of the text")
        confidence = "low"
    if not t.exchanges and t.metadata.event_type in QA_EVENTS and t.turns:
        warnings.append("no question–answer exchanges found in a document that reads like a press conference")
        confidence = "low" if confidence == "ok" else confidence
    if anonymous is not None and anonymous > ANONYMOUS_SHARE:
        warnings.append(f"{anonymous:.0%} of questions have no named asker")

    grammar = t.analysis.get("label_grammar")
    return Diagnostics(
        label_grammar=str(grammar) if grammar is not None else None,
        labelled_share=labelled,
        speaker_share=spoken,
        anonymous_question_share=anonymous,
        largest_turn_chars=largest_chars,
        turns=len(t.turns),
        exchanges=len(t.exchanges),
        warnings=warnings,
        confidence=confidence,  # type: ignore[arg-type]
    )


def summary(d: Diagnostics) -> str:
    """One line for a listing: '1 turn, labels cover 0% — no speaker labels recognised'."""
    turns = f"{d.turns} turn" + ("" if d.turns == 1 else "s")
    line = f"{turns}, labels cover {d.labelled_share:.0%}"
    return f"{line} — {'; '.join(d.warnings)}" if d.warnings else line
