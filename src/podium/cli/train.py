"""``podium train``: reproducible training of Podium's models. ``podium train clarity`` for now."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.errors import PodiumError

train_app = typer.Typer(help="Train Podium's models from labelled data.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("clarity")
def clarity_cmd(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="QEvasion folder (default ../shared/data/qevasion).", file_okay=False),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write the model (default: the shipped one).")
    ] = None,
) -> None:
    """Train the clarity/evasion model on the SemEval set plus any train/*.csv (never the public test split)."""
    from podium.analyze.train import train

    try:
        model, path = train(data, output)
    except PodiumError as exc:
        raise fail(exc) from None
    typer.echo(f"trained on {model.meta['n_pairs']} pairs from {', '.join(model.meta['trained_on'])}: {path}")
