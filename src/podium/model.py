"""The transcript model: the one structure every reader produces and every consumer reads.

It mirrors the ``podium.transcript/1`` JSON contract (``shared/spec/transcript-json.md``)
field by field, so ``Transcript.model_dump(mode="json")`` *is* the spec form and
``Transcript.model_validate(obj)`` reads it back. Pydantic v2 was chosen over dataclasses
because it gives us validation of foreign JSON (exports, the web API, user files) and the
committed JSON Schema (``docs/transcript.schema.json``) from the same class definitions.

This module imports no other Podium module: dependencies point inward to it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "podium.transcript/1"

SourceFormat = Literal["text", "html", "pdf", "webvtt", "srt", "xml", "json", "markdown"]
EventType = Literal[
    "press_conference",
    "briefing",
    "joint_press_conference",
    "doorstep",
    "interview",
    "speech",
    "other",
]
Delivery = Literal["as_delivered", "check_against_delivery", "unknown"]
Role = Literal["principal", "moderator", "journalist", "official", "unknown"]
TurnKind = Literal["statement", "moderation", "question", "answer", "closing", "other"]
Section = Literal["opening", "qa", "closing"]
Channel = Literal["in_room", "remote"]
ClarityLabel = Literal["clear_reply", "ambivalent", "clear_non_reply"]
EvasionLabel = Literal[
    "explicit",
    "implicit",
    "dodging",
    "deflection",
    "partial",
    "general",
    "declining",
    "claims_ignorance",
    "clarification",
]
Span = tuple[int, int]


class _Model(BaseModel):
    """Shared configuration: unknown fields are kept, so newer files survive a round trip."""

    model_config = ConfigDict(extra="allow", json_schema_serialization_defaults_required=True)


class Source(_Model):
    """Where a transcript came from; ``sha256`` is of the raw input bytes."""

    path: str | None = None
    url: str | None = None
    format: SourceFormat = "text"
    sha256: str


class Metadata(_Model):
    """Facts about the event. Unknown values are ``None``, never guessed."""

    title: str | None = None
    event_type: EventType = "other"
    organisation: str | None = None
    principal: str | None = None
    date: str | None = Field(default=None, description="ISO 8601 date of the event")
    last_updated: str | None = Field(default=None, description="ISO 8601 date-time as published")
    location: str | None = None
    delivery: Delivery = "unknown"
    language: str | None = None


class Participant(_Model):
    """One person speaking in the transcript, with every raw label they appeared under."""

    id: str
    name: str | None = None
    role: Role = "unknown"
    title: str | None = None
    organisation: str | None = None
    outlet: str | None = Field(default=None, description="Outlet as written, e.g. 'SDZ'")
    outlet_name: str | None = Field(default=None, description="Outlet expanded where known")
    labels: list[str] = Field(default_factory=list)


class Turn(_Model):
    """One uninterrupted contribution by one speaker.

    ``span`` indexes the reader's plain text: ``plain[span[0]:span[1]] == text`` always holds.
    ``start``/``end`` are seconds, present only for turns read from caption files.
    """

    index: int
    speaker: str | None = None
    label: str | None = None
    kind: TurnKind = "other"
    section: Section = "qa"
    channel: Channel | None = None
    text: str
    span: Span
    start: float | None = None
    end: float | None = None


class Score(_Model):
    """A classifier label with its calibrated probability."""

    label: str
    score: float


class Question(_Model):
    """One individual question inside a (possibly multi-part) question turn."""

    index: int
    text: str
    span: Span
    answer_spans: list[Span] | None = None
    clarity: Score | None = None
    evasion: Score | None = None


class Exchange(_Model):
    """A hand-off, the question turn it leads to, and the turns that answer it."""

    index: int
    asker: str | None = None
    outlet: str | None = None
    channel: Channel | None = None
    moderation_turn: int | None = None
    question_turn: int
    answer_turns: list[int] = Field(default_factory=list)
    answered_by: list[str] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)


Confidence = Literal["ok", "low", "none"]


class Diagnostics(_Model):
    """How much of the text the parser could structure, so a bad parse is never silent.

    Shares count non-white-space characters of the body (the text from the first turn on),
    so line breaks and indentation of the source format do not move them.
    """

    label_grammar: str | None = Field(
        default=None, description="Name of the speaker-label layout the parser chose, if it says"
    )
    labelled_share: float = Field(description="Share of the body in turns that carry a speaker label")
    speaker_share: float = Field(description="Share of the body in turns with a known speaker")
    anonymous_question_share: float | None = Field(
        default=None, description="Share of exchanges whose asker has no name; null without exchanges"
    )
    largest_turn_chars: int = 0
    turns: int = 0
    exchanges: int = 0
    warnings: list[str] = Field(default_factory=list, description="One sentence per problem found")
    confidence: Confidence = Field(
        default="ok", description="ok: structure found; low: partly; none: the structure is not to be trusted"
    )


class Transcript(_Model):
    """A whole parsed transcript in the ``podium.transcript/1`` form."""

    schema_: Literal["podium.transcript/1"] = Field(default="podium.transcript/1", alias="schema")
    id: str
    source: Source
    metadata: Metadata = Field(default_factory=Metadata)
    participants: list[Participant] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    exchanges: list[Exchange] = Field(default_factory=list)
    analysis: dict[str, Any] = Field(default_factory=dict)
    diagnostics: Diagnostics | None = None

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, json_schema_serialization_defaults_required=True
    )

    def to_json_dict(self) -> dict[str, Any]:
        """The spec form as plain Python objects (analysis fields left out when empty)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=False)

    def participant(self, pid: str | None) -> Participant | None:
        """The participant with id ``pid``, or ``None``."""
        if pid is None:
            return None
        for p in self.participants:
            if p.id == pid:
                return p
        return None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the transcript form, as committed in ``docs/transcript.schema.json``."""
    schema = Transcript.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://podium.invalid/schema/podium.transcript-1.json"
    return schema


class Document(BaseModel):
    """What a reader hands to the parser: plain text plus what the format itself says.

    ``plain`` is the text every span points into. ``metadata`` holds facts the format
    carries (front matter, HTML ``<title>``, XML fields) under ``Metadata`` field names;
    the parser prefers them to what it infers from the text. ``cues`` holds caption
    timings as ``(start_char, end_char, start_s, end_s)`` for caption readers.
    """

    plain: str
    format: SourceFormat = "text"
    sha256: str
    path: str | None = None
    url: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    cues: list[tuple[int, int, float, float]] = Field(default_factory=list)
    catalogue: dict[str, str] = Field(default_factory=dict)
    """What a publisher's index beside the file lists for it (``readers/catalogue.py``):
    ``date``, ``title``, ``url``; used only where the document itself is silent."""
