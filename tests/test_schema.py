"""The committed JSON Schema is generated from the model, and parse output validates against it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema

from podium import Transcript, parse_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import gen_schema  # noqa: E402


def test_committed_schema_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "transcript.schema.json").read_text(encoding="utf-8")
    assert committed == gen_schema.render(), "run: .venv/bin/python tools/gen_schema.py"


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "docs" / "transcript.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_reference_output_validates(nato: Transcript) -> None:
    doc = json.loads(json.dumps(nato.to_json_dict()))
    assert doc["schema"] == "podium.transcript/1"
    _validator().validate(doc)


def test_sample_output_validates() -> None:
    t = parse_file(ROOT / "examples" / "sample-press-conference.txt")
    _validator().validate(json.loads(json.dumps(t.to_json_dict())))


def test_schema_rejects_a_broken_transcript(nato: Transcript) -> None:
    doc = nato.to_json_dict()
    doc["turns"][0]["kind"] = "monologue"
    errors = list(_validator().iter_errors(json.loads(json.dumps(doc))))
    assert errors and "monologue" in errors[0].message


def test_json_round_trip_is_lossless(nato: Transcript) -> None:
    doc = nato.to_json_dict()
    again = Transcript.model_validate(json.loads(json.dumps(doc)))
    assert again.to_json_dict() == doc
