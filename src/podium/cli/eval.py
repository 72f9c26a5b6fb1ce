"""``podium eval``: measurements against labelled data: ``podium eval clarity`` and
``podium eval structure`` (the latter mounted by ``podium/cli/eval_structure.py``).

A Typer sub-app, so other evaluations add a command here.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import format_option, write_json
from podium.errors import InputError, PodiumError

eval_app = typer.Typer(help="Measure Podium against labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="QEvasion folder (default ../shared/data/qevasion).", file_okay=False),
]


def _progress(message: str) -> None:
    sys.stderr.write(message + "\n")


class ClarityFormat(str, Enum):
    table = "table"
    json = "json"


@eval_app.command("clarity")
def clarity_cmd(
    data: DataOpt = None,
    docs: Annotated[Path | None, typer.Option("--docs", help="Markdown file to (re)write.")] = Path("docs/clarity.md"),
    write_docs: Annotated[bool, typer.Option("--write-docs/--no-write-docs", help="Write --docs.")] = True,
    folds: Annotated[int, typer.Option("--folds", min=2, max=20, help="Cross-validation folds.")] = 5,
    format: Annotated[
        ClarityFormat, format_option("table, or json: one object per experiment and method.")
    ] = ClarityFormat.table,
) -> None:
    """Clarity/evasion on QEvasion: (a) SemEval→public test, (b) reverse, (c) k-fold CV; with baselines."""
    from podium.analyze import evaluate, report
    from podium.analyze.data import default_dir, load_public_test, load_semeval, load_train

    root = data or default_dir()
    try:
        if not (root / "semeval2026_eval").is_dir() or not (root / "hf_test_split").is_dir():
            raise InputError(f"{root}: expected semeval2026_eval/ and hf_test_split/ (use --data)")
        semeval, public, train = load_semeval(root), load_public_test(root), load_train(root)
        scores = evaluate.run(semeval, public, train, folds=folds,
                              progress=_progress)
    except PodiumError as exc:
        raise fail(exc) from None
    if format is ClarityFormat.json:
        write_json([asdict(s) for s in scores])
    else:
        report.print_table(scores)
        for line in report.gains(scores):
            typer.echo(line)
    if write_docs and docs is not None:
        header = (Path(__file__).parents[1] / "analyze" / "clarity_doc_header.md").read_text(encoding="utf-8")
        docs.parent.mkdir(parents=True, exist_ok=True)
        docs.write_text(report.markdown(scores, header), encoding="utf-8")
        sys.stderr.write(f"wrote {docs}\n")
