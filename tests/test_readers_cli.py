"""``podium extract`` over every format, and one-line errors for input no reader can use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_readers import FIX, make_pdf
from typer.testing import CliRunner

from podium.cli import app

runner = CliRunner()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("page.html", "Anna Berg: Good morning, everyone."),
        ("fragment.html", "MS. HOLM:  Good afternoon."),
        ("record.xml", "JOURNALIST: Who pays for them?"),
        ("briefing.md", "PREGUNTA: ¿Y los costos?"),
        ("captions.vtt", "Reporter: Who pays for them?"),
        ("captions.srt", "Who pays?"),
    ],
)
def test_extract_prints_plain_text_of_every_format(name: str, needle: str) -> None:
    from podium import readers

    result = runner.invoke(app, ["extract", str(FIX / name)])
    assert result.exit_code == 0, result.stderr
    assert needle in result.stdout
    assert result.stdout == readers.read(FIX / name).plain
    assert "<" not in result.stdout.replace("<v", "")  # no markup leaks


def test_extract_pdf(tmp_path: Path) -> None:
    path = _write(tmp_path, "b.pdf", make_pdf([["MODERATOR: Welcome."]]))
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0 and result.stdout.strip() == "MODERATOR: Welcome."


def test_parse_spans_point_into_extracted_text_for_html() -> None:
    plain = runner.invoke(app, ["extract", str(FIX / "page.html")]).stdout
    doc = json.loads(runner.invoke(app, ["parse", str(FIX / "page.html"), "--format", "json"]).stdout)
    assert doc["source"]["format"] == "html" and doc["turns"]
    for turn in doc["turns"]:
        assert plain[turn["span"][0] : turn["span"][1]] == turn["text"]
    assert doc["metadata"]["date"] == "2024-03-05"


BAD = [
    ("nav-only.html", None, "no transcript text in this page"),
    ("scan.pdf", "pdf-no-text", "no text layer"),
    ("broken-timing.srt", None, "broken-timing.srt:6: broken cue timing"),
    ("backwards.vtt", None, "backwards.vtt:3: cue ends before it starts"),
    ("png.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("empty.vtt", b"", "empty"),
    ("cp1252.md", "---\ntitle: x\n---\nDéclaration\n".encode("cp1252"), "not UTF-8"),
    ("half.xml", b'<?xml version="1.0"?>\n<transcript>\n<title>Cut off', "half.xml:3: not well-formed XML"),
    ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Cat", "PDF"),
    ("dump.html", b"<h1>T</h1>\nb'<p>never closed\n", "dump.html:2:"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("command", ["extract", "parse"])
def test_bad_input_is_one_line_exit_1(tmp_path: Path, command: str, name: str, data: object, message: str) -> None:
    if data is None:
        path = FIX / name
    elif data == "pdf-no-text":
        path = _write(tmp_path, name, make_pdf([["x"]], text=False))
    else:
        assert isinstance(data, bytes)
        path = _write(tmp_path, name, data)
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("podium: error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout and result.stdout == ""


def test_real_process_prints_no_traceback_for_a_scanned_pdf(tmp_path: Path) -> None:
    path = _write(tmp_path, "scan.pdf", make_pdf([["x"]], text=False))
    proc = subprocess.run(
        [sys.executable, "-c", "from podium.cli import main; main()", "extract", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("podium: error:") and "run OCR first" in proc.stderr
    assert "Traceback" not in proc.stderr
