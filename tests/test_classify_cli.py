"""``podium classify``: CSV / JSON Lines in, labelled rows out, bad rows flagged not fatal."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("tokenizers", reason="needs the embed extra")

from podium.cli import app  # noqa: E402

ROWS = [
    {"id": "r1", "question": "Will you comment on the investigation?", "answer": "No comment. I'm not going to get into that."},
    {"id": "r2", "question": "How many troops will you send?", "answer": "We will send 3,000 troops, starting next week."},
]


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_csv_in_jsonl_out(tmp_path: Path) -> None:
    src = tmp_path / "pairs.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "question", "answer"])
        w.writeheader()
        w.writerows(ROWS)
    code, out, _ = _run("classify", str(src))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["r1", "r2"]
    assert rows[0]["clarity"] == "clear_non_reply" and rows[1]["clarity"] == "clear_reply"
    for r in rows:
        assert r["evasion"] and 0 < r["clarity_score"] < 1 and 0 < r["evasion_score"] < 1
        assert r["question"] in {x["question"] for x in ROWS}


def test_malformed_rows_get_errors_and_the_rest_is_classified(tmp_path: Path) -> None:
    src = tmp_path / "pairs.jsonl"
    src.write_text(
        json.dumps(ROWS[0]) + "\n{not json\n" + json.dumps({"id": "r3", "question": "Why?"}) + "\n"
        + json.dumps([1, 2]) + "\n" + json.dumps(ROWS[1]) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    code, _, err = _run("classify", str(src), "--output", str(out))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 5
    assert [bool(r["clarity"]) for r in rows] == [True, False, False, False, True]
    assert "not valid JSON" in rows[1]["error"] and "line 2" in rows[1]["error"]
    assert "'answer'" in rows[2]["error"]
    assert "not a JSON object" in rows[3]["error"]
    assert "2 of 5 rows classified" in err
    assert err.count("warning") == 3


def test_json_output(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    out = tmp_path / "o.json"
    assert _run("classify", str(src), "-o", str(out))[0] == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in data] == ["r1", "r2"] and all(r["clarity"] for r in data)


@pytest.mark.parametrize(("content", "name", "args", "code", "message"), [
    (None, "missing.csv", [], 1, "no such file"),
    ("a,b\n1,2\n", "cols.csv", [], 1, "needs columns 'question' and 'answer'"),
    ("x", "pairs.txt", [], 2, "unknown format"),
    ('{"question": "q", "answer": "a"}\n', "ok.jsonl", ["--output", "out.xml"], 2, "unknown format"),
])
def test_bad_input_is_one_line_error(tmp_path: Path, content: str | None, name: str, args: list[str],
                                     code: int, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    got, out, err = _run("classify", str(path), *[str(tmp_path / a) if a.endswith(".xml") else a for a in args])
    assert got == code
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert out == ""
