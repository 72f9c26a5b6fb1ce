"""Reading the labelled QEvasion data: the public test split, the SemEval set, any train split.

Rows come back as ``LabelledPair``: a ``Pair`` (the only thing features may see) plus gold
labels kept apart from it, so label columns (``annotator1..3``, ``gpt3.5_*``,
``clarity_label``...) can never leak into the features by construction.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from podium.analyze.features import Pair
from podium.analyze.labels import EVASION_TO_CLARITY, normalise
from podium.errors import InputError, UsageError

csv.field_size_limit(10_000_000)

_LEADING_LABEL = re.compile(r"^\s*(?:Q\.|THE PRESIDENT\.|The President\.)\s*")


@dataclass(frozen=True)
class LabelledPair:
    """One question-answer pair with its gold labels.

    ``evasion`` holds every annotator's evasion label (one for the train split, two or three
    for the evaluation sets); ``group`` identifies the answer, so pairs sharing an answer
    stay in one fold during cross-validation.
    """

    pair: Pair
    clarity: str
    evasion: tuple[str, ...]
    source: str
    group: str

    @property
    def evasion_majority(self) -> str:
        """The most frequent annotator label; a tie goes to the first annotator's label."""
        counts = {lab: self.evasion.count(lab) for lab in self.evasion}
        best = max(counts.values())
        return next(lab for lab in self.evasion if counts[lab] == best)


def default_dir() -> Path:
    """``../shared/data/qevasion`` beside the project checkout (or the current directory)."""
    here = Path(__file__).resolve()
    for base in [Path.cwd(), *here.parents]:
        cand = base / ".." / "shared" / "data" / "qevasion"
        if cand.is_dir():
            return cand.resolve()
    return (Path.cwd() / ".." / "shared" / "data" / "qevasion").resolve()


def clean(text: str) -> str:
    """Drop the American Presidency Project speaker prefixes and squeeze white space."""
    return re.sub(r"\s+", " ", _LEADING_LABEL.sub("", text.strip())).strip()


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read QEvasion CSV: {exc}") from None


def _pair(row: dict[str, str]) -> Pair:
    return Pair(question=clean(row.get("question") or row.get("interview_question") or ""),
                answer=clean(row.get("interview_answer") or ""))


def _group(row: dict[str, str]) -> str:
    return f"{row.get('url', '')}|{clean(row.get('interview_answer', ''))[:200]}"


def load_public_test(root: Path | None = None) -> list[LabelledPair]:
    """The 308-row Hugging Face test split: clarity gold plus three annotators' evasion labels."""
    path = (root or default_dir()) / "hf_test_split" / "test.csv"
    out = []
    for row in _read_csv(path):
        ev = tuple(lab for k in ("annotator1", "annotator2", "annotator3") if (lab := normalise(row[k])))
        clar = normalise(row["clarity_label"])
        if clar and ev:
            out.append(LabelledPair(_pair(row), clar, ev, "public_test", _group(row)))
    return out


def load_semeval(root: Path | None = None) -> list[LabelledPair]:
    """The 237-row SemEval-2026 evaluation set with the two annotators' evasion labels."""
    base = (root or default_dir()) / "semeval2026_eval"
    rows = _read_csv(base / "clarity_task_evaluation_dataset.csv")
    clar = (base / "task1_eval_labels.txt").read_text(encoding="utf-8").splitlines()
    ev = (base / "task2_eval_labels.txt").read_text(encoding="utf-8").splitlines()
    if not (len(rows) == len(clar) == len(ev)):
        raise InputError(f"{base}: {len(rows)} rows but {len(clar)}/{len(ev)} label lines")
    out = []
    for row, c, e in zip(rows, clar, ev, strict=True):
        labs = tuple(lab for part in e.split(",") if (lab := normalise(part)))
        cl = normalise(c)
        if cl and labs:
            out.append(LabelledPair(_pair(row), cl, labs, "semeval", _group(row)))
    return out


def load_train(root: Path | None = None) -> list[LabelledPair]:
    """Every ``train/*.csv`` in the HF schema (``clarity_label``, ``evasion_label``), if any.

    A row whose evasion label is blank falls back to its annotators' labels; a row whose
    clarity label is blank takes the clarity implied by its evasion label.
    """
    out = []
    for path in sorted(((root or default_dir()) / "train").glob("*.csv")):
        for row in _read_csv(path):
            gold = normalise(row.get("evasion_label") or "")
            ev = (gold,) if gold else tuple(
                lab for k in ("annotator1", "annotator2", "annotator3")
                if (lab := normalise(row.get(k) or ""))
            )
            if not ev:
                continue
            cl = normalise(row.get("clarity_label") or "") or EVASION_TO_CLARITY[ev[0]]
            out.append(LabelledPair(_pair(row), cl, ev, f"train:{path.name}", _group(row)))
    return out


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _keys(p: Pair) -> set[str]:
    """Keys under which a row counts as the same row in another split.

    SOURCE.md matches question text plus the answer's first 200 characters; letters and
    digits only, so quoting and dashes do not hide a match. A question of five words or more
    also matches on its own (the same sub-question with a differently cut answer).
    """
    q = _norm(p.question)
    keys = {f"qa:{q}|{_norm(p.answer[:200])}"}
    if len(p.question.split()) >= 5:
        keys.add(f"q:{q}")
    return keys


def load_hf_train(root: Path | None = None, exclude: Sequence[LabelledPair] = ()) -> list[LabelledPair]:
    """The 3,448-row Hugging Face train split (``hf_train_split/*.parquet``), cleaned for training.

    Exact duplicate rows (same question, answer and labels) are kept once, and every row that
    coincides with a row of ``exclude`` (the public test split and the SemEval set) is
    dropped, so nothing evaluated on is trained on. ``SOURCE.md`` counts one such row in
    each; the public-test one is found (by its question), the SemEval one is not there: no
    train row shares a document, a question or a 200-character answer opening with the
    SemEval set (``tests/test_clarity_v2.py``). Needs pyarrow.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("reading the parquet train split needs pyarrow: pip install 'podium[train]'") from None
    files = sorted(((root or default_dir()) / "hf_train_split").glob("*.parquet"))
    if not files:
        raise InputError(f"{root or default_dir()}: no hf_train_split/*.parquet")
    banned = {k for x in exclude for k in _keys(x.pair)}
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for path in files:
        try:
            rows = pq.read_table(path).to_pylist()
        except Exception as exc:  # pyarrow raises several types for a bad file
            raise InputError(f"{path}: cannot read parquet ({exc})") from None
        for row in rows:
            row = {k: ("" if v is None else str(v)) for k, v in row.items()}
            gold = normalise(row.get("evasion_label") or "")
            if not gold:
                continue
            p = _pair(row)
            cl = normalise(row.get("clarity_label") or "") or EVASION_TO_CLARITY[gold]
            dup = (p.question, p.answer, cl, gold)
            if dup in seen or _keys(p) & banned:
                continue
            seen.add(dup)
            out.append(LabelledPair(p, cl, (gold,), f"hf_train:{path.name}", _group(row)))
    return out
