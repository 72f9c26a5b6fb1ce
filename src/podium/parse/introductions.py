"""Who is asking, from what the words say: self-introductions and hand-offs.

Journalists say who they are at the start of a question ("Howard Schneider with Reuters.",
"It's Richard Partington from the Guardian", "Steve Liesman, CNBC."), and moderators say
who is next ("We will start with Vivian Salama from The Wall Street Journal.", "Let's go to
the line of Francesco Fontemaggi, please."). The shapes are the same in every institution;
only the little words differ, and those come from ``lang/<code>.toml`` (table
``[introductions]``: ``lead`` — "this is", "I'm"; ``via`` — "with", "from", "of";
``handoff`` — "go to", "the line of").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from podium.parse.header import names_institution
from podium.parse.labels import is_caps, vocabulary
from podium.parse.style import lang_files

_CAP = r"[A-ZÀ-ÖØ-Þ]"
_NAME_TOKEN = rf"{_CAP}[\w’'\-]+"
_PARTICLE = r"(?:de|da|di|du|van|von|der|den|del|le|la|bin|al|el)"
# One or more name words ("Ylan", "Nancy Marshall-Genzer", "Ursula von der Leyen").
_NAME = rf"{_NAME_TOKEN}(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)*{_NAME_TOKEN}){{0,3}}"
_NAME2 = rf"{_NAME_TOKEN}(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)*{_NAME_TOKEN}){{1,3}}"
_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z0-9][\w&’'/\-]*)"
_LINK = r"(?:of|and|for|de|del|du|des|für|&)"
_OUTLET = rf"(?:[Tt]he[^\S\n]+)?{_WORD}(?:[^\S\n]+(?:{_LINK}[^\S\n]+)?{_WORD}){{0,5}}"
_END = r"(?=[^\S\n]*(?:[.,;:!?\n]|$)|[^\S\n]+[a-z])"
_SELF_WINDOW = 260
_HANDOFF_WINDOW = 240


@dataclass(frozen=True)
class Intro:
    """A name and an outlet said in a turn; either may be missing."""

    name: str | None
    outlet: str | None


def _alternation(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first; a space matches any run of spaces and an
    apostrophe either apostrophe ("it's" is also "It’s")."""
    escaped = (re.escape(w.replace("’", "'")).replace(r"\ ", r"\s+").replace("'", "['’]") for w in words)
    return "|".join(sorted(set(escaped), key=len, reverse=True))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(self with a link word, self with a comma, hand-off with an outlet, hand-off by phrase)."""
    lead: list[str] = []
    via: list[str] = []
    handoff: list[str] = []
    after: list[str] = []
    for data in lang_files().values():
        table = data.get("introductions", {})
        lead += table.get("lead", [])
        via += table.get("via", [])
        handoff += table.get("handoff", [])
        after += table.get("handoff_after", [])
    lead_rx, via_rx = _alternation(lead or ["this is"]), _alternation(via or ["from"])
    handoff_rx, after_rx = _alternation(handoff or ["go to"]), _alternation(after or ["go ahead"])
    start = r"(?:^|(?<=[.!?,:])[^\S\n]+|\n)"
    # "Sophie Lambert, de France 24", "Lucía Prado, de la Cadena SER": the article is not the
    # outlet's, unless printed as its first word ("Jordi Puig, de La Vanguardia")
    article = _alternation([a for a in vocabulary().articles if a != "the"] or ["la"])
    linked = re.compile(
        rf"{start}(?:(?i:{lead_rx})[^\S\n]+)?(?P<name>{_NAME}),?[^\S\n]+(?i:{via_rx})[^\S\n]+"
        rf"(?:(?:{article})[^\S\n]*)?(?P<outlet>{_OUTLET}){_END}"
    )
    comma = re.compile(rf"{start}(?:(?i:{lead_rx})[^\S\n]+)?(?P<name>{_NAME2}),[^\S\n]+(?P<outlet>{_OUTLET})[^\S\n]*[.!]")
    named = re.compile(
        rf"(?P<name>{_NAME2})(?:,?[^\S\n]+(?P<via>(?i:{via_rx}))[^\S\n]+(?:(?:{article})[^\S\n]*)?|,[^\S\n]+)"
        rf"(?P<outlet>{_OUTLET}){_END}"
    )
    # "… go to Marcus Feld", or the name first: "Jim, go ahead with Ukraine."
    phrase = re.compile(
        rf"(?i:{handoff_rx})[^\S\n]+(?P<name>{_NAME2})|(?<![\w’'])(?P<first>{_NAME}),[^\S\n]+(?i:{after_rx})\b"
    )
    return linked, comma, named, phrase


def _personal(name: str) -> bool:
    """Whether every word of ``name`` can be part of a person's name."""
    voc = vocabulary()
    from podium.parse._people import NOT_FIRST

    if names_institution(name):  # "Instituto Nacional, de la Transparencia"
        return False
    for w in name.split():
        low = w.casefold().strip(".,")
        if (low in NOT_FIRST or low in voc.honorifics or low in voc.offices or low in voc.function_words
                or low in voc.interjections):
            return False
        if voc.role(w):
            return False
    return True


def _outlet_ok(outlet: str, name: str) -> bool:
    """Whether ``outlet`` can be the outlet of ``name``: not a sentence's word, and not both in
    capitals ("PARTIAL TRANSCRIPT OF PRESS CONFERENCE WITH LOCAL MEDIA" is a heading)."""
    word = outlet.split()[0]
    first = word.casefold()
    printed_article = first in vocabulary().articles and word[:1].isupper()  # "The Times", "La Nación"
    ok = first == "the" or printed_article or first not in vocabulary().function_words
    return ok and not (is_caps(name) and is_caps(outlet))


def _clean(value: str) -> str:
    return " ".join(value.split()).strip(" ,.;:")


def _name(value: str) -> str:
    """A name said with its honorific ("Madame Sophie Lambert") is the name alone."""
    words = _clean(value).split()
    while len(words) > 2 and words[0].casefold().rstrip(".") in vocabulary().honorifics:
        words = words[1:]
    return " ".join(words)


@cache
def _outlet_words() -> re.Pattern[str]:
    words = {w for data in lang_files().values() for w in data.get("introductions", {}).get("outlet_words", [])}
    return re.compile(r"\b(?:" + _alternation(sorted(words) or ["News"]) + r")\b")


def _outlet_like(phrase: str) -> bool:
    """Whether ``phrase`` reads as an outlet's name: it holds an outlet word ("Kyodo News")."""
    return bool(_outlet_words().search(phrase))


def self_introduction(text: str) -> Intro | None:
    """The name and outlet a journalist gives at the start of ``text``, if any.

    Only the first ``_SELF_WINDOW`` characters are read, and the structure steps ask of one
    turn several times: the answer is cached by that head.

    Either order: "Nikhil Joshi, Indian Express." and "Kyodo News, Suzuki." (the outlet
    first, as Japanese briefings print it); a "name" holding an outlet word is the outlet.
    """
    return _self_introduction(text[:_SELF_WINDOW])


@lru_cache(maxsize=4096)
def _self_introduction(head: str) -> Intro | None:
    linked, comma, _, _ = _patterns()
    for m in _OUTLET_FIRST.finditer(head):
        outlet, name = _clean(m.group("outlet")), _name(m.group("name"))
        if _outlet_like(outlet) and not _outlet_like(name) and _personal(name):
            return Intro(name, outlet)
    for rx in (linked, comma):
        for m in rx.finditer(head):
            name, outlet = _name(m.group("name")), _clean(m.group("outlet"))
            if _personal(name) and _outlet_ok(outlet, name) and not _outlet_like(name):
                return Intro(name, outlet)
    han = _han_self()
    said = han.search(head) if han is not None else None
    return Intro(said.group("name"), said.group("outlet")) if said else None


@cache
def _han_self() -> re.Pattern[str] | None:
    """"我是自由時報記者張思婷": lead, outlet, the word for reporter, a name (``[introductions]``
    ``lead`` and ``reporter`` of the languages written in Han characters)."""
    lead: list[str] = []
    reporter: list[str] = []
    for data in lang_files().values():
        table = data.get("introductions", {})
        if table.get("reporter"):
            reporter += table["reporter"]
            lead += table.get("lead", [])
    if not reporter or not lead:
        return None
    han = r"\u3400-\u9fff"
    return re.compile(
        rf"(?:^|(?<=[。，！？\s]))(?:{_alternation(lead)})(?P<outlet>[{han}A-Za-z0-9]{{2,10}}?)的?"
        rf"(?:{_alternation(reporter)})(?P<name>[{han}]{{2,3}})(?=[。，！？,.\s]|$)"
    )


# "Kyodo News, Suzuki.", "(Online) Jiji Press, Nakamura.": the outlet, a comma, a name, a stop.
_OUTLET_FIRST = re.compile(
    rf"(?:^|(?<=[.!?)])[^\S\n]+|\n)(?P<outlet>{_OUTLET}),[^\S\n]+(?P<name>{_NAME})[^\S\n]*[.!]"
)


def handoff_introduction(text: str, at_end: bool = False) -> Intro | None:
    """The journalist a moderator gives the floor to at the end of ``text``, if any.

    With ``at_end`` only a naming that closes the text counts: an answer that ends by handing
    the floor on ("… Nadia Kessler, Breaking Defense."), not one that mentions "the Belt and
    Road Forum for International Cooperation" on its way. Only the last ``_HANDOFF_WINDOW``
    characters are read, and the structure steps ask of one turn several times: the answer is
    cached by that tail."""
    return _handoff_introduction(text[-_HANDOFF_WINDOW:], at_end)


@lru_cache(maxsize=4096)
def _handoff_introduction(tail: str, at_end: bool) -> Intro | None:
    _, _, named, phrase = _patterns()
    found: list[tuple[int, Intro]] = []
    for m in named.finditer(tail):
        if at_end and tail[m.end():].strip(" .!\n"):
            continue
        name, outlet = _name(m.group("name")), _clean(m.group("outlet"))
        # After a bare comma the outlet must not read as another name ("Ann, Bob Smith");
        # after "from"/"de" it is the outlet whatever it looks like ("Karim Benali, de RFI").
        # A full name, a comma and a last phrase is a name and its outlet ("… Marcus Feld,
        # Defense One."), even when the outlet could be read as a name.
        last = len(name.split()) >= 2 and not tail[m.end():].strip(" .!\n")
        if _personal(name) and _outlet_ok(outlet, name) and (
            m.group("via") or outlet.casefold().startswith("the ") or last
            or not _personal(outlet.removeprefix("The ").removeprefix("the "))
        ):
            found.append((m.start(), Intro(name, outlet)))
    for m in phrase.finditer(tail):
        if at_end and m.group("name") and tail[m.end():].strip(" .!\n"):
            continue
        name = _name(m.group("name") or m.group("first"))
        if _personal(name):
            found.append((m.start(), Intro(name, None)))
    if not found:
        return None
    best = max(found, key=lambda f: f[0])[1]
    for _, said in found:  # "… with Jonas Holm from Reuters. Jonas, please.": the fuller naming
        if best.name and said.name and len(said.name) > len(best.name) and same_person(said.name, best.name):
            best = Intro(said.name, said.outlet or best.outlet)
    return best


def same_person(spoken: str, name: str) -> bool:
    """Whether a self-introduction's name is the labelled speaker's ("Marty Crutsinger" is
    "MARTIN CRUTSINGER"; "Ylan" is "YLAN MUI"): a shared word, ignoring case."""
    a = {w.casefold() for w in spoken.split()}
    b = {w.casefold() for w in name.split()}
    return bool(a & b)
