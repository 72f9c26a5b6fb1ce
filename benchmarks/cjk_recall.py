"""Recall of Chinese search: character bigrams (what Podium indexes) against jieba words.

    .venv/bin/python benchmarks/cjk_recall.py [--db corpus.db]

Ground truth for a query word is every turn whose text contains it (a substring scan). The
bigram figure is what ``Store.search`` returns from the real index; the jieba figure is the
turns whose jieba segmentation contains the query's own segmentation as consecutive tokens
(what a jieba-tokenised index would find). Queries: a fixed list of words a reader of the MFA
briefings would type, plus the 20 most frequent two-to-four character jieba words of the
corpus. Needs ``pip install 'podium[cjk-bench]'`` (jieba) for the second column.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

FIXED = ["台湾", "美国", "中方", "香港", "一带一路", "新冠肺炎", "疫情", "合作", "问题", "发展", "南海",
         "外交部", "发言人", "人权", "制裁", "台湾问题", "中美关系", "朝鲜半岛"]
ZH = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "transcripts" / "china_mfa" / "zh"


def _contains(seq: list[str], sub: list[str]) -> bool:
    n = len(sub)
    return any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a store holding the Chinese transcripts (default: ingest them into a temporary one)")
    args = ap.parse_args()

    from podium.store import open_store
    from podium.store.cjk import has_cjk

    tmp = None
    if args.db is None:
        from podium.store.ingest import ingest

        tmp = tempfile.TemporaryDirectory()
        args.db = str(Path(tmp.name) / "zh.db")
        with open_store(args.db) as store:
            ingest(store, [str(ZH)], jobs=1)
    try:
        import jieba

        jieba.setLogLevel(60)
    except ImportError:
        jieba = None
    with open_store(args.db) as store:
        turns = [(f"{t.id}#t{turn.index}", turn.text) for t in store.iter_transcripts() for turn in t.turns
                 if has_cjk(turn.text)]
        t0 = time.perf_counter()
        tokens = {pid: list(jieba.cut(text)) for pid, text in turns} if jieba else {}
        seg_ms = (time.perf_counter() - t0) * 1000
        frequent = Counter(w for toks in tokens.values() for w in toks if 2 <= len(w) <= 4 and has_cjk(w))
        queries = FIXED + [w for w, _ in frequent.most_common(40) if w not in FIXED][:20]
        print(f"{len(turns)} turns with Chinese text; jieba segmentation of all of them took {seg_ms:.0f} ms\n")
        print(f"{'query':<10} {'turns':>6} {'bigrams':>8} {'jieba':>8}")
        recall_b, recall_j = [], []
        for q in queries:
            truth = {pid for pid, text in turns if q in text}
            if not truth:
                continue
            found = {h.permalink for h in store.search(q, limit=10_000)} & truth
            rb = len(found) / len(truth)
            recall_b.append(rb)
            if jieba:
                qt = list(jieba.cut(q))
                rj = len({pid for pid in truth if _contains(tokens[pid], qt)}) / len(truth)
                recall_j.append(rj)
            print(f"{q:<10} {len(truth):>6} {rb:>8.1%} {(f'{rj:.1%}' if jieba else 'n/a'):>8}")
        print(f"\n{'mean':<10} {'':>6} {sum(recall_b) / len(recall_b):>8.1%}"
              f" {(f'{sum(recall_j) / len(recall_j):.1%}' if recall_j else 'n/a'):>8}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
