"""House styles as data: loading, inheritance, the registry and automatic detection.

A style is a TOML file (see ``styles/base.toml`` for every key, documented in place). Styles
form a chain through ``extends``; a child's lists are appended to its parent's and its
tables merged over them, so a new institution file only states what is different.
Built-in styles live in ``podium/parse/styles``; users add theirs with ``--style FILE`` or
a folder on ``PODIUM_STYLE_PATH`` (``os.pathsep``-separated).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from podium.errors import StyleError
from podium.parse import _prefilter
from podium.parse.style_schema import validate

BUILTIN_DIR = Path(__file__).parent / "styles"
LANG_DIR = Path(__file__).parent / "lang"

_FLAGS = re.IGNORECASE | re.MULTILINE


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child over parent: tables merge recursively, lists concatenate, scalars replace."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list) and key != "patterns":
            out[key] = [*out[key], *value]
        else:
            out[key] = value
    return out


def _search_dirs() -> list[Path]:
    extra = os.environ.get("PODIUM_STYLE_PATH", "")
    return [Path(p) for p in extra.split(os.pathsep) if p] + [BUILTIN_DIR]


def _read_toml(path: Path, kind: Literal["style", "lang"] = "style") -> dict[str, Any]:
    """The file's tables, checked against its schema (``style_schema``) so typos are errors."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise StyleError(f"{path}: cannot read style file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise StyleError(f"{path}: not valid TOML ({exc}); fix the file") from None
    return validate(data, path, kind)


@cache
def _raw_styles() -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every style file on the search path by its ``name`` (earlier folders win)."""
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for folder in _search_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            data = _read_toml(path)
            name = data.get("name")
            if not isinstance(name, str):
                raise StyleError(f"{path}: a style needs a string 'name' such as 'acme.v1'")
            found.setdefault(name, (path, data))
    return found


def _resolve(data: dict[str, Any], where: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    parent_name = data.get("extends")
    if parent_name is None:
        return data
    if parent_name in seen:
        raise StyleError(f"{where}: 'extends' forms a loop through {parent_name!r}")
    styles = _raw_styles()
    if parent_name not in styles:
        raise StyleError(
            f"{where}: extends unknown style {parent_name!r}; known: {', '.join(sorted(styles))}"
        )
    ppath, pdata = styles[parent_name]
    merged_parent = _resolve(pdata, ppath, (*seen, parent_name))
    return _merge(merged_parent, data)


def _flex_spaces(pattern: str) -> str:
    """A literal space outside a character class becomes ``\\s+``: transcripts are hard-wrapped
    ("do\\nyou want to take that"), so a phrase may break across lines anywhere."""
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(ch)
    return "".join(out)


def _compile(pattern: str, where: str, flags: int = _FLAGS) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise StyleError(f"{where}: bad regular expression {pattern!r} ({exc})") from None


@cache
def lang_files() -> dict[str, dict[str, Any]]:
    """Every ``lang/*.toml``'s validated tables by language code: the one reader of them for
    the data that applies whatever the document's language (months, event words, labels)."""
    return {path.stem: _read_toml(path, "lang") for path in sorted(LANG_DIR.glob("*.toml"))}


@dataclass(frozen=True)
class Language:
    """Language data used to split sentences and recognise questions."""

    code: str
    abbreviations: frozenset[str]
    lead_in: re.Pattern[str]
    interrogative: tuple[re.Pattern[str], ...]
    indirect: tuple[re.Pattern[str], ...]
    phatic: tuple[re.Pattern[str], ...]
    continuation: tuple[re.Pattern[str], ...]


@cache
def language(code: str) -> Language:
    """The language data for ``code``; English when Podium has none for it."""
    path = LANG_DIR / f"{code}.toml"
    if not path.exists():
        path = LANG_DIR / "en.toml"
        code = "en"
    data = _read_toml(path, "lang")
    where = str(path)
    return Language(
        code=code,
        abbreviations=frozenset(a.lower() for a in data.get("abbreviations", [])),
        # Sentence-start patterns: "^" is the start of the sentence, never of a wrapped line.
        lead_in=_compile(_flex_spaces(data.get("lead_in", "^$")), where, re.IGNORECASE),
        interrogative=tuple(_compile("^" + _flex_spaces(p), where, re.IGNORECASE) for p in data.get("interrogative", [])),
        indirect=tuple(_compile("^" + _flex_spaces(p), where, re.IGNORECASE) for p in data.get("indirect", [])),
        phatic=tuple(_compile("^" + _flex_spaces(p), where, re.IGNORECASE) for p in data.get("phatic", [])),
        continuation=tuple(_compile("^" + _flex_spaces(p), where, re.IGNORECASE) for p in data.get("continuation", [])),
    )


@dataclass(frozen=True)
class Style:
    """A resolved house style: every regex compiled, every list merged down the chain."""

    name: str
    path: Path | None
    organisation: str | None
    language: str
    detect: tuple[tuple[re.Pattern[str], float], ...]
    min_score: float
    date_line: re.Pattern[str]
    last_updated: re.Pattern[str]
    delivery: tuple[tuple[re.Pattern[str], str], ...]
    event_types: tuple[tuple[re.Pattern[str], str], ...]
    name_pattern: str
    label_patterns: tuple[re.Pattern[str], ...]
    journalist_labels: frozenset[str]
    moderator_labels: frozenset[str]
    handoff: tuple[re.Pattern[str], ...]
    closing: tuple[re.Pattern[str], ...]
    in_room: tuple[re.Pattern[str], ...]
    remote: tuple[re.Pattern[str], ...]
    principal_patterns: tuple[re.Pattern[str], ...]
    outlets: dict[str, str] = field(default_factory=dict)
    bare_labels: tuple[re.Pattern[str], ...] = ()
    official_labels: frozenset[str] = frozenset()
    other_labels: frozenset[str] = frozenset()
    principal_labels: frozenset[str] = frozenset()
    captions: tuple[re.Pattern[str], ...] = ()
    offices: tuple[tuple[re.Pattern[str], tuple[re.Pattern[str], ...]], ...] = ()
    people: dict[str, str] = field(default_factory=dict)
    self_intro: tuple[re.Pattern[str], ...] = ()
    handoff_intro: tuple[re.Pattern[str], ...] = ()
    statement_only: tuple[re.Pattern[str], ...] = ()
    name_stopwords: frozenset[str] = frozenset()
    body_after: tuple[re.Pattern[str], ...] = ()
    label_notes: re.Pattern[str] | None = None
    redirect: tuple[re.Pattern[str], ...] = ()
    month_first: bool = False
    event_date: tuple[re.Pattern[str], ...] = ()
    holders: tuple[tuple[re.Pattern[str], str, str, str], ...] = ()
    title_words: tuple[str, ...] = ()
    evidence: tuple[re.Pattern[str], ...] = ()

    def claims(self, text: str) -> bool:
        """Whether ``text`` (a document's header) names this style's institution.

        Shape cues (label forms, time stamps) choose how a transcript is parsed, but many
        institutions share them; ``[detect] evidence`` patterns name the institution itself
        and alone let the style set ``organisation``. A style without any keeps the old rule.
        """
        folded = _prefilter.fold(text)
        return not self.evidence or any(_prefilter.search(rx, text, folded) for rx in self.evidence)

    def score(self, text: str, folded: str | None = None) -> float:
        """How strongly ``text`` looks like this house style (sum of detect weights).

        ``folded`` is ``_prefilter.fold(text)``, computed once when many styles score one text."""
        folded = _prefilter.fold(text) if folded is None else folded
        return sum(w for rx, w in self.detect if _prefilter.search(rx, text, folded))

    @property
    def lang(self) -> Language:
        return language(self.language)


def _name_pattern(names: dict[str, Any]) -> str:
    token = names.get("token", r"[A-Z][\w'.-]*")
    particles = "|".join(re.escape(p) for p in names.get("particles", []))
    part = f"(?:{token}|(?:{particles}))" if particles else token
    lo = max(int(names.get("min_tokens", 1)) - 1, 0)
    hi = max(int(names.get("max_tokens", 5)) - 1, lo)
    return f"{token}(?:[^\\S\\n]+{part}){{{lo},{hi}}}"


def _title_pattern(words: list[str]) -> str:
    """An office as printed before a name: "NATO Spokesperson", "President of Russia"."""
    if not words:
        return r"(?!x)x"
    word = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    lead = r"(?:[A-Z]{2,}[^\S\n]+)?"
    # "of the Republic of Turkey": each "of"/"for" takes the fewest capitalised words it can.
    place = r"(?:[^\S\n]+(?:of|for)(?:[^\S\n]+the)?(?:[^\S\n]+[A-Z][\w’'-]*)+?)*"
    return f"{lead}(?:{word})(?:[^\\S\\n]+(?:{word}))*{place}"


def build(data: dict[str, Any], path: Path | None) -> Style:
    """Compile a resolved style dictionary into a ``Style`` (raises ``StyleError``)."""
    where = str(path) if path else data.get("name", "<style>")
    name_rx = _name_pattern(data.get("names", {}))
    title_rx = _title_pattern(data.get("names", {}).get("title_words", []))
    outlet_word_rx = data.get("names", {}).get("outlet_word", r"[A-Z][\w&'-]*")
    intro = data.get("introductions", {})
    header = data.get("header", {})
    labels = data.get("labels", {})
    moderation = data.get("moderation", {})
    channel = data.get("channel", {})

    def many(items: list[str], flags: int = _FLAGS, flex: bool = False) -> tuple[re.Pattern[str], ...]:
        return tuple(
            _compile((_flex_spaces(p) if flex else p).replace("{NAME}", name_rx).replace("{TITLE}", title_rx)
                     .replace("{OUTLET_WORD}", outlet_word_rx), where, flags)
            for p in items
        )

    try:
        return Style(
            name=data["name"],
            path=path,
            organisation=data.get("organisation"),
            language=data.get("language", "en"),
            detect=tuple((_compile(p, where), float(w)) for p, w in data.get("detect", {}).get("patterns", [])),
            min_score=float(data.get("detect", {}).get("min_score", DEFAULT_MIN_SCORE)),
            evidence=tuple(_compile(p, where) for p in data.get("detect", {}).get("evidence", [])),
            date_line=_compile(header.get("date_line", r"^\s*[•·]\s*"), where),
            last_updated=_compile(header.get("last_updated", r"Last updated:?\s*"), where),
            delivery=tuple(
                (_compile(p, where), kind)
                for kind, pats in header.get("delivery", {}).items()
                for p in pats
            ),
            event_types=tuple((_compile(p, where), kind) for p, kind in header.get("event_types", [])),
            name_pattern=name_rx,
            label_patterns=many(labels.get("patterns", []), 0),
            journalist_labels=frozenset(x.lower() for x in labels.get("journalist", [])),
            moderator_labels=frozenset(x.lower() for x in labels.get("moderator", [])),
            handoff=many(moderation.get("handoff", []), flex=True),
            closing=many(moderation.get("closing", []), flex=True),
            in_room=many(channel.get("in_room", []), flex=True),
            remote=many(channel.get("remote", []), flex=True),
            principal_patterns=many(data.get("principal", {}).get("title_patterns", []), 0),
            outlets=dict(data.get("outlets", {})),
            bare_labels=many(labels.get("bare", []), 0),
            official_labels=frozenset(x.lower() for x in labels.get("official", [])),
            other_labels=frozenset(x.lower() for x in labels.get("other", [])),
            principal_labels=frozenset(x.lower() for x in labels.get("principal", [])),
            captions=many(header.get("captions", []), 0),
            offices=tuple(
                (_compile(f"(?:{label})", where), many(list(pats), 0))
                for label, pats in data.get("offices", {}).items()
            ),
            people=dict(data.get("people", {})),
            self_intro=many(intro.get("self", []), 0, flex=True),
            handoff_intro=many(intro.get("handoff", []), 0, flex=True),
            statement_only=many(header.get("statement_only", [])),
            body_after=many(header.get("body_after", []), re.MULTILINE),
            redirect=many(moderation.get("redirect", []), flex=True),
            month_first=bool(data.get("dates", {}).get("month_first", False)),
            event_date=many(header.get("event_date", []), re.MULTILINE),
            label_notes=_compile("|".join(f"(?:{p})" for p in labels["notes"]), where) if labels.get("notes") else None,
            holders=tuple(
                (_compile(f"(?:{h['office']})", where), str(h["name"]), str(h.get("from", "")), str(h.get("to", "9999")))
                for h in data.get("holders", [])
            ),
            name_stopwords=frozenset(x.lower() for x in data.get("names", {}).get("stopwords", [])),
            title_words=tuple(data.get("names", {}).get("title_words", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StyleError(f"{where}: malformed style ({exc!r}); compare with styles/base.toml") from None


@cache
def get(name: str) -> Style:
    """The style registered as ``name`` (e.g. ``nato.v1``)."""
    styles = _raw_styles()
    if name not in styles:
        raise StyleError(f"unknown style {name!r}; known: {', '.join(sorted(styles))}")
    path, data = styles[name]
    return build(_resolve(data, path, (name,)), path)


def load(path: str | os.PathLike[str]) -> Style:
    """Load a user's style file (it may ``extends`` any registered style)."""
    p = Path(path)
    data = _read_toml(p)
    if "name" not in data:
        data["name"] = p.stem
    return build(_resolve(data, p, (data["name"],)), p)


def names() -> list[str]:
    """Names of every style on the search path."""
    return sorted(_raw_styles())


DEFAULT_MIN_SCORE = 2.0
"""A style is only detected at this score or above: one weak cue ("Last updated") is not enough
to claim a transcript for an institution (set ``[detect] min_score`` in a style to change it)."""


def detect(text: str) -> Style:
    """The registered style whose detect patterns score highest on ``text`` (base if none).

    Styles scoring under their ``min_score`` are not considered, nor styles whose evidence the
    text lacks, so a transcript from an institution Podium has no style for is parsed with
    ``base.v1`` and no organisation.
    """
    head = text[:5000]
    folded = _prefilter.fold(head)
    best, best_score = get("base.v1"), 0.0
    for name in names():
        style = get(name)
        s = style.score(head, folded)
        # Shape cues alone ("A:" / "Q:") are shared by many institutions: a style that can
        # name its institution (``[detect] evidence``) applies only where the text does.
        if s > best_score and s >= style.min_score and style.claims(head):
            best, best_score = style, s
    return best
