"""Names in one place: folding, slugs, the store's person key, and whether a label names anyone.

The parser and the store both turn names into keys and ids; when they disagree the same person
gets two ids. Everything here is pure and database-free. Which role labels are not names
("Question", "Pregunta", "答") is language data, read from every ``parse/lang/*.toml`` that has a
``[labels]`` table, so a new language file is picked up without touching this module.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from podium.errors import StyleError

LANG_DIR = Path(__file__).parent / "parse" / "lang"
LABEL_KINDS = ("journalist", "moderator", "official", "other")

# Letters that Unicode does not decompose into a base letter plus an accent.
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "đ": "d", "Đ": "D",
                       "ł": "l", "Ł": "L", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th"})

# Words dropped from the front of a name: honorifics, offices, ranks. Lower case, no dots.
TITLE_WORDS = frozenset(
    """
    mr mrs ms miss mx m mme mlle sr sra dr prof professor sir dame lord lady madam mister hon honourable
    honorable rev the press secretary deputy principal assistant acting senior chief
    general secretary-general vice president vice-president prime minister foreign
    spokesperson spokesman spokeswoman ambassador admiral colonel col gen lt lieutenant
    major maj captain capt sergeant commander governor gov senator sen representative rep
    congressman congresswoman director administrator coordinator adviser advisor
    national security counselor chairman chair chairwoman mayor premier chancellor
    his her excellency king queen prince princess commissioner surgeon attorney
    speaker leader officer official officials administration moderator host participant
    journalist reporter audience member unidentified unknown
    presidente presidenta secretario secretaria subsecretario subsecretaria vocero vocera
    portavoz canciller gobernador gobernadora doctor doctora licenciado licenciada lic ing
    """.split()
)
# Suffixes that are not surnames.
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md"})
MAX_NAME_WORDS = 6
MAX_UNSPACED_CHARS = 12  # "让-伊夫·勒德里昂" is 8; a longer run without spaces is a phrase
_SENTENCE_MARKS = re.compile(r"[?!;:¿¡。？！；：…]")
_PERIOD_INSIDE = re.compile(r"([\w’'-]+)\.\s+\S")


def _is_latin(ch: str) -> bool:
    """Latin letters (with Latin-1, Extended-A/B and Extended Additional)."""
    o = ord(ch)
    return o < 0x250 or 0x1E00 <= o <= 0x1EFF


@lru_cache(maxsize=8192)  # names recur: a label or a hand-off is folded once per transcript
def fold(text: str) -> str:
    """Lower case without accents on Latin letters, so "Lopez" and "López" compare equal.

    Marks on other scripts are kept (a Devanagari vowel sign is part of the letter), and
    the result is recomposed so Hangul syllables stay whole.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    out: list[str] = []
    base = ""
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base and _is_latin(base):
                continue
        else:
            base = ch
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).casefold()


def spelling_key(name: str) -> str:
    """A key under which spelling variants of one name meet (case, accents, spacing)."""
    return re.sub(r"\s+", " ", fold(name)).strip()


def slugify(text: str) -> str:
    """An id: folded letters and digits joined by hyphens, in any script; "" if none.

    ``"Jens Stoltenberg"`` → ``"jens-stoltenberg"``, ``"José López"`` → ``"jose-lopez"``,
    ``"陆慷"`` → ``"陆慷"``.
    """
    chars = [c if unicodedata.category(c)[0] in "LNM" else " " for c in fold(text)]
    return "-".join("".join(chars).split())


def outlet_keys(text: str) -> tuple[str, str]:
    """The alias key of an outlet name, and the same with or without a leading "the".

    Transcripts print "the Washington Post" and "Washington Post" for one paper; both keys
    are looked up so either form finds the outlet, in new and in existing stores alike.
    """
    key = fold(text).strip()
    return (key, key[4:].strip()) if key.startswith("the ") else (key, f"the {key}")


@dataclass(frozen=True)
class NameKey:
    """A name reduced for matching: ``given`` may be ``None`` ("MS. PSAKI" has none)."""

    given: str | None
    surname: str

    @property
    def full(self) -> str:
        """The key as one string, e.g. ``"jen psaki"`` or ``"psaki"``."""
        return f"{self.given} {self.surname}" if self.given else self.surname


def name_part(label: str) -> str:
    """The name inside a raw label: drop "(Outlet)", ", Title" and a trailing colon."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]|（[^）]*）", " ", label)
    text = re.split(r"[,，、]", text)[0]
    return text.strip().rstrip(":：").strip()


def _words(text: str) -> list[str]:
    """Words of letters, digits, marks, hyphens and apostrophes, in any script."""
    kept = "".join(c if unicodedata.category(c)[0] in "LNM" or c in "-'’" else " " for c in text)
    return kept.split()


def name_key(label: str | None) -> NameKey | None:
    """The ``NameKey`` of a name or raw speaker label, or ``None`` when no name is left.

    >>> name_key("Press Secretary Psaki")
    NameKey(given=None, surname='psaki')
    >>> name_key("Jen Psaki")
    NameKey(given='jen', surname='psaki')
    """
    if not label:
        return None
    words = [w.strip("-'’") for w in _words(fold(name_part(label)))]
    words = [w for w in words if w]
    while words and words[0] in TITLE_WORDS:
        words.pop(0)
    while words and words[-1] in SUFFIXES:
        words.pop()
    if not words or (len(words) == 1 and len(words[0]) < 2) or words[0] == "q":
        return None
    if any(w.isdigit() for w in words):
        return None
    if len(words) == 1:
        return NameKey(None, words[0])
    return NameKey(words[0], words[-1])


def given_compatible(a: str | None, b: str | None) -> bool:
    """Whether two given names may be the same person ("Jen"/"Jennifer", missing/any)."""
    if a is None or b is None:
        return True
    return a.startswith(b) or b.startswith(a)


def display_name(label: str) -> str:
    """A readable name from a label: honorifics and titles dropped, capitals title-cased.

    ``"MS. PSAKI"`` → ``"Psaki"``; ``"Jens Stoltenberg, Secretary General"`` → ``"Jens Stoltenberg"``.
    """
    words = name_part(label).split()
    while len(words) > 1 and fold(words[0]).strip(".") in TITLE_WORDS:
        words.pop(0)
    name = " ".join(words)
    return name.title() if name.isupper() else name


# -- which labels name a person --------------------------------------------------------------


@dataclass(frozen=True)
class LabelData:
    """Role labels and other non-name words from every language file, folded."""

    labels: dict[str, frozenset[str]]
    """Whole labels by kind (journalist, moderator, official, other): "Question", "答"."""
    openers: frozenset[str]
    """Words that open a sentence and never a name ("Or Reuters", "For President Lagarde")."""
    numbers: frozenset[str]
    """Number words that end an anonymous label ("Official One")."""
    abbreviations: frozenset[str]
    """Words that end with a period inside a name ("Mr. Smith")."""

    @property
    def all_labels(self) -> frozenset[str]:
        """Every role label, whatever its kind."""
        return frozenset().union(*self.labels.values())


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise StyleError(f"{where}: expected a list of strings; fix the [labels] table")
    return value


@cache
def label_data(lang_dir: Path = LANG_DIR) -> LabelData:
    """The ``[labels]`` tables of every ``*.toml`` in ``lang_dir``, merged across languages."""
    labels: dict[str, set[str]] = {k: set() for k in LABEL_KINDS}
    openers: set[str] = set()
    numbers: set[str] = set()
    abbreviations: set[str] = set()
    for path in sorted(lang_dir.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise StyleError(f"{path}: cannot read language file ({exc})") from None
        abbreviations.update(fold(a) for a in _strings(data.get("abbreviations", []), str(path)))
        table = data.get("labels", {})
        if not isinstance(table, dict):
            raise StyleError(f"{path}: 'labels' must be a table ([labels])")
        for kind in LABEL_KINDS:
            labels[kind].update(spelling_key(w) for w in _strings(table.get(kind, []), f"{path} labels.{kind}"))
        openers.update(spelling_key(w) for w in _strings(table.get("openers", []), f"{path} labels.openers"))
        numbers.update(spelling_key(w) for w in _strings(table.get("numbers", []), f"{path} labels.numbers"))
    return LabelData(
        {k: frozenset(v) for k, v in labels.items()}, frozenset(openers), frozenset(numbers), frozenset(abbreviations)
    )


def label_kind(label: str) -> str | None:
    """The kind of role label ``label`` is (``"journalist"`` for "Q:"), or ``None``."""
    key = spelling_key(name_part(label)).rstrip(".:：")
    return next((k for k, words in label_data().labels.items() if key in words), None)


@lru_cache(maxsize=64)
def _folded_outlets(outlets: frozenset[str]) -> frozenset[str]:
    return frozenset(k for o in outlets for k in outlet_keys(o) if k)


def _sentence_inside(text: str, abbreviations: frozenset[str]) -> bool:
    """Whether ``text`` holds sentence punctuation: "?", "。", or a period after a long word."""
    if _SENTENCE_MARKS.search(text):
        return True
    for m in _PERIOD_INSIDE.finditer(text):
        word = fold(m.group(1))
        if len(word) > 3 and word not in abbreviations and word not in TITLE_WORDS:
            return True
    return False


def _unspaced_phrase(word: str) -> bool:
    """A long run of letters with no Latin ones: a phrase in a script written without spaces."""
    return len(word) > MAX_UNSPACED_CHARS and not any(_is_latin(c) for c in word if c.isalpha())


def _without_titles(words: list[str]) -> list[str]:
    """``words`` without leading title words; the title words themselves if that is all."""
    n = 0
    while n < len(words) and words[n].strip(".") in TITLE_WORDS:
        n += 1
    return words[n:] or words


def is_person_name(name: str, outlets: Collection[str] | None = None) -> bool:
    """Whether ``name`` (a name or a raw speaker label) can name one person.

    False for role labels in any language ("Q", "Pregunta", "答"), sentence fragments
    ("NAFTA. Question", "Or Reuters"), text with digits or too many words, and, when
    ``outlets`` (names or abbreviations) is given, a bare outlet ("AFP", "the Paper").
    A single surname ("Duisenberg") and names in any script ("陆慷") are accepted.
    """
    text = name_part(name).strip().rstrip(".").strip()
    if len(text) < 2 or any(unicodedata.category(c) == "Nd" for c in text):
        return False
    data = label_data()
    key = spelling_key(text)
    if key in data.all_labels:
        return False
    words = key.split()
    named = _without_titles(words)  # "Minister for Health" opens with "for" once the title goes
    if len(words) > MAX_NAME_WORDS or not named or named[0] in data.openers or words[-1] in data.numbers:
        return False
    if any(_unspaced_phrase(w) for w in words) or _sentence_inside(text, data.abbreviations):
        return False
    if not any(unicodedata.category(c)[0] == "L" for c in text):
        return False
    if outlets:
        known = _folded_outlets(outlets if isinstance(outlets, frozenset) else frozenset(outlets))
        if any(k in known for k in outlet_keys(text)):
            return False
    return True
