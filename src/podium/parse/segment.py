"""Step ``segment``: cut the body into turns at speaker labels.

A label stands at the start of a line and ends with a colon ("Matthias Kolb (SDZ):",
"MS. PSAKI:", "问：", "**PREGUNTA:**"). A candidate is accepted only when it fully matches
one of the house style's label patterns or role lists, so "Last updated:" or "Note:" inside
a statement never starts a turn. Some houses print a label with no colon ("Q    Thank you."):
those are the style's ``bare`` labels, which must be followed by white space on the line.
Text before the first label is an unlabelled turn (the opening statement on NATO pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from podium.parse._text import strip_span
from podium.parse.labels import label_shape, read_label, vocabulary
from podium.parse.layout import induce
from podium.parse.style import Language, Style

# A bare label: a short first word of a line followed by white space ("Q    …").
# Up to three capitalised words, then white space on the same line or its end; the longest
# run that is one of the style's bare labels wins ("PRIME MINISTER", "QUESTION", "Q").
_BARE = re.compile(r"^[^\S\n]*(?P<label>[A-Z][A-Z.’']*(?:[^\S\n]+[A-Z][A-Z.’']*){0,2})", re.MULTILINE)
_BARE_END = re.compile(r"[^\S\n]+|$", re.MULTILINE)
_WORD = re.compile(r"\S+")
# A one-letter bare label glued to the text by a lost no-break space ("QOn security, …").
_GLUED = re.compile(r"^[^\S\n]*(?P<label>Q(?=[A-Z][a-z’']|[AI][^\S\n])|QUESTION(?=[a-z]))", re.MULTILINE)


@dataclass
class Label:
    """A speaker label as printed, with what its pattern says."""

    raw: str
    name: str | None
    title: str | None
    outlet: str | None
    surname: str | None = None
    office: str | None = None
    role: str | None = None


@dataclass
class RawTurn:
    """A stretch of text and the label in front of it (``None`` for unlabelled text)."""

    label: Label | None
    start: int
    end: int


def match_label(raw: str, style: Style) -> Label | None:
    """The ``Label`` for ``raw`` under ``style``, or ``None`` if it is not a speaker label."""
    raw = re.sub(r"\s+", " ", raw.strip().strip("*_").strip())
    if style.label_notes is not None:  # "Sebastian Kurz (retranslated)": the note is no part of the name
        raw = style.label_notes.sub("", raw).strip() or raw
    lower = raw.lower().rstrip(".")
    for role, words in (
        ("journalist", style.journalist_labels),
        ("moderator", style.moderator_labels),
        ("official", style.official_labels),
        ("principal", style.principal_labels),
        ("unknown", style.other_labels),
    ):
        if lower in words:
            return Label(raw=raw, name=None, title=None, outlet=None, role=role)
    for rx in style.label_patterns:
        m = rx.fullmatch(raw)
        if m:
            groups = m.groupdict()
            if _addressed(groups.get("name")):
                continue  # "Mr Putin, pensioners are worried:" opens a question, it is no label
            return Label(
                raw=raw,
                name=_clean(groups.get("name")),
                title=_clean(groups.get("title")),
                outlet=_clean(groups.get("outlet")),
                surname=_clean(groups.get("surname")),
                office=_clean(groups.get("office")),
            )
    return None


def _addressed(name: str | None) -> bool:
    """Whether a would-be name starts with an honorific or a rank ("Mr Putin", "Sra. Vidal",
    "Lt. Gen. Oyelaran"): someone addressed, or a label that ``labels.read_label`` reads
    (honorific or office, then the name), not a name as it stands."""
    first = name.split()[0].rstrip(".").casefold() if name else ""
    return first in vocabulary().addressed or first in vocabulary().ranks


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", value).strip(" ,")
    return value or None


def _bare(raw: str, style: Style) -> Label | None:
    if any(rx.fullmatch(raw) for rx in style.bare_labels):
        return match_label(raw, style) or Label(raw=raw, name=None, title=None, outlet=None, role="journalist")
    return None


def _bare_marks(text: str, start: int, style: Style) -> list[tuple[int, int, Label]]:
    """Bare labels ("Q    …") in ``text[start:]`` as ``(line start, body start, label)``."""
    if not style.bare_labels:
        return []
    out = []
    for m in _BARE.finditer(text, start):
        ends = [w.end() for w in _WORD.finditer(text, m.start("label"), m.end())]
        for end in reversed(ends):  # the longest run that is a bare label
            tail = _BARE_END.match(text, end)
            label = _bare(text[m.start("label") : end], style) if tail else None
            if label is not None and tail is not None:
                out.append((m.start(), tail.end(), label))
                break
    for m in _GLUED.finditer(text, start):
        label = _bare(m.group("label"), style)
        if label is not None:
            out.append((m.start(), m.end(), label))
    return out


def _period_marks(text: str, start: int, marks: list[tuple[int, int, Label]]) -> list[tuple[int, int, Label]]:
    """A known speaker's name closed by a full stop instead of a colon ("Sebastian Kurz. Thank
    you …"): a typo on the page, accepted only for names already seen as labels."""
    names = {lab.raw: lab for _, _, lab in marks if lab.name and lab.raw == lab.name and " " in lab.name}
    if not names:
        return []
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    rx = re.compile(rf"^[^\S\n]*(?P<label>{alts})\.[^\S\n]+(?=\S)", re.MULTILINE)
    taken = {s for s, _, _ in marks}
    return [(m.start(), m.end(), names[m.group("label")]) for m in rx.finditer(text, start) if m.start() not in taken]


def _skip_echo(text: str, start: int, end: int, label: Label) -> int:
    """Past a label's last word printed twice ("HUGO LÓPEZ-GATELL RAMÍREZ: RAMÍREZ: Gracias")."""
    words = label.raw.split()
    if not words:
        return start
    word, j = words[-1], start
    while j < end and text[j] in " \t\xa0":
        j += 1
    if not text.startswith(word, j) or text[j + len(word) : j + len(word) + 1] not in (":", "："):
        return start
    j += len(word) + 1
    k = j
    while k < end and text[k] in " \t\xa0":
        k += 1
    return k if k > j else start


def _generic_label(raw: str, style: Style) -> Label:
    """A label the house style does not know, read by its shape (``parse/labels.py``)."""
    raw = re.sub(r"\s+", " ", raw.strip().strip("*_").strip())
    if style.label_notes is not None:
        raw = style.label_notes.sub("", raw).strip() or raw
    r = read_label(raw, style)
    return Label(raw=raw, name=r.name, title=r.title, outlet=r.outlet, surname=r.surname, role=r.role)


def _prefer_reading(label: Label | None, raw: str, style: Style) -> Label:
    """The style's reading of a label, unless it only saw a name where the words say more: the
    generic ``{NAME}`` pattern takes "CHAIR POWELL" for a name, its words say office + surname."""
    generic = _generic_label(raw, style)
    if label is None:
        return generic
    plain = label.name and not (label.title or label.outlet or label.surname or label.office or label.role)
    if plain and (generic.title or generic.role) and (generic.surname or generic.name or generic.role):
        return generic
    # "Press Secretary MORITA": the style saw the title "Press" and the name "Secretary MORITA";
    # the office words run on.
    if label.title and generic.title and generic.title != label.title and generic.title.startswith(label.title):
        return generic
    # "Official Spokesperson, Shri Kunal Mehrotra": the style took the office for the name.
    if label.name and generic.name and generic.title and label.name == generic.title:
        return generic
    return label


@dataclass
class Segmentation:
    """The turns of a body and the label grammar that found them."""

    turns: list[RawTurn]
    grammar: str


def split_turns(text: str, start: int, style: Style) -> Segmentation:
    """Turns in ``text[start:]``; each turn's span excludes its label and outer white space."""
    bare = _bare_marks(text, start, style)
    bare_lines = {s for s, _, _ in bare}
    known_cache: dict[str, Label | None] = {}

    def known(raw: str) -> Label | None:
        if raw not in known_cache:
            known_cache[raw] = match_label(raw, style)
        return known_cache[raw]

    layout = induce(text, start, style, lambda raw: known(raw) is not None)
    marks: list[tuple[int, int, Label]] = []
    readings: dict[str, Label] = {}  # a label printed 30,000 times is read once
    for c in layout.marks:
        if c.start in bare_lines:
            continue  # "Q    Mr. President, …: Will you" is a question, not a label
        if c.raw not in readings:
            readings[c.raw] = _prefer_reading(known(" ".join(c.raw.split())), c.raw, style)
        marks.append((c.start, c.body, readings[c.raw]))
    marks.extend(bare)
    marks.extend(_period_marks(text, start, marks))
    marks.sort(key=lambda x: x[0])
    marks, key_end = _apply_key(text, marks, style)
    start = max(start, key_end)
    turns: list[RawTurn] = []
    s, e = strip_span(text, start, marks[0][0] if marks else len(text))
    if s < e:
        turns.append(RawTurn(label=None, start=s, end=e))
    for i, (_, body_start, label) in enumerate(marks):
        body_end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        body_start = _skip_echo(text, body_start, body_end, label)
        s, e = strip_span(text, body_start, body_end)
        turns.append(RawTurn(label=label, start=s, end=max(s, e)))
    grammar = layout.grammar if layout.marks else "none"
    return Segmentation(turns, grammar if not bare or layout.marks else "bare")


_KEY_ENTRIES = 3
"""Consecutive one-line entries that make a speaker key ("MO<TAB>Margit Olander, …")."""
_KEY_LINE = 100
"""Longest key entry: a name and a title, never a turn's paragraph."""


def _apply_key(
    text: str, marks: list[tuple[int, int, Label]], style: Style
) -> tuple[list[tuple[int, int, Label]], int]:
    """A speaker key before the first turn: labels, each with one line naming its person
    ("AN<TAB>Dr Amara Nwosu, Director-General"). The key is no turn; every later turn under one
    of its labels is read as the person the key names. Returns the marks and where the key ends."""
    entries: dict[str, str] = {}  # label -> the line naming its person, in key order
    end = 0
    for i, (_, body, label) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        block = _PARAGRAPH.split(text[body:stop], 1)
        who = block[0].strip()
        if "\n" in who or len(who) > _KEY_LINE or label.raw in entries:
            break
        if not label_shape(who.split(",")[0], style):
            break  # "Good afternoon. I have one announcement": a turn, not a key entry
        entries[label.raw] = who
        end = body + len(block[0])
        if len(block) > 1:  # a blank line closes the key
            break
    if len(entries) < _KEY_ENTRIES:
        return marks, 0
    key = {raw: _generic_label(who, style) for raw, who in entries.items()}
    rest = marks[len(entries) :]
    read = [(s, b, _keyed(lab, key.get(lab.raw))) for s, b, lab in rest]
    return read, end


def _keyed(label: Label, entry: Label | None) -> Label:
    """``label`` read as the person its key entry names."""
    if entry is None or not (entry.name or entry.surname):
        return label
    return Label(raw=label.raw, name=entry.name, title=entry.title, outlet=entry.outlet, surname=entry.surname,
                 role=entry.role)


_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")
_SHARE_ASKING = 0.5  # of the labelled turns must end with a question for the split to apply
_MAX_SPEAKERS = 3  # more labelled voices than this is a dialogue whose askers are labelled


def _asks(paragraph: str, lang: Language) -> bool:
    """Whether a paragraph asks something: a question mark near its end, or it opens with an
    announced or indirect question ("My first question is …", "I wonder whether …")."""
    text = paragraph.strip()
    if "?" in text[-300:] or "？" in text[-100:]:
        return True
    return any(rx.match(text) for rx in lang.indirect)


def _question_tail(text: str, turn: RawTurn, lang: Language) -> int | None:
    """Where the unlabelled question at the end of a labelled turn starts, if there is one."""
    starts = [turn.start] + [m.end() for m in _PARAGRAPH.finditer(text, turn.start, turn.end)]
    bounds = list(zip(starts, [*starts[1:], turn.end], strict=True))
    k = len(bounds)
    while k > 1 and _asks(text[bounds[k - 1][0] : bounds[k - 1][1]], lang):
        k -= 1
    return bounds[k][0] if k < len(bounds) else None


def split_unlabelled_questions(text: str, turns: list[RawTurn], lang: Language) -> list[RawTurn]:
    """Journalists' questions printed without a label, at the end of the answer before them.

    Some houses label only their officials ("President Lagarde:") and print each question as
    plain paragraphs before the next answer. When no label names a journalist, at most three
    voices are labelled, and most of their turns end in paragraphs that ask, those closing
    paragraphs are a journalist's turn of their own.
    """
    labelled = [t for t in turns if t.label is not None]
    if len(labelled) < 3 or any(t.label.role == "journalist" for t in labelled if t.label):
        return turns
    if len({t.label.raw.casefold() for t in labelled if t.label}) > _MAX_SPEAKERS:
        return turns
    tails = {id(t): _question_tail(text, t, lang) for t in labelled}
    if sum(v is not None for v in tails.values()) < _SHARE_ASKING * len(labelled):
        return turns
    asker = Label(raw="", name=None, title=None, outlet=None, role="journalist")
    out: list[RawTurn] = []
    for t in turns:
        k = tails.get(id(t))
        if k is None:
            out.append(t)
            continue
        s, e = strip_span(text, t.start, k)
        out.append(RawTurn(label=t.label, start=s, end=e))
        s, e = strip_span(text, k, t.end)
        out.append(RawTurn(label=asker, start=s, end=e))
    return out
