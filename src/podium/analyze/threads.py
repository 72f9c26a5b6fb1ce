"""Question threads: the same question asked again, across transcripts and institutions.

What a question means often lies partly before it ("On Taiwan: what is your response?"), so
each question is embedded with up to ``CONTEXT_WORDS`` words of its question turn before it,
without greetings and self-introductions (``thread_text``; ``podium.embed``, MiniLM).
Threads then come from one rule, applied to questions in time order: a question joins the
thread of its most similar earlier question of the same language when that cosine is at
least ``THRESHOLD``, and starts a thread otherwise. Questions of the
same exchange (the parts of one multi-part turn) never link to each other.

Why this rule: it was measured against the other candidates (connected components, mutual
nearest neighbours, cosine plus subject-word overlap) on the dev half of the hand-labelled
pairs in ``tests/gold/question-pairs`` (``benchmarks/bench_threads.py --eval``; the numbers
are in ``docs/threads.md``): none did better at the precision a reader needs. It is also what makes an incremental update exact:
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

from podium.analyze.thread_text import CONTEXT_WORDS, embedding_text, subject_words
from podium.store.threads import QuestionKey

MODEL = f"all-MiniLM-L6-v2+clean-ctx{CONTEXT_WORDS}"
"""The recipe stored with each question vector: the model and the context (``thread_text``)."""
THRESHOLD = 0.92
"""English: the largest recall at precision >= 0.85 on the dev half of the labelled pairs
(``benchmarks/bench_threads.py --eval``; the held-out half was scored once, at this value;
see docs/threads.md)."""
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
"Karine?", "Can I follow up on that?" are asked everywhere and are not the same question.
Counted by ``thread_text.subject_words``."""


def embed_questions(store: Any, *, batch: int = 256) -> int:
    """Embed every stored question that has no vector yet, or one made by another recipe
    than ``MODEL``; returns how many were embedded."""
    from podium import embed as emb

    done = 0
    while rows := store.questions_without_vectors(batch, MODEL):
        texts = [embedding_text(r["text"], r["before"], r["language"]) for r in rows]
        vectors = emb.embed(texts)
        store.add_question_vectors(
            {r["key"]: vectors[i].tobytes() for i, r in enumerate(rows)}, MODEL,
            {r["key"]: len(subject_words(t, r["language"])) for r, t in zip(rows, texts, strict=True)},
        )
        done += len(rows)
    return done


# -- the threading rule ------------------------------------------------------------------------


@dataclass
class Pool:
    """Question vectors of one language in processing order, with their threads."""

    keys: Sequence[QuestionKey] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    threads: Sequence[int] = field(default_factory=list)
    eligible: Sequence[bool] | None = None  # None: all may be linked to


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

    def key(j: int) -> QuestionKey:
        return pool.keys[j] if j < n_old else keys[j - n_old]

    links: list[Link] = []
    # pool rows of an exchange that also has new questions (a re-threaded transcript) are off limits
    banned = _banned(pool, keys) if n_old else []
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
                links.append(Link(keys[i], threads[j], key(j), round(sim, 4)))
            else:
                threads.append(next_thread)
                links.append(Link(keys[i], next_thread, None, None))
                next_thread += 1
    return links, next_thread


class _Keys(Sequence[QuestionKey]):
    """Keys of some pool rows, made only when asked for (a new question's match)."""

    def __init__(self, rows: Any, at: Sequence[int]) -> None:
        self.rows, self.at = rows, at

    def __len__(self) -> int:
        return len(self.at)

    def __getitem__(self, i: Any) -> Any:
        return self.rows.key(self.at[i])

    def transcripts(self) -> list[str]:
        return [self.rows.transcripts[i] for i in self.at]


def _banned(pool: Pool, keys: Sequence[QuestionKey]) -> list[int]:
    """Pool rows never linked to: those that say too little, and those of an exchange that
    also has new questions (a transcript threaded again)."""
    tids = pool.keys.transcripts() if isinstance(pool.keys, _Keys) else [k[0] for k in pool.keys]
    new_transcripts = {k[0] for k in keys}
    new_exchanges = {(k[0], k[1]) for k in keys}
    out = [i for i, t in enumerate(tids) if t in new_transcripts and (t, pool.keys[i][1]) in new_exchanges]
    if pool.eligible is not None:
        out += [int(i) for i in np.flatnonzero(~np.asarray(pool.eligible, bool))]
    return out


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


def _pool(store: Any, file: Any, stamp: tuple[str, int, int]) -> Any:
    """The threaded questions: from the pool file when it is current, else from the database
    (and the file is rewritten)."""
    from podium.store.thread_pool import PoolRows

    rows = file.load(stamp[0], stamp[1])
    if rows is not None:
        return rows, True
    got = store.threaded_question_vectors()
    rows = PoolRows(
        transcripts=[r[0] for r in got], exchanges=[r[1] for r in got], questions=[r[2] for r in got],
        languages=[r[3] for r in got], threads=[r[4] for r in got],
        eligible=[r[5] is None or r[5] >= MIN_CONTENT_WORDS for r in got], vectors=_decode([r[6] for r in got]),
    )
    return rows, False


def update_threads(store: Any, *, rebuild: bool = False, threshold: float | None = None) -> Report:
    """Thread the questions that have a vector but no thread (all of them with ``rebuild``).

    New questions come after the threaded ones, in time order among themselves; old
    memberships are never changed, so one new transcript costs one block of scores against
    the threaded questions, read from the pool file beside the store (``store.thread_pool``)
    rather than the database when it is current.
    """
    from podium.store.thread_pool import PoolRows, ThreadPool, empty, folder_for

    started = time.perf_counter()
    file = ThreadPool(folder_for(store))
    stamp = store.threads_stamp()
    if rebuild:
        new = store.question_vectors()
        old, current, next_thread = empty(), False, 1
    else:
        new = store.unthreaded_question_vectors()
        old, current = _pool(store, file, stamp)
        if not new:  # nothing to thread: only make the pool file current for the next update
            if not current:
                file.write(old, stamp[0])
            return Report(seconds=time.perf_counter() - started)
        next_thread = stamp[2] + 1
    new.sort(key=order_key)
    links: list[Link] = []
    for lang in sorted({r[3] for r in new}):
        mine = [r for r in new if r[3] == lang]
        at = [i for i, x in enumerate(old.languages) if x == lang]
        whole = len(at) == len(old)
        pool = Pool(
            keys=_Keys(old, at), vectors=old.vectors if whole else old.vectors[at],
            threads=old.threads if whole else [old.threads[i] for i in at],
            eligible=old.eligible if whole else [old.eligible[i] for i in at],
        )
        got, next_thread = thread_new(
            pool, [(r[0], r[1], r[2]) for r in mine], _decode([r[6] for r in mine]), next_thread,
            threshold_for(lang, threshold), [threadable(r) for r in mine],
        )
        links += got
    new_stamp = store.set_thread_members(
        [(lk.key, lk.thread, lk.linked_to, lk.similarity) for lk in links], replace_all=rebuild
    )
    by_key = {(r[0], r[1], r[2]): r for r in new}
    added = PoolRows(
        transcripts=[lk.key[0] for lk in links], exchanges=[lk.key[1] for lk in links],
        questions=[lk.key[2] for lk in links], languages=[by_key[lk.key][3] for lk in links],
        threads=[lk.thread for lk in links], eligible=[threadable(by_key[lk.key]) for lk in links],
        vectors=_decode([by_key[lk.key][6] for lk in links]),
    )
    if current:
        file.append(old, added, new_stamp)
    elif rebuild:
        file.write(added, new_stamp)
    else:
        file.write(_concat(old, added), new_stamp)
    return Report(
        threaded=len(links), threads=len({lk.thread for lk in links}),
        seconds=time.perf_counter() - started, rebuilt=rebuild,
    )


def _concat(a: Any, b: Any) -> Any:
    from podium.store.thread_pool import PoolRows

    if not len(a):
        return b
    return PoolRows(a.transcripts + b.transcripts, a.exchanges + b.exchanges, a.questions + b.questions,
                    a.languages + b.languages, a.threads + b.threads, a.eligible + b.eligible,
                    np.concatenate([a.vectors, b.vectors]))
