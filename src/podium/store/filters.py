"""Search and listing filters: one checked object shared by the CLI, the API and the web.

Values are validated here, once, so a typo such as ``--kind questoin`` or
``--since 2019-13-01`` is a one-line ``UsageError`` naming the valid choices, and every
value reaches SQL as a bound parameter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any, get_args

from podium.errors import UsageError
from podium.model import ClarityLabel, EvasionLabel, Role, TurnKind
from podium.names import fold, outlet_keys

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


@dataclass(frozen=True)
class Filters:
    """Which turns a search or listing may return; ``None`` means no restriction.

    ``speaker`` and ``outlet`` match any alias, case- and accent-insensitively
    ("psaki" finds "MS. PSAKI" and "Jen Psaki"); ``org`` and ``principal`` (the event's main
    speaker) match exactly but ignoring case; ``since``/``until`` are inclusive ISO date prefixes.
    """

    speaker: str | None = None
    role: str | None = None
    outlet: str | None = None
    org: str | None = None
    principal: str | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    clarity: str | None = None
    evasion: str | None = None
    transcript_id: str | None = None

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
