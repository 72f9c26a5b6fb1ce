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
    model: Annotated[
        Path | None, typer.Option("--model", help="A v2 model to score (default: the shipped one, if any).")
    ] = None,
    v1_on_train: Annotated[
        bool, typer.Option("--v1-on-train/--no-v1-on-train", help="Also re-train v1 on the train split (slow).")
    ] = False,
    format: Annotated[
        ClarityFormat, format_option("table, or json: one object per experiment and method.")
    ] = ClarityFormat.table,
) -> None:
    """Clarity/evasion on QEvasion: train split → public test and → SemEval; baselines, v1 and v2; pairs/s."""
    from podium.analyze import evaluate, report
    from podium.analyze.clarity import DEFAULT_MODEL, ClarityModel, load_model
    from podium.analyze.data import default_dir, load_hf_train, load_public_test, load_semeval
    from podium.analyze.encoder import DEFAULT_V2

    root = data or default_dir()
    try:
        if not (root / "semeval2026_eval").is_dir() or not (root / "hf_test_split").is_dir():
            raise InputError(f"{root}: expected semeval2026_eval/ and hf_test_split/ (use --data)")
        path = model or DEFAULT_V2
        if model is not None and not model.is_file():
            raise InputError(f"{model}: no such model")
        v2 = load_model(path) if path.is_file() else None
        v1 = ClarityModel.load(DEFAULT_MODEL) if DEFAULT_MODEL.is_file() else None
        semeval, public = load_semeval(root), load_public_test(root)
        train = load_hf_train(root, exclude=public + semeval)
        scores = evaluate.run_v2(train, semeval, public, v2, v1, v1_on_train, progress=_progress)
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
        text = report.markdown(scores, header)
        gold = Path(__file__).parents[3] / "tests" / "gold" / "answer-spans" / "labels.jsonl"
        if gold.is_file() and (root.parent / "transcripts").is_dir():
            from podium.analyze import linkeval

            try:
                links = linkeval.evaluate(gold, root.parent)
            except PodiumError as exc:
                raise fail(exc) from None
            text += ("\n### Answer linking (hand-labelled multi-part questions, "
                     "`tests/gold/answer-spans/`)\n\n" + linkeval.markdown(links))
        docs.write_text(text, encoding="utf-8")
        sys.stderr.write(f"wrote {docs}\n")
