"""The ``podium`` command line: thin commands over the library, one module per command.

Errors Podium raises on purpose print as one line on stderr with exit code 1 (2 for usage);
a traceback appears only with ``--debug``.
"""

from __future__ import annotations

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


from podium.cli import parse as _parse  # noqa: E402,F401  (registers commands)
from podium.cli import classify as _classify, eval as _eval, train as _train  # noqa: E402,F401
from podium.cli import check as _check  # noqa: E402,F401
from podium.cli import eval_structure as _eval_structure  # noqa: E402,F401
from podium.cli import ingest as _ingest, search as _search, stats as _stats  # noqa: E402,F401
from podium.cli import serve as _serve  # noqa: E402,F401
from podium.cli import export as _export  # noqa: E402,F401
from podium.cli import styles as _styles  # noqa: E402,F401
from podium.cli import threads as _threads  # noqa: E402,F401


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("podium: interrupted\n")
        sys.exit(130)
