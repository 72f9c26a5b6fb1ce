"""``podium datasette-metadata``: print the metadata that makes a store pleasant in Datasette."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli.ingest import DbOption
from podium.errors import PodiumError


@app.command("datasette-metadata")
def datasette_metadata_cmd(
    db: DbOption = None,
    base_url: Annotated[
        str, typer.Option("--base-url", help="Where podium serve answers, for the permalinks.")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Print Datasette metadata (JSON, also valid YAML) for the SQLite store at --db.

    Use it as: podium datasette-metadata --db podium.db > metadata.yml; datasette podium.db -m metadata.yml
    """
    from podium.export.datasette import metadata
    from podium.store import default_url

    try:
        meta = metadata(db or default_url(), base_url)
    except PodiumError as exc:
        raise fail(exc) from None
    json.dump(meta, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
