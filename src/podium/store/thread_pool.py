"""The threaded questions' vectors as one file beside the store, so adding a transcript does
not read every stored vector back out of the database.

Adding one transcript scores its few questions against every threaded question: a matrix
product of milliseconds, but reading ~20,000 vector rows from SQLite took 0.5-1.2 s of the
1.1-1.7 s an update took under load (measured, ``benchmarks/bench_threads.py``). The pool is
derived data like the vector index: an append-only file of float32 rows
(``vectors.f32``), one tab-separated line per row (``rows.tsv``: transcript, exchange,
question, language, thread, threadable), and a stamp holding the store's threads stamp
(``threads_stamp`` in ``store_info``, new at every write of memberships) and the number of
valid rows. It is used only when the stamp matches the store's and that many memberships
exist; otherwise (a transcript replaced or deleted, a crash mid-append, a rebuild, another
store at the path) it is rebuilt from the database. Rows past the stamped count (a crash
after appending) are ignored.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

STAMP = "podium-threads-stamp"
LAYOUT = "1"


@dataclass
class PoolRows:
    """Threaded questions in file order: key parts, languages, threads, threadable flags, vectors."""

    transcripts: list[str]
    exchanges: list[int]
    questions: list[int]
    languages: list[str]
    threads: list[int]
    eligible: list[bool]
    vectors: np.ndarray  # float32 (N, D)

    def key(self, i: int) -> tuple[str, int, int]:
        return self.transcripts[i], int(self.exchanges[i]), int(self.questions[i])

    def __len__(self) -> int:
        return len(self.transcripts)


def empty() -> PoolRows:
    import numpy as np

    return PoolRows([], [], [], [], [], [], np.zeros((0, 0), np.float32))


class ThreadPool:
    """Load, append to and rewrite the pool file of one store (``folder`` ``None``: no file)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def load(self, stamp: str, members: int) -> PoolRows | None:
        """The pool if its stamp says it holds the store's ``members`` memberships as of ``stamp``."""
        import numpy as np

        if self.folder is None:
            return None
        try:
            layout, saved, count, width = (self.folder / STAMP).read_text().split(":")
            n, dim = int(count), int(width)
            if layout != LAYOUT or saved != stamp or n != members:
                return None
            if n == 0:
                return empty()
            lines = (self.folder / "rows.tsv").read_text(encoding="utf-8").split("\n")[:n]
            raw = np.fromfile(self.folder / "vectors.f32", dtype=np.float32, count=n * dim)
            if len(lines) < n or raw.size < n * dim:
                return None
            vectors = raw.reshape(n, dim)
        except (OSError, ValueError):
            return None
        # one split of the whole file, then every column is a slice: no per-line Python
        fields = "\t".join(lines).split("\t")
        if len(fields) != 6 * n:
            return None
        return PoolRows(
            transcripts=fields[0::6], exchanges=fields[1::6], questions=fields[2::6],  # type: ignore[arg-type]
            languages=fields[3::6], threads=[int(t) for t in fields[4::6]], eligible=[f == "1" for f in fields[5::6]],
            vectors=vectors,
        )

    def write(self, rows: PoolRows, stamp: str) -> None:
        """Replace the file with ``rows`` (via a temporary folder, then a rename)."""
        if self.folder is None:
            return
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            self._write_rows(tmp, rows, "w")
            (tmp / STAMP).write_text(f"{LAYOUT}:{stamp}:{len(rows)}:{_width(rows)}")
            shutil.rmtree(self.folder, ignore_errors=True)
            tmp.rename(self.folder)
        except OSError:  # e.g. a read-only folder: the next update reads the database again
            shutil.rmtree(tmp, ignore_errors=True)

    def append(self, old: PoolRows, rows: PoolRows, stamp: str) -> None:
        """Add ``rows`` after the rows of ``old`` (what ``load`` gave), then stamp the new count;
        rows past ``old`` that a crash left unstamped are cut off first."""
        if self.folder is None:
            return
        if not len(old):
            self.write(rows, stamp)
            return
        n, dim = len(old), _width(old)
        try:
            os.truncate(self.folder / "vectors.f32", n * dim * 4)
            text = (self.folder / "rows.tsv").read_text(encoding="utf-8")
            if text.count("\n") != n or not text.endswith("\n"):  # lines a crash left unstamped
                kept = text.split("\n")[:n]
                (self.folder / "rows.tsv").write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
            self._write_rows(self.folder, rows, "a")
            (self.folder / STAMP).write_text(f"{LAYOUT}:{stamp}:{n + len(rows)}:{dim}")
        except (OSError, ValueError):
            shutil.rmtree(self.folder, ignore_errors=True)

    @staticmethod
    def _write_rows(folder: Path, rows: PoolRows, mode: str) -> None:
        """Vectors first, then the lines: a crash in between leaves rows the stamp does not count."""
        import numpy as np

        with (folder / "vectors.f32").open(mode + "b") as fb:
            fb.write(np.ascontiguousarray(rows.vectors, dtype=np.float32).tobytes())
        with (folder / "rows.tsv").open(mode, encoding="utf-8") as fh:
            fh.writelines(
                f"{tid}\t{ex}\t{q}\t{lang}\t{t}\t{int(ok)}\n" for tid, ex, q, lang, t, ok in zip(
                    rows.transcripts, rows.exchanges, rows.questions, rows.languages, rows.threads, rows.eligible,
                    strict=True,
                )
            )


def _width(rows: PoolRows) -> int:
    return int(rows.vectors.shape[1]) if rows.vectors.ndim == 2 and len(rows) else 0


def folder_for(store: Any) -> Path | None:
    """Where a store's pool file lives: beside its vector index (``None``: no file)."""
    vectors: Path | None = store._vector_folder()
    if vectors is None:
        return None
    return vectors.with_name(vectors.name.removesuffix("vectors") + "threads")
