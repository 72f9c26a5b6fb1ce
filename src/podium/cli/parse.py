"""``podium parse`` and ``podium extract``: one file in, its structure (or plain text) out."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import format_option
from podium.errors import PodiumError


class ParseFormat(str, Enum):
    pretty = "pretty"
    json = "json"
    markdown = "markdown"
    # Export formats (podium.export), written to stdout; convokit writes a folder, so it is
    # only reachable through ``podium export --to convokit FILE FOLDER``.
    html = "html"
    jsonl = "jsonl"
    qa_csv = "qa-csv"
    qa_parquet = "qa-parquet"
    turns_csv = "turns-csv"
    turns_parquet = "turns-parquet"


FileArg = Annotated[str, typer.Argument(help="A transcript file (text, HTML, XML, Markdown, PDF, captions).")]
MaxBytes = Annotated[
    int | None,
    typer.Option("--max-bytes", help="Refuse files larger than this (default 50 MB or PODIUM_MAX_BYTES)."),
]


@app.command("parse")
def parse_cmd(
    file: FileArg,
    format: Annotated[ParseFormat, format_option()] = ParseFormat.pretty,
    style: Annotated[
        str | None, typer.Option("--style", help="House style: a name such as nato.v1 or a .toml file.")
    ] = None,
    max_bytes: MaxBytes = None,
    analyze: Annotated[
        bool, typer.Option("--analyze", help="Add answer spans, clarity and evasion labels (needs the analyze extra).")
    ] = False,
) -> None:
    """Parse FILE and print its structure: metadata, participants, turns and exchanges."""
    from podium.parse import parse_file

    try:
        transcript = parse_file(file, style=style, max_bytes=max_bytes)
        if analyze:
            from podium.analyze import analyze as run_analysis

            transcript = run_analysis(transcript)
    except PodiumError as exc:
        raise fail(exc) from None
    if format is ParseFormat.json:
        json.dump(transcript.to_json_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif format is ParseFormat.markdown:
        from podium.export.markdown import to_markdown

        sys.stdout.write(to_markdown(transcript))
    elif format is not ParseFormat.pretty:
        from podium.export import export

        try:
            export([transcript], format.value, "-")
        except PodiumError as exc:
            raise fail(exc) from None
    else:
        from podium.cli._pretty import print_pretty

        print_pretty(transcript)


@app.command("extract")
def extract_cmd(file: FileArg, max_bytes: MaxBytes = None) -> None:
    """Print the plain text of FILE that every turn's span points into."""
    from podium import readers

    try:
        doc = readers.read(file, max_bytes=max_bytes)
    except PodiumError as exc:
        raise fail(exc) from None
    sys.stdout.write(doc.plain)
