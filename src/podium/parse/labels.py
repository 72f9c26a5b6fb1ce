"""What a speaker label says, read by its shape when no house style knows it.

A house style's label patterns are hints; most institutions print labels Podium has never
seen: ``CHAIR POWELL``, ``MR PRICE``, ``EXTERNAL AFFAIRS MINISTER JAISHANKAR``, ``SENIOR
STATE DEPARTMENT OFFICIAL ONE``, ``Giese (AA)``, ``Frage``, ``Draghi``. Read word by word
they all have one grammar: an optional honorific or a run of office words, then a name (or
nothing, or an ordinal, for an anonymous official), then an optional parenthesis. The words
come from language data (``lang/*.toml``, table ``[speakers]``, and the role lists of
``[labels]``), never from Python, so a new language is a data file.

``label_shape`` answers the earlier question: can this string be a label at all, or is it the
start of a sentence that happens to end with a colon ("Zur Grundprämisse:", "On TLTRO:",
"Herr Hille, nur zur Klarstellung:")?
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from podium.parse.style import Style, lang_files

_PAREN = re.compile(r"\s*[(\[]([^()\[\]]{1,60})[)\]]\s*$")
_TOKEN = re.compile(r"^(?:[^\W\d_][\w’'\-]*\.?|[A-Z]\.)$")
_CJK = re.compile(r"^[\u3400-\u9fff\u3040-\u30ff·]{1,8}$")
# An outlet in (full-width) brackets anywhere in a Chinese label: "記者（自由時報）追問".
_CJK_PAREN = re.compile(r"[（(]([^（）()]{1,30})[）)]")
_HAN_NAME = (2, 4)
"""Characters in a Chinese full name (family name and given name)."""
_MAX_WORDS = 8


@dataclass(frozen=True)
class Vocabulary:
    """Label words of every language Podium has data for (lower case)."""

    journalist: frozenset[str]
    moderator: frozenset[str]
    official: frozenset[str]
    answer: frozenset[str]
    other: frozenset[str]
    followup: frozenset[str]
    honorifics: frozenset[str]
    addressed: frozenset[str]
    offices: frozenset[str]
    """Office words, ranks included."""
    ranks: frozenset[str]
    anonymous: frozenset[str]
    function_words: frozenset[str]
    articles: frozenset[str]
    interjections: frozenset[str]

    def without_article(self, label: str) -> str:
        """``label`` without a leading article: "LA MODÉRATRICE" is "MODÉRATRICE"."""
        words = label.split()
        while len(words) > 1 and words[0].casefold() in self.articles:
            words = words[1:]
        return " ".join(words)

    def role(self, label: str) -> str | None:
        low = self.without_article(label).casefold().rstrip(".")
        for role, words in (("journalist", self.journalist | self.followup), ("moderator", self.moderator),
                            ("official", self.official), ("unknown", self.other)):
            if low in words:
                return role
        return None


@cache
def vocabulary() -> Vocabulary:
    """The union of the label words in every ``lang/*.toml``."""
    sets: dict[str, set[str]] = {k: set() for k in Vocabulary.__dataclass_fields__}
    for data in lang_files().values():
        for table in ("labels", "speakers"):
            for key, words in data.get(table, {}).items():
                if key in sets and key != "function_words" and isinstance(words, list):
                    sets[key].update(str(w).casefold() for w in words)
        sets["function_words"].update(str(w).casefold() for w in data.get("function_words", []))
        sets["function_words"].update(str(w).casefold() for w in data.get("speakers", {}).get("sentence_openers", []))
    sets["offices"] |= sets["ranks"]
    return Vocabulary(**{k: frozenset(v) for k, v in sets.items()})


def _split_paren(raw: str) -> tuple[str, str | None]:
    m = _PAREN.search(raw)
    if m and m.start() > 0:
        return raw[: m.start()].strip(), m.group(1).strip()
    return raw, None


def _words(main: str) -> list[str]:
    return main.replace(",", " , ").split()


def label_shape(raw: str, style: Style) -> bool:
    """Whether ``raw`` (a label without its colon) can be a speaker label by its shape."""
    raw = " ".join(raw.split())
    if not raw or len(raw) > 90:
        return False
    voc = vocabulary()
    if _role(raw, style):
        return True
    main, _ = _split_paren(raw)
    if _CJK.match(_CJK_PAREN.sub("", main)):
        return True
    head, _, tail = main.partition(",")
    words = head.split()
    if not words or len(words) > _MAX_WORDS or "," in tail:
        return False
    if _role(head, style):
        return True
    first = words[0].casefold().rstrip(".")
    if first in voc.function_words and first not in voc.honorifics and first not in voc.offices:
        return False
    for w in words:
        if not _TOKEN.match(w):
            return False
        if w[0].islower() and w.casefold() not in _PARTICLES and w.casefold() not in voc.offices:
            return False
        if w.endswith(".") and len(w) > 2 and w.casefold().rstrip(".") not in voc.honorifics | voc.ranks:
            return False  # "U.S." or a sentence's last word, not a label
    if tail and (len(tail.split()) > 10 or re.search(r"[.?!;]", tail)):
        return False
    return not goes_on(raw)


def goes_on(raw: str) -> bool:
    """Whether the words after a label's comma go on as a sentence ("Herr Hille, nur zur
    Klarstellung", "Sur la France, je vous réponds"), not as a title ("Press Secretary of the
    President")."""
    voc = vocabulary()
    _, _, tail = _split_paren(" ".join(raw.split()))[0].partition(",")
    for w in tail.split():
        low = w.casefold()
        if w[0].islower() and low not in _LINKS and low not in _PARTICLES and low not in voc.offices:
            return True
    return False


_LINKS = frozenset("of the for and on in to at et für des".split())
_PARTICLES = frozenset("von van der den de da di du la le bin al el y dos das del zu af".split())


def is_caps(text: str) -> bool:
    """Whether ``text`` is printed in capitals ("HUGO LÓPEZ-GATELL")."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _proper(word: str) -> str:
    if not is_caps(word):
        return word
    return "-".join(p.capitalize() for p in word.split("-"))


def _role(label: str, style: Style) -> str | None:
    """The role a label names, by the house style's role lists or the language data."""
    low = label.casefold().rstrip(".")
    for role, words in (("journalist", style.journalist_labels), ("moderator", style.moderator_labels),
                        ("official", style.official_labels), ("principal", style.principal_labels),
                        ("unknown", style.other_labels)):
        if low in words:
            return role
    return vocabulary().role(label)


@dataclass(frozen=True)
class Reading:
    """A label read by its shape: who (``name`` or ``surname``), as what, from where."""

    name: str | None
    surname: str | None
    title: str | None
    outlet: str | None
    role: str | None


def read_label(raw: str, style: Style) -> Reading:
    """Read a label the house style does not know (see the module docstring)."""
    voc = vocabulary()
    raw = " ".join(raw.split()).rstrip(".")
    role = _role(raw, style)
    if role:
        return Reading(None, None, None, None, role)
    cjk = _read_cjk(raw, style, voc)
    if cjk is not None:
        return cjk
    main, paren = _split_paren(raw)
    role = _role(main, style)
    if role:  # "Frage (Jung)": a journalist named in brackets
        name = paren if paren and paren[:1].isupper() and not is_caps(paren) else None
        return Reading(name if name and " " in name else None, name if name and " " not in name else None,
                       None, None, role)
    head, _, tail = main.partition(",")
    words = head.split()
    titles = _office_words(style_title_words(style), voc.offices)
    named = _name_after_office(words, tail, titles, voc)
    if named is not None:  # "Official Spokesperson, Shri Kunal Mehrotra"
        return named
    # The office runs up to its last office word: "EXTERNAL AFFAIRS MINISTER | JAISHANKAR".
    last_office = -1
    for i, w in enumerate(words):
        low = w.casefold().rstrip(".")
        if low in titles or low in voc.honorifics or (i < len(words) - 1 and _misspelt_office(low, titles)):
            last_office = i
    # Words between office words ("EXTERNAL AFFAIRS") belong to the office too; words after
    # the last one are the name.
    # An office phrase goes on through a connector and the word after it: "Secretario de
    # Estado de Comunicación" names nobody; "Secretary of State Antony Blinken" names Blinken.
    # A connector before lower case is a name's particle instead ("President von der Leyen").
    while (last_office >= 0 and last_office + 2 < len(words) and words[last_office + 1].islower()
           and words[last_office + 2][:1].isupper()):
        last_office += 2
    title_words, name_words = words[: last_office + 1], words[last_office + 1 :]
    honorific_only = bool(title_words) and all(w.casefold().rstrip(".") in voc.honorifics for w in title_words)
    title = " ".join(_proper(w) for w in title_words) if title_words and not honorific_only else None
    if tail.strip():
        title = " ".join(tail.split()) if title is None else f"{title}, {' '.join(tail.split())}"
    if not name_words or all(w.casefold() in voc.anonymous or w.isdigit() for w in name_words):
        anon_role = "official" if title_words and not honorific_only else None
        return Reading(None, None, title, paren, anon_role)
    name = " ".join(_proper(w) if is_caps(w) else w for w in name_words)
    if len(name_words) == 1:
        return Reading(None, name, title, paren, None)
    return Reading(name, None, title, paren, None)


def _read_cjk(raw: str, style: Style, voc: Vocabulary) -> Reading | None:
    """A Chinese label, written without spaces: an office before a full name ("發言人林雅琪"),
    a family name before an office ("林發言人", "王副司長"), a role with its outlet in brackets
    ("記者（中央社）", "記者（自由時報）追問")."""
    m = _CJK_PAREN.search(raw)
    main = (raw[: m.start()] + raw[m.end() :]).strip() if m else raw
    if not _CJK.match(main):
        return None
    outlet = re.split(r"[，,、]", m.group(1))[0].strip() if m else None
    role = _role(main, style)
    if role:
        return Reading(None, None, None, outlet, role)
    for office in sorted((o for o in voc.offices if _CJK.match(o)), key=len, reverse=True):
        rest = main.removeprefix(office) if main.startswith(office) else None
        if rest is not None and _HAN_NAME[0] <= len(rest) <= _HAN_NAME[1]:
            return Reading(rest, None, office, outlet, None)
        rest = main.removesuffix(office) if main.endswith(office) else None
        if rest is not None and 1 <= len(rest) <= 2:
            return Reading(None, rest, office, outlet, None)
        if main == office:
            return Reading(None, None, office, outlet, "official")
    return None


def _name_after_office(words: list[str], tail: str, titles: frozenset[str], voc: Vocabulary) -> Reading | None:
    """An office, a comma, then the person ("Official Spokesperson, Shri Kunal Mehrotra"): the
    reverse of "Kunal Mehrotra, Official Spokesperson"."""
    after = tail.split()
    while after and after[0].casefold().rstrip(".") in voc.honorifics:
        after = after[1:]
    if not words or not 2 <= len(after) <= 4 or not any(w.casefold().rstrip(".") in titles for w in words):
        return None
    if not all(w[0].isupper() and w.casefold().rstrip(".") not in titles | voc.honorifics for w in after):
        return None
    name = " ".join(_proper(w) for w in after)
    return Reading(name, None, " ".join(_proper(w) for w in words), None, None)


@cache
def _office_words(style_words: frozenset[str], offices: frozenset[str]) -> frozenset[str]:
    return frozenset(w.casefold() for w in style_words) | offices


@cache
def _misspelt_office(word: str, offices: frozenset[str]) -> bool:
    """An office word with a typo, as transcripts print them ("CHAIRIMAN POWELL", "CHAIMRAN
    POWELL"): six letters or more, the same first letter, at most two edits from an office
    word of the same length ±1."""
    if len(word) < 6 or not word.isalpha():
        return False
    return any(o[0] == word[0] and abs(len(o) - len(word)) <= 1 and _edits(word, o) <= 2 for o in offices if len(o) >= 6)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, with adjacent transpositions counted once."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, prev2[j - 2] + 1)
            cur.append(d)
        prev2, prev = prev, cur
    return prev[-1]


@cache
def _title_words_cached(words: tuple[str, ...]) -> frozenset[str]:
    out: set[str] = set()
    for w in words:
        out.update(p.casefold() for p in w.split())
    return frozenset(out)


def style_title_words(style: Style) -> frozenset[str]:
    """The single office words of the style's ``names.title_words`` ("Prime", "Minister", …)."""
    return _title_words_cached(style.title_words)
