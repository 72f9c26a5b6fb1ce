"""Baselines that every evaluation table shows next to Podium's model: they give the gain."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from podium.analyze.features import Pair


class Majority:
    """Always the most frequent training label."""

    def fit(self, pairs: Sequence[Pair], labels: Sequence[str]) -> Majority:
        self.label = Counter(labels).most_common(1)[0][0]
        return self

    def predict(self, pairs: Sequence[Pair]) -> list[str]:
        return [self.label] * len(pairs)


class TfidfLR:
    """TF-IDF of question and answer words (1-2 grams) into a logistic regression.

    The published QEvasion baseline; ``balanced=True`` adds balanced class weights, the
    stronger variant on skewed labels, so Podium's model is compared with the better of both.
    """

    def __init__(self, balanced: bool = False, seed: int = 0) -> None:
        self.balanced, self.seed = balanced, seed

    @staticmethod
    def _text(pairs: Sequence[Pair]) -> list[str]:
        return [f"{p.question} [SEP] {p.answer}" for p in pairs]

    def fit(self, pairs: Sequence[Pair], labels: Sequence[str]) -> TfidfLR:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self.model: Any = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
            LogisticRegression(max_iter=3000, class_weight="balanced" if self.balanced else None,
                               random_state=self.seed),
        )
        self.model.fit(self._text(pairs), list(labels))
        return self

    def predict(self, pairs: Sequence[Pair]) -> list[str]:
        return [str(x) for x in self.model.predict(self._text(pairs))]
