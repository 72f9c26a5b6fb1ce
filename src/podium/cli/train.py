"""``podium train``: reproducible training of Podium's models. ``podium train clarity`` for now."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.errors import PodiumError, UsageError

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
    version: Annotated[
        str, typer.Option("--model", help="v1: the shipped linear model (default); v2: the MiniLM cross-encoder "
                          "(experimental, needs torch; the shipped default switches to it once its file exists).")
    ] = "v1",
) -> None:
    """Train the clarity/evasion model (never on the public test split or, for v2, the SemEval set).

    v1 learns from the SemEval set plus any train/*.csv in seconds. v2 learns from the
    QEvasion train split (hf_train_split/): an hour or more on two shared cores.
    """
    import sys

    try:
        if version == "v2":
            from podium.analyze.train import train_v2

            def say(message: str) -> None:
                sys.stderr.write(message + "\n")

            v2, path = train_v2(data, output, say=say)
            typer.echo(f"trained on {v2.meta['n_pairs']} pairs (+{v2.meta['n_dev']} development) "
                       f"from {', '.join(v2.meta['trained_on'])}: {path}")
            return
        if version != "v1":
            raise UsageError(f"--model {version}: use v1 or v2")
        from podium.analyze.train import train

        model, path = train(data, output)
    except PodiumError as exc:
        raise fail(exc) from None
    typer.echo(f"trained on {model.meta['n_pairs']} pairs from {', '.join(model.meta['trained_on'])}: {path}")
