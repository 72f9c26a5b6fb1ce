"""Markdown transcripts, with or without YAML front matter.

Front matter (``title``, ``date``, ``source_url`` …) becomes metadata; without it the first
``#`` heading is the title. The body keeps its line structure (hard-wrapped lines stay
lines, so labels stay at line starts) with Markdown syntax taken off: ``**PREGUNTA:**``
becomes ``PREGUNTA:``, ``\\[senior official\\]`` becomes ``[senior official]``, link text stays
and images go. No-break spaces become spaces; indents, trailing hard-break spaces and runs
of blank lines go.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from podium.errors import InputError
from podium.model import Document
from podium.readers import Reader, _meta, decode, normalise_newlines, sha256

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# Every pattern below runs in linear time on hostile input: no part can scan past the next
# delimiter of its own kind (an unclosed "[a](" or "*a " repeated 30,000 times used to cost
# seconds to minutes, because each opener scanned to the end of the text or line).
# The heading's closing hashes are taken off in Python (``_heading_text``): a lazy group
# before optional trailing hashes is quadratic on a heading line of many spaces.
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+([^\n]*)$", re.MULTILINE)
# URLs are hard-wrapped too, so a link's target may run over several lines; neither text nor
# target holds a bracket.
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^)\[\]]*\)")
_LINK = re.compile(r"\[(?<!\\\[)([^\[\]]*)\]\([^)\[\]]*\)")
# Each pattern starts with its literal delimiter (look-behinds come after it) so the regex
# engine can jump between candidates: 10x faster than a leading look-behind on 8 MB.
_STRONG = (
    re.compile(r"\*\*(?<![\\*]\*\*)(?=[^\s*])([^*]+)(?<!\\)\*\*"),
    re.compile(r"__(?<![\\\w]__)(?=\S)((?:[^_\n]|_(?!_))+?)(?<=\S)__(?!\w)"),
)
_EM = (
    re.compile(r"\*(?<![\\*\w]\*)(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![*\w])"),
    re.compile(r"_(?<![\\\w]_)(?=[^\s_])([^_\n]+?)(?<=[^\s_\\])_(?!\w)"),
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)

_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")

_MD_SIGNS = re.compile(rb"^#{1,6}[ \t]+\S|\*\*[^*\n]{1,80}:\*\*|^\s*!?\[[^\]\n]*\]\(", re.MULTILINE)


def sniff(head: bytes, path: str | None) -> bool:
    """Front matter, a ``.md`` name, or Markdown headings/bold labels/links near the top."""
    stripped = head.lstrip(b"\xef\xbb\xbf")
    if re.match(rb"---[ \t]*\r?\n[A-Za-z_][\w-]*[ \t]*:", stripped):
        return True
    if path and path.lower().endswith((".md", ".markdown")):
        return True
    if stripped.lstrip().startswith(b"<"):
        return False
    return len(_MD_SIGNS.findall(head)) >= 2


def front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """``(fields, body)``; a front matter that is not valid YAML is an ``InputError``."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        _check_yaml(m.group(1), where)
        fields = yaml.load(m.group(1), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 2}" if mark is not None else ""
        why = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise InputError(f"{where}{line}: front matter is not valid YAML ({why})") from None
    if not isinstance(fields, dict):
        raise InputError(f"{where}:2: front matter must be 'key: value' lines, not a {type(fields).__name__}")
    return fields, text[m.end() :]


MAX_FRONT_MATTER_NODES = 10_000
"""Scalars, lists and mappings a front matter may hold; real ones hold a few dozen."""


def _check_yaml(source: str, where: str) -> None:
    """Refuse front matter with anchors or aliases, or with too many nodes.

    An alias is a reference, so nine anchors each listing nine references to the previous
    one (329 bytes) stand for 9^9 values: loading is cheap, but anything that walks the
    result (``_plain_value``, ``str()``) expands it: minutes and gigabytes. Transcript
    metadata never needs references, so they are refused before loading, from the event
    stream (linear in the text)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    nodes = 0
    for event in yaml.parse(source, Loader=loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 2 if event.start_mark is not None else 2
            raise InputError(
                f"{where}:{line}: front matter uses YAML anchors or aliases (&name, *name); "
                "write each value out in full"
            )
        if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            nodes += 1
            if nodes > MAX_FRONT_MATTER_NODES:
                raise InputError(
                    f"{where}:2: front matter has more than {MAX_FRONT_MATTER_NODES:,} values; "
                    "keep it to the transcript's metadata"
                )


def _plain_value(value: Any) -> Any:
    """YAML dates and times as ISO strings, so metadata stays JSON."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    return value


def _heading_text(m: re.Match[str]) -> str:
    """A heading's text without its optional closing hashes (``## Title ##``)."""
    text = m.group(2).rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare.rstrip(" \t")
    return text


def _metadata(fields: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    meta: dict[str, Any] = {str(k): _plain_value(v) for k, v in fields.items()}
    url = meta.pop("source_url", None) or meta.pop("url", None) or meta.pop("canonical_url", None)
    if isinstance(meta.get("title"), str):
        meta["title"] = " ".join(_INVISIBLE.sub("", meta["title"]).split())
    raw_date = meta.get("date") or meta.get("published_time") or meta.get("published")
    date = _meta.iso_date(str(raw_date)) if raw_date is not None else None
    meta["date"] = date
    if "language" in meta or "lang" in meta:
        meta["language"] = _meta.language_tag(str(meta.get("language") or meta.pop("lang")))
    return meta, (str(url) if url else None)


def _unwrap(m: re.Match[str]) -> str:
    # A bold label hard-wrapped over two lines ("**ZOÉ ROBLEDO ABURTO, DIRECTOR …\nSOCIAL
    # (IMSS):**") is put back on one line, so it stays a label at a line start.
    inner = m.group(1)
    if inner.rstrip().endswith(":") and not m.string[m.end() : m.end() + 1].isspace():
        inner = inner.rstrip() + " "  # "**LABEL:**Buenos" → "LABEL: Buenos"
    if "\n" not in inner:
        return inner
    if re.search(r"\n[ \t]*\n", inner):  # never across paragraphs: not a pair
        return m.group(0)
    return inner.replace("\n", " ")


def strip_markdown(body: str) -> str:
    """Markdown syntax off, line structure kept (see the module docstring)."""
    text = body.replace("\xa0", " ")
    text = _IMAGE.sub("", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "#" in text:
        text = _HEADING.sub(_heading_text, text)
    text = _RULE.sub("", text)
    if ">" in text:
        text = _QUOTE.sub("", text)
    for _ in range(2):  # nested emphasis: **_VOZ MUJER:_ **
        for rx, mark in zip((*_STRONG, *_EM), ("**", "__", "*", "_"), strict=True):
            if mark in text:
                text = rx.sub(_unwrap, text)
    # Trailing spaces and backslashes are Markdown hard breaks, not text; leading runs of
    # (no-break) spaces are the converter's paragraph indent, not text either.
    text = "\n".join(line.rstrip(" \t").removesuffix("\\").strip(" \t") for line in text.split("\n"))
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    text = re.sub(r"\n{3,}", "\n\n", text)  # what removed images and rules leave behind
    return text.strip("\n")


def read_markdown(data: bytes, path: str | None = None) -> Document:
    """Front matter to metadata, body to plain text."""
    where = path or "<input>"
    text = normalise_newlines(decode(data, where))
    fields, body = front_matter(text, where)
    meta, url = _metadata(fields)
    if not meta.get("title"):
        h = _HEADING.search(body)
        if h:  # a long heading is often hard-wrapped: its paragraph is the title
            rest = body[h.end() :].lstrip(" \t").split("\n\n", 1)[0]
            meta["title"] = " ".join(strip_markdown(_heading_text(h) + " " + rest).split())
    plain = strip_markdown(body)
    if not plain.strip():
        raise InputError(f"{where}: the Markdown has front matter but no text; nothing to parse")
    return Document(
        plain=plain, format="markdown", sha256=sha256(data), path=path, url=url, metadata=_meta.clean(meta)
    )


READER = Reader(name="markdown", sniff=sniff, read=read_markdown)
