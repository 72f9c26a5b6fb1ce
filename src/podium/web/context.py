"""What each page shows, as one dict per page: the template renders it, ``/api`` returns it.

Functions here take the store and already-validated parameters; they never see a request,
so tests can call them directly and the HTML and JSON twins share every query.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from podium.model import Transcript
from podium.web import queries
from podium.web.views import reader_view, summary_json

PAGE_SIZE = 20
SEARCH_FILTERS = ("org", "principal", "role", "speaker", "outlet", "kind", "clarity", "year")


def home(store: Any) -> dict[str, Any]:
    """Corpus counts, organisations, transcripts over time, the latest transcripts and top outlets."""
    months = queries.per_month(store)
    timeline, period = (months, "month") if len(months) <= 240 else (queries.per_year(store), "year")
    latest, _ = queries.transcripts(store, limit=12)
    outlets = queries.top_outlets(store, 12)
    return {
        "counts": queries.counts(store),
        "organisations": queries.organisations(store),
        "timeline": timeline,
        "period": period,
        "latest": latest,
        "top_outlets": outlets,
        "outlet_rows": [(o["name"], o["questions"]) for o in outlets],
        "top_principals": queries.top_people(store, "principal", 12),
    }


def transcript_list(store: Any, org: str | None, page: int) -> dict[str, Any]:
    """One page of the transcript list (newest first)."""
    items, total = queries.transcripts(store, org=org, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return {"items": items, "total": total, "page": page, "pages": _pages(total), "org": org}


def transcript(store: Any, transcript_id: str) -> dict[str, Any] | None:
    """The reader: the transcript, its grouped view and links from participants to pages."""
    try:
        t = store.get(transcript_id)
    except KeyError:
        return None
    ctx = reader(t, queries.people_of(store, transcript_id))
    if hasattr(store, "thread_memberships_of"):  # "asked N times before" per question
        from podium.analyze.thread_views import links_for_transcript

        ctx["threads"] = links_for_transcript(store, transcript_id)
    return ctx


def reader(t: Transcript, people: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Reader context for any transcript, stored or just uploaded (``people`` empty then)."""
    return {"t": t, "view": reader_view(t), "people": people or {}}


def transcript_json(ctx: dict[str, Any]) -> dict[str, Any]:
    """The reader's JSON twin: the ``podium.transcript/1`` document plus the side-panel stats."""
    t: Transcript = ctx["t"]
    return {"transcript": t.to_json_dict(), "stats": summary_json(ctx["view"]), "people": ctx["people"],
            "threads": ctx.get("threads", {})}


def _pages(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def search_filters(params: dict[str, str | None]) -> dict[str, str]:
    """Store filters from page parameters: ``year`` becomes a since/until pair."""
    out = {k: v for k, v in params.items() if k in SEARCH_FILTERS and v and k != "year"}
    year = params.get("year")
    if year:
        out["since"] = year
        out["until"] = year
    return out


def search(store: Any, q: str, params: dict[str, str | None], page: int) -> dict[str, Any]:
    """Search results for ``q`` with facets, a page of hits and the active filters."""
    active = {k: v for k, v in params.items() if k in SEARCH_FILTERS and v}
    usable = queries.filterable()
    if any(k not in usable for k in active):
        from podium.errors import UsageError

        raise UsageError(f"filter {next(k for k in active if k not in usable)!r} is not supported by this store")
    if not q.strip():
        return {"q": q, "hits": [], "total": 0, "facets": {}, "page": 1, "pages": 1, "active": active}
    result = queries.search(store, q, search_filters(params), offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    facets = {
        name: [
            {"value": v, "count": n, "selected": active.get(name) == v,
             "url": _search_url(q, {**active, name: v}) if name in usable else None}
            for v, n in values
        ]
        for name, values in result["facets"].items()
    }
    return {
        "q": q,
        "hits": result["hits"],
        "total": result["total"],
        "facets": facets,
        "page": page,
        "pages": _pages(result["total"]),
        "active": active,
        "remove": [
            {"name": k, "value": v, "url": _search_url(q, {x: y for x, y in active.items() if x != k})}
            for k, v in active.items()
        ],
        "base": _search_url(q, active),
        "csv_url": _search_url(q, active, path="/search.csv"),
    }


def _search_url(q: str, active: dict[str, Any], path: str = "/search") -> str:
    """A search address with ``q`` and the given filters, properly encoded."""
    from urllib.parse import urlencode

    return path + "?" + urlencode({"q": q, **{k: v for k, v in active.items() if v}})


CSV_FIELDS = ("date", "organisation", "title", "speaker", "role", "outlet", "kind", "text", "permalink")


def search_csv(store: Any, q: str, params: dict[str, str | None], limit: int = 1000) -> str:
    """Up to ``limit`` search hits as CSV (one row per matching turn, full text)."""
    result = queries.search(store, q, search_filters(params), offset=0, limit=limit)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for hit in result["hits"]:
        row = {k: hit.get(k) for k in CSV_FIELDS}
        # Spreadsheet apps run cells that start with = + - @ as formulas: neutralise them.
        for key, value in row.items():
            if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
                row[key] = "'" + value
        writer.writerow(row)
    return buf.getvalue()
