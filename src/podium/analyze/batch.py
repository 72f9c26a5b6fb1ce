"""Batch classification of question-answer pairs from CSV or JSON Lines (``podium classify``).

Every input row comes back with ``clarity``, ``clarity_score``, ``evasion`` and
``evasion_score`` added. A row that cannot be classified (no question, no answer, a JSON
line that does not parse) comes back with an ``error`` field and empty labels instead of
stopping the run: one bad row in ten thousand should not cost the other 9,999.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from podium.analyze.clarity import ClarityModel, classify
from podium.analyze.features import Pair
from podium.errors import InputError, UsageError

FIELDS = ("clarity", "clarity_score", "evasion", "evasion_score")
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}


def format_of(path: str | Path) -> str:
    """``csv``, ``jsonl`` or ``json`` from the file name; anything else is a usage error."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: unknown format; use one of {', '.join(sorted(FORMATS))}")
    return fmt


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a CSV (with a header) or JSON Lines file; a bad JSON line becomes an error row."""
    p = Path(path)
    fmt = format_of(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot read as UTF-8 text ({exc})") from None
    if fmt == "csv":
        try:
            reader = csv.DictReader(io.StringIO(text))
            table: list[dict[str, Any]] = [dict(r) for r in reader]
        except csv.Error as exc:
            raise InputError(f"{p}: not valid CSV ({exc})") from None
        cols = reader.fieldnames or []
        if "question" not in cols or "answer" not in cols:
            raise InputError(f"{p}: CSV needs columns 'question' and 'answer' (found: {', '.join(cols) or 'none'})")
        return table
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}: not valid JSON ({exc})") from None
        if not isinstance(data, list):
            raise InputError(f"{p}: a .json input must be an array of objects")
        return [r if isinstance(r, dict) else {"error": f"item {i + 1}: not an object"} for i, r in enumerate(data)]
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append({"line": n, "error": f"line {n}: not valid JSON ({exc.msg})"})
            continue
        rows.append(obj if isinstance(obj, dict) else {"line": n, "error": f"line {n}: not a JSON object"})
    return rows


def _problem(row: dict[str, Any]) -> str | None:
    if "error" in row and "question" not in row:
        return str(row["error"])
    for key in ("question", "answer"):
        value = row.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"missing or empty '{key}'"
    return None


def classify_rows(rows: list[dict[str, Any]], model: ClarityModel | Any = None) -> list[dict[str, Any]]:
    """The rows with labels and scores added, or with an ``error`` where a row is unusable."""
    todo = [(i, r) for i, r in enumerate(rows) if _problem(r) is None]
    preds = classify([Pair(r["question"].strip(), r["answer"].strip()) for _, r in todo], model)
    out: list[dict[str, Any]] = [
        {**r, **dict.fromkeys(FIELDS), "error": _problem(r)} for r in rows
    ]
    for (i, r), p in zip(todo, preds, strict=True):
        out[i] = {**r, "clarity": p.clarity, "clarity_score": round(p.clarity_score, 4),
                  "evasion": p.evasion, "evasion_score": round(p.evasion_score, 4)}
    return out


def dumps(rows: Iterable[dict[str, Any]], fmt: str) -> str:
    """The rows as ``csv``, ``jsonl`` or ``json`` text."""
    rows = list(rows)
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    cols: list[str] = []
    for r in rows:
        cols += [k for k in r if k not in cols]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return buf.getvalue()
