"""Podium: press-conference transcripts as structured, searchable data."""

from __future__ import annotations

from podium.errors import InputError, PodiumError, StyleError, UsageError
from podium.model import Document, Exchange, Participant, Question, Transcript, Turn
from podium.parse import parse, parse_file

__version__ = "0.1.0"

__all__ = [
    "Document",
    "Exchange",
    "InputError",
    "Participant",
    "PodiumError",
    "Question",
    "StyleError",
    "Transcript",
    "Turn",
    "UsageError",
    "__version__",
    "parse",
    "parse_file",
]
