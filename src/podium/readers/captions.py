"""Caption files (WebVTT and SRT) as transcripts: speaker changes become paragraphs.

Captions mark a new speaker in three ways, all handled: ``>>`` (broadcast style, no name),
a leading ``- `` (dialogue dash, no name) and WebVTT voice spans ``<v Name>``. Each speaker
change starts a new paragraph; a named voice is written ``Name: text`` so the parser's label
segmentation sees it, and an unnamed change is a paragraph with no label. Consecutive cues of
the same speaker run on in one paragraph.

Every cue's text keeps its timing in ``Document.cues`` as ``(start_char, end_char, start_s,
end_s)`` over the plain text, which is how turns get ``start``/``end`` seconds. A timing
line that does not parse, a cue that ends before it starts, or a cue with no timing line is
an ``InputError`` naming the line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from podium.errors import InputError
from podium.model import Document, SourceFormat
from podium.readers import Reader, _meta, decode, normalise_newlines, sha256

_TIME = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"^\s*(?P<start>{_TIME})\s*-->\s*(?P<end>{_TIME})(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?(?:\s+(?P<name>[^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<\d[\d:.]*>")
_TIMEISH = re.compile(r"\d:\d\d.*(?:->|--|→)")
_DASH = re.compile(r"^[-–—]\s+")
_SRT_HEAD = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\d+[ \t]*\r?\n[^\n]*-->")


def sniff_vtt(head: bytes, path: str | None) -> bool:
    """The ``WEBVTT`` signature on the first line."""
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT")


def sniff_srt(head: bytes, path: str | None) -> bool:
    """A cue number line followed by a line with ``-->``, or an ``.srt`` name with ``-->``."""
    if _SRT_HEAD.match(head):
        return True
    return bool(path and path.lower().endswith(".srt") and b"-->" in head)


def seconds(stamp: str) -> float:
    """``"01:02:03.500"`` / ``"02:03,5"`` → seconds."""
    stamp = stamp.replace(",", ".")
    main, _, frac = stamp.partition(".")
    parts = [int(p) for p in main.split(":")]
    total = 0
    for p in parts:
        total = total * 60 + p
    return total + (float(f"0.{frac}") if frac else 0.0)


@dataclass
class _Cue:
    line: int
    start: float
    end: float
    payload: list[str]


@dataclass
class _Builder:
    """Writes paragraphs and remembers where each cue's text landed."""

    parts: list[str] = field(default_factory=list)
    pos: int = 0
    speaker: str | None = None
    open: bool = False
    cues: list[tuple[int, int, float, float]] = field(default_factory=list)

    def _put(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def new_turn(self, name: str | None) -> None:
        if self.pos:
            self._put("\n\n")
        if name:
            self._put(f"{name}: ")
        self.speaker, self.open = name, False

    def text(self, s: str) -> tuple[int, int]:
        if self.open:
            self._put(" ")
        start = self.pos
        self._put(s)
        self.open = True
        return start, self.pos


def _segments(payload: list[str]) -> list[tuple[bool, str | None, str]]:
    """``(speaker_change, name, text)`` pieces of one cue's lines."""
    out: list[tuple[bool, str | None, str]] = []
    for raw in payload:
        pieces: list[tuple[bool, str | None, str]] = []
        last = 0
        name: str | None = None
        changed = False
        for m in _VOICE.finditer(raw):  # <v Name> opens a new voice
            if m.start() > last:
                pieces.append((changed, name, raw[last : m.start()]))
            name, changed, last = (m["name"] or "").strip() or None, True, m.end()
        pieces.append((changed, name, raw[last:]))
        for changed, name, chunk in pieces:
            for i, part in enumerate(chunk.split(">>")):  # >> marks a new speaker
                text = html.unescape(_TAG.sub("", part)).replace("\xa0", " ").strip()
                change = changed if i == 0 else True
                if _DASH.match(text):
                    text, change = _DASH.sub("", text), True
                if text or (change and name):
                    out.append((change, name if i == 0 else None, text))
    return out


def _build(cues: list[_Cue]) -> tuple[str, list[tuple[int, int, float, float]]]:
    b = _Builder()
    for cue in cues:
        first = last = None
        for change, name, text in _segments(cue.payload):
            if change and not (name and name == b.speaker and b.pos):
                b.new_turn(name)
            if not text:
                continue
            s, e = b.text(text)
            first = s if first is None else first
            last = e
        if first is not None and last is not None:
            b.cues.append((first, last, cue.start, cue.end))
    return "".join(b.parts), b.cues


def _timing(line: str, lineno: int, where: str) -> tuple[float, float]:
    m = _TIMING.match(line)
    if not m:
        raise InputError(
            f"{where}:{lineno}: broken cue timing {line.strip()!r}; expected 'HH:MM:SS.mmm --> HH:MM:SS.mmm'"
        )
    start, end = seconds(m["start"]), seconds(m["end"])
    if end < start:
        raise InputError(f"{where}:{lineno}: cue ends before it starts ({line.strip()!r}); fix its timing")
    return start, end


def _blocks(lines: list[str], first: int) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as ``(first line number, lines)``."""
    blocks: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    start = first
    for i in range(first, len(lines)):
        if lines[i].strip():
            if not cur:
                start = i
            cur.append(lines[i])
        elif cur:
            blocks.append((start + 1, cur))
            cur = []
    if cur:
        blocks.append((start + 1, cur))
    return blocks


def parse_cues(text: str, where: str, *, vtt: bool) -> tuple[list[_Cue], dict[str, str]]:
    """Cues in file order, and the WebVTT header fields (``Language: en``)."""
    lines = text.split("\n")
    header: dict[str, str] = {}
    first = 0
    if vtt:
        first = 1
        while first < len(lines) and lines[first].strip():
            key, sep, value = lines[first].partition(":")
            if sep and "-->" not in lines[first]:
                header[key.strip().lower()] = value.strip()
                first += 1
            else:
                break
    cues: list[_Cue] = []
    for lineno, block in _blocks(lines, first):
        if vtt and re.match(r"(NOTE|STYLE|REGION)\b", block[0]):
            continue
        at = next((i for i, line in enumerate(block[:3]) if "-->" in line), None)
        if at is None:  # a mangled arrow ("->"): the time-like line is the broken timing
            at = next((i for i, line in enumerate(block[:2]) if _TIMEISH.search(line)), None)
        if at is None:
            raise InputError(
                f"{where}:{lineno}: cue {block[0].strip()[:40]!r} has no timing line "
                "('HH:MM:SS.mmm --> HH:MM:SS.mmm'); is a blank line missing or a timing broken?"
            )
        start, end = _timing(block[at], lineno + at, where)
        cues.append(_Cue(line=lineno + at, start=start, end=end, payload=block[at + 1 :]))
    return cues, header


def _read(data: bytes, path: str | None, fmt: SourceFormat) -> Document:
    where = path or "<input>"
    text = normalise_newlines(decode(data, where))
    cues, header = parse_cues(text, where, vtt=fmt == "webvtt")
    if not cues:
        raise InputError(f"{where}: the caption file has no cues; nothing to parse")
    plain, spans = _build(cues)
    if not plain.strip():
        raise InputError(f"{where}: the caption cues have no text; nothing to parse")
    meta = {"language": _meta.language_tag(header.get("language"))}
    return Document(plain=plain, format=fmt, sha256=sha256(data), path=path, metadata=_meta.clean(meta), cues=spans)


def read_vtt(data: bytes, path: str | None = None) -> Document:
    """A WebVTT file as speaker paragraphs with cue timings."""
    return _read(data, path, "webvtt")


def read_srt(data: bytes, path: str | None = None) -> Document:
    """An SRT file as speaker paragraphs with cue timings."""
    return _read(data, path, "srt")


WEBVTT = Reader(name="webvtt", sniff=sniff_vtt, read=read_vtt)
SRT = Reader(name="srt", sniff=sniff_srt, read=read_srt)


def span_times(cues: list[tuple[int, int, float, float]], start: int, end: int) -> tuple[float, float] | None:
    """``(start_s, end_s)`` of the cues overlapping ``plain[start:end]``: a turn's timing.

    The parser calls this with each turn's span; ``None`` when no cue overlaps (a label
    line, or a document that is not a caption file).
    """
    hits = [(s, e) for a, b, s, e in cues if a < end and b > start]
    if not hits:
        return None
    return min(s for s, _ in hits), max(e for _, e in hits)
