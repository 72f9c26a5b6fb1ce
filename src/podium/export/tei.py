"""TEI in the Parla-CLARIN customisation: the format spoken political text is archived in.

Parla-CLARIN (``clarin-eric/parla-clarin``, which ParlaMint builds on) encodes a sitting as
one ``TEI`` document: a ``teiHeader`` describing the event and its speakers, and a body of
utterances ``<u who="#person" ana="#category">``. A press conference maps onto it closely:

* ``teiHeader``: title, date, place and organisation (``settingDesc``), the source URL,
  sha256 and delivery (``sourceDesc/bibl``), counts (``extent``), Podium's own categories
  (``classDecl``: turn kinds, channels, clarity, evasion, event types), the participants
  (``listPerson``: ``role`` = Podium's role, ``affiliation`` to an organisation or outlet
  with the printed title as ``roleName``) and the organisations (``listOrg``: the event's
  organisation, officials' organisations and journalists' outlets);
* each turn: its printed label as ``<note type="speaker">`` (as ParlaMint does), then
  ``<u xml:id="t9" who="#speaker" ana="#question #remote">``. ``t9`` is the anchor of the
  turn's permalink in ``podium serve`` (``/transcripts/<id>#t9``). Paragraphs are ``<seg>``;
  the blank lines between them stay as text, so the string value of a ``<u>`` is exactly the
  turn's text and ``string-range(t9, offset, length)`` pointers mean what spans mean;
* each individual question: ``<seg type="question" xml:id="e0.q1" ana="#clear_non_reply
  #dodging">`` inline in its question turn;
* ``standOff``: one ``<spanGrp type="exchange" xml:id="e0">`` per exchange (``e0`` is the
  web anchor too) whose spans point at its hand-off, question and answer turns; the
  classifier scores as ``cert`` on ``spanGrp type="clarity"/"evasion"``; analysed answer
  spans as ``string-range`` pointers; caption times as a ``timeline`` the ``<u>``s point into.

Each document is self-contained (its own taxonomies and person list) so that one file read
alone resolves every pointer, and ``xml:id``s are unique per document, which is what lets
them be the web's short anchors. The corpus root (:func:`corpus_root`) follows ParlaMint: a
``teiCorpus`` header that XIncludes the component files.

Text that XML 1.0 cannot carry (control characters, lone surrogates) is written as U+FFFD,
one character for one, so offsets still hold.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, get_args

from podium.model import (
    Channel,
    ClarityLabel,
    EvasionLabel,
    EventType,
    Exchange,
    Question,
    Transcript,
    Turn,
    TurnKind,
)

TEI_NS = "http://www.tei-c.org/ns/1.0"
XI_NS = "http://www.w3.org/2001/XInclude"
_XML = "{http://www.w3.org/XML/1998/namespace}"
ROOT_NAME = "podium-corpus.xml"
"""File name of the ``teiCorpus`` root in an exported folder."""

_CATEGORIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("podium.kinds", "", "Kinds of turn", get_args(TurnKind)),
    ("podium.channels", "", "How a question reached the podium", get_args(Channel)),
    ("podium.clarity", "", "Clarity of the reply to a question", get_args(ClarityLabel)),
    ("podium.evasion", "", "Evasion technique of the reply", get_args(EvasionLabel)),
    ("podium.events", "event.", "Kinds of event", get_args(EventType)),
)
"""Taxonomies written into every document: (taxonomy id, category id prefix, description, values).

Turn kinds, channels and labels are bare ids (``ana="#question #remote"``), as the issue
that asked for this export and ParlaMint's ``#chair``/``#regular`` do; event types carry a
prefix because ``other`` is a turn kind too.
"""

_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_W3C_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?$")
_W3C_MINUTES = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
_W3C_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def _clean(text: str) -> str:
    """``text`` with characters XML 1.0 forbids replaced one-for-one by U+FFFD."""
    return _BAD_XML_CHARS.sub("\ufffd", text)


def _id_char(c: str) -> bool:
    # ASCII name characters, or a letter of a non-Latin script (CJK names are common ids).
    return c.isascii() and (c.isalnum() or c in "._-") or (not c.isascii() and c.isalpha())


def _ncname(raw: str, fallback: str) -> str:
    """An ``xml:id``-safe form of ``raw``: unsafe characters become ``-``; must start with a letter."""
    s = re.sub(r"-{2,}", "-", "".join(c if _id_char(c) else "-" for c in _clean(raw))).strip("-.")
    if not s or not (s[0].isalpha() or s[0] == "_"):
        s = f"{fallback}.{s}" if s else fallback
    return s


def _slug(name: str) -> str:
    """Lower-case ASCII-folded slug of an organisation name, for its ``xml:id``."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _ncname(folded.casefold(), "org")


def _w3c_date(value: str | None) -> str | None:
    """``value`` as an xsd date/dateTime TEI accepts in ``when``, or ``None`` if it is not one."""
    if not value:
        return None
    if _W3C_DATE.match(value) or _W3C_DATETIME.match(value):
        return value
    if _W3C_MINUTES.match(value):  # "2021-10-07T16:36" as published: xsd needs seconds
        return value + ":00"
    return None


def _seconds(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str | None) -> ET.Element:
    """Append ``<tag>`` with the attributes that are not ``None`` (``xml_id`` → ``xml:id``)."""
    el = ET.SubElement(parent, tag)
    for key, value in attrs.items():
        if value is not None:
            name = _XML + key[4:] if key.startswith("xml_") else key.rstrip("_")
            el.set(name, _clean(value))
    if text is not None:
        el.text = _clean(text)
    return el


@dataclass
class _Ids:
    """The document's ``xml:id``s for people and organisations, unique and never a reserved id."""

    taken: set[str] = field(default_factory=set)
    people: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)

    def claim(self, wanted: str) -> str:
        out, n = wanted, 2
        while out in self.taken or re.fullmatch(r"[te]\d+(\..*)?|T0", out):
            out, n = f"{wanted}.{n}", n + 1
        self.taken.add(out)
        return out

    def person(self, pid: str) -> str:
        if pid not in self.people:
            self.people[pid] = self.claim(_ncname(pid, "person"))
        return self.people[pid]

    def org(self, name: str) -> str:
        key = name.casefold()
        if key not in self.orgs:
            self.orgs[key] = self.claim("org." + _slug(name))
        return self.orgs[key]


def _taxonomies(class_decl: ET.Element, ids: _Ids) -> None:
    for tax_id, prefix, desc, values in _CATEGORIES:
        tax = _sub(class_decl, "taxonomy", xml_id=tax_id)
        _sub(tax, "desc", desc)
        for value in values:
            ids.taken.add(prefix + value)
            cat = _sub(tax, "category", xml_id=prefix + value)
            _sub(cat, "catDesc", value.replace("_", " "))
        ids.taken.add(tax_id)


def _header(t: Transcript, ids: _Ids, counts: dict[str, int]) -> ET.Element:
    m, src = t.metadata, t.source
    header = ET.Element("teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", m.title or t.id, type="main" if m.title else None)
    extent = _sub(file_desc, "extent")
    for unit, n in counts.items():
        _sub(extent, "measure", f"{n} {unit}", unit=unit, quantity=str(n))
    pub = _sub(file_desc, "publicationStmt")
    _sub(pub, "p", f"Converted by Podium from the transcript {t.id}; see sourceDesc for the source.")
    bibl = _sub(_sub(file_desc, "sourceDesc"), "bibl")
    _sub(bibl, "title", m.title or t.id)
    if m.organisation:
        _sub(bibl, "orgName", m.organisation, ref="#" + ids.org(m.organisation))
    if m.date:
        _sub(bibl, "date", m.date, when=_w3c_date(m.date))
    if m.last_updated:
        _sub(bibl, "date", m.last_updated, type="lastUpdated", when=_w3c_date(m.last_updated))
    if src.url:
        _sub(bibl, "idno", src.url, type="URI")
    if src.path:
        _sub(bibl, "idno", src.path, type="path")
    _sub(bibl, "idno", src.sha256, type="sha256")
    _sub(bibl, "note", src.format, type="format")
    _sub(bibl, "note", m.delivery, type="delivery")

    encoding = _sub(header, "encodingDesc")
    from podium import __version__

    app = _sub(_sub(encoding, "appInfo"), "application", ident="podium", version=__version__)
    _sub(app, "label", "Podium")
    style = t.analysis.get("style") if isinstance(t.analysis, dict) else None
    _sub(app, "desc", f"Parsed with house style {style}." if style else "Parsed by Podium.")
    _taxonomies(_sub(encoding, "classDecl"), ids)
    return header


def _orgs_and_people(t: Transcript, ids: _Ids, profile: ET.Element) -> None:
    """``particDesc``: every participant, then every organisation or outlet they refer to."""
    listed = {p.id for p in t.participants}
    referenced = [turn.speaker for turn in t.turns] + [ex.asker for ex in t.exchanges]
    unlisted = sorted({pid for pid in referenced if pid is not None and pid not in listed})
    if not (t.participants or unlisted or t.metadata.organisation or any(ex.outlet for ex in t.exchanges)):
        return
    partic = _sub(profile, "particDesc")
    list_person = _sub(partic, "listPerson") if t.participants or unlisted else partic
    orgs: dict[str, tuple[str, set[str], str]] = {}  # id -> (name as written, other names, role)

    def org(name: str, role: str, expanded: str | None = None) -> str:
        oid = ids.org(name)
        if oid not in orgs:
            orgs[oid] = (name, set(), role)
        if expanded and expanded != name:
            orgs[oid][1].add(expanded)
        return oid

    if t.metadata.organisation:
        org(t.metadata.organisation, "institution")
    for p in t.participants:
        person = _sub(list_person, "person", xml_id=ids.person(p.id), role=p.role)
        if p.name:
            _sub(person, "persName", p.name)
        if p.outlet:
            aff = _sub(person, "affiliation", role=p.role, ref="#" + org(p.outlet, "outlet", p.outlet_name))
            if p.title:
                _sub(aff, "roleName", p.title)
        if p.organisation or (p.title and not p.outlet):
            ref = "#" + org(p.organisation, "institution") if p.organisation else None
            aff = _sub(person, "affiliation", role=p.role, ref=ref)
            if p.title:
                _sub(aff, "roleName", p.title)
    for pid in unlisted:  # a speaker id missing from participants still resolves
        _sub(list_person, "person", xml_id=ids.person(pid), role="unknown")
    for ex in t.exchanges:  # an outlet named only on the exchange still gets its org
        if ex.outlet:
            org(ex.outlet, "outlet")
    if orgs:
        list_org = _sub(partic, "listOrg")
        for oid, (name, others, role) in orgs.items():
            el = _sub(list_org, "org", xml_id=oid, role=role)
            _sub(el, "orgName", name, type="asWritten" if others else None)
            for other in sorted(others):
                _sub(el, "orgName", other, type="expanded")


def _profile(t: Transcript, ids: _Ids, header: ET.Element) -> None:
    m = t.metadata
    profile = _sub(header, "profileDesc")
    setting = _sub(_sub(profile, "settingDesc"), "setting")
    if m.organisation:
        _sub(setting, "orgName", m.organisation, ref="#" + ids.org(m.organisation))
    if m.location:
        _sub(setting, "placeName", m.location)
    if m.date:
        _sub(setting, "date", m.date, when=_w3c_date(m.date))
    _orgs_and_people(t, ids, profile)
    if m.language and _LANGUAGE.match(m.language):
        _sub(_sub(profile, "langUsage"), "language", m.language, ident=m.language)
    class_ = _sub(profile, "textClass")
    _sub(class_, "catRef", target="#event." + m.event_type)


def _paragraph_cuts(text: str, keep: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Blank-line separators in ``text`` as (start, end), except those inside a ``keep`` range."""
    cuts = []
    for sep in _PARAGRAPH_BREAK.finditer(text):
        a, b = sep.span()
        if a == 0 or b == len(text):
            continue
        if any(qa < b and a < qb for qa, qb in keep):
            continue
        cuts.append((a, b))
    return cuts


def _append_text(parent: ET.Element, text: str) -> None:
    """Add ``text`` after the last child of ``parent`` (or as its text if it has none)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + _clean(text)
    else:
        parent.text = (parent.text or "") + _clean(text)


def _fill(
    seg: ET.Element, text: str, offset: int, questions: list[tuple[int, int, str, str | None]]
) -> None:
    """Write ``text`` (starting at ``offset`` in the turn) into ``seg`` with questions as inner segs."""
    pos = 0
    for qa, qb, qid, ana in questions:
        a, b = qa - offset, qb - offset
        if a < 0 or b > len(text):
            continue
        _append_text(seg, text[pos:a])
        _sub(seg, "seg", text[a:b], type="question", xml_id=qid, ana=ana)
        pos = b
    _append_text(seg, text[pos:])


def _question_ana(q: Question) -> str | None:
    labels = [s.label for s in (q.clarity, q.evasion) if s is not None]
    return " ".join("#" + label for label in labels) or None


def _utterance(
    body: ET.Element, turn: Turn, who: str | None, questions: list[tuple[int, int, str, str | None]],
    timed: bool,
) -> None:
    ana = "#" + turn.kind + (f" #{turn.channel}" if turn.channel else "")
    u = _sub(
        body, "u", xml_id=f"t{turn.index}", who=who, ana=ana,
        start=f"#t{turn.index}.start" if timed and turn.start is not None else None,
        end=f"#t{turn.index}.end" if timed and turn.end is not None else None,
    )
    text = turn.text
    cuts = _paragraph_cuts(text, [(a, b) for a, b, _, _ in questions])
    pos = 0
    for a, b in [*cuts, (len(text), len(text))]:
        seg = _sub(u, "seg")
        _fill(seg, text[pos:a], pos, questions)
        if b > a:
            seg.tail = _clean(text[a:b])
        pos = b


def _located_questions(t: Transcript) -> dict[int, list[tuple[int, int, str, str | None]]]:
    """Question-turn index → its questions as (start, end) in the turn's text, id and ``ana``.

    A question whose span does not slice its own text out of the turn, or overlaps the one
    before, is left out of the inline markup (it stays in the exchange's ``spanGrp``).
    """
    turns = {turn.index: turn for turn in t.turns}
    out: dict[int, list[tuple[int, int, str, str | None]]] = {}
    for ex in t.exchanges:
        turn = turns.get(ex.question_turn)
        if turn is None:
            continue
        placed = out.setdefault(turn.index, [])
        for q in ex.questions:
            a, b = q.span[0] - turn.span[0], q.span[1] - turn.span[0]
            ok = 0 <= a < b <= len(turn.text) and turn.text[a:b] == q.text
            if ok and (not placed or placed[-1][1] <= a):
                placed.append((a, b, f"e{ex.index}.q{q.index}", _question_ana(q)))
    return out


def _string_range(t: Transcript, span: tuple[int, int]) -> str | None:
    """A TEI ``string-range()`` pointer for a span of the plain text, if one turn holds it."""
    for turn in t.turns:
        if turn.span[0] <= span[0] and span[1] <= turn.span[1]:
            return f"#string-range(t{turn.index},{span[0] - turn.span[0]},{span[1] - span[0]})"
    return None


def _exchange_group(
    stand_off: ET.Element, t: Transcript, ex: Exchange, ids: _Ids, inline: set[str]
) -> None:
    corresp = []
    if ex.asker:
        corresp.append("#" + ids.person(ex.asker))
    if ex.outlet:
        corresp.append("#" + ids.org(ex.outlet))
    grp = _sub(
        stand_off, "spanGrp", type="exchange", xml_id=f"e{ex.index}",
        ana="#" + ex.channel if ex.channel else None, corresp=" ".join(corresp) or None,
    )
    if ex.moderation_turn is not None:
        _sub(grp, "span", type="moderation", target=f"#t{ex.moderation_turn}")
    _sub(grp, "span", type="question", target=f"#t{ex.question_turn}")
    for a in ex.answer_turns:
        _sub(grp, "span", type="answer", target=f"#t{a}")
    for q in ex.questions:  # questions that could not be marked inline keep their text here
        qid = f"e{ex.index}.q{q.index}"
        if qid not in inline:
            _sub(grp, "span", q.text, type="individualQuestion", xml_id=qid,
                 target=_string_range(t, q.span), ana=_question_ana(q))


def _stand_off(t: Transcript, ids: _Ids, inline: set[str], timed: list[Turn]) -> ET.Element | None:
    stand_off = ET.Element("standOff")
    if timed:
        timeline = _sub(stand_off, "timeline", unit="s", origin="#T0")
        _sub(timeline, "when", xml_id="T0")
        for turn in timed:
            for edge, value in (("start", turn.start), ("end", turn.end)):
                if value is not None:
                    _sub(timeline, "when", xml_id=f"t{turn.index}.{edge}",
                         interval=_seconds(value), since="#T0")
    for ex in t.exchanges:
        _exchange_group(stand_off, t, ex, ids, inline)
    for kind in ("clarity", "evasion"):
        scored = [
            (f"e{ex.index}.q{q.index}", getattr(q, kind))
            for ex in t.exchanges for q in ex.questions if getattr(q, kind) is not None
        ]
        if scored:
            grp = _sub(stand_off, "spanGrp", type=kind)
            for qid, score in scored:
                _sub(grp, "span", target="#" + qid, ana="#" + score.label, cert=f"{score.score:.4g}")
    answers = [
        (f"e{ex.index}.q{q.index}", ptr)
        for ex in t.exchanges for q in ex.questions for span in (q.answer_spans or [])
        if (ptr := _string_range(t, span)) is not None
    ]
    if answers:
        grp = _sub(stand_off, "spanGrp", type="answerSpan")
        for qid, ptr in answers:
            _sub(grp, "span", target=ptr, corresp="#" + qid)
    return stand_off if len(stand_off) else None


def counts(t: Transcript) -> dict[str, int]:
    """What the document holds, as written into its ``extent``."""
    return {
        "utterances": len(t.turns),
        "persons": len(t.participants),
        "exchanges": len(t.exchanges),
        "questions": sum(len(ex.questions) for ex in t.exchanges),
    }


def tei_element(t: Transcript) -> ET.Element:
    """``t`` as a Parla-CLARIN ``TEI`` element (see the module docstring for the mapping)."""
    ids = _Ids()
    ids.taken.add(_ncname(t.id, "transcript"))
    root = ET.Element("TEI", {"xmlns": TEI_NS, _XML + "id": _ncname(t.id, "transcript")})
    if t.metadata.language and _LANGUAGE.match(t.metadata.language):
        root.set(_XML + "lang", t.metadata.language)
    header = _header(t, ids, counts(t))
    root.append(header)
    _profile(t, ids, header)

    located = _located_questions(t)
    inline = {qid for qs in located.values() for _, _, qid, _ in qs}
    timed = [turn for turn in t.turns if turn.start is not None or turn.end is not None]
    body = _sub(_sub(root, "text"), "body")
    div: ET.Element | None = None
    section = None
    for turn in t.turns:
        if div is None or turn.section != section:
            div, section = _sub(body, "div", type=turn.section), turn.section
        if turn.label:
            _sub(div, "note", turn.label, type="speaker")
        who = "#" + ids.person(turn.speaker) if turn.speaker else None
        _utterance(div, turn, who, located.get(turn.index, []), bool(timed))
    if div is None:  # a body needs content: say that nothing was recognised as speech
        _sub(_sub(body, "div"), "note", "No turns were found in this transcript.")
    stand_off = _stand_off(t, ids, inline, timed)
    if stand_off is not None:
        root.append(stand_off)
    return root


_BLOCK = frozenset({
    "TEI", "teiCorpus", "teiHeader", "fileDesc", "titleStmt", "extent", "publicationStmt",
    "sourceDesc", "bibl", "encodingDesc", "appInfo", "application", "classDecl", "taxonomy",
    "category", "profileDesc", "settingDesc", "setting", "particDesc", "listPerson", "person",
    "affiliation", "listOrg", "org", "langUsage", "textClass", "text", "body", "div",
    "standOff", "timeline", "spanGrp",
})


def _indent(el: ET.Element, level: int = 0) -> None:
    """Indent structural elements only: whitespace inside ``<u>`` is text and must stay as is."""
    if el.tag not in _BLOCK or not len(el) or (el.text and el.text.strip()):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        _indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level


def _serialise(root: ET.Element) -> str:
    _indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_tei(t: Transcript) -> str:
    """``t`` as a complete Parla-CLARIN TEI document (UTF-8 XML text)."""
    return _serialise(tei_element(t))


def write_tei(transcripts: Iterable[Transcript], out: TextIO) -> int:
    """Write the single transcript of ``transcripts`` to ``out`` as one TEI document.

    Several transcripts cannot share one document (each uses the web's short ids ``t0``,
    ``e0``...), so more than one is an error: export to a folder to get the corpus.
    """
    from podium.export import single

    out.write(to_tei(single(transcripts, "tei")))
    return 1


@dataclass(frozen=True)
class _Component:
    file: str
    counts: dict[str, int]


def corpus_root(components: Iterable[_Component]) -> str:
    """The ``teiCorpus`` root: a corpus header with summed counts, then one XInclude per file.

    As in ParlaMint, the root holds no text itself. With its XIncludes expanded it is valid
    Parla-CLARIN except that ``xml:id``s repeat across components (every document has a
    ``t0`` and its own taxonomy), so validate it with ID checking off (``jing -i``).
    """
    items = list(components)
    root = ET.Element("teiCorpus", {"xmlns": TEI_NS, "xmlns:xi": XI_NS, _XML + "id": "podium-corpus"})
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", f"Podium corpus of {len(items)} transcripts")
    extent = _sub(file_desc, "extent")
    totals = {"texts": len(items)}
    for item in items:
        for unit, n in item.counts.items():
            totals[unit] = totals.get(unit, 0) + n
    for unit, n in totals.items():
        _sub(extent, "measure", f"{n} {unit}", unit=unit, quantity=str(n))
    _sub(_sub(file_desc, "publicationStmt"), "p", "Converted by Podium.")
    source = _sub(file_desc, "sourceDesc")
    _sub(source, "p", "Each component file's sourceDesc names its source.")
    for item in items:
        _sub(root, "xi:include", href=item.file)
    return _serialise(root)


def write_tei_folder(transcripts: Iterable[Transcript], folder: Path) -> int:
    """One ``<id>.xml`` TEI document per transcript in ``folder``, then the corpus root.

    Returns the number of files written (components plus the root). Files stream out one at
    a time; only each component's name and counts are kept for the root.
    """
    from podium.export import safe_name

    folder.mkdir(parents=True, exist_ok=True)
    items: list[_Component] = []
    used = {ROOT_NAME}
    for t in transcripts:
        name, n = f"{safe_name(t.id)}.xml", 2
        while name in used:  # ids are unique slugs; guard the root name and foreign ids
            name, n = f"{safe_name(t.id)}-{n}.xml", n + 1
        used.add(name)
        (folder / name).write_text(to_tei(t), encoding="utf-8")
        items.append(_Component(name, counts(t)))
    (folder / ROOT_NAME).write_text(corpus_root(items), encoding="utf-8")
    return len(items) + 1

