"""Step ``layout``: which way of printing speaker labels explains this document.

Institutions print speaker labels in a few layouts, and each document keeps to one:

- ``colon``: a name or role, then a colon, at the start of a line ("Matthias Kolb (SDZ):",
  "MR PRICE:", "问：", " Draghi:", "LE PRÉSIDENT :"), with the house style's colon-less
  ``bare`` labels ("Q    …") as a hint;
- ``caps-period``: capitals, a full stop and spaces ("CHAIR POWELL.  Good afternoon.");
- ``own-line``: the label alone on its line, the words on the next ("Frage" / "SRS Hille");
- ``dash``: a label closed by a full stop and a dash, as Spanish-language governments print
  them ("Sra. Vidal.-", "P.-", "PREGUNTA.–");
- ``tab``: a short label and a tab, as tables pasted into text leave them ("AN<TAB>Thank you").

Every grammar proposes candidates; a candidate is a label when the house style's patterns
accept it, or when its shape is a label's (``labels.label_shape``) and the document confirms
it: the same label recurs, or it is a role word, an honorific or office with a name, or a
full name. A grammar is scored by how well its labels explain the document: how many turns
they make, how often the speaker changes from one to the next, and how many labels recur.
The best grammar wins; the others add only the labels it already accepted (a page that
prints "Duisenberg." once where it prints "Duisenberg:" everywhere else).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from podium.parse.labels import goes_on, is_caps, label_shape, read_label, vocabulary
from podium.parse.style import Style

# A colon label: up to 120 characters, a colon (ASCII or full width, after an optional space
# as French prints it), then white space or the end of the line. Markdown bold may wrap it.
# The label is matched possessively (no backtracking on lines without a colon); it keeps the
# spaces before the colon, which every reader of ``raw`` folds.
_COLON = re.compile(
    r"^[^\S\n]*(?:\*\*|__)?(?P<label>[^\n:：*]{1,120}+)(?:\*\*)?"
    r"(?:[:](?:[^\S\n]*\*\*)?(?=\s|$)|：(?:\*\*)?|(?P<tight>:)(?=[A-Z]))",
    re.MULTILINE,
)
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"
# Capitals and a full stop, then white space on the same line: "CHAIR POWELL.  Good …".
_CAPS_PERIOD = re.compile(
    rf"^[^\S\n]*(?P<label>[{_UPPER}][{_UPPER}’'\-]*\.?(?:[^\S\n]+[{_UPPER}][{_UPPER}’'\-]*\.?){{0,7}})\.[^\S\n]+(?=\S)",
    re.MULTILINE,
)
# A label closed by a full stop and a dash ("**Sra. Vidal.-** Buenos días", "P.- ¿Va a …?"); the
# label may hold abbreviations' full stops ("Sr. Saldaña") but no dash of its own.
_DASH = re.compile(
    r"^[^\S\n]*(?:\*\*|__)?(?P<label>[^\n.:*\-–—]{1,60}(?:\.[^\S\n]*[^\n.:*\-–—\s][^\n.:*\-–—]{0,60}){0,3})"
    r"\.[-–—](?:\*\*|__)?(?:[^\S\n]+|$)",
    re.MULTILINE,
)
# A short label, then a tab and the words ("MO\tHello everyone", "Moderator\tThank you").
_TAB = re.compile(r"^[^\S\n]*(?P<label>[^\t\n:]{1,40}?)[^\S\n]*\t+(?=[^\s])", re.MULTILINE)
# A short line on its own, then the words on the next line (or after one blank line).
# Everything is taken possessively: a line of a million spaces is read once, and a long line
# fails at its 61st character instead of trying each of the 60 lengths a label may have (the
# spaces after the label are stripped by the caller).
_OWN_LINE = re.compile(
    r"^[^\S\n]*+(?P<label>[^\n]{1,60}+)[^\S\n]*+\n(?:[^\S\n]*\n)?(?=[^\S\n]*\S)", re.MULTILINE
)
_BLANKS = re.compile(r"[ \t\xa0]*")


@dataclass(frozen=True)
class Candidate:
    """A possible label: where its line starts, where the words after it start, its text."""

    start: int
    body: int
    raw: str
    tight: bool = False


@dataclass
class Layout:
    """The chosen grammar and the labels it found (``start``, ``body``, raw label)."""

    grammar: str
    marks: list[Candidate]
    score: float


def _norm(raw: str) -> str:
    return " ".join(raw.split()).strip("*_ ").rstrip(".").casefold()


def colon_candidates(text: str, start: int) -> list[Candidate]:
    return [Candidate(m.start(), m.end(), m.group("label"), bool(m.group("tight")))
            for m in _COLON.finditer(text, start)]


def caps_period_candidates(text: str, start: int) -> list[Candidate]:
    return [Candidate(m.start(), m.end(), m.group("label")) for m in _CAPS_PERIOD.finditer(text, start)]


def own_line_candidates(text: str, start: int) -> list[Candidate]:
    out = []
    for m in _OWN_LINE.finditer(text, start):
        label = m.group("label").strip()
        if not label or label[-1] in ".?!:;,。？！：" or len(label.split()) > 6:
            continue
        out.append(Candidate(m.start(), _BLANKS.match(text, m.end()).end(), label))  # type: ignore[union-attr]
    return out


def dash_candidates(text: str, start: int) -> list[Candidate]:
    if not any(stop in text for stop in (".-", ".–", ".—")):  # a substring test before the regex
        return []
    return [Candidate(m.start(), m.end(), m.group("label")) for m in _DASH.finditer(text, start)]


def tab_candidates(text: str, start: int) -> list[Candidate]:
    if "\t" not in text:
        return []
    return [Candidate(m.start(), m.end(), m.group("label")) for m in _TAB.finditer(text, start)]


GRAMMARS: dict[str, Callable[[str, int], list[Candidate]]] = {
    "colon": colon_candidates,
    "caps-period": caps_period_candidates,
    "own-line": own_line_candidates,
    "dash": dash_candidates,
    "tab": tab_candidates,
}


def _evidence(c: Candidate, grammar: str, counts: Counter[str], style: Style,
              known: Callable[[str], bool]) -> str | None:
    """How the document confirms a candidate as a label: ``"strong"`` (the house style knows
    it, it recurs, it names a role), ``"weak"`` (a one-off with a label's shape: an office or
    honorific with a name, a full name), or ``None`` (not a label)."""
    raw = " ".join(c.raw.split()).strip("*_ ")
    recurs = counts[_norm(raw)] >= 2
    if grammar == "tab" and recurs and is_caps(raw) and len(raw) <= _INITIALS:
        return "strong"  # initials before a tab ("AN", "MO"), even where they spell a word
    if grammar == "colon" and known(raw) and (recurs or not goes_on(raw)):
        # A one-off the style's loose patterns admit must still look like a label: "Sur la
        # France, je vous réponds très simplement :" goes on as a sentence.
        return "strong" if not c.tight or len(raw) <= 2 or recurs else None
    if not label_shape(raw, style):
        return None
    reading = read_label(raw, style)
    if c.tight:
        return "strong" if recurs else None
    if grammar == "caps-period":
        if not is_caps(raw):
            return None
        return "strong" if reading.role is not None or len(raw.split()) >= 2 else None
    if grammar == "own-line":
        if recurs or reading.role is not None:
            return "strong"
        # Once only, a line is a label when its words say office + name or name (office).
        named = (reading.name or reading.surname) is not None
        return "weak" if named and (reading.title is not None or reading.outlet is not None) else None
    if reading.role is not None or recurs:
        return "strong"
    words = raw.split()
    honorific = words[0].casefold().rstrip(".") in vocabulary().honorifics and len(words) >= 2
    named = reading.title is not None and (reading.name or reading.surname) is not None
    return "weak" if honorific or named or reading.name is not None else None


_INITIALS = 4
"""Longest run of capitals read as a speaker's initials."""


def _consistent(marks: list[tuple[Candidate, str]]) -> list[Candidate]:
    """Drop one-off labels printed unlike the document's confirmed labels: in a page whose
    labels are capitals, "Presidente Bukele:" on its own line addresses someone."""
    strong = [" ".join(c.raw.split()) for c, ev in marks if ev == "strong"]
    if len(strong) < 3:
        return [c for c, _ in marks]
    caps = sum(is_caps(r) for r in strong) / len(strong)
    out = []
    for c, ev in marks:
        if ev == "weak" and (caps >= 0.8 and not is_caps(c.raw) or caps <= 0.2 and is_caps(c.raw)):
            continue
        out.append(c)
    return out


def _score(marks: list[Candidate]) -> float:
    """Turns that change speaker and whose label recurs: a dialogue, not a list of headings."""
    if len(marks) < 2:
        return float(len(marks)) * 0.5
    norms = [_norm(m.raw) for m in marks]
    counts = Counter(norms)
    changes = sum(1 for a, b in zip(norms, norms[1:], strict=False) if a != b)
    recurring = sum(1 for n in norms if counts[n] >= 2)
    return changes * (recurring / len(norms)) + 0.5 * recurring / len(norms)


def induce(text: str, start: int, style: Style, known: Callable[[str], bool]) -> Layout:
    """The grammar that best explains ``text[start:]``, with its confirmed labels.

    ``known`` says whether the house style itself accepts a label (its patterns and role
    lists); such labels are always confirmed.
    """
    best: Layout | None = None
    found: dict[str, list[Candidate]] = {}
    for name, propose in GRAMMARS.items():
        cands = propose(text, start)
        counts = Counter(_norm(c.raw) for c in cands if not c.tight)
        seen: dict[tuple[str, bool], str | None] = {}  # the evidence depends on the words only
        judged = []
        for c in cands:
            if (c.raw, c.tight) not in seen:
                seen[(c.raw, c.tight)] = _evidence(c, name, counts, style, known)
            judged.append((c, seen[(c.raw, c.tight)]))
        marks = _consistent([(c, ev) for c, ev in judged if ev is not None])
        found[name] = marks
        layout = Layout(name, marks, _score(marks))
        if best is None or layout.score > best.score:
            best = layout
    assert best is not None
    # Labels of the chosen grammar printed the other way once in a while.
    accepted = {_norm(m.raw) for m in best.marks}
    taken = {m.start for m in best.marks}
    for name, marks in found.items():
        if name == best.grammar:
            continue
        for m in marks:
            if _norm(m.raw) in accepted and m.start not in taken:
                best.marks.append(m)
                taken.add(m.start)
    best.marks.sort(key=lambda m: m.start)
    return best
