"""The ``podium`` command line: thin commands over the library, one module per command.

Errors Podium raises on purpose print as one line on stderr with exit code 1 (2 for usage);
a traceback appears only with ``--debug``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer

from podium import __version__
from podium.errors import PodiumError

app = typer.Typer(
    name="podium",
    help="Turn press-conference transcripts into structured, searchable data.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain Click help: reads cleanly in a terminal, a pipe and docs/cli.md (Typer's rich
    # panels print "<bool>" beside every flag).
    rich_markup_mode=None,
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"podium {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    _state["debug"] = debug


def fail(exc: PodiumError) -> typer.Exit:
    """Print ``exc`` as one line on stderr and return the ``Exit`` to raise."""
    if _state["debug"]:
        raise exc
    sys.stderr.write(f"podium: error: {exc}\n")
    return typer.Exit(code=exc.exit_code)


# The command modules register themselves on ``app`` when imported; ``podium --help`` lists
# the commands in this order (sub-apps such as ``eval`` after them).
COMMAND_MODULES = ("parse", "classify", "eval", "train", "check", "eval_structure", "ingest", "search",
                   "stats", "serve", "export", "styles")
for _module in COMMAND_MODULES:
    importlib.import_module(f"podium.cli.{_module}")


def main() -> None:
    """Console-script entry point."""
    import sqlite3

    try:
        app()
    except sqlite3.DatabaseError as exc:  # a damaged store the checks did not catch first
        if _state["debug"]:
            raise
        sys.stderr.write(
            f"podium: error: the store cannot be read ({' '.join(str(exc).split())}); restore it from a backup, "
            "or rebuild it with 'podium ingest FOLDER --db NEW.db'\n"
        )
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("podium: interrupted\n")
        sys.exit(130)
