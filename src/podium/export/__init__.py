"""Exports: transcripts rendered in the formats researchers' tools already read.

Every exporter is a function over an ``Iterable[Transcript]`` that writes as it reads, so an
export of a whole store holds one transcript (plus at most one Parquet batch) in memory.
:data:`FORMATS` names them; :func:`export` opens the target (a file, ``-`` for stdout, or a
folder) and runs one. Heavy dependencies (pyarrow) are imported only by the format that needs
them.

=============  ==========  ==========================================================
name           writes      what
=============  ==========  ==========================================================
jsonl          file/-      one ``podium.transcript/1`` object per line (lossless)
qa-csv         file/-      one row per individual question
qa-parquet     file/-      the same table as Parquet (row groups of 5,000)
turns-csv      file/-      one row per turn
turns-parquet  file/-      the same table as Parquet
convokit       folder      a ConvoKit corpus (``convokit.Corpus(filename=folder)``)
markdown       file/folder one transcript as Markdown; a folder gets ``<id>.md`` each
html           file/folder one transcript as an HTML page; a folder gets ``<id>.html`` each
tei            file/folder one transcript as Parla-CLARIN TEI; a folder gets ``<id>.xml`` each
                           plus the ``teiCorpus`` root ``podium-corpus.xml``
=============  ==========  ==========================================================
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from podium.errors import UsageError
from podium.model import Transcript

__all__ = ["FORMATS", "Format", "ExportResult", "export", "single"]

Target = Literal["text", "binary", "folder", "page"]


@dataclass(frozen=True)
class Format:
    """A named export: what kind of target it writes and the function that writes it."""

    name: str
    target: Target
    writer: str
    suffix: str
    help: str

    def load(self) -> Callable[..., Any]:
        """The writer function, imported on first use so pyarrow loads only for Parquet."""
        module, _, func = self.writer.rpartition(".")
        return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", "text", "podium.export.jsonl.write_jsonl", ".jsonl",
               "one podium.transcript/1 object per line"),
        Format("qa-csv", "text", "podium.export.tables.write_qa_csv", ".csv",
               "one row per individual question"),
        Format("qa-parquet", "binary", "podium.export.tables.write_qa_parquet", ".parquet",
               "one row per individual question (Parquet)"),
        Format("turns-csv", "text", "podium.export.tables.write_turns_csv", ".csv",
               "one row per turn"),
        Format("turns-parquet", "binary", "podium.export.tables.write_turns_parquet", ".parquet",
               "one row per turn (Parquet)"),
        Format("convokit", "folder", "podium.export.convokit.write_convokit", "",
               "a ConvoKit corpus folder"),
        Format("markdown", "page", "podium.export.markdown.write_markdown", ".md",
               "one transcript as Markdown (a folder: one file each)"),
        Format("html", "page", "podium.export.html.write_html", ".html",
               "one transcript as an HTML page (a folder: one file each)"),
        Format("tei", "page", "podium.export.tei.write_tei", ".xml",
               "one transcript as Parla-CLARIN TEI (a folder: one file each and a teiCorpus root)"),
    )
}


@dataclass
class ExportResult:
    """What an export wrote: transcripts read and rows/files/conversations written."""

    transcripts: int = 0
    written: int = 0
    unit: str = "transcripts"


class _Counter:
    """Wraps an iterable of transcripts and counts what the writer pulled from it."""

    def __init__(self, items: Iterable[Transcript]) -> None:
        self.items = items
        self.n = 0

    def __iter__(self) -> Iterator[Transcript]:
        for t in self.items:
            self.n += 1
            yield t


def single(transcripts: Iterable[Transcript], fmt: str) -> Transcript:
    """The one transcript of ``transcripts``; none or several is a ``UsageError``."""
    it = iter(transcripts)
    first = next(it, None)
    if first is None:
        raise UsageError(f"nothing to export: no transcript matched, so there is no {fmt} page to write")
    if next(it, None) is not None:
        raise UsageError(
            f"{fmt} renders one transcript but several matched; give a folder as OUT to get one file each"
        )
    return first


def safe_name(tid: str) -> str:
    """A file name from a transcript id (ids are slugs already; this guards foreign ones)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", tid).strip("._") or "transcript"


def _pages(fmt: Format, transcripts: Iterable[Transcript], folder: Path) -> int:
    """One file per transcript in ``folder``, named after its id (TEI adds its corpus root)."""
    if fmt.name == "tei":
        from podium.export.tei import write_tei_folder

        return write_tei_folder(transcripts, folder)
    from podium.export.html import to_html
    from podium.export.markdown import to_markdown

    render = to_html if fmt.name == "html" else to_markdown
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for t in transcripts:
        (folder / f"{safe_name(t.id)}{fmt.suffix}").write_text(render(t), encoding="utf-8")
        n += 1
    return n


def export(transcripts: Iterable[Transcript], fmt: str, out: str | os.PathLike[str]) -> ExportResult:
    """Export ``transcripts`` in format ``fmt`` to ``out`` and say what was written.

    ``out`` is a file (``-`` for stdout) for table and JSON Lines formats, a folder for
    ``convokit``, and for ``markdown``/``html`` either a file with that suffix (exactly one
    transcript) or a folder. Files are written to ``<out>.part`` and renamed when complete,
    so a failed export never leaves a truncated file under the requested name.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    spec = FORMATS[fmt]
    counted = _Counter(transcripts)
    target = str(out)
    write = spec.load()
    if spec.target == "folder":
        if target == "-":
            raise UsageError(f"{fmt} writes a folder; give a folder path as OUT, not '-'")
        stats = write(counted, target)
        return ExportResult(counted.n, stats.conversations, "conversations")
    if spec.target == "page" and target != "-" and not target.endswith(spec.suffix):
        files = _pages(spec, counted, Path(target))
        return ExportResult(counted.n, files, "files")
    unit = "rows" if "csv" in fmt or "parquet" in fmt else "transcripts"
    if target == "-":
        if spec.target == "binary":
            if sys.stdout.isatty():
                raise UsageError(f"{fmt} is binary; redirect stdout to a file or give an OUT path")
            n = write(counted, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            n = write(counted, sys.stdout)
            sys.stdout.flush()
        return ExportResult(counted.n, n, unit)
    path = Path(target)
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; {fmt} writes one file, give a file path as OUT")
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    try:
        if spec.target == "binary":
            n = write(counted, str(part))
        else:
            with part.open("w", encoding="utf-8", newline="") as f:
                n = write(counted, f)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return ExportResult(counted.n, n, unit)
