"""What each page shows, as one dict per page: the template renders it, ``/api`` returns it.

Functions here take the store and already-validated parameters; they never see a request,
so tests can call them directly and the HTML and JSON twins share every query. Every value
comes from a public store method (``podium.store``): the web asks no SQL of its own.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

from podium.errors import UsageError
from podium.model import Transcript
from podium.store.filters import Filters
from podium.web.cite import citation
from podium.web.views import CLARITY_TEXT, reader_view, speaker_name, summary_json

PAGE_SIZE = 20
LIST_SIZE = 50
FACET_NAMES = {"organisation": "org", "principal": "principal", "year": "year", "kind": "kind", "role": "role",
               "speaker": "speaker", "outlet": "outlet", "clarity": "clarity"}
"""Facet lists of ``Facets`` and the filter each of their values sets."""


def _pages(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def _dicts(items: list[Any]) -> list[dict[str, Any]]:
    return [i.to_dict() for i in items]


_HOME_CACHE: dict[tuple[str, str, int], dict[str, Any]] = {}
_HOME_LOCK = threading.Lock()


def home(store: Any) -> dict[str, Any]:
    """Corpus counts, organisations, transcripts over time, the latest transcripts and top outlets.

    Computed once per store generation (every write bumps it): the front page is the most
    requested page and its seven aggregate queries cost tens of milliseconds, which a busy
    machine (uploads being parsed beside it) stretches past 200 ms. One cheap read of the
    generation tells whether the stored payload is still the store's (the address and the
    store's random id tell two stores apart).
    """
    key = (str(store.url), store.store_id(), store.generation())
    with _HOME_LOCK:
        cached = _HOME_CACHE.get(key)
    if cached is None:
        cached = _home(store)
        with _HOME_LOCK:
            _HOME_CACHE.clear()  # one store per server: keep the newest payload only
            _HOME_CACHE[key] = cached
    return dict(cached)


def _home(store: Any) -> dict[str, Any]:
    timeline = store.timeline()
    outlets, known, questions = store.top_outlets(12)
    return {
        "counts": store.totals().to_dict(),
        "organisations": [(c.value, c.count) for c in store.organisations()],
        "timeline": [(c.value, c.count) for c in timeline.points],
        "period": timeline.period,
        "dated": timeline.dated,
        "undated": timeline.total - timeline.dated,
        "latest": _dicts(store.list_transcripts(limit=12).items),
        "top_outlets": _dicts(outlets),
        "outlet_rows": [(o.name, o.count) for o in outlets],
        "outlet_coverage": {"known": known, "questions": questions},
        "top_principals": _dicts(store.top_people("principal", 12)),
    }


def transcript_list(
    store: Any, page: int, *, org: str | None = None, principal: str | None = None,
    year: str | None = None, title: str | None = None,
) -> dict[str, Any]:
    """One page of the transcript list (newest first), filtered by organisation, principal,
    year and words of the title."""
    result = store.list_transcripts(
        offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE, title=title or None,
        org=org, principal=principal, since=year, until=year,
    )
    active = {k: v for k, v in {"org": org, "principal": principal, "year": year, "title": title}.items() if v}
    return {"items": _dicts(result.items), "total": result.total, "page": page,
            "pages": _pages(result.total), "org": org, "active": active,
            "organisations": [c.value for c in store.organisations() if c.value],
            "base": "/transcripts?" + urlencode(active)}


def transcript(store: Any, transcript_id: str) -> dict[str, Any] | None:
    """The reader: the transcript, its grouped view and links from participants to pages."""
    try:
        t = store.get(transcript_id)
    except KeyError:
        return None
    links = {pid: link.to_dict() for pid, link in store.participant_links(transcript_id).items()}
    ctx = reader(t, links)
    if hasattr(store, "thread_memberships_of"):  # "asked N times before" per question
        from podium.analyze.thread_views import links_for_transcript

        ctx["threads"] = links_for_transcript(store, transcript_id)
    return ctx


def turn_citation(store: Any, transcript_id: str, turn_index: int, base_url: str = "") -> dict[str, Any] | None:
    """One turn of a stored transcript with its citation (plain text, BibTeX, CSL-JSON): what a
    reader's "cite" link on every turn opens. ``None`` when the transcript or turn does not exist."""
    try:
        t = store.get(transcript_id)
    except KeyError:
        return None
    turn = next((x for x in t.turns if x.index == turn_index), None)
    if turn is None:
        return None
    m = t.metadata
    hit = {"transcript_id": t.id, "turn_index": turn.index, "permalink": f"{t.id}#t{turn.index}",
           "speaker": speaker_name(t, turn.speaker, turn.label), "kind": turn.kind, "title": m.title,
           "organisation": m.organisation, "date": m.date, "source_url": t.source.url, "text": turn.text}
    return {"hit": hit, "cite": citation(hit, base_url), "lang": m.language, "base_url": base_url}


def reader(t: Transcript, people: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Reader context for any transcript, stored or just uploaded (``people`` empty then)."""
    return {"t": t, "view": reader_view(t), "people": people or {}}


def transcript_json(ctx: dict[str, Any]) -> dict[str, Any]:
    """The reader's JSON twin: the ``podium.transcript/1`` document plus the side-panel stats."""
    t: Transcript = ctx["t"]
    return {"transcript": t.to_json_dict(), "stats": summary_json(ctx["view"]), "people": ctx["people"],
            "threads": ctx.get("threads", {})}


def upload_json(t: Transcript) -> bytes:
    """The JSON body of ``POST /api/parse`` (``transcript_json`` of the reader), encoded as
    the web's JSON responses are; built in the upload's child process."""
    return json.dumps(transcript_json(reader(t)), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode()


def person(store: Any, person_id: str, asked_page: int = 1, answered_page: int = 1) -> dict[str, Any] | None:
    """A person: names seen, and every question asked and answer given, paged with totals."""
    try:
        summary = store.person(person_id)
    except KeyError:
        return None
    asked = store.questions(asker=person_id, offset=(asked_page - 1) * LIST_SIZE, limit=LIST_SIZE)
    answered = store.answers(person_id, offset=(answered_page - 1) * LIST_SIZE, limit=LIST_SIZE)
    base = f"/persons/{person_id}?"
    return {
        "person": summary.to_dict(),
        "asked": _list(asked, asked_page, base, "asked_page", {"answered_page": answered_page}),
        "answered": _list(answered, answered_page, base, "answered_page", {"asked_page": asked_page}),
    }


def outlet(store: Any, outlet_id: str, page: int = 1) -> dict[str, Any] | None:
    """An outlet: the forms it is written in, its journalists and its questions, paged."""
    try:
        summary = store.outlet(outlet_id)
    except KeyError:
        return None
    questions = store.questions(outlet=outlet_id, offset=(page - 1) * LIST_SIZE, limit=LIST_SIZE)
    return {
        "outlet": summary.to_dict(),
        "journalists": _dicts(store.outlet_journalists(outlet_id)),
        "questions": _list(questions, page, f"/outlets/{outlet_id}?", "page", {}),
    }


def _list(result: Any, page: int, base: str, param: str, keep: dict[str, int]) -> dict[str, Any]:
    """A paged list for a template: items, total, and the addresses of its neighbours."""
    pages = _pages(result.total, LIST_SIZE)
    kept = {k: v for k, v in keep.items() if v > 1}

    def url(n: int) -> str:
        return base + urlencode({**kept, param: n})

    return {"items": _dicts(result.items), "total": result.total, "page": page, "pages": pages,
            "prev": url(page - 1) if page > 1 else None, "next": url(page + 1) if page < pages else None,
            "first": result.offset + 1 if result.items else 0, "last": result.offset + len(result.items)}


def persons(store: Any, page: int, name: str | None, role: str | None) -> dict[str, Any]:
    """The index of people, most turns first, searchable by name and role."""
    result = store.persons(name=name or None, role=role or None, offset=(page - 1) * LIST_SIZE, limit=LIST_SIZE)
    active = {k: v for k, v in {"name": name, "role": role}.items() if v}
    return {"items": _dicts(result.items), "total": result.total, "page": page,
            "pages": _pages(result.total, LIST_SIZE), "active": active, "base": "/persons?" + urlencode(active),
            "roles": next(s.choices for s in Filters.specs() if s.name == "role")}


def outlets(store: Any, page: int, name: str | None) -> dict[str, Any]:
    """The index of outlets, most questions first, searchable by name."""
    result = store.outlets(name=name or None, offset=(page - 1) * LIST_SIZE, limit=LIST_SIZE)
    active = {"name": name} if name else {}
    return {"items": _dicts(result.items), "total": result.total, "page": page,
            "pages": _pages(result.total, LIST_SIZE), "active": active, "base": "/outlets?" + urlencode(active)}


# -- search ---------------------------------------------------------------------------------------

def chips(active: dict[str, str]) -> list[dict[str, str]]:
    """Filter chips in words: "Answer clarity: clear non-reply", not "clarity: clear_non_reply"."""
    labels = {s.name: s.label for s in Filters.specs()} | {"year": "Year"}
    out = []
    for k, v in active.items():
        value = CLARITY_TEXT.get(v, v) if k == "clarity" else v.replace("_", " ") if k in ("kind", "role", "evasion") else v
        out.append({"name": k, "label": labels.get(k, k), "value": value})
    return out


def search(
    store: Any, q: str, params: dict[str, str], page: int, *, by: str = "exchange", sort: str = "relevance",
    base_url: str = "",
) -> dict[str, Any]:
    """Search results for ``q`` (or, with no words, everything the filters admit, newest first):
    a page of exchange or turn hits, the total, facets and the active filters as chips.

    A query the parser cannot read is kept, with what to fix, in ``error``.
    """
    text = q.strip()
    active = {k: v for k, v in params.items() if v}
    ctx: dict[str, Any] = {
        "q": q, "by": by, "sort": sort, "active": active, "page": page, "hits": [], "total": 0, "facets": {},
        "pages": 1, "error": None, "browse": not text,
        "chips": [{**c, "url": _search_url(q, {x: y for x, y in active.items() if x != c["name"]}, by, sort)}
                  for c in chips(active)],
        "base": _search_url(q, active, by, sort),
        "csv_url": _search_url(q, active, by, sort, path="/search.csv"),
        "by_urls": {b: _search_url(q, active, b, sort) for b in ("exchange", "turn")},
        "sort_urls": {s: _search_url(q, active, by, s) for s in ("relevance", "date")},
        "base_url": base_url,
    }
    filters = _store_filters(active)
    offset = (page - 1) * PAGE_SIZE
    try:
        if by == "exchange":
            hits = store.search_exchanges(text, limit=PAGE_SIZE, offset=offset, sort=sort, **filters)
        else:
            hits = store.search(text, limit=PAGE_SIZE, offset=offset, sort=sort, **filters)
        facets = store.facets(text, **filters)
    except UsageError as exc:
        if "search query" not in str(exc):
            raise
        ctx["error"] = _fix_hint(str(exc))
        return ctx
    total = facets.exchanges if by == "exchange" else facets.total
    with_filter = _filter_urls(q, active, by, sort)
    ctx.update(
        hits=_dicts(hits), total=total, pages=_pages(total), turns=facets.total, exchanges=facets.exchanges,
        facets={
            name: [{"value": str(v), "count": int(n), "selected": active.get(name) == str(v),
                    "url": with_filter(name, str(v))} for v, n in getattr(facets, key)]
            for key, name in FACET_NAMES.items() if getattr(facets, key)
        },
    )
    return ctx


def _fix_hint(message: str) -> str:
    """The parser's message without the echo of the query (the box still shows it)."""
    return re.sub(r"^search query '.*?': ", "", message, flags=re.S)


def _store_filters(active: dict[str, str]) -> dict[str, str]:
    """Store filters from page parameters: ``year`` becomes a since/until pair."""
    out = {k: v for k, v in active.items() if k != "year"}
    if active.get("year"):
        out.setdefault("since", active["year"])
        out.setdefault("until", active["year"])
    return out


def _search_url(q: str, active: dict[str, Any], by: str = "exchange", sort: str = "relevance",
                path: str = "/search") -> str:
    """A search address with ``q``, the result unit, the order and the given filters."""
    return path + "?" + urlencode(_search_params(q, active, by, sort))


def _search_params(q: str, active: dict[str, Any], by: str, sort: str) -> dict[str, Any]:
    params: dict[str, Any] = {"q": q} if q else {}
    if by != "exchange":
        params["by"] = by
    if sort != "relevance":
        params["sort"] = sort
    return {**params, **{k: v for k, v in active.items() if v}}


def _filter_urls(q: str, active: dict[str, str], by: str, sort: str) -> Callable[[str, str], str]:
    """``url(name, value)``: ``_search_url`` with one filter set, for the many facet links of a
    page; each parameter is encoded once, not once per link (a sixth of a results page's time)."""
    encoded = {k: urlencode({k: v}) for k, v in _search_params(q, active, by, sort).items()}

    def url(name: str, value: str) -> str:
        return "/search?" + "&".join({**encoded, name: urlencode({name: value})}.values())

    return url


TURN_CSV = ("date", "organisation", "title", "speaker", "role", "outlet", "kind", "text", "permalink")
EXCHANGE_CSV = ("date", "organisation", "title", "asker", "outlet", "channel", "questions", "answerer",
                "answer_start", "clarity", "evasion", "permalink")


def search_csv(
    store: Any, q: str, params: dict[str, str], *, by: str = "exchange", sort: str = "relevance", base_url: str = "",
) -> Iterator[str]:
    """Every hit of a search as CSV, a few hundred rows at a time (the response streams it).

    Permalinks are absolute (``base_url`` + ``/transcripts/<id>#t<n>``) so a row pasted
    anywhere still leads back to the turn.
    """
    text = q.strip()
    filters = _store_filters({k: v for k, v in params.items() if v})
    fields = EXCHANGE_CSV if by == "exchange" else TURN_CSV
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(fields)
    for n, hit in enumerate(store.iter_search(text, by=by, sort=sort, **filters), 1):
        row = hit.to_dict()
        if by == "exchange":
            row["asker"] = row["asker"] or "unnamed journalist"
            row["questions"] = " | ".join(row["questions"])
        tid, _, anchor = row["permalink"].partition("#")
        row["permalink"] = f"{base_url}/transcripts/{tid}#{anchor}"
        values = [re.sub(r"</?mark>", "", v) if isinstance(v, str) else v for v in (row.get(k) for k in fields)]
        # Spreadsheet apps run cells that start with = + - @ as formulas: neutralise them.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in values])
        if n % 200 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()
