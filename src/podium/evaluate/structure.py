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
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from podium import readers
from podium.errors import InputError
from podium.model import Exchange, Transcript
from podium.parse import parse_document
from podium.parse._text import name_key
from podium.parse.header import organisation_key

KINDS = {"statement", "moderation", "question", "answer", "closing", "other"}
ROLES = {"journalist", "official", "moderator", "principal", "unknown"}
META_KEYS = ("title", "date", "event_type", "principal", "language", "organisation")
_SLACK = 3  # characters a parsed turn may start away from the snippet (stray punctuation)


@dataclass
class Score:
    """Counts for one file or one source; rates are ``hits / total``.

    ``qcount`` is over the ``qcount_total`` gold exchanges that carry a question count;
    ``outlet_ok`` over the ``outlet_total`` gold exchanges that name an outlet;
    ``parsed_exchanges_ok`` over the ``parsed_exchanges`` that start inside the annotated stretch.
    """

    files: int = 0
    turns: int = 0
    recalled: int = 0
    spurious: int = 0
    speaker: int = 0
    kind: int = 0
    exchanges: int = 0
    asker: int = 0
    qcount: int = 0
    qcount_total: int = 0
    outlet_ok: int = 0
    outlet_total: int = 0
    parsed_exchanges: int = 0
    parsed_exchanges_ok: int = 0
    meta_total: int = 0
    meta_ok: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for f in fields(self):
            if f.name != "errors":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
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
            "question_count_acc": rate(self.qcount, self.qcount_total),
            "exchange_precision": rate(self.parsed_exchanges_ok, self.parsed_exchanges),
            "outlet_acc": rate(self.outlet_ok, self.outlet_total),
            "metadata_acc": rate(self.meta_ok, self.meta_total),
        }


def load_gold(path: Path) -> dict[str, Any]:
    """Read and check one gold file; raises ``InputError`` naming the file and the problem."""
    try:
        gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
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


def gold_source(gold_path: Path, gold: dict[str, Any], data: Path | None) -> Path:
    """The transcript a gold file points at. A ``file`` starting with ``./`` or ``../`` is
    relative to the gold file's own folder (project fixtures); any other is relative to the
    shared data folder, so corpus gold never needs the corpus inside the repository."""
    rel: str = gold["file"]
    if rel.startswith(("./", "../")):
        return gold_path.resolve().parent / rel
    return data_root(gold_path, data) / rel


def score_file(gold_path: Path, data: Path | None = None) -> tuple[Score, Transcript]:
    """Score the parse of one gold file's transcript."""
    gold = load_gold(gold_path)
    doc = readers.read(gold_source(gold_path, gold, data))
    t = parse_document(doc)
    return score_parse(gold, doc.plain, t, gold_path.name), t


def score_parse(gold: dict[str, Any], plain: str, t: Transcript, name: str = "gold") -> Score:
    """Score a parse ``t`` of ``plain`` against a loaded gold file; ``name`` prefixes errors.

    Pure (no reading, no parsing), so constructed transcripts can be scored in tests."""
    sc = Score(files=1)
    starts = {turn.span[0]: turn.index for turn in t.turns}
    pos = 0
    matched: dict[int, int] = {}
    offsets: dict[int, int] = {}
    for gi, (snippet, speaker, kind) in enumerate(gold["turns"]):
        sc.turns += 1
        m = _find(plain, snippet, pos)
        if m is None:
            sc.errors.append(f"{name}: turn {gi}: snippet {snippet!r} not in the text")
            continue
        pos = m.end()
        offsets[gi] = m.start()
        ti = _turn_starting_at(starts, m.start())
        if ti is None:
            sc.errors.append(f"{name}: turn {gi} ({snippet[:30]!r}) is not a parsed turn start")
            continue
        sc.recalled += 1
        matched[gi] = ti
        pt = t.turns[ti]
        if _same_person(speaker, t, pt.speaker):
            sc.speaker += 1
        else:
            sc.errors.append(f"{name}: turn {gi} ({snippet[:30]!r}): speaker {_who(t, pt.speaker)!r}, gold {speaker!r}")
        if pt.kind == kind:
            sc.kind += 1
        else:
            sc.errors.append(f"{name}: turn {gi} ({snippet[:30]!r}): kind {pt.kind}, gold {kind}")
    stretch = (min(offsets.values()), max(offsets.values())) if offsets else None
    if stretch is not None:
        hit = set(matched.values())
        sc.spurious = sum(1 for turn in t.turns
                          if stretch[0] <= turn.span[0] <= stretch[1] and turn.index not in hit)
    _score_exchanges(sc, gold.get("exchanges", []), offsets, stretch, t, name)
    meta = t.metadata.model_dump()
    for key, want in gold.get("metadata", {}).items():
        sc.meta_total += 1
        got = meta.get(key)
        if key == "organisation" and isinstance(got, str) and isinstance(want, str):
            got_key, want_key = organisation_key(got), organisation_key(want)
        else:
            got_key, want_key = _norm(got), _norm(want)
        if got_key == want_key:
            sc.meta_ok += 1
        else:
            sc.errors.append(f"{name}: metadata {key}: {got!r}, gold {want!r}")
    return sc


def _turn_starting_at(starts: dict[int, int], offset: int) -> int | None:
    """The parsed turn that starts at ``offset`` (within the slack), nearest first."""
    for d in sorted(range(-_SLACK, _SLACK + 1), key=abs):
        if offset + d in starts:
            return starts[offset + d]
    return None


def pair_exchange(offset: int, t: Transcript) -> Exchange | None:
    """The parsed exchange a gold exchange whose question turn starts at ``offset`` is compared
    with: the one whose question turn starts there (within the slack); else, where the parser
    merged or split turns so that none starts there, the one whose question turn contains it."""
    qturns = [(e, t.turns[e.question_turn]) for e in t.exchanges if 0 <= e.question_turn < len(t.turns)]
    at = [(abs(turn.span[0] - offset), e) for e, turn in qturns if abs(turn.span[0] - offset) <= _SLACK]
    if at:
        return min(at, key=lambda de: de[0])[1]
    return next((e for e, turn in qturns if turn.span[0] <= offset < turn.span[1]), None)


def _score_exchanges(sc: Score, exchanges: list[dict[str, Any]], offsets: dict[int, int],
                     stretch: tuple[int, int] | None, t: Transcript, name: str) -> None:
    """Asker, question-count and outlet accuracy over gold exchanges; exchange precision over
    the parsed exchanges that start inside the annotated stretch."""
    paired: set[int] = set()
    for ex in exchanges:
        sc.exchanges += 1
        want_outlet = ex.get("outlet")
        if want_outlet is not None:
            sc.outlet_total += 1
        if "questions" in ex:
            sc.qcount_total += 1
        where = f"{name}: exchange at gold turn {ex['turn']}"
        off = offsets.get(ex["turn"])
        pe = pair_exchange(off, t) if off is not None else None
        if pe is None:
            sc.errors.append(f"{where}: none parsed")
            continue
        paired.add(pe.index)
        if _same_person(ex.get("asker"), t, pe.asker):
            sc.asker += 1
        else:
            sc.errors.append(f"{where}: asker {_who(t, pe.asker)!r}, gold {ex.get('asker')!r}")
        if "questions" in ex:
            if len(pe.questions) == ex["questions"]:
                sc.qcount += 1
            else:
                sc.errors.append(f"{where}: {len(pe.questions)} questions, gold {ex['questions']}")
        if want_outlet is not None:
            got = _parsed_outlets(pe, t)
            if any(same_outlet(g, want_outlet) for g in got):
                sc.outlet_ok += 1
            else:
                sc.errors.append(f"{where}: outlet {got[0] if got else None!r}, gold {want_outlet!r}")
    if stretch is None:
        return
    for e in t.exchanges:
        if 0 <= e.question_turn < len(t.turns) and stretch[0] <= t.turns[e.question_turn].span[0] <= stretch[1]:
            sc.parsed_exchanges += 1
            if e.index in paired:
                sc.parsed_exchanges_ok += 1
            else:
                q = t.turns[e.question_turn]
                sc.errors.append(f"{name}: parsed exchange {e.index} (turn {q.index}, {q.text[:30]!r}) is no gold exchange")


def _parsed_outlets(e: Exchange, t: Transcript) -> list[str]:
    """Outlets the parse gives an exchange: its own, then its asker's as written and expanded."""
    p = t.participant(e.asker)
    cands = [e.outlet, p.outlet if p else None, p.outlet_name if p else None]
    return [c for c in cands if c]


def _outlet_key(name: str) -> str:
    return re.sub(r"^the(?:\s+|$)", "", name_key(name))


def same_outlet(got: str, gold: str) -> bool:
    """Outlet names agree up to case, accents and a leading 'the', or when one contains the
    other as whole words ("Bloomberg" in "Bloomberg News"; not "AP" in "Capital FM")."""
    a, b = _outlet_key(got), _outlet_key(gold)
    return bool(a and b) and (f" {a} " in f" {b} " or f" {b} " in f" {a} ")


def _who(t: Transcript, pid: str | None) -> str | None:
    p = t.participant(pid)
    return (p.name or f"?{p.role}") if p else None


def _norm(value: Any) -> Any:
    """Spacing, case and typographic apostrophes do not count as disagreements."""
    return " ".join(value.replace("’", "'").split()).casefold() if isinstance(value, str) else value


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
