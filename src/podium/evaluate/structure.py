"""Structure accuracy: parses compared with gold annotations, per source.

A gold file (``docs/gold-format.md``) lists the first turns of one transcript as a reader
sees them: a snippet the turn starts with, who speaks, and what kind of turn it is; plus the
exchanges among those turns and a few metadata facts. Turns are aligned by where their
snippet occurs in the reader's plain text, so the gold never depends on the parser's
numbering: a gold turn is *recalled* when a parsed turn starts at its snippet.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from podium import readers
from podium.errors import InputError
from podium.model import Transcript
from podium.parse import parse
from podium.parse._text import name_key

KINDS = {"statement", "moderation", "question", "answer", "closing", "other"}
ROLES = {"journalist", "official", "moderator", "principal", "unknown"}
META_KEYS = ("title", "date", "event_type", "principal", "language", "organisation")
_SLACK = 3  # characters a parsed turn may start away from the snippet (stray punctuation)


@dataclass
class Score:
    """Counts for one file or one source; rates are ``hits / total``."""

    files: int = 0
    turns: int = 0
    recalled: int = 0
    spurious: int = 0
    speaker: int = 0
    kind: int = 0
    exchanges: int = 0
    asker: int = 0
    qcount: int = 0
    meta_total: int = 0
    meta_ok: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("files", "turns", "recalled", "spurious", "speaker", "kind", "exchanges",
                     "asker", "qcount", "meta_total", "meta_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def rates(self) -> dict[str, float | None]:
        def rate(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "turn_recall": rate(self.recalled, self.turns),
            "turn_precision": rate(self.recalled, self.recalled + self.spurious),
            "speaker_acc": rate(self.speaker, self.recalled),
            "kind_acc": rate(self.kind, self.recalled),
            "asker_acc": rate(self.asker, self.exchanges),
            "question_count_acc": rate(self.qcount, self.exchanges),
            "metadata_acc": rate(self.meta_ok, self.meta_total),
        }


def load_gold(path: Path) -> dict[str, Any]:
    """Read and check one gold file; raises ``InputError`` naming the file and the problem."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read gold file ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    for key in ("file", "source", "turns"):
        if key not in gold:
            raise InputError(f"{path}: gold file lacks '{key}'; see docs/gold-format.md")
    for i, turn in enumerate(gold["turns"]):
        if not (isinstance(turn, list) and len(turn) == 3 and turn[2] in KINDS):
            raise InputError(f"{path}: turn {i} must be [snippet, speaker, kind] with kind in {sorted(KINDS)}")
        if isinstance(turn[1], str) and turn[1].startswith("?") and turn[1][1:] not in ROLES:
            raise InputError(f"{path}: turn {i}: anonymous speaker must be one of ?{', ?'.join(sorted(ROLES))}")
    return gold


def data_root(gold_path: Path, explicit: Path | None) -> Path:
    """Where gold ``file`` paths start: ``--data``, else the nearest ``shared/data`` above."""
    if explicit is not None:
        return explicit
    for parent in gold_path.resolve().parents:
        for cand in (parent / "shared" / "data", parent.parent / "shared" / "data"):
            if cand.is_dir():
                return cand
    raise InputError(f"{gold_path}: cannot find the shared data folder; pass --data DIR")


def _snippet_rx(snippet: str) -> re.Pattern[str]:
    """The snippet with any run of white space (line wraps, double spaces) allowed between words."""
    return re.compile(r"\s+".join(re.escape(w) for w in snippet.split()))


_TURN_START = re.compile(r"(?:[:：](?:[^\S\n]*\*\*)?[^\S\n]*|\n[^\S\n]*(?:Q\.?[^\S\n]*)?)$")


def _find(plain: str, snippet: str, pos: int) -> re.Match[str] | None:
    """The snippet's next occurrence that starts a line or follows a label ("Q:  …"), else its
    next occurrence anywhere: a short snippet ("Thank you.") also occurs inside turns."""
    first = None
    for m in _snippet_rx(snippet).finditer(plain, pos):
        if first is None:
            first = m
        if m.start() == 0 or _TURN_START.search(plain, max(0, m.start() - 12), m.start()):
            return m
    return first


def _same_person(gold: str | None, t: Transcript, pid: str | None) -> bool:
    p = t.participant(pid)
    if gold is None or gold.startswith("?"):
        role = gold[1:] if gold else "journalist"
        return p is not None and p.name is None and p.role == role
    return p is not None and p.name is not None and name_key(p.name) == name_key(gold)


def score_file(gold_path: Path, data: Path | None = None) -> tuple[Score, Transcript]:
    """Score the parse of one gold file's transcript."""
    gold = load_gold(gold_path)
    src = data_root(gold_path, data) / gold["file"]
    doc = readers.read(src)
    t = parse(doc)
    plain = doc.plain
    sc = Score(files=1)
    starts = {turn.span[0]: turn.index for turn in t.turns}
    pos = 0
    matched: dict[int, int] = {}
    first = last = None
    for gi, (snippet, speaker, kind) in enumerate(gold["turns"]):
        sc.turns += 1
        m = _find(plain, snippet, pos)
        if m is None:
            sc.errors.append(f"{gold_path.name}: turn {gi}: snippet {snippet!r} not in the text")
            continue
        pos = m.end()
        first = m.start() if first is None else first
        last = m.start()
        ti = next((starts[s] for s in range(m.start() - _SLACK, m.start() + _SLACK + 1) if s in starts), None)
        if ti is None:
            sc.errors.append(f"{gold_path.name}: turn {gi} ({snippet[:30]!r}) is not a parsed turn start")
            continue
        sc.recalled += 1
        matched[gi] = ti
        pt = t.turns[ti]
        if _same_person(speaker, t, pt.speaker):
            sc.speaker += 1
        else:
            p = t.participant(pt.speaker)
            got = (p.name or f"?{p.role}") if p else None
            sc.errors.append(f"{gold_path.name}: turn {gi} ({snippet[:30]!r}): speaker {got!r}, gold {speaker!r}")
        if pt.kind == kind:
            sc.kind += 1
        else:
            sc.errors.append(f"{gold_path.name}: turn {gi} ({snippet[:30]!r}): kind {pt.kind}, gold {kind}")
    if first is not None and last is not None:
        hit = set(matched.values())
        sc.spurious = sum(1 for turn in t.turns if first <= turn.span[0] <= last and turn.index not in hit)
    by_qturn = {e.question_turn: e for e in t.exchanges}
    for ex in gold.get("exchanges", []):
        sc.exchanges += 1
        ti = matched.get(ex["turn"])
        pe = by_qturn.get(ti) if ti is not None else None
        if pe is None:
            sc.errors.append(f"{gold_path.name}: exchange at gold turn {ex['turn']}: none parsed")
            continue
        if _same_person(ex.get("asker"), t, pe.asker):
            sc.asker += 1
        else:
            p = t.participant(pe.asker)
            got = (p.name or f"?{p.role}") if p else None
            sc.errors.append(f"{gold_path.name}: exchange at gold turn {ex['turn']}: asker {got!r}, gold {ex.get('asker')!r}")
        if "questions" not in ex:
            sc.qcount += 1  # not annotated: neither a hit nor a miss
        elif len(pe.questions) == ex["questions"]:
            sc.qcount += 1
        else:
            sc.errors.append(
                f"{gold_path.name}: exchange at gold turn {ex['turn']}: {len(pe.questions)} questions, gold {ex.get('questions')}"
            )
    meta = t.metadata.model_dump()
    for key, want in gold.get("metadata", {}).items():
        sc.meta_total += 1
        got = meta.get(key)
        if _norm(got) == _norm(want):
            sc.meta_ok += 1
        else:
            sc.errors.append(f"{gold_path.name}: metadata {key}: {got!r}, gold {want!r}")
    return sc, t


def _norm(value: Any) -> Any:
    return " ".join(value.split()).casefold() if isinstance(value, str) else value


def evaluate(paths: list[Path], data: Path | None = None) -> dict[str, Score]:
    """Scores per source (plus ``"all"``) over the gold files in ``paths`` (files or folders)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(p.rglob("*.json")))
        elif p.exists():
            files.append(p)
        else:
            raise InputError(f"{p}: no such gold file or folder")
    if not files:
        raise InputError("no gold files found (expected *.json; see docs/gold-format.md)")
    per: dict[str, Score] = defaultdict(Score)
    total = Score()
    for f in files:
        sc, _ = score_file(f, data)
        source = load_gold(f)["source"]
        per[source].add(sc)
        total.add(sc)
    out = dict(sorted(per.items()))
    out["all"] = total
    return out
