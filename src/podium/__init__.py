"""Podium: press-conference transcripts as structured, searchable data."""

from __future__ import annotations

from podium.errors import InputError, PodiumError, StyleError, UsageError
from podium.model import Document, Exchange, Participant, Question, Transcript, Turn
from podium.parse import parse_file, parse_text


def __getattr__(name: str) -> object:
    # Corpus pulls in the store; import it lazily so 'import podium' stays light.
    if name == "Corpus":
        from podium.corpus import Corpus

        return Corpus
    raise AttributeError(f"module 'podium' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Corpus",
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
    "parse_file",
    "parse_text",
]
