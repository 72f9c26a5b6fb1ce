"""Where exported transcripts come from: files parsed on the fly, filtered like a search.

Files are parsed one at a time as the exporter pulls them, so nothing is materialised. The
filters mirror the store's ``iter_transcripts(org=, since=, until=, speaker=, outlet=)`` so
an export from files and one from a store select the same transcripts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from podium.errors import InputError, PodiumError, UsageError
from podium.model import Transcript

TRANSCRIPT_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xml", ".json", ".vtt", ".srt", ".pdf"}
)
"""Suffixes a folder walk picks up; other files (CSV indexes, images) are not transcripts."""

NOT_TRANSCRIPTS = frozenset({"readme.md", "source.md", "license.md", "licence.md", "changelog.md"})
"""File names a folder walk skips: documentation that sits beside corpora, not transcripts."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Filters:
    """Which transcripts to keep; ``None`` means no constraint. Matching is case-insensitive.

    ``org`` equals the organisation; ``since``/``until`` bound the ISO date inclusively (a
    transcript without a date is then left out); ``speaker`` is part of a participant's name
    or their id; ``outlet`` is part of an asker's outlet (as written or expanded).
    """

    org: str | None = None
    since: str | None = None
    until: str | None = None
    speaker: str | None = None
    outlet: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _DATE.match(value):
                raise UsageError(f"--{name} {value!r}: give a date as YYYY-MM-DD")

    def active(self) -> bool:
        return any(v is not None for v in (self.org, self.since, self.until, self.speaker, self.outlet))

    def matches(self, t: Transcript) -> bool:
        m = t.metadata
        if self.org and (m.organisation or "").casefold() != self.org.casefold():
            return False
        if self.since and (not m.date or m.date[:10] < self.since):
            return False
        if self.until and (not m.date or m.date[:10] > self.until):
            return False
        if self.speaker:
            q = self.speaker.casefold()
            if not any(q in (p.name or "").casefold() or q == p.id.casefold() for p in t.participants):
                return False
        if self.outlet:
            q = self.outlet.casefold()
            outlets = [p.outlet for p in t.participants] + [p.outlet_name for p in t.participants]
            outlets += [e.outlet for e in t.exchanges]
            if not any(q in o.casefold() for o in outlets if o):
                return False
        return True


def iter_paths(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named in ``inputs``, folders walked recursively in sorted order.

    A file named explicitly is always taken; inside folders only transcript suffixes count,
    hidden entries and ``README.md``/``SOURCE.md``-style documentation are skipped.
    """
    for item in inputs:
        p = Path(item)
        if not p.exists():
            raise InputError(f"{p}: no such file or folder; check the path")
        if p.is_file():
            yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                f = Path(root) / name
                if name.startswith(".") or name.lower() in NOT_TRANSCRIPTS:
                    continue
                if f.suffix.lower() in TRANSCRIPT_SUFFIXES:
                    yield f


def parse_paths(
    paths: Iterable[Path],
    *,
    style: str | None = None,
    max_bytes: int | None = None,
    on_error: Callable[[Path, PodiumError], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> Iterator[Transcript]:
    """Parse each path as it is pulled; a file that fails is reported to ``on_error`` and skipped.

    Without ``on_error`` the first failure propagates. ``on_file`` is told of every path
    (parsed or not), which drives the progress bar.
    """
    from podium.parse import parse_file, resolve_style

    st = resolve_style(style)  # resolve once: a bad --style fails before any file is read
    for path in paths:
        try:
            t = parse_file(path, style=st, max_bytes=max_bytes)
        except PodiumError as exc:
            if on_error is None:
                raise
            on_error(path, exc)
            continue
        finally:
            if on_file is not None:
                on_file(path)
        yield t


def filtered(transcripts: Iterable[Transcript], filters: Filters) -> Iterator[Transcript]:
    """The transcripts that ``filters`` keep, lazily."""
    return (t for t in transcripts if filters.matches(t))
