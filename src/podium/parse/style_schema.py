"""The shape of house-style and language TOML files, checked before anything is compiled.

A misspelled key (``[labels] patern = [...]``) used to be ignored silently and the style
quietly lost its patterns; here every table forbids unknown keys, so the mistake is a
one-line ``StyleError`` naming the file, the key path and the keys allowed there.
One field per key: adding a key to a style means one line in the matching table below
(and its documentation in ``styles/base.toml``). Validation only checks; the loader keeps
working on the plain dictionary, so ``style.py`` reads keys exactly as before.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from podium.errors import StyleError

Regex = str
"""A Python ``re`` pattern (compiled, and so checked, by ``style.build``)."""

Regexes = list[Regex]
Words = list[str]
# TOML arrays arrive as lists; a pair such as ``['Harbour Council', 5]`` is read as a tuple.
_Pair = Annotated[tuple[Regex, float], Field(strict=False)]
_Kind = Annotated[tuple[Regex, str], Field(strict=False)]


class _Table(BaseModel):
    """Every table: unknown keys are errors, and TOML types are taken as written."""

    model_config = ConfigDict(extra="forbid", strict=True)


# ---- house styles (styles/*.toml) ----------------------------------------------------------


class Detect(_Table):
    patterns: list[_Pair] = []
    min_score: float = 2
    evidence: Regexes = []


class Header(_Table):
    date_line: Regex = ""
    last_updated: Regex = ""
    delivery: dict[str, Regexes] = {}
    event_types: list[_Kind] = []
    captions: Regexes = []
    statement_only: Regexes = []
    body_after: Regexes = []
    event_date: Regexes = []


class Labels(_Table):
    patterns: Regexes = []
    journalist: Words = []
    moderator: Words = []
    official: Words = []
    other: Words = []
    principal: Words = []
    bare: Regexes = []
    notes: Regexes = []


class Names(_Table):
    token: Regex = ""
    outlet_word: Regex = ""
    particles: Words = []
    min_tokens: int = 1
    max_tokens: int = 5
    title_words: Words = []
    stopwords: Words = []


class Introductions(_Table):
    self_: Regexes = Field(default=[], alias="self")
    handoff: Regexes = []


class Moderation(_Table):
    handoff: Regexes = []
    redirect: Regexes = []
    closing: Regexes = []


class Channel(_Table):
    in_room: Regexes = []
    remote: Regexes = []


class Principal(_Table):
    title_patterns: Regexes = []


class Dates(_Table):
    month_first: bool = False


class Holder(_Table):
    office: Regex
    name: str
    from_: str = Field(default="", alias="from")
    to: str = "9999"


class StyleFile(_Table):
    """One style file as written (before ``extends`` merges it with its parent)."""

    name: str | None = None
    extends: str | None = None
    organisation: str | None = None
    language: str = "en"
    detect: Detect = Detect()
    header: Header = Header()
    labels: Labels = Labels()
    names: Names = Names()
    offices: dict[Regex, Regexes] = {}
    people: dict[str, str] = {}
    introductions: Introductions = Introductions()
    moderation: Moderation = Moderation()
    channel: Channel = Channel()
    outlets: dict[str, str] = {}
    principal: Principal = Principal()
    dates: Dates = Dates()
    holders: list[Holder] = []


# ---- languages (lang/*.toml) ---------------------------------------------------------------


class LangLabels(_Table):
    journalist: Words = []
    moderator: Words = []
    official: Words = []
    answer: Words = []
    other: Words = []
    openers: Words = []
    numbers: Words = []


class LangSpeakers(_Table):
    """How speaker labels are built (parse/labels.py)."""

    sentence_openers: Words = []
    articles: Words = []
    interjections: Words = []
    honorifics: Words = []
    addressed: Words = []
    offices: Words = []
    ranks: Words = []
    anonymous: Words = []
    followup: Words = []
    double_surnames: bool = False


class LangIntroductions(_Table):
    """How askers introduce themselves and are handed the floor (parse/introductions.py)."""

    lead: Words = []
    via: Words = []
    handoff: Words = []
    handoff_after: Words = []
    outlet_words: Words = []
    reporter: Words = []


class LangDates(_Table):
    """How dates print their months (parse/_dates.py): name or abbreviation → month number."""

    months: dict[str, int] = {}


class LangEvents(_Table):
    """What titles call each event type in this language (parse/header.py): regexes."""

    joint_press_conference: Regexes = []
    press_conference: Regexes = []
    briefing: Regexes = []
    doorstep: Regexes = []
    interview: Regexes = []
    speech: Regexes = []


class LangOrganisations(_Table):
    """How a header names its institution on a line of its own (parse/header.py)."""

    nouns: Words = []
    byline: Words = []
    byline_titles: Words = []
    joiner: Words = []


class LangThreads(_Table):
    """What a question turn says besides its question (analyze/thread_text.py): words that
    carry no subject, and courtesies ("Good afternoon", "Thank you, sir")."""

    stop_words: Words = []
    courtesies: Words = []


class LangFile(_Table):
    """One language file: sentence splitting, question openers, detection words, labels."""

    function_words: Words = []
    abbreviations: Words = []
    lead_in: Regex = "^$"
    interrogative: Regexes = []
    indirect: Regexes = []
    phatic: Regexes = []
    continuation: Regexes = []
    labels: LangLabels = LangLabels()
    speakers: LangSpeakers = LangSpeakers()
    introductions: LangIntroductions = LangIntroductions()
    dates: LangDates = LangDates()
    events: LangEvents = LangEvents()
    organisations: LangOrganisations = LangOrganisations()
    threads: LangThreads = LangThreads()


SCHEMAS: dict[str, type[_Table]] = {"style": StyleFile, "lang": LangFile}


# ---- one-line errors -----------------------------------------------------------------------


def _key_path(loc: tuple[int | str, ...]) -> str:
    """``('holders', 0, 'nam')`` -> ``holders[0].nam``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _submodel(annotation: Any) -> type[_Table] | None:
    """The table model inside a field's type (``Labels``, ``list[Holder]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, _Table):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType, list, Annotated):
        for arg in typing.get_args(annotation):
            found = _submodel(arg)
            if found is not None:
                return found
    return None


def _keys(model: type[_Table]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _table_at(model: type[_Table], loc: tuple[int | str, ...]) -> type[_Table] | None:
    """The table model that ``loc`` (a path to a table) points into."""
    current: type[_Table] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        current = _submodel(field.annotation) if field else None
    return current


def _describe(model: type[_Table], err: Any) -> str:
    loc = tuple(err["loc"])
    where = _key_path(loc)
    if err["type"] == "extra_forbidden":
        table = _table_at(model, loc[:-1])
        allowed = ", ".join(_keys(table)) if table else "none"
        table_loc = loc[:-1]
        if table_loc and isinstance(table_loc[-1], int):  # an array of tables: [[holders]]
            scope = f"[[{_key_path(table_loc[:-1])}]]"
        else:
            scope = f"[{_key_path(table_loc)}]" if table_loc else "the top level"
        return f"unknown key '{where}'; allowed in {scope}: {allowed}"
    got = type(err.get("input")).__name__
    return f"{where or 'file'}: {err['msg'].lower()} (got {got})"


def validate(data: dict[str, Any], path: Path | str, kind: Literal["style", "lang"] = "style") -> dict[str, Any]:
    """``data`` unchanged if it fits the ``kind`` schema; else a one-line ``StyleError``."""
    model = SCHEMAS[kind]
    try:
        model.model_validate(data)
    except ValidationError as exc:
        # A misspelt key is the likeliest mistake and explains later ones: report it first.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        hint = "every key is documented in styles/base.toml" if kind == "style" else "compare with lang/en.toml"
        raise StyleError(f"{path}: {_describe(model, errors[0])}{more}; {hint}") from None
    return data
