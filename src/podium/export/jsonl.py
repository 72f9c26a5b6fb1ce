"""JSON Lines: one ``podium.transcript/1`` object per line, the lossless export.

Each line is exactly what ``podium parse FILE --format json`` prints for that transcript
(compact, UTF-8, no ASCII escaping), so ``Transcript.model_validate(json.loads(line))`` reads
it back. Lines are written as transcripts arrive: memory holds one transcript at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from podium.model import Transcript


def write_jsonl(transcripts: Iterable[Transcript], out: TextIO) -> int:
    """Write one transcript per line to ``out``; return the number written."""
    n = 0
    for t in transcripts:
        out.write(json.dumps(t.to_json_dict(), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        n += 1
    return n
