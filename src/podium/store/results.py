"""Typed results of store queries: what the CLI prints, the API returns and a web page shows.

They are frozen dataclasses rather than pydantic models because they are read-only views
built from rows in bulk, where construction speed matters; ``to_dict`` gives the JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar

T = TypeVar("T")


_FIELDS: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in fields(cls))
    return _FIELDS[cls]


def _plain(value: Any) -> Any:
    """``value`` with nested results turned into dicts and lists copied (what ``asdict`` gives)."""
    if isinstance(value, _Dict):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Dict:
    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready values.

        Not ``dataclasses.asdict``: that deep-copies every string through ``copy.deepcopy``,
        which was a fifth of an exchange search page's time (results hold only immutable
        scalars, lists, tuples and other results, so a walk that copies containers suffices).
        """
        return {name: _plain(getattr(self, name)) for name in _names(type(self))}


@dataclass(frozen=True)
class SearchHit(_Dict):
    """One matching turn with its citation.

    ``snippet`` is plain text with the matched words wrapped in ``<mark>…</mark>``; the
    rest is *not* HTML-escaped (escape it, then restore the marks, when rendering HTML).
    ``permalink`` (``transcript_id#t<turn_index>``) names the turn everywhere in Podium.
    """

    transcript_id: str
    turn_index: int
    title: str | None
    date: str | None
    organisation: str | None
    speaker: str | None
    person_id: str | None
    role: str | None
    outlet: str | None
    kind: str
    snippet: str
    text: str
    score: float
    permalink: str
    source_url: str | None = None


@dataclass(frozen=True)
class TranscriptSummary(_Dict):
    """A row of a transcript list."""

    transcript_id: str
    title: str | None
    date: str | None
    organisation: str | None
    event_type: str | None
    principal: str | None
    language: str | None
    source_path: str | None
    turn_count: int
    exchange_count: int
    question_count: int


@dataclass(frozen=True)
class Page(_Dict, Generic[T]):
    """One page of a longer list: ``total`` counts every match, ``items`` this page."""

    items: list[T]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class PersonSummary(_Dict):
    """A person resolved across transcripts; ``aliases`` are the raw labels seen."""

    person_id: str
    name: str
    organisation: str | None
    roles: list[str]
    aliases: list[str]
    transcript_count: int
    turn_count: int


@dataclass(frozen=True)
class OutletSummary(_Dict):
    """A news outlet with every form it was written in (``SDZ``, ``Süddeutsche Zeitung``)."""

    outlet_id: str
    name: str
    abbreviation: str | None
    aliases: list[str]
    journalist_count: int
    question_count: int


@dataclass(frozen=True)
class QuestionRecord(_Dict):
    """One question with where it was asked and how it was answered."""

    transcript_id: str
    exchange_index: int
    question_index: int
    date: str | None
    title: str | None
    asker: str | None
    asker_person_id: str | None
    outlet: str | None
    text: str
    answered_by: list[str]
    answer_text: str
    clarity: str | None
    clarity_score: float | None
    evasion: str | None
    evasion_score: float | None
    permalink: str
    outlet_id: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class Stats(_Dict):
    """Corpus counts, and the largest groups by organisation, year, speaker and outlet."""

    transcripts: int
    turns: int
    exchanges: int
    questions: int
    persons: int
    outlets: int
    embedded_turns: int
    by_organisation: list[tuple[str, int]] = field(default_factory=list)
    by_year: list[tuple[str, int]] = field(default_factory=list)
    by_speaker: list[tuple[str, int]] = field(default_factory=list)
    by_outlet: list[tuple[str, int]] = field(default_factory=list)
    by_clarity: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Facets(_Dict):
    """How the full set of search matches splits, for the filter sidebar of a results page."""

    total: int
    organisation: list[tuple[str, int]]
    year: list[tuple[str, int]]
    kind: list[tuple[str, int]]
    role: list[tuple[str, int]]
    speaker: list[tuple[str, int]]
    outlet: list[tuple[str, int]]
    principal: list[tuple[str, int]] = field(default_factory=list)
    clarity: list[tuple[str, int]] = field(default_factory=list)
    exchanges: int = 0
    """How many exchanges the matching turns belong to (the total of an exchange search)."""


@dataclass(frozen=True)
class Totals(_Dict):
    """How many of each thing the corpus holds."""

    transcripts: int
    turns: int
    exchanges: int
    questions: int
    persons: int
    outlets: int


@dataclass(frozen=True)
class Count(_Dict):
    """A value and how many there are of it (``value`` ``None``: not known)."""

    value: str | None
    count: int


@dataclass(frozen=True)
class NamedCount(_Dict):
    """A person or outlet (by id and name) and a count: turns spoken, questions asked."""

    id: str
    name: str
    count: int


@dataclass(frozen=True)
class Timeline(_Dict):
    """Transcripts per ``period`` ("month" or "year") with empty periods as zero.

    ``dated`` transcripts have a date and are counted in ``points``; ``total`` is all of them.
    """

    period: str
    points: list[Count]
    dated: int
    total: int


@dataclass(frozen=True)
class ParticipantLink(_Dict):
    """What a transcript's participant was resolved to across the corpus."""

    person_id: str | None
    outlet_id: str | None


@dataclass(frozen=True)
class AnswerRecord(_Dict):
    """An answer turn a person gave, with the questions it answers (its topic)."""

    transcript_id: str
    date: str | None
    title: str | None
    turn_index: int
    exchange_index: int | None
    excerpt: str
    truncated: bool
    questions: list[str]
    permalink: str


@dataclass(frozen=True)
class JournalistCount(_Dict):
    """A person who asked for an outlet, and in how many transcripts."""

    person_id: str | None
    name: str | None
    transcripts: int


@dataclass(frozen=True)
class ExchangeHit(_Dict):
    """One matching exchange: who asked (from where), the question(s), how the answer began.

    ``questions`` and ``answer_start`` (the first answer turn that matches, else the first)
    carry ``<mark>…</mark>`` around matched words like
    ``SearchHit.snippet`` (not HTML-escaped). ``asker`` is ``None`` for a journalist the
    transcript does not name. ``matched`` lists the kinds of the exchange's turns that matched.
    ``clarity``/``evasion`` are the labels of the exchange's first labelled question.
    """

    transcript_id: str
    exchange_index: int
    title: str | None
    date: str | None
    organisation: str | None
    asker: str | None
    asker_person_id: str | None
    outlet: str | None
    outlet_id: str | None
    channel: str | None
    questions: list[str]
    answer_start: str
    answerer: str | None
    answerer_person_id: str | None
    clarity: str | None
    evasion: str | None
    matched: list[str]
    score: float
    permalink: str
    source_url: str | None = None
    handoff: str = ""
    """The moderator's hand-off, marked, when only it matched (else empty)."""
