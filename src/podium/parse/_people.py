"""Who a label means: office labels to office holders, surnames to full names.

"THE PRESIDENT" in "Remarks by President Biden …" is Joe Biden; "MS. PSAKI" in a briefing
"by Press Secretary Jen Psaki" is Jen Psaki. The holder is looked up where the document says
it (format metadata, title, the first part of the text) with the house style's ``offices``
patterns; a surname becomes a full name through the style's ``people`` table, else through
the most frequent "First Surname" in the document, else it stays a surname.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property
from itertools import islice

from podium.parse.header import byline_person
from podium.parse.labels import is_caps, vocabulary
from podium.parse.style import Style, lang_files

_PARTICLES = {"de", "del", "la", "las", "los", "y", "van", "von", "der", "den", "da", "di", "du", "le"}
NOT_FIRST = {
    "president", "vice", "secretary", "mr", "ms", "mrs", "dr", "press", "general", "senator",
    "governor", "director", "ambassador", "admiral", "deputy", "attorney", "leader", "speaker",
    "chairman", "minister", "prime", "chief", "madam", "colonel", "captain", "doctor", "dear",
    "thank", "thanks", "okay", "and", "the", "with", "by", "of", "for", "to", "as", "at", "in",
    "on", "mister", "sir", "judge", "justice", "commissioner", "administrator", "surgeon",
    "representative", "congressman", "congresswoman", "sen", "rep", "gov", "lieutenant",
    "sergeant", "major", "former", "first", "lady", "mayor", "spokesperson", "hon", "honourable",
    "honorable", "said", "says", "told", "asked", "but", "so", "if", "when", "that", "this",
    "is", "was", "has", "have", "not", "from", "no", "yes", "well", "because", "what", "how",
    "chancellor", "premier", "king", "queen", "emir", "pope", "taoiseach", "excellency",
}


_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w’'\-]+"


def _not_first(word: str) -> bool:
    """Whether ``word`` cannot be a first name: a title, an honorific, an office word."""
    low = word.casefold()
    voc = vocabulary()
    return low in NOT_FIRST or low in voc.honorifics or low in voc.offices


def proper_case(name: str) -> str:
    """"ANDRÉS MANUEL LÓPEZ OBRADOR" → "Andrés Manuel López Obrador" (particles stay low)."""
    if not is_caps(name):
        return name
    words = []
    for i, w in enumerate(name.split()):
        low = w.lower()
        hyphenated = "-".join(p.capitalize() for p in w.split("-"))
        words.append(low if i and low in _PARTICLES else w.capitalize() if "-" not in w else hyphenated)
    return " ".join(words)


_FIRST_NAME_REACH = 40
# Mentions of a surname read for its first name: the longest real transcripts mention a name
# a few hundred times; a file of "MR. SMITH: " repeated a million times is not read further.
_MENTIONS_READ = 5000
"""Characters before a surname searched for its first name and middle initial."""
_FIRST_BEFORE = re.compile(
    r"(?<![\w-])(?P<first>[A-Z][a-zà-ÿ’']+(?:-[A-Z][a-zà-ÿ’']+)?|(?<![\w.])[A-Z]\.)(?P<mid>\s+[A-Z]\.)?\s+$"
)
"""A first name (or initial), a middle initial, and the space that ends right before a surname."""
_BOUNDARY = re.compile(r"\b")
_HAN_FAMILY = re.compile(r"[\u3400-\u9fff]")
"""A one-character Chinese family name ("林"): two characters may be a whole name ("陆慷")."""
_SECOND_SURNAME = re.compile(r"[^\S\n]+([A-ZÀ-Þ][a-zà-ÿ’'\-]+)(?=[^\S\n]*[,;)]|[^\S\n]*\.(?:\s|$))")
"""A capitalised word right after a full name that ends the name's phrase."""


class Resolver:
    """Resolves labels to people for one document."""

    def __init__(
        self, text: str, title: str | None, principal: str | None, style: Style, date: str | None = None,
        language: str | None = None,
    ) -> None:
        self.text = text
        self.date = date
        # Whether names in this language carry two family names ("Carmen Vidal Orduña"):
        # ``[speakers] double_surnames`` in ``lang/<code>.toml``.
        self.double_surnames = bool(lang_files().get(language or "", {}).get("speakers", {}).get("double_surnames"))
        self.title = title or ""
        self.meta_principal = principal
        self.style = style
        self._cache: dict[str, str] = {}

    @cached_property
    def _context(self) -> str:
        return "\n".join((self.title, self.text[:3000]))

    def principal_name(self) -> str | None:
        """The event's principal as the format or the title names them."""
        if self.meta_principal:
            return self.meta_principal
        for rx in self.style.principal_patterns:
            m = rx.search(self.title)
            if m:
                return self.expand(m.group("name"))
        return byline_person(self.text[:2000])

    def named_holder(self, office: str) -> str | None:
        """The person the document's opening names beside ``office`` ("Spokesman Rafael
        Ostrowski", "Julia Kessling-Moore, Director", "Tobias Hille (Spokesperson)"), for a
        label that gives only an office ("Spokesman:", "LE PRÉSIDENT :", "Modératrice")."""
        # "LE PRÉSIDENT" is "Président de la République, M. …" in the title
        words = vocabulary().without_article(office.strip(" .:")).split()
        if not words:
            return None
        if office in self._cache:
            return self._cache[office] or None
        off = r"\s+".join(re.escape(w) for w in words)
        name = rf"(?P<name>{_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{1,3}})"
        hon = r"(?:(?i:mr|ms|mrs|dr|shri|smt|herr|frau|m|mme|hon)\.?[^\S\n]+)?"
        of = r"[^\S\n]+(?i:of|de|du|der|des)[^\S\n]+(?:(?i:the|la|l’|l')[^\S\n]*)?[\w-]+(?:[^\S\n]+[\w-]+)?"
        patterns = (
            rf"(?i:{off})(?::|,|{of},)?[^\S\n]+{hon}{name}",  # "Spokesman Rafael Ostrowski"
            rf"{name},[^\S\n]+(?i:(?:the|le|la|el|der|die)[^\S\n]+)?(?:[\w-]+[^\S\n]+){{0,3}}?(?i:{off})\b",
            rf"{name}[^\S\n]*\((?i:(?:the|le|la)[^\S\n]+)?(?i:{off})\)",
        )
        found = None
        for where in (self.title, self.text[:3000]):  # the title speaks first
            for rx in patterns:
                for m in re.finditer(rx, where):
                    cand = m.group("name")
                    before = where[max(0, m.start() - 14) : m.start()].split()
                    if before and before[-1].casefold().rstrip(".") in vocabulary().honorifics:
                        continue  # "Monsieur le Président, Léa Martin": addressing, not naming
                    if not any(_not_first(w) for w in cand.split()):
                        found = proper_case(cand) if is_caps(cand) else cand
                        break
                if found:
                    break
            if found:
                break
        self._cache[office] = found or ""
        return found

    def _expand_han(self, family: str) -> str:
        """A Chinese family name in a label ("林發言人") is the full name the document prints
        after an office ("由發言人林雅琪主持"): the family name and a two-character given name."""
        offices = "|".join(sorted((re.escape(o) for o in vocabulary().offices if _HAN_FAMILY.match(o)), key=len, reverse=True))
        if not offices:
            return family
        found = Counter(re.findall(rf"(?:{offices}){re.escape(family)}([\u3400-\u9fff]{{2}})", f"{self.title}\n{self.text}"))
        return family + found.most_common(1)[0][0] if found else family

    def house_principal(self) -> str | None:
        """Who holds the office the institution's events are about (holders of "PRINCIPAL")."""
        if not self.date:
            return None
        for rx, name, start, end in self.style.holders:
            if rx.fullmatch("PRINCIPAL") and start <= self.date <= end:
                return name
        return None

    def office_holder(self, label: str) -> str | None:
        """The holder of the office a label names, or ``None`` when the document does not say."""
        if self.date:
            for rx, name, start, end in self.style.holders:
                if rx.fullmatch(label) and start <= self.date <= end:
                    return name
        for rx, patterns in self.style.offices:
            if not rx.fullmatch(label):
                continue
            for pat in patterns:
                m = pat.search(self.title) or pat.search(self._context)
                if m:
                    return self.expand(m.group("name"))
        return None

    def expand(self, surname: str) -> str:
        """A full name for ``surname`` (or a name already full)."""
        surname = " ".join(surname.split())
        if surname in self._cache:
            return self._cache[surname]
        found = self._expand(surname)
        self._cache[surname] = found
        return found

    def _expand(self, surname: str) -> str:
        for key, full in self.style.people.items():
            if key.casefold() == surname.casefold():
                return full
        if _HAN_FAMILY.fullmatch(surname):
            return self._expand_han(surname)
        if len(surname.split()) >= 2:
            return proper_case(surname)
        # "Jean-Claude Trichet", "Antony J. Blinken": a hyphenated first name and a middle
        # initial belong to the name.
        # An initial alone counts too ("Dr. S. Raghunathan"), below a first name written out.
        firsts: Counter[tuple[str, str]] = Counter()
        seconds: dict[tuple[str, str], str] = {}
        near = re.compile(re.escape(surname), re.IGNORECASE)
        for where, weight in ((self.title, 10), (self.text, 2)):
            # Only the words just before each whole-word mention of the surname can be its
            # first name (one static pattern, read backwards from the mention: no regex per name).
            for hit in islice(near.finditer(where), _MENTIONS_READ):
                if not _BOUNDARY.match(where, hit.end()):
                    continue
                m = _FIRST_BEFORE.search(where, max(0, hit.start() - _FIRST_NAME_REACH), hit.start())
                if m and not _not_first(m.group("first")) and not is_caps(hit.group()):
                    first = m.group("first") + (" " + m.group("mid").strip() if m.group("mid") else "")
                    initial = len(first) == 2 and first.endswith(".")
                    firsts[(first, hit.group())] += weight // 2 if initial else weight
                    second = _SECOND_SURNAME.match(where, hit.end()) if self.double_surnames else None
                    word = second.group(1) if second else ""
                    if word and not _not_first(word) and word.casefold() not in vocabulary().function_words:
                        seconds[(first, hit.group())] = word
        if firsts:
            (first, sur), _ = firsts.most_common(1)[0]
            # "Carmen Vidal Orduña, y el ministro …": a second family name, where the
            # document prints the whole name once, belongs to it (in languages that use two).
            return " ".join(filter(None, (first, sur, seconds.get((first, sur)))))
        # "MORITA Kazuhiro": a family name in capitals before the given name, as Japanese
        # ministries print names, is kept as printed.
        family = re.search(
            rf"(?<![\w-])(?P<sur>{re.escape(surname.upper())})\s+(?P<given>[A-Z][a-z]+)\b", f"{self.title}\n{self.text[:3000]}"
        )
        if family and len(surname) > 1:
            return f"{family['sur']} {family['given']}"
        return proper_case(surname)
