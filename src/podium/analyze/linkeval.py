"""Scoring answer linking against the hand-labelled spans in ``tests/gold/answer-spans/``.

Sentence level: a linked sentence is right when the gold gives that sentence to the same
question. Precision and recall are pooled over all questions (micro), so long answers weigh
more. A question the gold leaves without sentences (the answer did not take it up) counts as
detected when the linker also gives it none. Two reference points: every sentence to every
question (what classifying against the whole answer amounts to), and the linker itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podium.errors import InputError


@dataclass(frozen=True)
class LinkScore:
    """Precision/recall of one linking method on the gold questions."""

    method: str
    questions: int
    precision: float
    recall: float
    unanswered: int
    unanswered_detected: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The gold rows (one per question); a bad file is an ``InputError``."""
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read answer-span gold ({exc})") from None


def evaluate(gold_path: Path, data_root: Path) -> list[LinkScore]:
    """Score the linker and the whole-answer reference on the gold questions."""
    from podium.analyze.link import answer_sentences, link_answers
    from podium.parse import parse_file

    rows = load_gold(gold_path)
    parsed = {}
    counts = {"whole answer (no linking)": [0, 0, 0, 0], "podium.analyze.link": [0, 0, 0, 0]}
    for r in rows:
        f = str(r["file"])
        if f not in parsed:
            parsed[f] = parse_file(data_root / f)
        t = parsed[f]
        ex = t.exchanges[int(r["exchange"])]
        gold = {(a[0], a[1]) for a in r["answer"]}
        every = {s.span for s in answer_sentences(t, ex)}
        linked = {s.span for s in link_answers(t, ex)[int(r["question"])]}
        for name, pred in (("whole answer (no linking)", every), ("podium.analyze.link", linked)):
            c = counts[name]
            c[0] += len(pred & gold)
            c[1] += len(pred)
            c[2] += len(gold)
            c[3] += int(not gold and not pred)
    unanswered = sum(1 for r in rows if not r["answer"])
    return [LinkScore(name, len(rows), c[0] / c[1] if c[1] else 0.0, c[0] / c[2] if c[2] else 0.0,
                      unanswered, c[3]) for name, c in counts.items()]


def markdown(scores: list[LinkScore]) -> str:
    """The answer-linking table for ``docs/clarity.md``."""
    lines = ["| method | questions | precision | recall | F1 | unanswered questions given no span |",
             "|---|--:|--:|--:|--:|--:|"]
    for s in scores:
        lines.append(f"| {s.method} | {s.questions} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
                     f"{s.unanswered_detected} of {s.unanswered} |")
    return "\n".join(lines) + "\n"
