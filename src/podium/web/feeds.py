"""Atom 1.0 feeds (RFC 4287) of saved searches, written with the standard library's XML
builder so every text is escaped; entry ids are stable tag URIs, so a feed reader shows
only matches it has not seen."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from podium.store import watch as watches

NS = "http://www.w3.org/2005/Atom"
ENTRIES = 50


def _stamp(date: str | None, fallback: str) -> str:
    """An RFC 3339 time: the transcript's date at midnight UTC, else ``fallback``."""
    if date and len(date) >= 10:
        return f"{date[:10]}T00:00:00Z"
    return fallback


def atom(store: Any, watch: dict[str, Any], base_url: str) -> bytes:
    """The feed of ``watch``: its current matches, newest first, at most ``ENTRIES``."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    matches = sorted(watches.current_matches(store, watch["query"], watch["filters"]),
                     key=lambda m: (m.date or "", m.key), reverse=True)[:ENTRIES]
    ET.register_namespace("", NS)
    feed = ET.Element(f"{{{NS}}}feed")
    label = watch["query"] or " ".join(f"{k}={v}" for k, v in watch["filters"].items())
    ET.SubElement(feed, f"{{{NS}}}title").text = f"Podium watch {watch['id']}: {label}"
    ET.SubElement(feed, f"{{{NS}}}id").text = f"tag:podium,2024:{store.store_id()}:watch:{watch['id']}"
    ET.SubElement(feed, f"{{{NS}}}updated").text = _stamp(matches[0].date, now) if matches else now
    ET.SubElement(feed, f"{{{NS}}}link", rel="self", href=f"{base_url}/feeds/{watch['id']}.atom")
    author = ET.SubElement(feed, f"{{{NS}}}author")
    ET.SubElement(author, f"{{{NS}}}name").text = "Podium"
    for m in matches:
        e = ET.SubElement(feed, f"{{{NS}}}entry")
        ET.SubElement(e, f"{{{NS}}}title").text = f"{m.date or 'undated'} · {m.title or m.transcript_id}"
        ET.SubElement(e, f"{{{NS}}}id").text = f"tag:podium,2024:{store.store_id()}:{m.key}"
        ET.SubElement(e, f"{{{NS}}}updated").text = _stamp(m.date, now)
        ET.SubElement(e, f"{{{NS}}}link", href=f"{base_url}/transcripts/{m.transcript_id}#t{m.turn_index}")
        ET.SubElement(e, f"{{{NS}}}summary").text = m.text[:1000]
    body: bytes = ET.tostring(feed, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body
