"""Features of a question-answer pair: embeddings, non-answer cues, question-content overlap.

The builder only ever receives ``Pair`` objects, which hold a question and an answer and
nothing else. Gold labels, annotator columns and model predictions in the data files
(``annotator1..3``, ``gpt3.5_*``) therefore cannot reach the features, by construction;
``tests/test_clarity_features.py`` checks it.

Answers are often far longer than the encoder's 256-token window. The answer is cut into
word windows (``chunk_words``) and up to ``max_chunks`` of them are embedded and
mean-pooled; the question's best match among the chunks is a feature of its own. The cues
and the overlap are computed over the whole answer, however long.
"""

from __future__ import annotations

import math
import os
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from podium.analyze import cues

if TYPE_CHECKING:
    import numpy as np

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
_STOP = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just let me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves mr president sir secretary general say said think going get well also
    question like tell us know want one""".split()
)
_AUX = re.compile(
    r"^\W*(?:(?:and|but|so|now|also|sir|mr\.? \w+|madam \w+)\W+)*"
    r"(do|does|did|is|are|was|were|will|would|can|could|should|shall|have|has|had|may|might|must|"
    r"isn'?t|aren'?t|won'?t|wouldn'?t|don'?t|doesn'?t|didn'?t)\b",
    re.IGNORECASE,
)
_WH = re.compile(r"\b(what|why|how|when|where|who|which|whom|whose)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Pair:
    """A question and the answer given to it: all that the features may look at."""

    question: str
    answer: str


@dataclass(frozen=True)
class FeatureConfig:
    """Which features to build. Stored with a trained model so inference builds the same."""

    chunk_words: int = 70
    max_chunks: int = 1
    embeddings: bool = True
    question_block: bool = False  # the question's own embedding: hurt in cross-validation
    interaction_block: bool = False  # question * answer, element-wise: hurt likewise


RECENT_TEXTS = 4096
"""How many embedded texts ``embed_texts`` keeps, latest first (about 6 MB of vectors)."""

_recent: OrderedDict[str, np.ndarray] = OrderedDict()


def embed_texts(texts: list[str]) -> np.ndarray:
    """``podium.embed.embed`` without the loader's progress bar, each distinct text encoded once.

    Analysing a transcript embeds the same text several times: a question for linking
    (``link.assign``), for its twins (``link._twins``) and for its features; a repeated
    courtesy sentence in every answer. The last ``RECENT_TEXTS`` vectors are kept, so those
    repeats cost nothing: on 12 transcripts of the shared corpus, 1,409 texts asked for
    and 1,127 distinct. The encoder's output for a text does not depend on its batch
    (``tests/test_embed.py``), so a kept vector is the one a new call would give.
    """
    import numpy as np

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from podium.embed import DIM, embed

    found = {t: _recent[t] for t in texts if t in _recent}
    todo = list(dict.fromkeys(t for t in texts if t not in found))
    found.update(zip(todo, embed(todo), strict=True))
    for t, v in found.items():  # kept or refreshed as the latest
        _recent[t] = v
        _recent.move_to_end(t)
    while len(_recent) > RECENT_TEXTS:
        _recent.popitem(last=False)
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i] = found[t]
    return out


def content_words(text: str) -> set[str]:
    """Lower-cased content words with a crude plural strip, for overlap counting."""
    out = set()
    for w in _WORD.findall(text.lower().replace("’", "'")):
        w = w.strip("'-")
        if len(w) > 2 and w not in _STOP:
            out.add(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return out


def chunks(answer: str, size: int, limit: int) -> list[str]:
    """The answer's first ``limit`` windows of ``size`` words (at least one, maybe empty)."""
    words = answer.split()
    parts = [" ".join(words[i : i + size]) for i in range(0, len(words), size)][:limit]
    return parts or [""]


def scalar_names() -> list[str]:
    """Names of the hand-made features, in the order ``scalars`` returns them."""
    return [
        "log_q_words", "log_a_words", "yes_no_question", "wh_question", "a_questions",
        "overlap_all", "overlap_opening", "overlap_count", *cues.names(),
    ]


def scalars(pair: Pair) -> list[float]:
    """Length, question type, content overlap and non-answer cues of one pair."""
    q_words, a_words = pair.question.split(), pair.answer.split()
    qc = content_words(pair.question)
    ac = content_words(pair.answer)
    oc = content_words(" ".join(a_words[:60]))
    share = len(qc & ac) / len(qc) if qc else 0.0
    share_open = len(qc & oc) / len(qc) if qc else 0.0
    return [
        math.log1p(len(q_words)),
        math.log1p(len(a_words)),
        1.0 if _AUX.match(pair.question) else 0.0,
        1.0 if _WH.search(pair.question) else 0.0,
        math.log1p(pair.answer.count("?")),
        share,
        share_open,
        math.log1p(len(qc & ac)),
        *cues.cue_features(pair.answer),
    ]


@dataclass
class FeatureBuilder:
    """Turns pairs into a feature matrix; caches embeddings of texts it has seen."""

    config: FeatureConfig = field(default_factory=FeatureConfig)
    _cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def n_scalars(self) -> int:
        """How many trailing columns are hand-made (similarities and scalars), not embeddings."""
        return len(scalar_names()) + (3 if self.config.embeddings else 0)

    def _embed(self, texts: list[str]) -> dict[str, np.ndarray]:
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            for t, v in zip(todo, embed_texts(todo), strict=True):
                self._cache[t] = v
        return self._cache

    def transform(self, pairs: Sequence[Pair]) -> np.ndarray:
        """One row per pair: [answer embedding, question-answer similarities, scalars].

        The question's embedding and the question*answer product are optional blocks; on
        the SemEval set's cross-validation they lowered macro-F1 (too many dimensions for
        a few hundred pairs), so the default leaves them out.
        """
        import numpy as np

        for p in pairs:
            if not isinstance(p, Pair):
                raise TypeError(f"features are built from Pair objects only, not {type(p).__name__}")
        rows = np.asarray([scalars(p) for p in pairs], dtype=np.float32).reshape(len(pairs), -1)
        if not self.config.embeddings:
            return rows
        cfg = self.config
        parts = [chunks(p.answer, cfg.chunk_words, cfg.max_chunks) for p in pairs]
        vec = self._embed([p.question for p in pairs] + [c for cs in parts for c in cs])
        q = np.stack([vec[p.question] for p in pairs]) if pairs else np.zeros((0, 384), np.float32)
        a = np.zeros_like(q)
        sims = np.zeros((len(pairs), 3), dtype=np.float32)
        for i, cs in enumerate(parts):
            cm = np.stack([vec[c] for c in cs])
            pooled = cm.mean(axis=0)
            a[i] = pooled / (np.linalg.norm(pooled) or 1.0)
            cos = cm @ q[i]
            sims[i] = (float(a[i] @ q[i]), float(cos.max()), float(cos[0]))
        blocks = [q] if cfg.question_block else []
        blocks += [a, q * a] if cfg.interaction_block else [a]
        return np.hstack([*blocks, sims, rows]).astype(np.float32)
