"""Question threads: the same question asked again, across transcripts and institutions.

What a question means often lies partly before it ("On Taiwan: what is your response?"), so
each question is embedded with up to ``CONTEXT_WORDS`` words of its question turn before it
(``podium.embed``, MiniLM). Threads then come from one rule, applied to questions in time
order: a question joins the thread of its most similar earlier question of the same language
when that cosine is at least ``THRESHOLD``, and starts a thread otherwise. Questions of the
same exchange (the parts of one multi-part turn) never link to each other.

Why this rule: it was measured against the other candidates on the hand-labelled pairs in
``tests/gold/question-pairs`` (``benchmarks/bench_threads.py --eval`` prints the table; the
numbers are in ``docs/threads.md``). It is also what makes an incremental update exact:
a new transcript's questions only look back, so adding one never moves an old question; a
rebuild (``podium threads --rebuild``) gives the same threads as adding every transcript in
date order.

Languages: the model is English-only (its vocabulary covers Spanish words and Chinese
characters, but it was trained on English pairs and does not align other languages with
English), so threads never cross languages: each language's questions are threaded among
themselves. Chinese and Spanish questions thread within their language, but at
``OTHER_LANGUAGES``, a threshold so high that only near-identical questions join: measured on
the labelled pairs, the model's similarities in those languages say little about meaning.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from podium.store.threads import QuestionKey

MODEL = "all-MiniLM-L6-v2+ctx24"
"""The recipe stored with each question vector: the model and the context length."""
CONTEXT_WORDS = 24
THRESHOLD = 0.80
"""English: chosen on the labelled pairs (see the module docstring and docs/threads.md)."""
OTHER_LANGUAGES = 0.97
"""Languages the English model does not read (Chinese, Spanish): on the labelled pairs no
pair above the English threshold was the same question, so only near-identical wording
(in the same context) threads there."""


def threshold_for(language: str, english: float | None = None) -> float:
    """The threshold for a language's questions (``english`` overrides the English one)."""
    en = THRESHOLD if english is None else english
    return en if language in ("en", "") else max(en, OTHER_LANGUAGES)
BLOCK = 1024


def embedding_text(question: str, before: str, words: int = CONTEXT_WORDS) -> str:
    """The text embedded for a question: the last ``words`` words of its turn before it, then it."""
    context = " ".join(before.split()[-words:]) if words else ""
    return f"{context} {question}".strip()


def embed_questions(store: Any, *, batch: int = 256) -> int:
    """Embed every stored question that has no vector yet; returns how many were embedded."""
    from podium import embed as emb

    done = 0
    while rows := store.questions_without_vectors(batch):
        vectors = emb.embed([embedding_text(r["text"], r["before"]) for r in rows])
        store.add_question_vectors({r["key"]: vectors[i].tobytes() for i, r in enumerate(rows)}, MODEL)
        done += len(rows)
    return done


# -- the threading rule ------------------------------------------------------------------------


@dataclass
class Pool:
    """Question vectors of one language in processing order, with their threads."""

    keys: list[QuestionKey] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    threads: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Link:
    """Where a question went: its thread, and the earlier question it joined (if any)."""

    key: QuestionKey
    thread: int
    linked_to: QuestionKey | None
    similarity: float | None


def order_key(row: tuple[Any, ...]) -> tuple[str, str, int, int]:
    """Time order: event date (undated last), then transcript, exchange and question."""
    tid, ex, q, _lang, date = row[:5]
    return (date or "9999", tid, ex, q)


def thread_new(
    pool: Pool, keys: Sequence[QuestionKey], vectors: np.ndarray, next_thread: int,
    threshold: float = THRESHOLD,
) -> tuple[list[Link], int]:
    """Thread ``keys`` (already in processing order, all after ``pool``) by the rule above.

    Scores are computed a block at a time against everything before the block; within a
    block each row still looks only at earlier rows. Returns the links and the next unused
    thread id; ``pool`` is not modified.
    """
    n_old = len(pool.keys)
    allv = np.concatenate([pool.vectors.reshape(n_old, -1), vectors]) if n_old else vectors
    allk = [*pool.keys, *keys]
    threads = [*pool.threads]
    links: list[Link] = []
    # start of each row's exchange in allk: rows of the same exchange are adjacent
    start = np.zeros(len(allk), np.int64)
    for i in range(1, len(allk)):
        same = allk[i][0] == allk[i - 1][0] and allk[i][1] == allk[i - 1][1]
        start[i] = start[i - 1] if same else i
    for a in range(0, len(keys), BLOCK):
        rows = range(n_old + a, n_old + min(a + BLOCK, len(keys)))
        scores = allv[rows.start : rows.stop] @ allv[: rows.stop].T
        for r, i in enumerate(rows):
            limit = int(start[i])  # earlier rows, minus this question's own exchange
            if limit > 0:
                j = int(np.argmax(scores[r, :limit]))
                sim = float(scores[r, j])
            else:
                j, sim = -1, -1.0
            if sim >= threshold:
                threads.append(threads[j])
                links.append(Link(allk[i], threads[j], allk[j], round(sim, 4)))
            else:
                threads.append(next_thread)
                links.append(Link(allk[i], next_thread, None, None))
                next_thread += 1
    return links, next_thread


def _decode(blobs: Sequence[bytes]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, 0), np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1)


@dataclass
class Report:
    threaded: int = 0
    threads: int = 0
    seconds: float = 0.0
    rebuilt: bool = False


def update_threads(store: Any, *, rebuild: bool = False, threshold: float | None = None) -> Report:
    """Thread the questions that have a vector but no thread (all of them with ``rebuild``).

    New questions come after the threaded ones, in time order among themselves; old
    memberships are never changed, so one new transcript costs one block of scores.
    """
    started = time.perf_counter()
    rows = store.question_vectors()
    have = {} if rebuild else store.thread_memberships()
    rows.sort(key=order_key)
    links: list[Link] = []
    next_thread = max(have.values(), default=0) + 1
    for lang in sorted({r[3] for r in rows}):
        mine = [r for r in rows if r[3] == lang]
        old = [r for r in mine if (r[0], r[1], r[2]) in have]
        new = [r for r in mine if (r[0], r[1], r[2]) not in have]
        if not new:
            continue
        pool = Pool(
            keys=[(r[0], r[1], r[2]) for r in old],
            vectors=_decode([r[6] for r in old]),
            threads=[have[(r[0], r[1], r[2])] for r in old],
        )
        got, next_thread = thread_new(
            pool, [(r[0], r[1], r[2]) for r in new], _decode([r[6] for r in new]), next_thread,
            threshold_for(lang, threshold),
        )
        links += got
    store.set_thread_members(
        [(lk.key, lk.thread, lk.linked_to, lk.similarity) for lk in links], replace_all=rebuild
    )
    return Report(
        threaded=len(links), threads=len({lk.thread for lk in links}),
        seconds=time.perf_counter() - started, rebuilt=rebuild,
    )
