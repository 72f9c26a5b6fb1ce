"""Citations for an exchange or a turn: plain text, BibTeX and CSL-JSON.

Each names the speaker (or asker), the date, the transcript's title and organisation, an
absolute permalink to the turn on this server and, where known, the source's own address,
so a quote can be checked by someone who has never seen this reading room.
"""

from __future__ import annotations

import json
import re
from typing import Any

_BIBTEX_SPECIAL = re.compile(r"([{}\\%&$#_^~])")
_NON_WORD = re.compile(r"\W+")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")


def _bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def citation(hit: dict[str, Any], base_url: str) -> dict[str, str]:
    """``plain``, ``bibtex`` and ``csl`` (JSON text) for a search hit dict (turn or exchange)."""
    tid, _, anchor = str(hit["permalink"]).partition("#")
    url = f"{base_url}/transcripts/{tid}#{anchor}"
    who = hit.get("speaker") or hit.get("answerer") or hit.get("asker") or "Unknown speaker"
    title = hit.get("title") or tid
    org = hit.get("organisation")
    date = hit.get("date")
    source = hit.get("source_url")
    parts = [f"{who}", f"“{title}”"]
    if org:
        parts.append(org)
    parts.append(date or "n.d.")
    plain = ", ".join(parts) + f". {url}" + (f" (source: {source})" if source else "")
    key = _NON_WORD.sub("", f"{who.split()[-1] if who.split() else 'podium'}{(date or 'nd')[:4]}") or "podium"
    fields = {"title": title, "author": who, "organization": org, "year": (date or "")[:4] or None,
              "date": date, "url": url, "note": f"Source: {source}" if source else None}
    # biblatex reads ``url`` verbatim: escaping its "#" would put a backslash into the link
    bib = ",\n".join(f"  {k} = {{{v if k == 'url' else _bibtex_escape(str(v))}}}" for k, v in fields.items() if v)
    bibtex = f"@misc{{{key},\n{bib}\n}}"
    csl: dict[str, Any] = {"type": "speech", "title": title, "author": [{"literal": who}], "URL": url}
    if org:
        csl["publisher"] = org
    if date and _ISO_DATE.match(date):
        csl["issued"] = {"date-parts": [[int(x) for x in date.split("-")]]}
    if source:
        csl["source"] = source
    # one line: ``indent`` would switch json to its pure-Python encoder, which was most of the
    # time a results page spent on its twenty citations
    return {"plain": plain, "bibtex": bibtex, "csl": json.dumps(csl, ensure_ascii=False), "url": url}
