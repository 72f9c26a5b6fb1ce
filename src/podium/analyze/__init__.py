"""Analysis of parsed transcripts: did each question get an answer?

``analyze(transcript)`` links each individual question to the answer sentences that address
it (``answer_spans``) and labels it with a clarity and an evasion label and their calibrated
scores (``Question.clarity`` / ``Question.evasion``). ``podium parse --analyze`` and
``podium ingest --analyze`` call it. Needs the ``analyze`` extra (sentence embeddings).
"""

from __future__ import annotations

from typing import Any

try:
    import numpy  # noqa: F401
except ImportError:  # a one-line usage error, not a traceback, without the extra
    from podium.errors import UsageError

    raise UsageError("clarity analysis needs the analyze extra: pip install 'podium[analyze]'") from None

from podium.analyze.clarity import ClarityModel, Prediction, classify, default_model
from podium.analyze.encoder import EncoderModel
from podium.analyze.features import Pair
from podium.analyze.link import link_answers, spans_of
from podium.model import Score, Transcript

__all__ = ["ClarityModel", "Pair", "Prediction", "analyze", "classify", "default_model"]


def analyze(transcript: Transcript, model: ClarityModel | Any = None) -> Transcript:
    """A copy of ``transcript`` with answer spans, clarity and evasion on every question.

    In a multi-part question turn each question is classified against the sentences linked
    to it, so "do you have a date yet?" is judged by the sentence about the date, not by
    the whole answer; a lone question, or one no sentence was linked to, is judged against
    the whole answer (as in the QEvasion data the model learned from). Exchanges without an
    answer turn are left unlabelled.
    """
    m = model or default_model()
    t = transcript.model_copy(deep=True)
    todo = []
    for ex in t.exchanges:
        if not ex.answer_turns or not ex.questions:
            continue
        linked = link_answers(t, ex)
        whole = " ".join(t.turns[i].text for i in ex.answer_turns)
        for q in ex.questions:
            sents = linked[q.index]
            q.answer_spans = spans_of(sents)
            own = " ".join(s.text for s in sents)
            answer = own if len(ex.questions) > 1 and own else whole
            todo.append((q, Pair(q.text, answer)))
    for (q, _), p in zip(todo, m.predict([pair for _, pair in todo]), strict=True):
        q.clarity = Score(label=p.clarity, score=round(p.clarity_score, 4))
        q.evasion = Score(label=p.evasion, score=round(p.evasion_score, 4))
    t.analysis["clarity"] = {
        "model": "podium.clarity-v2" if isinstance(m, EncoderModel) else "podium.clarity-v1",
        "trained_on": m.meta.get("trained_on"),
        "scores": "calibrated probabilities of the given label",
    }
    return t
