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
THRESHOLD = 0.93
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


MIN_CONTENT_WORDS = 3
"""A question (with its context) saying less than this is never threaded: "Why not?",
"Karine?", "Can I follow up on that?" are asked everywhere and are not the same question."""
_FUNCTION_WORDS = frozenset("""
about after again also been before being could does doing done from have having here into just
know like make many more most much only other over said same should some such than that their
them then there these they this those very want well were what when where which while with
would your yours you're what's that's there's it's can't don't question questions follow
thank thanks please sorry sure okay right going think mean really still something anything
pregunta preguntarle presidente señor buenos días gracias sobre este esta estos estas para
porque cuando donde usted ustedes tiene tienen también había hacer puede pueden""".split())


def content_words(text: str) -> int:
    """How much a text says: distinct words of 4+ letters that are not function words
    (for Chinese and Japanese, every two ideographs count as a word)."""
    import re

    words = {w for w in re.findall(r"[^\W\d_]{4,}", text.lower()) if w not in _FUNCTION_WORDS}
    ideographs = len(re.findall(r"[\u4e00-\u9fff]", text))
    return len(words) + ideographs // 2


def embedding_text(question: str, before: str, words: int = CONTEXT_WORDS) -> str:
    """The text embedded for a question: the last ``words`` words of its turn before it, then it."""
    context = " ".join(before.split()[-words:]) if words else ""
    return f"{context} {question}".strip()


def embed_questions(store: Any, *, batch: int = 256) -> int:
    """Embed every stored question that has no vector yet; returns how many were embedded."""
    from podium import embed as emb

    done = 0
    while rows := store.questions_without_vectors(batch):
        texts = [embedding_text(r["text"], r["before"]) for r in rows]
        vectors = emb.embed(texts)
        store.add_question_vectors(
            {r["key"]: vectors[i].tobytes() for i, r in enumerate(rows)}, MODEL,
            {r["key"]: content_words(t) for r, t in zip(rows, texts, strict=True)},
        )
        done += len(rows)
    return done


# -- the threading rule ------------------------------------------------------------------------


@dataclass
class Pool:
    """Question vectors of one language in processing order, with their threads."""

    keys: list[QuestionKey] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    threads: list[int] = field(default_factory=list)
    eligible: list[bool] | None = None  # None: all may be linked to


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
    threshold: float = THRESHOLD, eligible: Sequence[bool] | None = None,
) -> tuple[list[Link], int]:
    """Thread ``keys`` (already in processing order, all after ``pool``) by the rule above.

    New questions are scored a block at a time against the pool (one matrix product, the
    pool is never copied) and against the new questions before them; within a block each
    row still looks only at earlier rows. Returns the links and the next unused thread id;
    ``pool`` is not modified.
    """
    n_old = len(pool.keys)
    old = pool.vectors.reshape(n_old, -1) if n_old else None
    threads = [*pool.threads]
    allk = [*pool.keys, *keys]
    links: list[Link] = []
    # pool rows of an exchange that also has new questions (a re-threaded transcript) are off limits
    new_exchanges = {(k[0], k[1]) for k in keys}
    banned = [i for i, k in enumerate(pool.keys) if (k[0], k[1]) in new_exchanges
              or (pool.eligible is not None and not pool.eligible[i])] if n_old else []
    ok = np.ones(len(keys), bool) if eligible is None else np.asarray(eligible, bool)
    # start of each new row's exchange among the new rows: rows of one exchange are adjacent
    start = np.zeros(len(keys), np.int64)
    for i in range(1, len(keys)):
        same = keys[i][0] == keys[i - 1][0] and keys[i][1] == keys[i - 1][1]
        start[i] = start[i - 1] if same else i
    for a in range(0, len(keys), BLOCK):
        b = min(a + BLOCK, len(keys))
        with np.errstate(all="ignore"):  # BLAS may leave stale FP flags; values are unit-vector dots
            own = vectors[a:b] @ vectors[:b].T
            own[:, ~ok[:b]] = -1.0  # questions that say too little are never linked to
            before = vectors[a:b] @ old.T if old is not None else None
        if before is not None and banned:
            before[:, banned] = -1.0
        best_old = before.argmax(axis=1) if before is not None else None
        for r in range(b - a):
            i = a + r
            j, sim = -1, -1.0
            if best_old is not None:
                j, sim = int(best_old[r]), float(before[r, best_old[r]])  # type: ignore[index]
            limit = int(start[i])  # earlier new rows, minus this question's own exchange
            if limit > 0:
                jn = int(np.argmax(own[r, :limit]))
                if float(own[r, jn]) > sim:
                    j, sim = n_old + jn, float(own[r, jn])
            if j >= 0 and sim >= threshold and ok[i]:
                threads.append(threads[j])
                links.append(Link(allk[n_old + i], threads[j], allk[j], round(sim, 4)))
            else:
                threads.append(next_thread)
                links.append(Link(allk[n_old + i], next_thread, None, None))
                next_thread += 1
    return links, next_thread


def threadable(row: tuple[Any, ...]) -> bool:
    """Whether a ``question_vectors`` row says enough to be threaded (unmeasured rows do)."""
    return row[7] is None or row[7] >= MIN_CONTENT_WORDS


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
            eligible=[threadable(r) for r in old],
        )
        got, next_thread = thread_new(
            pool, [(r[0], r[1], r[2]) for r in new], _decode([r[6] for r in new]), next_thread,
            threshold_for(lang, threshold), [threadable(r) for r in new],
        )
        links += got
    store.set_thread_members(
        [(lk.key, lk.thread, lk.linked_to, lk.similarity) for lk in links], replace_all=rebuild
    )
    return Report(
        threaded=len(links), threads=len({lk.thread for lk in links}),
        seconds=time.perf_counter() - started, rebuilt=rebuild,
    )
