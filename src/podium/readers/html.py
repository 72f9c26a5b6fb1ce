"""HTML readers: whole pages (article text only) and fragments (all of their text).

A *page* has ``<html>`` or a doctype: navigation, menus, share bars, related links and
footers are dropped and only the article body is kept (see ``_html.main_root``). A
*fragment* is a piece of markup cut from a page (``<h1>…</h1><div>…</div>``): all its
text is kept. Metadata comes from ``<title>``/Open Graph/``<meta>``, ``<time>`` elements
and ``<link rel="canonical">``.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from podium.errors import InputError
from podium.model import Document
from podium.readers import Reader, _html, _meta, decode, normalise_newlines, sha256

MIN_PAGE_TEXT = 100
"""A page whose article holds fewer characters than this has no transcript in it."""

# A page opens (after white space, comments or an XML declaration) with a doctype or <html>.
_PAGE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(
    rb"<(?:p|div|h[1-6]|br|span|b|strong|em|i|table|tr|td|ul|ol|li|blockquote|section|article|font|a)\b[^>]*>",
    re.IGNORECASE,
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def sniff_page(head: bytes, path: str | None) -> bool:
    """A document with a doctype or an ``<html>`` element."""
    return bool(_PAGE.search(head))


def sniff_fragment(head: bytes, path: str | None) -> bool:
    """Starts with a tag and has a few known HTML tags in its first bytes."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped.startswith(b"<") and len(_TAG.findall(head)) >= 2


def decode_html(data: bytes, where: str) -> str:
    """UTF-8, or the charset the page declares in a ``<meta>`` when UTF-8 fails."""
    try:
        return decode(data, where)
    except InputError:
        m = _CHARSET.search(data[:4096])
        charset = m.group(1).decode("ascii").lower() if m else ""
        if not m or not charset or charset.replace("-", "") == "utf8" or b"\x00" in data[:8192]:
            raise
        try:
            return normalise_newlines(data.decode(charset))
        except (LookupError, UnicodeDecodeError):
            raise InputError(
                f"{where}: declares charset {charset} but its bytes "
                "do not decode with it; convert the file to UTF-8"
            ) from None


def _attr(tree: LexborHTMLParser, selector: str, attr: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    value = node.attributes.get(attr)
    return value.strip() if value else None


def _text(tree: LexborHTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    value = " ".join(node.text(deep=True).split())
    return value or None


def page_metadata(tree: LexborHTMLParser) -> tuple[dict[str, Any], str | None]:
    """Metadata and canonical URL from the page chrome, each only where the page states it."""
    raw_title = (
        _attr(tree, 'meta[property="og:title"]', "content")
        or _text(tree, "title")
        or _text(tree, "h1")
    )
    title, sites = _meta.split_site_names(raw_title) if raw_title else (None, [])
    site_name = _attr(tree, 'meta[property="og:site_name"]', "content")
    date = None
    for selector, attr in (
        ('meta[property="article:published_time"]', "content"),
        ('time[itemprop="datePublished"]', "datetime"),
        ('meta[itemprop="datePublished"]', "content"),
        ('meta[name="date"]', "content"),
        ("time[datetime]", "datetime"),
    ):
        date = _meta.iso_date(_attr(tree, selector, attr))
        if date:
            break
    date = date or _meta.iso_date(_text(tree, "time")) or _meta.iso_date(title, numeric=False)
    language = _meta.language_tag(
        _attr(tree, "html", "lang")
        or _attr(tree, 'meta[itemprop="inLanguage"]', "content")
        or _attr(tree, 'meta[http-equiv="content-language"]', "content")
    )
    location = _text(tree, '.p-location, [itemprop="contentLocation"]')
    urls = (_attr(tree, 'link[rel="canonical"]', "href"), _attr(tree, 'meta[property="og:url"]', "content"))
    url = next((u for u in urls if u and re.match(r"https?://", u)), None)  # mirrors rewrite links
    # The publisher the page chrome names ("… > U.S. Department of Defense"): the parser reads
    # it as a header line when it looks for the organisation.
    publisher = "\n".join(dict.fromkeys([*([site_name] if site_name else []), *reversed(sites)])) or None
    meta = {"title": title, "date": date, "language": language, "location": location, "publisher": publisher}
    return _meta.clean(meta), url


def read_page(data: bytes, path: str | None = None) -> Document:
    """Article text of a whole web page, with the page's own metadata."""
    where = path or "<input>"
    tree = _html.parse(decode_html(data, where), where)
    meta, url = page_metadata(tree)
    root = _html.main_root(tree)
    plain = _html.node_text(root) if root is not None else ""
    if len(plain) < MIN_PAGE_TEXT:
        found = f"only {len(plain)} characters" if plain else "none"
        raise InputError(
            f"{where}: no transcript text in this page (article text: {found} after dropping "
            "navigation, menus and footers); check it is the transcript page, not an index or error page"
        )
    return Document(
        plain=plain, format="html", sha256=sha256(data), path=path, url=url, metadata=_meta.clean(meta)
    )


def fragment_document(html: str, data: bytes, path: str | None) -> Document:
    """A ``Document`` from fragment markup (shared with the byte-dump reader)."""
    tree = _html.parse(html, path or "<input>")
    root = tree.body
    plain = _html.node_text(root) if root is not None else ""
    if not plain.strip():
        raise InputError(f"{path or '<input>'}: the HTML has no text in it; nothing to parse")
    title = _text(tree, "h1") or _text(tree, "title")
    meta = {"title": title, "date": _meta.iso_date(title, numeric=False)}
    return Document(plain=plain, format="html", sha256=sha256(data), path=path, metadata=_meta.clean(meta))


def read_fragment(data: bytes, path: str | None = None) -> Document:
    """All the text of an HTML fragment, blocks as paragraphs.

    A page whose ``<html>`` comes after the sniffed head (a long comment or script first)
    is still a page: it goes to :func:`read_page`, so its navigation is dropped.
    """
    if re.search(rb"<body[\s>]", data[:65536], re.IGNORECASE):
        return read_page(data, path)
    return fragment_document(decode_html(data, path or "<input>"), data, path)


PAGE = Reader(name="html", sniff=sniff_page, read=read_page)
FRAGMENT = Reader(name="html-fragment", sniff=sniff_fragment, read=read_fragment)
