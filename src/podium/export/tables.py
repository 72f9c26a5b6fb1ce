"""Q&A and turn tables as CSV (stdlib ``csv``) or Parquet (pyarrow, in row-group batches).

Both writers pull rows from the transcripts one at a time and hold at most one batch of rows,
so a whole store exports in constant memory. CSV is RFC 4180 style (``csv.writer`` quotes
fields holding commas, quotes or newlines), UTF-8 without a BOM; empty cells mean ``None``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, BinaryIO, TextIO

from podium.errors import UsageError
from podium.export._rows import QA_COLUMNS, TURN_COLUMNS, ColumnType, Row, qa_rows, turn_rows
from podium.model import Transcript

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

BATCH_ROWS = 5000
"""Most rows per Parquet row group: large enough for good compression."""

BATCH_CHARS = 4_000_000
"""Most characters of text per row group, so batches of long turns stay small in memory."""

RowFn = Callable[[Transcript], Iterator[Row]]


def _rows(transcripts: Iterable[Transcript], fn: RowFn) -> Iterator[Row]:
    for t in transcripts:
        yield from fn(t)


def write_csv(
    transcripts: Iterable[Transcript],
    out: TextIO,
    columns: list[tuple[str, ColumnType]],
    fn: RowFn,
) -> int:
    """Write a header and one CSV row per row of ``fn``; return the number of rows."""
    names = [c for c, _ in columns]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    n = 0
    for row in _rows(transcripts, fn):
        writer.writerow(["" if row[c] is None else row[c] for c in names])
        n += 1
    return n


def write_qa_csv(transcripts: Iterable[Transcript], out: TextIO) -> int:
    """One CSV row per individual question (see ``podium.export._rows.QA_COLUMNS``)."""
    return write_csv(transcripts, out, QA_COLUMNS, qa_rows)


def write_turns_csv(transcripts: Iterable[Transcript], out: TextIO) -> int:
    """One CSV row per turn (see ``podium.export._rows.TURN_COLUMNS``)."""
    return write_csv(transcripts, out, TURN_COLUMNS, turn_rows)


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet  # noqa: F401  (registers pa.parquet)
    except ImportError:
        raise UsageError(
            "Parquet export needs pyarrow: pip install 'podium[export]'"
        ) from None
    return pa


def arrow_schema(columns: list[tuple[str, ColumnType]]) -> pa.Schema:
    """The fixed Arrow schema of a table export."""
    pa = _pyarrow()
    types = {"str": pa.string(), "int": pa.int32(), "float": pa.float64()}
    return pa.schema([(name, types[kind]) for name, kind in columns])


def write_parquet(
    transcripts: Iterable[Transcript],
    out: str | BinaryIO | IO[bytes],
    columns: list[tuple[str, ColumnType]],
    fn: RowFn,
    batch_rows: int = BATCH_ROWS,
    batch_chars: int = BATCH_CHARS,
) -> int:
    """Write rows to Parquet in batches (one row group each); return the number of rows.

    A batch ends at ``batch_rows`` rows or ``batch_chars`` characters of text, whichever
    comes first, so memory stays bounded whatever the turn lengths. An export with no rows
    still writes a valid file with the schema and no row groups.
    """
    pa = _pyarrow()
    schema = arrow_schema(columns)
    names = [c for c, _ in columns]
    n = 0
    with pa.parquet.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: dict[str, list[Any]] = {c: [] for c in names}
        size = chars = 0
        for row in _rows(transcripts, fn):
            for c in names:
                value = row[c]
                batch[c].append(value)
                if isinstance(value, str):
                    chars += len(value)
            size += 1
            if size >= batch_rows or chars >= batch_chars:
                writer.write_table(pa.Table.from_pydict(batch, schema=schema))
                n += size
                batch, size, chars = {c: [] for c in names}, 0, 0
        if size:
            writer.write_table(pa.Table.from_pydict(batch, schema=schema))
            n += size
    return n


def write_qa_parquet(transcripts: Iterable[Transcript], out: str | BinaryIO, **kw: Any) -> int:
    """One Parquet row per individual question (see ``QA_COLUMNS``)."""
    return write_parquet(transcripts, out, QA_COLUMNS, qa_rows, **kw)


def write_turns_parquet(transcripts: Iterable[Transcript], out: str | BinaryIO, **kw: Any) -> int:
    """One Parquet row per turn (see ``TURN_COLUMNS``)."""
    return write_parquet(transcripts, out, TURN_COLUMNS, turn_rows, **kw)
