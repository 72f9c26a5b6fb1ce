"""The structure parser: a ``Document`` in, a ``Transcript`` out.

It runs named steps, each with one job, configured by a house style (data, not code):

1. ``header``: title, dates, delivery note (``parse/header.py``);
2. ``segment``: turns at speaker labels (``parse/segment.py``);
3. ``structure``: participants, roles, turn kinds, channels, exchanges (``parse/structure.py``);
4. ``split``: individual questions in each question turn (``parse/questions.py``).
"""

from __future__ import annotations

import os

from podium import readers
from podium.errors import InputError
from podium.model import Document, Metadata, Source, Transcript
from podium.parse import style as styles
from podium.parse._dates import parse_date
from podium.parse._people import Resolver
from podium.parse._text import slugify
from podium.parse.diagnostics import diagnose
from podium.parse.header import (
    Header,
    dateline_date,
    event_type,
    header_end,
    known_organisation,
    opening_event_type,
    printed_organisation,
    read_header,
)
from podium.parse.questions import add_questions
from podium.parse.segment import split_turns, split_unlabelled_questions
from podium.parse.structure import build_structure
from podium.parse.style import Style
from podium.readers.captions import span_times

__all__ = ["Style", "parse_document", "parse_file", "parse_text", "resolve_style"]


def _language(text: str, default: str) -> str:
    """A cheap guess of the language from each lang file's function words (``parse/languages``)."""
    from podium.parse.languages import guess_language

    return guess_language(text, default)


def _event_date(header: str, doc: Document, head_date: str | None, st: Style) -> str | None:
    """The event's date as the document prints it, most specific first.

    A dateline or event-date line in the header (over a page's publication date), the
    format's own date field, the date block under the title, the running header of a PDF.
    Never the file's creation date or its name: those say when a file was made or saved.
    """
    running = doc.metadata.get("running_header")
    return (
        dateline_date(header, st)
        or doc.metadata.get("date")
        or head_date
        or (parse_date(str(running), st.month_first) if running else None)
        or _header_line_date(header, st)
    )


MAX_TURNS = 10_000
"""Speaker turns a transcript may have. The longest in the shared corpus have about 520 (a
Kremlin news conference); each turn costs the later steps some 50-100 µs, so this keeps any
input, however its bytes are arranged, to about a second of them."""

HEADER_LINES = 12
HEADER_LINE_CHARS = 160


def _header_line_date(header: str, st: Style) -> str | None:
    """The first date on a short line at the top ("Regierungspressekonferenz vom 12. März
    2025", "Bruxelles, le 21 mars 2025."): a header line, not a sentence of the statement."""
    lines = [ln for ln in header.splitlines() if ln.strip()][:HEADER_LINES]
    for line in lines:
        if len(line) <= HEADER_LINE_CHARS:
            found = parse_date(line, st.month_first)
            if found:
                return found
    return None


def _catalogue_gaps(
    doc: Document, head: Header, st: Style, date: str | None
) -> tuple[str | None, str | None, list[str]]:
    """Fill the date, title and address the document does not print from the catalogue
    beside it (``readers/catalogue.py``); returns the date, the address and what was filled."""
    cat, filled = doc.catalogue, []
    if date is None and "date" in cat and not doc.metadata.get("date"):
        date = cat["date"]
        filled.append("date")
    if not head.title and not doc.metadata.get("title") and "title" in cat:
        head.title = cat["title"]
        filled.append("title")
        if head.event_type == "other":
            head.event_type = event_type(head.title, st)
    url = doc.url
    if not url and "url" in cat:
        url = cat["url"]
        filled.append("url")
    return date, url, filled


def _organisation(st: Style, header: str, named: bool) -> str | None:
    """The style's institution when the header names it (or the user named the style), else
    an institution the header names plainly; never one inferred from label shapes alone."""
    if st.organisation and (named or st.claims(header)):
        return st.organisation
    return known_organisation(header) or printed_organisation(header)


def parse_document(doc: Document, style: Style | None = None) -> Transcript:
    """Parse a ``Document`` (from ``podium.readers``) into a ``Transcript``; the style is
    detected when not given."""
    text = doc.plain
    title = str(doc.metadata.get("title") or "")
    # The address a page came from is the strongest clue to its house style.
    # and the format's own fields ("period_of_service: …" in the Australian XML) come next.
    fields = "\n".join(f"{k}: {v}" for k, v in doc.metadata.items() if isinstance(v, str | int))[:1000]
    st = style or styles.detect(f"{doc.url or doc.catalogue.get('url') or ''}\n{fields}\n{title}\n{text[:5000]}")
    head = read_header(text, st)
    # The format's title field wins, except a PDF's: its document-information title is
    # whatever the authoring tool stored, the printed one is what the reader sees; and except a
    # page title that is only the site's name ("中華民國外交部 - 全球資訊網") where the printed
    # title names the event.
    fmt_title = " ".join(str(doc.metadata.get("title") or "").split())
    site_only = head.event_type != "other" and event_type(fmt_title, st) == "other"
    if fmt_title and not (doc.format == "pdf" and head.title) and not site_only:
        head.title = fmt_title
        if head.event_type == "other":
            head.event_type = event_type(head.title, st)
    seg = split_turns(text, head.body_start, st)
    if len(seg.turns) > MAX_TURNS:
        raise InputError(
            f"{doc.path or '<input>'}: {len(seg.turns):,} speaker turns, over the {MAX_TURNS:,}-turn limit "
            "(that many turns is no single transcript); split the file"
        )
    language = doc.metadata.get("language") or _language(text, st.language)
    raw = split_unlabelled_questions(text, seg.turns, styles.language(language))
    first_label = next((text.rfind("\n", 0, r.start) + 1 for r in raw if r.label is not None), None)
    header = text[: header_end(text, first_label)]
    date = _event_date(header, doc, head.date, st)
    date, url, from_catalogue = _catalogue_gaps(doc, head, st, date)
    people = Resolver(text, head.title, doc.metadata.get("principal"), st, str(date) if date else None, language)
    struct = build_structure(text, raw, head, st, people)
    if not struct.exchanges and head.event_type in ("press_conference", "joint_press_conference"):
        if any(rx.search(head.title or "") for rx in st.statement_only):
            head.event_type = "speech"
    add_questions(text, struct.turns, struct.exchanges, styles.language(language))
    if doc.cues:  # caption files: each turn keeps the time of the cues it spans
        for turn in struct.turns:
            times = span_times(doc.cues, *turn.span)
            if times is not None:
                turn.start, turn.end = times

    meta = Metadata(
        title=head.title,
        event_type=head.event_type,  # type: ignore[arg-type]
        organisation=_organisation(
            st, f"{url or ''}\n{doc.metadata.get('publisher') or ''}\n{fields}\n{title}\n{header}", style is not None
        ),
        principal=struct.principal,
        date=head.date,
        last_updated=head.last_updated,
        delivery=head.delivery,  # type: ignore[arg-type]
        language=language,
    )
    for key, value in doc.metadata.items():  # the format's own metadata wins (its title above)
        if key in Metadata.model_fields and key != "title" and value is not None:
            setattr(meta, key, value)
    meta.date = date
    if meta.event_type == "other" and "event_type" not in doc.metadata:
        meta.event_type = opening_event_type(text)  # type: ignore[assignment]
    if meta.date is None and meta.title:  # "Press Briefing by Press Secretary Josh Earnest, 2/4/2015"
        meta.date = parse_date(meta.title, st.month_first)
    prefix = slugify(meta.organisation or "transcript")
    tid = "-".join(p for p in (prefix, meta.date, doc.sha256[:8]) if p)
    t = Transcript(
        id=tid,
        source=Source(path=doc.path, url=url, format=doc.format, sha256=doc.sha256),
        metadata=meta,
        participants=struct.participants,
        turns=struct.turns,
        exchanges=struct.exchanges,
        analysis={"style": st.name, "label_grammar": seg.grammar},
    )
    if from_catalogue:  # say which facts the document did not print itself
        t.analysis["from_catalogue"] = from_catalogue
    t.diagnostics = diagnose(t, text)
    return t


def parse_file(
    path: str | os.PathLike[str], *, style: Style | str | None = None, max_bytes: int | None = None
) -> Transcript:
    """Read and parse the file at ``path`` (``style`` may be a ``Style``, a name or a file)."""
    doc = readers.read(path, max_bytes=max_bytes)
    return parse_document(doc, resolve_style(style))


def parse_text(text: str, *, style: Style | str | None = None) -> Transcript:
    """Parse a transcript held in a string: plain text, HTML, Markdown, captions or XML.

    The reader is chosen by content as for a file, so ``parse_text(page_html)`` reads the page
    as HTML. The transcript has no source path; its id and ``source.sha256`` come from the
    UTF-8 bytes of ``text``.
    """
    return parse_document(readers.read_bytes(text.encode("utf-8")), resolve_style(style))


def resolve_style(style: Style | str | None) -> Style | None:
    """A ``Style`` from a style object, a registered name (``nato.v1``) or a TOML path."""
    if style is None or isinstance(style, Style):
        return style
    if style.endswith(".toml") or os.sep in style:
        return styles.load(style)
    return styles.get(style)
