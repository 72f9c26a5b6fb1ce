"""``podium classify``: clarity and evasion labels for question-answer pairs from a file."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import format_option
from podium.errors import PodiumError


class ClassifyFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


@app.command("classify")
def classify_cmd(
    input: Annotated[str, typer.Argument(help="CSV or JSON Lines file with 'question' and 'answer' (optional 'id').")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here; format from the extension (.jsonl, .csv, .json).")
    ] = None,
    model: Annotated[Path | None, typer.Option("--model", help="A model from `podium train clarity`.")] = None,
    format: Annotated[
        ClassifyFormat | None, format_option("jsonl, json or csv (default: from --output's extension, else jsonl).")
    ] = None,
) -> None:
    """Add clarity, clarity_score, evasion and evasion_score to every row of INPUT (JSON Lines on stdout)."""
    try:
        from podium.analyze import batch
        from podium.analyze.clarity import load_model

        fmt = format.value if format else batch.format_of(output) if output else "jsonl"
        rows = batch.read_rows(input)
        m = load_model(model) if model else None
        out = batch.classify_rows(rows, m)
    except PodiumError as exc:
        raise fail(exc) from None
    bad = sum(1 for r in out if r.get("error"))
    for n, r in enumerate(out, 1):
        if r.get("error"):
            where = f"id {r['id']}" if r.get("id") else f"row {n}"
            sys.stderr.write(f"podium: warning: {input}: {where}: {r['error']}\n")
    text = batch.dumps(out, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        sys.stderr.write(f"{len(out) - bad} of {len(out)} rows classified: {output}\n")
    else:
        sys.stdout.write(text)
