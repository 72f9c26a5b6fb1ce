"""Q&A and turn tables: CSV round trips through ``csv``, Parquet read back by pyarrow/pandas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from export_fixture import AWKWARD, awkward

from podium.export._rows import QA_COLUMNS, TURN_COLUMNS
from podium.export.jsonl import write_jsonl
from podium.export.tables import (
    write_qa_csv,
    write_qa_parquet,
    write_turns_csv,
    write_turns_parquet,
)
from podium.model import Transcript

pa = pytest.importorskip("pyarrow", reason="pyarrow is the 'export' extra")
pq = pytest.importorskip("pyarrow.parquet")


def _csv_rows(write, transcripts) -> tuple[list[str], list[dict[str, str]]]:  # noqa: ANN001
    buf = io.StringIO(newline="")
    write(transcripts, buf)
    reader = csv.DictReader(io.StringIO(buf.getvalue(), newline=""))
    return list(reader.fieldnames or []), list(reader)


def test_qa_csv_round_trips_awkward_text() -> None:
    header, rows = _csv_rows(write_qa_csv, [awkward()])
    assert header == [c for c, _ in QA_COLUMNS]
    questions = [q for ex in AWKWARD.exchanges for q in ex.questions]
    assert [r["question"] for r in rows] == [q.text for q in questions]
    first, second, third = rows
    assert first["asker"] == "anon" and first["asker_name"] == "" and first["outlet"] == "Новая газета"
    # answer_spans pick the part of the answer that addresses the question ...
    assert first["answer"] == "It is final, as of today."
    assert (first["clarity"], float(first["clarity_score"])) == ("clear_reply", 0.9)
    # ... and without them the answer is every answer turn, newlines and Arabic intact.
    assert second["answer"] == AWKWARD.turns[3].text + "\n\n" + AWKWARD.turns[4].text
    assert second["evasion"] == "declining" and "<script>" in second["question"]
    assert third["outlet"] == "El Diario, Madrid" and third["asker_name"] == 'Ana "Q" O\'Brien'
    assert third["answer"] == "Soon." and third["clarity"] == "" and third["answer_turns"] == "7"
    assert {r["title"] for r in rows} == {'Briefing on "trade", tariffs & <talks>'}


def test_turns_csv_round_trips_every_turn_text() -> None:
    header, rows = _csv_rows(write_turns_csv, [awkward()])
    assert header == [c for c, _ in TURN_COLUMNS]
    assert [r["text"] for r in rows] == [t.text for t in AWKWARD.turns]
    assert [r["exchange_index"] for r in rows] == ["", "0", "0", "0", "0", "1", "1", "1", ""]
    assert rows[6]["speaker_name"] == 'Ana "Q" O\'Brien' and rows[6]["channel"] == "remote"


def test_exchange_without_split_questions_keeps_one_row() -> None:
    t = awkward()
    t.exchanges[1].questions = []
    _, rows = _csv_rows(write_qa_csv, [t])
    assert len(rows) == 3 and rows[2]["question_index"] == ""
    assert rows[2]["question"] == t.turns[6].text


def test_qa_csv_reference(nato: Transcript) -> None:
    _, rows = _csv_rows(write_qa_csv, [nato])
    assert len(rows) == sum(len(ex.questions) for ex in nato.exchanges) == 12
    assert rows[0]["asker_name"] == "Matthias Kolb" and rows[0]["outlet"] == "SDZ"
    assert rows[0]["outlet_name"] == "Süddeutsche Zeitung" and rows[0]["channel"] == "in_room"
    assert {r["answerer"] for r in rows} == {"Jens Stoltenberg"}
    assert [r["asker"] for r in rows if r["question_index"] == "0"] == [ex.asker for ex in nato.exchanges]
    assert rows[0]["answer"] == nato.turns[3].text


def test_qa_parquet_reads_back_in_batches(nato: Transcript, tmp_path: Path) -> None:
    out = tmp_path / "qa.parquet"
    n = write_qa_parquet([nato, awkward()], str(out), batch_rows=5)
    f = pq.ParquetFile(out)
    assert n == f.metadata.num_rows == 15 and f.num_row_groups == 3
    table = f.read()
    assert table.schema.field("question_index").type == pa.int32()
    assert table.schema.field("clarity_score").type == pa.float64()
    df = table.to_pandas()
    assert df["question"].tolist()[12:] == [q.text for ex in AWKWARD.exchanges for q in ex.questions]
    # The README's example: which outlets asked the most questions.
    top = df.groupby("outlet")["question"].count().sort_values(ascending=False)
    assert top.index[0] == "Interfax-Ukraine" and top.iloc[0] == 4
    assert top["Новая газета"] == 2


def test_turns_parquet_reference(nato: Transcript, tmp_path: Path) -> None:
    out = tmp_path / "turns.parquet"
    assert write_turns_parquet([nato], str(out)) == 17
    df = pq.read_table(out).to_pandas()
    assert df["kind"].tolist() == [t.kind for t in nato.turns]
    assert df["text"].tolist() == [t.text for t in nato.turns]
    assert df.loc[df.kind == "question", "role"].unique().tolist() == ["journalist"]


def test_empty_exports_are_valid(tmp_path: Path) -> None:
    out = tmp_path / "empty.parquet"
    assert write_qa_parquet([], str(out)) == 0
    assert pq.read_table(out).num_rows == 0
    assert pq.read_schema(out).names == [c for c, _ in QA_COLUMNS]
    header, rows = _csv_rows(write_turns_csv, [])
    assert header == [c for c, _ in TURN_COLUMNS] and rows == []


def test_jsonl_lines_validate_back(nato: Transcript) -> None:
    buf = io.StringIO()
    assert write_jsonl([nato, awkward()], buf) == 2
    lines = buf.getvalue().splitlines()
    back = [Transcript.model_validate(json.loads(line)) for line in lines]
    assert back[0] == nato and back[1] == AWKWARD
    assert "Новая газета" in lines[1]  # UTF-8, not \\u escapes
