"""Regenerate docs/transcript.schema.json from the model: python tools/gen_schema.py"""

from __future__ import annotations

import json
from pathlib import Path

from podium.model import json_schema

OUT = Path(__file__).resolve().parents[1] / "docs" / "transcript.schema.json"


def render() -> str:
    """The schema file's exact text."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
