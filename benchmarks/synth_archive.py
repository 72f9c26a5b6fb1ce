"""Write a synthetic archive of press-conference transcripts for scale runs.

    .venv/bin/python benchmarks/synth_archive.py OUT --n 10000        # 10^4 files into OUT/
    .venv/bin/python benchmarks/synth_archive.py OUT --n 100 --stats  # and print what was drawn

Scale runs must go through the real readers and parser, so this writes files, not rows. Each
file is built on the *skeleton* of a real transcript from ../shared/data (parsed here with the
real parser): its header, its speaker labels as printed and the layout between turns are kept,
so house styles, label shapes ("MS. PSAKI:", "Q", "Lena Park (CH):", labels on their own
line), exchange counts and turn order follow the real distribution. Every turn's text is
replaced by sentences drawn from real turns of the same kind and language, to a length drawn
around the real turn's (x 0.6 to 1.4), so turn lengths and the vocabulary full-text search
meets are realistic while no two files are alike. House styles are drawn evenly, then a
skeleton within the style, so the small styles are not drowned by the big ones.

A skeleton is kept only if the parser, reading a file generated from it, finds about as many
turns (within 20 %) as in the real transcript: a layout the plain-text reader does not see the
same way as the original format is left out rather than producing junk. The output lives
wherever OUT is (never in the repository): it is built from third-party text.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent / ".." / "shared" / "data"
_SENTENCE = re.compile(r"(?<=[.!?。？！])\s+|(?<=[。？！])")


@dataclass
class Skeleton:
    """A real transcript's layout: literal text between turns, and each turn's kind and length."""

    style: str
    language: str
    literals: list[str]  # len(slots) + 1 pieces: before the first turn, between turns, after the last
    slots: list[tuple[str, int]]  # (kind, words in the real turn)

    def render(self, fill: list[str]) -> str:
        out = [self.literals[0]]
        for text, literal in zip(fill, self.literals[1:], strict=True):
            out += [text, literal]
        return "".join(out)


def words(text: str) -> int:
    """Words, counting each CJK character as one (Chinese has no spaces)."""
    return len(text.split()) + len(re.findall(r"[\u3400-\u9fff]", text))


class Sentences:
    """Real sentences by (language, kind), drawn at random to a target length."""

    def __init__(self) -> None:
        self.pool: dict[tuple[str, str], list[str]] = defaultdict(list)

    def add(self, language: str, kind: str, text: str) -> None:
        for s in _SENTENCE.split(" ".join(text.split())):
            if 3 <= words(s) <= 80 and not re.match(r"^\W*[A-Z][A-Z .'-]{1,40}:", s):  # no label-like starts
                self.pool[(language, kind)].append(s)
                self.pool[(language, "*")].append(s)

    def draw(self, rng: random.Random, language: str, kind: str, target: int) -> str:
        pool = self.pool.get((language, kind)) or self.pool.get((language, "*")) or self.pool[("en", "*")]
        out, n = [], 0
        while n < max(1, target):
            s = rng.choice(pool)
            out.append(s)
            n += words(s)
        return " ".join(out)


def load(data: Path, sample: int) -> tuple[list[Skeleton], Sentences]:
    """Parse ``sample`` real transcripts into skeletons and a sentence pool."""
    from podium.parse import parse_document as parse
    from podium.readers import load_bytes, read_bytes
    from podium.store.ingest import collect

    files = collect([data / "transcripts", data / "seed"])
    step = max(1, len(files) // sample)
    skeletons, sentences = [], Sentences()
    for f in files[::step][:sample]:
        try:
            doc = read_bytes(load_bytes(str(f)), str(f))
            tr = parse(doc)
        except Exception:  # noqa: BLE001 - a file the parser rejects is simply no skeleton
            continue
        turns = sorted((t for t in tr.turns if t.span[1] > t.span[0]), key=lambda t: t.span[0])
        if len(turns) < 3 or not tr.exchanges:
            continue
        text, pos, literals, slots = doc.plain, 0, [], []
        for t in turns:
            if t.span[0] < pos:  # overlapping spans: not a layout to copy
                break
            literals.append(text[pos : t.span[0]])
            slots.append((t.kind, words(t.text)))
            sentences.add(tr.metadata.language or "en", t.kind, t.text)
            pos = t.span[1]
        else:
            literals.append(text[pos:])
            title = " ".join(str(doc.metadata.get("title") or "").split())
            if title and title not in text[:3000]:  # an HTML <title> the plain text lacks
                literals[0] = f"{title}\n\n{literals[0]}"
            skeletons.append(Skeleton(str(tr.analysis.get("style", "base.v1")), tr.metadata.language or "en",
                                      literals, slots))
    return skeletons, sentences


def faithful(skeletons: list[Skeleton], sentences: Sentences) -> list[Skeleton]:
    """The skeletons whose generated text the real parser reads with about as many turns."""
    from podium.parse import parse_document as parse
    from podium.readers import read_bytes

    kept = []
    rng = random.Random(1)
    for sk in skeletons:
        text = generate(sk, sentences, rng)
        try:
            n = len(parse(read_bytes(text.encode(), "check.txt")).turns)
        except Exception:  # noqa: BLE001
            continue
        if abs(n - len(sk.slots)) <= 0.2 * len(sk.slots):
            kept.append(sk)
    return kept


def generate(sk: Skeleton, sentences: Sentences, rng: random.Random) -> str:
    fill = [sentences.draw(rng, sk.language, kind, round(n * rng.uniform(0.6, 1.4))) for kind, n in sk.slots]
    return sk.render(fill)


def write_archive(out: Path, n: int, *, seed: int = 0, data: Path = SHARED, sample: int = 160,
                  per_folder: int = 1000) -> dict[str, int]:
    """Write ``n`` files under ``out``; returns how many of each house style."""
    skeletons, sentences = load(data, sample)
    skeletons = faithful(skeletons, sentences)
    if not skeletons:
        raise SystemExit(f"synth_archive: no usable real transcript under {data}")
    by_style: dict[str, list[Skeleton]] = defaultdict(list)
    for sk in skeletons:
        by_style[sk.style].append(sk)
    styles = sorted(by_style)
    rng = random.Random(seed)
    made: Counter[str] = Counter()
    for i in range(n):
        style = rng.choice(styles)
        sk = rng.choice(by_style[style])
        folder = out / f"{i // per_folder:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{style.split('.')[0]}-{i:07d}.txt").write_text(generate(sk, sentences, rng), encoding="utf-8")
        made[style] += 1
    return dict(made)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=1000, help="files to write")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sample", type=int, default=160, help="real transcripts to take skeletons from")
    ap.add_argument("--data", type=Path, default=SHARED)
    args = ap.parse_args()
    made = write_archive(args.out, args.n, seed=args.seed, data=args.data, sample=args.sample)
    print(f"wrote {args.n} files to {args.out}:", file=sys.stderr)
    for style, k in sorted(made.items()):
        print(f"  {style:<24} {k}", file=sys.stderr)


if __name__ == "__main__":
    main()
