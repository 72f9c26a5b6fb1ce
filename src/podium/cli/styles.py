"""``podium styles``: check a house-style file before parsing with it, and list the styles.

A style with a misspelt key used to load and silently lose that key; ``podium styles check``
says which key, in which file, and what the table allows, before any transcript is parsed.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import format_option, write_records
from podium.errors import StyleError
from podium.parse import style as styles

styles_app = typer.Typer(
    help="Check house-style files and list the styles Podium knows.", no_args_is_help=True
)
app.add_typer(styles_app, name="styles")


def _parents(extends: str | None) -> list[str]:
    """The ``extends`` chain above a style, nearest parent first (each already validated)."""
    chain: list[str] = []
    registry = styles._raw_styles()
    while extends and extends in registry and extends not in chain:
        chain.append(extends)
        extends = registry[extends][1].get("extends")
    return chain


def check_file(path: Path) -> str:
    """``ok: …`` for a style file that loads with every regex compiled; raises ``StyleError``."""
    style = styles.load(path)  # validates the file, its extends chain and every regex
    style.lang  # noqa: B018  (compiles the language file's patterns too)
    chain = _parents(styles._read_toml(path).get("extends"))
    parts = [style.name]
    if chain:
        parts.append("extends " + " → ".join(chain))
    known = (styles.LANG_DIR / f"{style.language}.toml").exists()
    parts.append(f"language {style.language}" + ("" if known else " (no language file: English rules)"))
    return f"ok: {path} ({', '.join(parts)})"


@styles_app.command("check")
def check_cmd(
    files: Annotated[list[Path], typer.Argument(help="Style files (TOML) to check.")],
) -> None:
    """Validate style FILEs: keys, types, the extends chain and every regex.

    Prints one line per file ("ok: …" or the error); exits 1 if any file has an error.
    """
    failed = 0
    for path in files:
        try:
            typer.echo(check_file(path))
        except StyleError as exc:
            failed += 1
            typer.echo(f"error: {exc}", err=True)
    if failed:
        raise typer.Exit(code=1)


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@styles_app.command("list")
def list_cmd(format: Annotated[ListFormat, format_option()] = ListFormat.table) -> None:
    """List the styles on the search path: name, organisation, language, file.

    Folders on PODIUM_STYLE_PATH come first and win over built-in styles of the same name.
    """
    try:
        rows = [(name, styles.get(name)) for name in styles.names()]
    except StyleError as exc:
        raise fail(exc) from None
    if format is not ListFormat.table:
        fields = ["name", "organisation", "language", "path"]
        records = [{"name": n, "organisation": st.organisation, "language": st.language, "path": str(st.path)}
                   for n, st in rows]
        write_records(format.value, records, fields)
        return
    width = max(len(name) for name, _ in rows)
    org_width = max(len(st.organisation or "-") for _, st in rows)
    for name, st in rows:
        typer.echo(f"{name:<{width}}  {st.organisation or '-':<{org_width}}  {st.language:<3} {st.path}")
