"""Search and listing filters: one checked object shared by the CLI, the API and the web.

Values are validated here, once, so a typo such as ``--kind questoin`` or
``--since 2019-13-01`` is a one-line ``UsageError`` naming the valid choices, and every
value reaches SQL as a bound parameter.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar, get_args

from podium.errors import UsageError
from podium.model import ClarityLabel, EvasionLabel, Role, TurnKind
from podium.names import fold, outlet_keys

R = TypeVar("R")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _date(value: str | None, name: str, *, end: bool) -> str | None:
    """An ISO date prefix widened to a bound: until 2019 means up to 2019-12-31."""
    if value is None:
        return None
    if not _DATE.match(value):
        raise UsageError(f"--{name} {value!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")
    parts = value.split("-")
    if len(parts) > 1 and not 1 <= int(parts[1]) <= 12:
        raise UsageError(f"--{name} {value!r}: month must be 01-12")
    if len(parts) > 2 and not 1 <= int(parts[2]) <= 31:
        raise UsageError(f"--{name} {value!r}: day must be 01-31")
    if len(parts) > 2:
        try:
            dt.date(*map(int, parts))
        except ValueError:
            raise UsageError(f"--{name} {value!r}: no such date (that month has fewer days)") from None
    pad = ["12", "31"] if end else ["01", "01"]
    return "-".join(parts + pad[len(parts) - 1 :])


def like_contains(text: str) -> str:
    """A ``LIKE`` pattern matching ``text`` anywhere, its own ``%``, ``_`` and ``\\`` taken
    literally: use it with ``LIKE ? ESCAPE '\\'`` (SQLite and PostgreSQL alike), so a search
    for ``%`` finds a percent sign instead of everything."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


LIKE_ESCAPE = "ESCAPE '\\'"
"""The clause that goes with :func:`like_contains`."""


def _choice(value: str | None, name: str, allowed: Any) -> str | None:
    choices = get_args(allowed)
    if value is not None and value not in choices:
        raise UsageError(f"--{name} {value!r}: choose one of {', '.join(choices)}")
    return value


def _declare(label: str, help: str) -> Any:
    """A filter field with the words people see: ``label`` on chips and facets, ``help`` in
    ``--help`` and the API reference. Both the CLI options and the web parameters are made from
    these declarations (``FilterSpec``), so a new filter appears everywhere at once."""
    return field(default=None, metadata={"label": label, "help": help})


@dataclass(frozen=True)
class FilterSpec:
    """One declared filter: its name (``--name`` on the CLI, ``?name=`` on the web) and words."""

    name: str
    label: str
    help: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filters:
    """Which turns a search or listing may return; ``None`` means no restriction.

    ``speaker`` and ``outlet`` match any alias, case- and accent-insensitively
    ("psaki" finds "MS. PSAKI" and "Jen Psaki"); ``org`` and ``principal`` (the event's main
    speaker) match exactly but ignoring case; ``since``/``until`` are inclusive ISO date prefixes.
    """

    speaker: str | None = _declare("Speaker", "Speaker name or alias (e.g. psaki).")
    role: str | None = _declare("Speaker role", "principal, moderator, journalist, official, unknown.")
    outlet: str | None = _declare("Outlet", "Outlet name or abbreviation (e.g. SDZ).")
    org: str | None = _declare("Organisation", "Organisation, e.g. NATO.")
    principal: str | None = _declare("Principal", "The event's main speaker, e.g. 'Jens Stoltenberg'.")
    since: str | None = _declare("From", "From this date (YYYY[-MM[-DD]]).")
    until: str | None = _declare("Until", "Up to this date, inclusive (YYYY[-MM[-DD]]).")
    kind: str | None = _declare("Turn kind", "question, answer, statement, moderation, closing, other.")
    clarity: str | None = _declare("Answer clarity", "clear_reply, ambivalent or clear_non_reply.")
    evasion: str | None = _declare("Evasion", "An evasion label, e.g. dodging.")
    transcript_id: str | None = _declare("Transcript", "Only this transcript (its id).")

    @classmethod
    def of(cls, **values: Any) -> Filters:
        """Build and validate from keyword arguments (unknown names are a ``UsageError``)."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise UsageError(f"unknown filter {sorted(unknown)[0]!r}; use one of {', '.join(sorted(known))}")
        for k, v in values.items():
            if isinstance(v, str) and not v.strip():  # "--since ''" must not mean "no filter"
                raise UsageError(f"--{k.replace('_', '-')} is empty; give a value or leave the option out")
        f = cls(**{k: v for k, v in values.items() if v is not None})
        _choice(f.role, "role", Role)
        _choice(f.kind, "kind", TurnKind)
        _choice(f.clarity, "clarity", ClarityLabel)
        _choice(f.evasion, "evasion", EvasionLabel)
        since, until = _date(f.since, "since", end=False), _date(f.until, "until", end=True)
        if since and until and since > until:
            raise UsageError(f"--since {f.since} is after --until {f.until}")
        return cls(**{**f.__dict__, "since": since, "until": until})

    @classmethod
    def specs(cls) -> list[FilterSpec]:
        """Every filter, in declaration order: the one list CLI options and web parameters use."""
        choices = {"role": Role, "kind": TurnKind, "clarity": ClarityLabel, "evasion": EvasionLabel}
        return [
            FilterSpec(f.name, f.metadata["label"], f.metadata["help"],
                       tuple(get_args(choices[f.name])) if f.name in choices else ())
            for f in fields(cls)
        ]

    def active(self) -> dict[str, str]:
        """The filters that are set, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    def is_empty(self) -> bool:
        """True when nothing is restricted."""
        return all(getattr(self, f.name) is None for f in fields(self))

    def labels(self) -> list[tuple[str, str]]:
        """``(questions column, value)`` of the label filters that are set."""
        pairs = (("clarity_label", self.clarity), ("evasion_label", self.evasion))
        return [(column, value) for column, value in pairs if value]

    def speaker_ids_sql(self) -> tuple[str, list[Any]]:
        """A query for the ids of the persons ``speaker`` names (any alias, or the id itself)."""
        return (
            f"SELECT person_id FROM person_aliases WHERE alias_key LIKE ? {LIKE_ESCAPE}"
            " UNION SELECT person_id FROM persons WHERE person_id = ?",
            [like_contains(fold(self.speaker or "")), self.speaker],
        )

    def outlet_ids_sql(self) -> tuple[str, list[Any]]:
        """A query for the ids of the outlets ``outlet`` names (any written form, or the id)."""
        return (
            "SELECT outlet_id FROM outlet_aliases WHERE alias_key IN (?, ?)"
            " UNION SELECT outlet_id FROM outlets WHERE outlet_id = ?",
            [*outlet_keys(self.outlet or ""), self.outlet],
        )

    def sql(self, *, listing: bool = False) -> tuple[str, list[Any]]:
        """A WHERE fragment over ``turns t JOIN transcripts d`` and its parameters.

        A label filter probes the questions of each turn the rest of the query reaches, which
        suits a text match or a few known turns. ``listing=True`` lists the label's turns once
        instead, starting from the labelled questions: the way to enumerate a rare label's turns
        (at 10^6 turns, 36 ms instead of 660 ms for a label on 5,000 questions), but a cost of
        ~90 ms per use for a common one whatever else narrows the query.
        """
        where: list[str] = []
        params: list[Any] = []
        if self.speaker:
            sub, sub_params = self.speaker_ids_sql()
            where.append(f"t.person_id IN ({sub})")
            params += sub_params
        if self.role:
            where.append("t.speaker_role = ?")
            params.append(self.role)
        if self.outlet:
            sub, sub_params = self.outlet_ids_sql()
            where.append(f"t.outlet_id IN ({sub})")
            params += sub_params
        if self.org:
            where.append("lower(d.organisation) = ?")
            params.append(self.org.lower())
        if self.principal:
            where.append("lower(d.principal) = ?")
            params.append(self.principal.lower())
        if self.since:
            where.append("d.event_date >= ?")
            params.append(self.since)
        if self.until:
            where.append("d.event_date <= ?")
            params.append(self.until)
        if self.kind:
            where.append("t.kind = ?")
            params.append(self.kind)
        for column, value in self.labels():
            where.append(
                "EXISTS (SELECT 1 FROM questions q WHERE q.transcript_id = t.transcript_id"
                f" AND q.exchange_index = t.exchange_index AND q.{column} = ?)"
                if not listing else
                "t.turn_id IN (SELECT lt.turn_id FROM questions q JOIN turns lt"
                " ON lt.transcript_id = q.transcript_id AND lt.exchange_index = q.exchange_index"
                f" WHERE q.{column} = ?)"
            )
            params.append(value)
        if self.transcript_id:
            where.append("t.transcript_id = ?")
            params.append(self.transcript_id)
        return (" AND ".join(where) or "1=1"), params


def with_filter_parameters(
    declare: Callable[[FilterSpec], Any], *, skip: tuple[str, ...] = ()
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Give a function one keyword parameter per declared filter, typed by ``declare(spec)``.

    The CLI (typer options) and the web (FastAPI query parameters) read parameters from a
    function's signature; this adds the filters to it from ``Filters.specs()``, so neither
    lists them by hand. The wrapped function receives them as a ``filters`` dict of the values
    given. ``skip`` leaves some out (e.g. a filter a command sets itself).
    """

    def wrap(func: Callable[..., R]) -> Callable[..., R]:
        specs = [s for s in Filters.specs() if s.name not in skip]
        names = {s.name for s in specs}

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> R:
            filters = {k: kwargs.pop(k) for k in list(kwargs) if k in names}
            return func(*args, filters={k: v for k, v in filters.items() if v is not None}, **kwargs)

        own = [p for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "filters"]
        extra = [inspect.Parameter(s.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=declare(s))
                 for s in specs]
        positional = [p for p in own if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        keyword = [p for p in own if p.kind is inspect.Parameter.KEYWORD_ONLY]
        wrapper.__signature__ = inspect.Signature([*positional, *keyword, *extra])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in [*own, *extra]}
        return wrapper

    return wrap
