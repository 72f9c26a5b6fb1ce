"""How clean a store's person registry is: who the exchanges are credited to.

    PYTHONPATH=src .venv/bin/python benchmarks/registry_report.py --db corpus.db [--top 15]

Prints the number of persons, how many exchanges name an asker person, the share of those
credited to something that is no person by ``podium.names.is_person_name`` (role labels,
sentence fragments, outlets), persons whose id starts with ``unnamed`` (names the old slugs
could not spell), and the top persons by exchanges with the predicate's verdict beside each,
so the verdict can be checked by eye. Reads a SQLite store only; opens it read-only.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from podium.names import is_person_name

MIN_OUTLET_USES = 3
"""An outlet counts as known for the verdict when this many participants carry it: outlet
detection sometimes takes a one-off name ("Phil") for an outlet."""


def _connect(db: str) -> sqlite3.Connection:
    if not Path(db).is_file():
        sys.exit(f"error: {db}: no such store file; create it with `podium ingest ... --db {db}`")
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def known_outlets(con: sqlite3.Connection) -> frozenset[str]:
    """Names and abbreviations of outlets that at least ``MIN_OUTLET_USES`` participants carry."""
    rows = con.execute(
        "SELECT o.full_name, o.abbreviation FROM outlets o JOIN participants p ON p.outlet_id = o.outlet_id"
        " GROUP BY o.outlet_id, o.full_name, o.abbreviation HAVING count(*) >= ?",
        (MIN_OUTLET_USES,),
    ).fetchall()
    return frozenset(n for row in rows for n in row if n)


def person_counts(con: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """``(person_id, display_name, exchanges asked)`` for every person, most exchanges first."""
    return con.execute(
        "SELECT p.person_id, p.display_name, count(e.exchange_index) FROM persons p"
        " LEFT JOIN exchanges e ON e.asker_person_id = p.person_id"
        " GROUP BY p.person_id, p.display_name ORDER BY 3 DESC, 1"
    ).fetchall()


def report(db: str, top: int) -> str:
    """The report for the store at ``db`` as plain text."""
    con = _connect(db)
    outlets = known_outlets(con)
    persons = person_counts(con)
    exchanges = con.execute("SELECT count(*) FROM exchanges").fetchone()[0]
    credited = sum(n for _, _, n in persons)
    bad = [(pid, name, n) for pid, name, n in persons if not is_person_name(name, outlets)]
    bad_ex = sum(n for _, _, n in bad)
    unnamed = sum(1 for pid, _, _ in persons if pid.startswith("unnamed"))
    lines = [
        f"store                                   {db}",
        f"persons                                 {len(persons)}",
        f"exchanges                               {exchanges}",
        f"exchanges credited to a person          {credited}",
        f"persons that are no person (predicate)  {len(bad)}",
        f"exchanges credited to a non-person      {bad_ex} ({bad_ex / credited:.1%} of credited)"
        if credited else "exchanges credited to a non-person      0",
        f"persons with id 'unnamed*'              {unnamed}",
        "",
        f"top {top} persons by exchanges asked (x = no person by the predicate)",
    ]
    width = max((len(pid) for pid, _, _ in persons[:top]), default=10)
    for pid, name, n in persons[:top]:
        mark = " " if is_person_name(name, outlets) else "x"
        lines.append(f"  {mark} {n:5d}  {pid:<{width}}  {name}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a SQLite store made by `podium ingest`")
    ap.add_argument("--top", type=int, default=15, help="how many top persons to list")
    args = ap.parse_args()
    print(report(args.db, args.top))


if __name__ == "__main__":
    main()
