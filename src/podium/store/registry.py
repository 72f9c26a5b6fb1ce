"""Person and outlet names: turn the many ways a transcript prints a name into one key.

The same press secretary appears as "MS. PSAKI", "Jen Psaki" and "Press Secretary Psaki";
the same newspaper as "SDZ" and "Süddeutsche Zeitung". The store resolves each participant
to one row of ``persons`` and each outlet to one row of ``outlets``; this module holds the
pure, database-free part of that: splitting a label into (given name, surname) after
dropping honorifics and titles, and making stable slugs. Which person a key resolves to
depends on who is already stored, so that decision lives with the store (``_base.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True)
class NameKey:
    """A name reduced for matching: ``given`` may be ``None`` ("MS. PSAKI" has none)."""

    given: str | None
    surname: str

    @property
    def full(self) -> str:
        """The key as one string, e.g. ``"jen psaki"`` or ``"psaki"``."""
        return f"{self.given} {self.surname}" if self.given else self.surname


def fold(text: str) -> str:
    """Lower case without accents, so "Lopez" and "López" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def outlet_keys(text: str) -> tuple[str, str]:
    """The alias key of an outlet name, and the same with or without a leading "the".

    Transcripts print "the Washington Post" and "Washington Post" for one paper; both keys
    are looked up so either form finds the outlet, in new and in existing stores alike.
    """
    key = fold(text).strip()
    return (key, key[4:].strip()) if key.startswith("the ") else (key, f"the {key}")


def slugify(text: str) -> str:
    """A URL-safe id: folded words joined by hyphens (``"Jen Psaki"`` → ``"jen-psaki"``)."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text))) or "unnamed"


def _name_part(label: str) -> str:
    """The name inside a raw label: drop "(Outlet)", ", Title" and a trailing colon."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", label)
    text = text.split(",")[0]
    return text.strip().rstrip(":").strip()


def name_key(label: str | None) -> NameKey | None:
    """The ``NameKey`` of a name or raw speaker label, or ``None`` when no name is left.

    >>> name_key("Press Secretary Psaki")
    NameKey(given=None, surname='psaki')
    >>> name_key("Jen Psaki")
    NameKey(given='jen', surname='psaki')
    """
    if not label:
        return None
    words = re.findall(r"[\w'’-]+", fold(_name_part(label)))
    words = [w.strip("-'’") for w in words]
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
    words = _name_part(label).split()
    while len(words) > 1 and fold(words[0]).strip(".") in TITLE_WORDS:
        words.pop(0)
    name = " ".join(words)
    return name.title() if name.isupper() else name
