"""HTML to plain text with selectolax: paragraphs as blank-line blocks, boilerplate dropped.

Why our own walk over selectolax's tree rather than trafilatura: measured on the shared
corpus, trafilatura finds the same article text but collapses every run of white space, so
``Q\\xa0\\xa0\\xa0Thanks`` and ``MR. EARNEST:\\xa0 Good`` lose the spacing the house styles use,
paragraph breaks come out as single newlines, and it takes 2-4x the CPU time (see
``benchmarks/read_corpus.py``). Lexbor parses a 170 KB page in about a millisecond; the walk
below keeps block structure and drops what is not the article.

Main text is found the way readability-style extractors do it: the element whose direct
``<p>`` children hold the most text is the article body. What to skip inside it (tags and
class names) is data in ``SKIP_TAGS`` and ``SKIP_CLASSES``.
"""

from __future__ import annotations

import re
from collections import Counter

from selectolax.lexbor import LexborHTMLParser, LexborNode

from podium.errors import InputError

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
"""Tags that start and end a paragraph of their own."""

SKIP_TAGS = frozenset(
    "script style noscript template svg iframe object embed canvas video audio head nav "
    "aside footer form button select textarea input label title meta link img picture".split()
)
"""Tags whose content is never transcript text (navigation, chrome, media, code)."""

SKIP_CLASSES = frozenset(
    "masha-ignore share share_material sidebar breadcrumb breadcrumbs menu nav navigation "
    "footer related social read__tags read__bottommeta read__cut cut gallery slider media "
    "print_link_wrap read__status hidden-print".split()
)
"""Class names (whole tokens) of page furniture inside article bodies (Kremlin, WordPress)."""

BOLD_TAGS = frozenset({"b", "strong"})

_ASCII_WS = re.compile(r"[ \t\r\n\f\v]+")
# Source line breaks inside Chinese text are not word breaks: no space between CJK characters.
_CJK_GAP = re.compile(r"([\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")
_BLANK_LINES = re.compile(r"\n{2,}")
# A speaker name in bold: 1-5 capitalised words (initials, particles and hyphens allowed).
_WORD = r"(?:[A-Z][\w’'.-]*|de|da|van|von|der|al|bin)"
_BOLD_NAME = re.compile(rf"{_WORD}(?: {_WORD}){{0,4}}")
_AFTER_NAME = re.compile(r"[ \t]+[\"“‘'(]?[A-Z0-9¿¡]")
# A paragraph that is only a speaker label: capitals ("PRIME MINISTER:", "Q.:"), or 1-5
# capitalised words with particles ("Ursula von der Leyen:"), ending in a colon.
_LONE_LABEL = re.compile(
    rf"(?:[A-Z][A-Z0-9 .,’'&()\[\]/-]{{0,60}}|[A-Z][\w’'.-]*(?: {_WORD}){{0,4}})[:：]"
    r"|[\u4e00-\u9fff]{1,12}[:：]"
)
_LABEL_GOES_ON = re.compile(r"[^.?!\n]{0,60}:")  # "PRIME MINISTER OF NEW ZEALAND:"
_NAME_END = re.compile(r"\b[A-Z][a-z]+$")
_NAME_START = re.compile(r"[A-Z][a-z]")


MAX_NESTING = 1000
"""Deepest element nesting accepted in HTML or XML. Real pages nest under 20 levels (the
shared corpus: at most 17); Lexbor's time grows with the square of the depth of nested
blocks (40,000 ``<div>``s: 10 s), so deeper markup is refused before parsing."""

# Tags for the depth estimate: "[^<>]" keeps each attempt within one tag, so the scan is
# linear even on "<a<a<a…".
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:._-]*)[^<>]*?(/?)>")
# Elements that never hold others (void) or that the next sibling closes (implied end tags)
# add no depth however they are written; the regex skips them, so a flood of <br>s costs
# no Python work.
_FLAT = (
    "area base br col embed hr img input link meta param source track wbr keygen basefont frame "
    "isindex p li dt dd tr td th option optgroup rb rt rtc rp thead tbody tfoot colgroup caption "
    "html head body".split()
)
_TAG_START = re.compile(r"</?[A-Za-z]")  # counted with subn: C speed, no match objects
_NESTING_TAG = re.compile(
    rf"<(/?)(?!(?:{'|'.join(_FLAT)})(?![A-Za-z0-9:._-]))([A-Za-z][A-Za-z0-9:._-]*)[^<>]*?(/?)>", re.IGNORECASE
)


def nesting_depth(markup: str, *, html: bool = True, stop: int | None = None) -> int:
    """The deepest element nesting in ``markup``, estimated from its tags in one pass.

    Open tags minus close tags; with ``html``, void elements and elements with implied end
    tags do not count (an unclosed ``<p>`` is closed by the next one, not nested). The scan
    ends early once the depth passes ``stop``."""
    depth = deepest = 0
    for m in (_NESTING_TAG if html else _ANY_TAG).finditer(markup):
        if m.group(3):
            continue
        if m.group(1):
            depth = depth - 1 if depth else 0
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop is not None and deepest > stop:
                    break
    return deepest


MAX_ELEMENTS = 500_000
"""Tags a page may have. The text walk costs some microseconds per element (2 MB of ``<br>``
is 500,000 of them); real transcript pages have a few thousand."""


def check_nesting(markup: str, where: str, *, html: bool = True) -> None:
    """Refuse markup nested deeper than ``MAX_NESTING``, or with more than ``MAX_ELEMENTS``
    tags, with one ``InputError`` line."""
    opens = markup.count("<")
    if opens <= MAX_NESTING:
        return  # too few tags to nest that deep: the common case costs one count
    if opens > MAX_ELEMENTS and _TAG_START.subn("", markup)[1] > MAX_ELEMENTS:
        raise InputError(
            f"{where}: more than {MAX_ELEMENTS:,} tags in the markup; this is not a transcript page"
        )
    if nesting_depth(markup, html=html, stop=MAX_NESTING) > MAX_NESTING:
        kind = "HTML" if html else "XML"
        raise InputError(
            f"{where}: {kind} elements nested more than {MAX_NESTING:,} deep; "
            "this is not a transcript page"
        )


def parse(html: str, where: str = "<input>") -> LexborHTMLParser:
    """Parse an HTML document or fragment (Lexbor never raises on malformed markup).

    Markup nested deeper than ``MAX_NESTING`` is an ``InputError`` (see there)."""
    check_nesting(html, where)
    return LexborHTMLParser(html)


def _skipped(node: LexborNode) -> bool:
    if node.tag in SKIP_TAGS:
        return True
    cls = node.attributes.get("class") if node.attributes else None
    if cls and not SKIP_CLASSES.isdisjoint(cls.split()):
        return True
    return "hidden" in node.attributes


class _Writer:
    """Collects inline text into lines and lines into blank-line separated paragraphs."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.after_bold = False
        self.pending_space = False
        self.after_label = False
        self.lead = ""  # the bold runs that open the paragraph: maybe a speaker name
        self.in_lead = True
        self.bold_depth = 0
        self.named: list[tuple[int, str]] = []  # (block index, bold name without colon)
        self.labels: set[str] = set()  # bold names the page writes with a colon

    def text(self, s: str) -> None:
        if self.pending_space and _NAME_START.match(s):
            self.parts.append(" ")
        elif self.after_label and s[:1].strip() and s[:1] not in ":：":
            self.parts.append(" ")  # "<b>Name:</b>Text": the label needs its space
        self.pending_space = self.after_label = False
        self.parts.append(s)
        if s.strip():
            self.after_bold = False
            if not self.bold_depth:
                self.in_lead = False

    def bold_start(self) -> None:
        # Kremlin writes "<b>Vladimir</b><b>Putin</b>:" for one label split over two runs;
        # browsers render it glued, the editors meant a space. MFA pages also split bold
        # runs, but inside words ("W</b><b>hat"), so only Name|Name gets a space.
        if self.after_bold and self.parts and _NAME_END.search(self.parts[-1]):
            self.pending_space = True
        self.bold_depth += 1

    def bold_end(self) -> None:
        self.bold_depth = max(0, self.bold_depth - 1)
        if self.in_lead and not self.bold_depth:  # paragraph so far is bold runs only
            self.lead = "".join(self.parts)
        self.after_bold = True
        last = self.parts[-1].rstrip() if self.parts else ""
        self.after_label = last.endswith(":") and last == self.parts[-1]

    def line_break(self) -> None:
        self.in_lead = False
        self.lines.append(_clean("".join(self.parts)))
        self.parts = []
        self.after_bold = False
        self.pending_space = False
        self.after_label = False

    def paragraph(self) -> None:
        lead = _clean(self.lead)
        self.line_break()
        body = "\n".join(self.lines).strip("\n")
        body = _BLANK_LINES.sub("\n", body)
        if body.strip():
            if lead.endswith(":") or body[len(lead) :].lstrip().startswith(":"):
                self.labels.add(lead.rstrip(": "))
            elif (
                lead
                and body.startswith(lead)
                and _BOLD_NAME.fullmatch(lead)
                and _AFTER_NAME.match(body, len(lead))
                and not _LABEL_GOES_ON.match(body, len(lead))
            ):
                self.named.append((len(self.blocks), lead))
            self.blocks.append(body)
        self.lines = []
        self.lead, self.in_lead, self.bold_depth = "", True, 0

    def result(self) -> str:
        self.paragraph()
        # A bold name opening a paragraph with no colon ("<b>Anna Berg</b> Good morning")
        # is a speaker label only if the page does it at least twice for the same name, or
        # writes that name with a colon elsewhere: run-in headings rarely repeat, speakers
        # do. Such labels get their colon.
        counts = Counter(name for _, name in self.named)
        for i, name in self.named:
            if counts[name] >= 2 or name in self.labels:
                self.blocks[i] = f"{name}:{self.blocks[i][len(name):]}"
        return "\n\n".join(_join_lone_labels(self.blocks))


def _join_lone_labels(blocks: list[str]) -> list[str]:
    """``<p>PRIME MINISTER:</p><p>Good morning.</p>`` → ``PRIME MINISTER: Good morning.``

    Many sites put the label in a paragraph of its own (Australian PM transcripts do it
    thousands of times); one label-text paragraph is what every other source has.
    """
    out: list[str] = []
    for block in blocks:
        if "\n" in block:  # the same inside a paragraph: "PM:<br>Well, …"
            block = "\n".join(_join_pieces(block.split("\n"), _LONE_LABEL))
        out.append(block)
    return _join_pieces(out, _LONE_LABEL)


def _join_pieces(pieces: list[str], label: re.Pattern[str]) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        if out and label.fullmatch(out[-1]) and piece and not label.fullmatch(piece):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _clean(s: str) -> str:
    """Markup white space collapses to one space; no-break spaces stay as written spaces."""
    if not s or s.isspace():
        return ""
    s = _ASCII_WS.sub(" ", s)
    if s.isascii():
        return s.strip()
    s = _CJK_GAP.sub(r"\1", s)
    return s.replace("\xa0", " ").replace("\u200b", "").strip()


def node_text(root: LexborNode) -> str:
    """Plain text of ``root``: blocks become paragraphs, ``<br>`` a newline, furniture dropped.

    The walk uses an explicit stack, so deeply nested (or hostile) markup cannot exhaust
    Python's recursion limit.
    """
    out = _Writer()
    # (node, closing): a closing entry ends the element's paragraph or bold run.
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        if closing:
            if tag in BOLD_TAGS:
                out.bold_end()
            elif tag in BLOCK_TAGS:
                out.paragraph()
            continue
        if tag == "-text":
            out.text(node.text_content or "")
            continue
        if tag is None or tag.startswith("-") or tag == "!doctype":
            continue
        if node is not root and _skipped(node):
            continue
        if tag == "br":
            out.line_break()
            continue
        if tag in BLOCK_TAGS:
            out.paragraph()
        elif tag in BOLD_TAGS:
            out.bold_start()
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    return out.result()


def main_root(tree: LexborHTMLParser) -> LexborNode | None:
    """The element whose direct ``<p>`` children carry the most text: the article body."""
    scores: Counter[int] = Counter()
    nodes: dict[int, LexborNode] = {}
    for p in tree.css("p"):
        parent = p.parent
        if parent is None:
            continue
        key = parent.mem_id
        nodes[key] = parent
        scores[key] += len(p.text(deep=True, strip=True))
    if not scores:
        return tree.body
    key, _ = scores.most_common(1)[0]
    return nodes[key]
