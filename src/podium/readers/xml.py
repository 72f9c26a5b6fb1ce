"""XML records whose text field holds HTML (often in CDATA), e.g. Australian PM transcripts.

The record's longest text field (preferring names in ``TEXT_FIELDS``) is the transcript;
when it contains markup it is read as an HTML fragment, so ``<p>`` paragraphs and ``<br />``
line breaks survive. The other short leaf fields become metadata: names in ``FIELD_MAP``
map onto ``Metadata`` fields, the rest are kept under their own (snake_case) names.

Parsing uses the standard library's expat; documents that declare entities are refused
before parsing, so entity-expansion bombs never run.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from podium.errors import InputError
from podium.model import Document
from podium.readers import Reader, _html, _meta, decode, normalise_newlines, sha256

TEXT_FIELDS = ("content", "body", "text", "transcript", "html", "description")
"""Field names that hold the transcript itself, in order of preference."""

FIELD_MAP = {
    "title": "title",
    "headline": "title",
    "release-date": "date",
    "date": "date",
    "pubdate": "date",
    "published": "date",
    "prime-minister": "principal",
    "speaker": "principal",
    "principal": "principal",
    "location": "location",
    "place": "location",
    "language": "language",
    "lang": "language",
}
"""XML field name (lower case) → ``Metadata`` field."""

_MARKUP = re.compile(r"<(?:p|br|div|span|b|strong|i|em|h[1-6]|li|ul|ol|table|font)\b[^>]*>", re.IGNORECASE)


_XHTML = re.compile(rb"<\?xml[^>]*>(?:\s|<!--.*?-->|<!doctype[^>]*>)*<html[\s>]", re.IGNORECASE | re.DOTALL)


def sniff(head: bytes, path: str | None) -> bool:
    """An XML declaration, and not XHTML (which the HTML page reader takes)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped.startswith(b"<?xml") and _XHTML.match(stripped) is None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def parse_xml(data: bytes, where: str) -> ET.Element:
    """The document's root element; malformed XML is an ``InputError`` naming line and column."""
    if re.search(rb"<!ENTITY", data[:65536], re.IGNORECASE):
        raise InputError(f"{where}: XML that declares entities is refused (entity expansion risk)")
    _html.check_nesting(data.decode("utf-8", "replace"), where, html=False)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        raise InputError(f"{where}:{line}: not well-formed XML (column {col}); check the file is complete") from None
    except (LookupError, ValueError) as exc:  # an encoding the declaration names but Python lacks
        why = " ".join(str(exc).split())
        raise InputError(f"{where}:1: cannot read the XML declaration's encoding ({why}); save it as UTF-8") from None


def _text_field(root: ET.Element) -> ET.Element | None:
    best: ET.Element | None = None
    best_key = (-1, -1)
    for el in root.iter():
        if len(el) or not el.text or not el.text.strip():
            continue
        name = _local(el.tag)
        preferred = len(TEXT_FIELDS) - TEXT_FIELDS.index(name) if name in TEXT_FIELDS else 0
        key = (preferred, len(el.text))
        if key > best_key:
            best, best_key = el, key
    return best


def _metadata(root: ET.Element, body: ET.Element | None) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for el in root.iter():
        if el is body or len(el) or not el.text or not el.text.strip() or len(el.text) > 500:
            continue
        name = _local(el.tag)
        value = " ".join(el.text.split())
        field = FIELD_MAP.get(name)
        if field == "date":
            meta.setdefault("date", _meta.iso_date(value))
        elif field == "principal":
            meta.setdefault("principal", _meta.person_name(value))
        elif field == "language":
            meta.setdefault("language", _meta.language_tag(value))
        elif field:
            meta.setdefault(field, value)
        else:
            meta.setdefault(name.replace("-", "_"), value)
    return meta


def read_xml(data: bytes, path: str | None = None) -> Document:
    """Transcript text from the record's text field; metadata from the other fields."""
    where = path or "<input>"
    decode(data, where)  # binary / non-UTF-8 input gets the usual one-line error first
    root = parse_xml(data, where)
    body = _text_field(root)
    if body is None or not body.text:
        raise InputError(f"{where}: the XML has no text field with a transcript in it")
    raw = body.text
    if _MARKUP.search(raw):
        html_body = _html.parse(raw, where).body
        plain = _html.node_text(html_body) if html_body is not None else ""
    else:
        plain = "\n".join(line.strip() for line in normalise_newlines(raw).strip().split("\n"))
    if not plain.strip():
        raise InputError(f"{where}: the XML text field <{_local(body.tag)}> is empty; nothing to parse")
    meta = _metadata(root, body)
    url = meta.pop("url", None) or meta.pop("source_url", None)
    return Document(
        plain=plain, format="xml", sha256=sha256(data), path=path, url=url, metadata=_meta.clean(meta)
    )


READER = Reader(name="xml", sniff=sniff, read=read_xml)
