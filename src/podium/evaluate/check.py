"""Robustness over a folder of transcripts: every file parsed, nothing may crash.

``podium check DIR`` parses every transcript under ``DIR`` (skipping ``SOURCE.md`` and CSV
indexes), groups files by their first sub-folder (the source) and counts files with no turns,
no exchanges, or turns whose speaker is unknown, and lists files whose parse diagnostics
(``podium.parse.diagnostics``) give a confidence below ``ok``. A ``PodiumError`` (a clean refusal of bad
input) is counted apart from a crash (any other exception), which is always a bug.
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from podium.errors import PodiumError
from podium.parse import parse_file
from podium.parse.diagnostics import summary

SKIP_NAMES = {"SOURCE.md", "README.md"}
SKIP_SUFFIXES = {".csv"}


@dataclass
class SourceReport:
    """What happened to the files of one source."""

    files: int = 0
    crashes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    no_turns: list[str] = field(default_factory=list)
    no_exchanges: list[str] = field(default_factory=list)
    unknown_speakers: list[str] = field(default_factory=list)
    low_confidence: list[str] = field(default_factory=list)
    turns: int = 0
    exchanges: int = 0
    event_types: Counter[str] = field(default_factory=Counter)
    styles: Counter[str] = field(default_factory=Counter)


def transcript_files(root: Path) -> Iterator[Path]:
    """Transcript files under ``root`` in a stable order."""
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name not in SKIP_NAMES and p.suffix not in SKIP_SUFFIXES:
            yield p


def source_of(path: Path, root: Path) -> str:
    rel = path.relative_to(root)
    return rel.parts[0] if len(rel.parts) > 1 else root.name


def check(root: Path) -> dict[str, SourceReport]:
    """Parse every transcript under ``root``; the report per source."""
    reports: dict[str, SourceReport] = {}
    for path in transcript_files(root):
        rep = reports.setdefault(source_of(path, root), SourceReport())
        rep.files += 1
        name = str(path.relative_to(root))
        try:
            t = parse_file(path)
        except PodiumError as exc:
            rep.refused.append(f"{name}: {exc}")
            continue
        except Exception:  # noqa: BLE001 - a crash is what this command exists to find
            rep.crashes.append(f"{name}: {traceback.format_exc(limit=-1).strip().splitlines()[-1]}")
            continue
        rep.turns += len(t.turns)
        rep.exchanges += len(t.exchanges)
        rep.event_types[t.metadata.event_type] += 1
        rep.styles[str(t.analysis.get("style"))] += 1
        if not t.turns:
            rep.no_turns.append(name)
        if not t.exchanges:
            rep.no_exchanges.append(name)
        roles = {p.id: p.role for p in t.participants}
        if any(turn.speaker is None or roles.get(turn.speaker) == "unknown" for turn in t.turns):
            rep.unknown_speakers.append(name)
        if t.diagnostics is not None and t.diagnostics.confidence != "ok":
            rep.low_confidence.append(f"{name}: {summary(t.diagnostics)}")
    return reports
