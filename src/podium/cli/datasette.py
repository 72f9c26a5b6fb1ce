"""``podium datasette-metadata``: print the metadata that makes a store pleasant in Datasette."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import DbOption, format_option, write_json
from podium.errors import PodiumError


class MetadataFormat(str, Enum):
    # JSON is also YAML, so the same output serves `-m metadata.json` and `-m metadata.yml`.
    json = "json"


@app.command("datasette-metadata")
def datasette_metadata_cmd(
    db: DbOption = None,  # Datasette opens SQLite only: a postgresql:// URL gets one error line
    base_url: Annotated[
        str, typer.Option("--base-url", help="Where podium serve answers, for the permalinks.")
    ] = "http://127.0.0.1:8000",
    format: Annotated[MetadataFormat, format_option("Output format (JSON is also valid YAML).")] = MetadataFormat.json,
) -> None:
    """Print Datasette metadata for the SQLite store at --db: descriptions, facets, search, queries.

    Use it as: podium datasette-metadata --db podium.db > metadata.yml, then
    datasette podium.db -m metadata.yml
    """
    from podium.export.datasette import metadata
    from podium.store import default_url

    try:
        meta = metadata(db or default_url(), base_url)
    except PodiumError as exc:
        raise fail(exc) from None
    write_json(meta)
