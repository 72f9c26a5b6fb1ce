"""Fuzz the readers and the parser: mutated real files of every format plus hostile shapes.

    PYTHONPATH=src .venv/bin/python benchmarks/fuzz.py [--seconds 600] [--seed 1] [--json]

Seeds are real transcripts from ``../shared/data`` in every format the readers take (PDF,
HTML pages, HTML fragments saved as bytes literals, XML records, Markdown, plain text) plus
generated WebVTT/SRT captions; each round mutates one (byte flips, inserted or deleted
runs, duplicated chunks, splices of two files, truncation, a token repeated thousands of
times, deep nesting) or takes a hostile shape from ``hostile_inputs.py``.

Each input runs in a child forked from this warm process (parser imported, styles compiled)
under ``RLIMIT_CPU`` and ``RLIMIT_AS`` (the CLI budget: 60 s, 2 GB), with a wall-clock
deadline too. Outcomes: *parsed*; *refused* (a ``PodiumError``: one line, by design);
*crash* (any other exception); *hang* (killed at the time limit); *memory* (``MemoryError``
at the memory limit). Inputs that crash, hang or need more than 2 s of CPU are saved under
``--out`` to reproduce.
The table also counts inputs that needed more than 2 s of CPU (the web upload budget,
which refuses them there) and the peak memory of any child.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
CPU_SECONDS = 60
MEMORY_BYTES = 2 * 1024**3
WEB_CPU_SECONDS = 2.0

PARSED, REFUSED, CRASH, HANG, MEMORY = 0, 3, 4, 5, 6
NAMES = {PARSED: "parsed", REFUSED: "refused", CRASH: "crash", HANG: "hang", MEMORY: "memory"}


def seeds() -> list[tuple[str, bytes]]:
    """(file name, bytes) of a few real files per format, and generated captions."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import hostile_inputs as H

    out: list[tuple[str, bytes]] = []
    tr = DATA / "transcripts"
    for pattern, n in (("*.pdf", 2), ("kremlin/*.html", 2), ("whitehouse_obama_raw_fragments/*.html", 2),
                       ("australia_pm/*.xml", 2), ("*/*.md", 1), ("mexico_mananeras/**/*.md", 1),
                       ("ecb/*.txt", 2), ("us_state_department/**/*.html", 1), ("china_mfa/**/*.html", 1)):
        for p in sorted(tr.glob(pattern) if "**" in pattern or "/" in pattern else tr.rglob(pattern))[:n]:
            if p.stat().st_size < 3_000_000:
                out.append((p.name, p.read_bytes()))
    seed = DATA / "seed" / "nato-2021-10-07-press-conference.txt"
    if seed.exists():
        out.append((seed.name, seed.read_bytes()))
    vtt, vtt_name = H.transcript_vtt(60_000)
    out.append((vtt_name, vtt))
    data, _ = H.srt_flood(20_000)
    out.append(("captions.srt", data))
    return out


_TOKENS = [b"<div>", b"</div>", b"<p>", b"<br>", b"[a](", b"*a ", b"**", b"_", b"---\n", b"&a ", b"*a",
           b"Q: ", b"\n\nMR. SMITH: ", b"<b>", b"\x00", b"\xff", b"\r", b"(", b"\"", b"<!--", b"]]>", b"<![CDATA[",
           b"&#x10FFFF;", b"\xe2\x80\xae", b"00:00:01,000 --> 00:00:02,000\n", b"%PDF-", b"stream\n", b"obj"]


def mutate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """One random mutation of ``data`` (``other`` is a second seed for splices)."""
    b = bytearray(data)
    kind = rng.randrange(9)
    n = len(b) or 1
    if kind == 0:  # flip bytes
        for _ in range(rng.randint(1, 64) if b else 0):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == 1:  # insert a random run
        i = rng.randrange(n)
        b[i:i] = os.urandom(rng.randint(1, 4096))
    elif kind == 2:  # delete a run
        i = rng.randrange(n)
        del b[i : i + rng.randint(1, 8192)]
    elif kind == 3:  # duplicate a chunk many times
        i = rng.randrange(n)
        chunk = bytes(b[i : i + rng.randint(1, 200)])
        b[i:i] = chunk * rng.randint(2, 5000)
    elif kind == 4:  # splice two seeds
        b = b[: rng.randrange(n)] + bytearray(other[rng.randrange(len(other) or 1) :])
    elif kind == 5:  # truncate
        b = b[: rng.randrange(n)]
    elif kind == 6:  # a hostile token repeated
        i = rng.randrange(n)
        b[i:i] = rng.choice(_TOKENS) * rng.choice((10, 1000, 30_000, 100_000))
    elif kind == 7:  # deep nesting around a point
        i = rng.randrange(n)
        depth = rng.choice((500, 5000, 50_000))
        tag = rng.choice((b"div", b"span", b"a", b"table"))
        b[i:i] = (b"<" + tag + b">") * depth
    else:  # change line endings / encodings
        b = bytearray(bytes(b).replace(b"\n", rng.choice((b"\r", b"\r\n", b"\n\n\n", "\u2028".encode()))))
    return bytes(b[: 20 * 1024 * 1024])


def hostile(rng: random.Random) -> tuple[str, bytes]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import hostile_inputs as H

    if rng.random() < 0.1:
        data, name = H.yaml_alias_bomb(rng.randint(3, 12))
        return name, data
    shape = rng.choice(sorted(H.HOSTILE))
    data, name = H.HOSTILE[shape](rng.choice((1_000, 50_000, 500_000, 2_000_000)))
    return name, data


def _child(name: str, data: bytes) -> None:
    """In the forked child: limits, read, parse; the exit code is the outcome."""
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    from podium import readers
    from podium.errors import PodiumError
    from podium.parse import parse_document as parse

    code = PARSED
    try:
        parse(readers.read_bytes(data, name))
    except PodiumError as exc:
        code = REFUSED if "\n" not in str(exc) else CRASH  # a refusal is one line
    except MemoryError:
        code = MEMORY
    except BaseException:  # noqa: BLE001 - this is what the fuzzer looks for
        traceback.print_exc(limit=6)
        code = CRASH
    os._exit(code)


def run_one(name: str, data: bytes) -> tuple[int, float, float, float]:
    """(outcome, wall s, CPU s, peak MB) of one input in a forked, limited child."""
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            _child(name, data)
        finally:
            os._exit(CRASH)
    deadline = t0 + CPU_SECONDS * 3
    while True:
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.005)
    wall = time.perf_counter() - t0
    cpu = usage.ru_utime + usage.ru_stime
    if os.WIFSIGNALED(status):
        outcome = HANG if os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL) else CRASH
    else:
        outcome = os.WEXITSTATUS(status)
        outcome = outcome if outcome in NAMES else CRASH
    return outcome, wall, cpu, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=600, help="stop starting new inputs after this")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="fuzz-findings", help="folder for inputs that crash or hang")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = ap.parse_args(argv)
    os.environ["OMP_NUM_THREADS"] = "1"
    from podium.web.isolate import warm

    warm()  # children fork with the parser imported and styles compiled
    rng = random.Random(args.seed)
    pool = seeds()
    counts = dict.fromkeys(NAMES.values(), 0)
    by_format: dict[str, int] = {}
    slow = 0
    peak = 0.0
    worst_cpu = 0.0
    tried = 0
    started = time.perf_counter()
    while time.perf_counter() - started < args.seconds:
        if tried < len(pool):  # every seed unmutated first
            name, data = pool[tried]
        elif rng.random() < 0.2:
            name, data = hostile(rng)
        else:
            name, base = rng.choice(pool)
            data = mutate(rng, base, rng.choice(pool)[1])
        outcome, _wall, cpu, rss = run_one(name, data)
        tried += 1
        suffix = Path(name).suffix or ".txt"
        by_format[suffix] = by_format.get(suffix, 0) + 1
        counts[NAMES[outcome]] += 1
        slow += cpu > WEB_CPU_SECONDS
        peak = max(peak, rss)
        worst_cpu = max(worst_cpu, cpu)
        if outcome in (CRASH, HANG, MEMORY) or cpu > WEB_CPU_SECONDS:
            out = Path(args.out)
            out.mkdir(exist_ok=True)
            tag = NAMES[outcome] if outcome in (CRASH, HANG, MEMORY) else f"slow{cpu:.0f}s"
            (out / f"{tried:05d}-{tag}{suffix}").write_bytes(data)
    summary = {"inputs": tried, **counts, "over_2s_cpu": slow, "worst_cpu_s": round(worst_cpu, 2),
               "peak_mb": round(peak), "by_format": by_format, "seconds": round(time.perf_counter() - started)}
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"{'inputs':>7} {'parsed':>7} {'refused':>7} {'crashes':>7} {'hangs':>5} {'memory':>6} "
              f"{'>2s CPU':>7} {'worst CPU s':>11} {'peak MB':>7}")
        print(f"{tried:>7} {counts['parsed']:>7} {counts['refused']:>7} {counts['crash']:>7} {counts['hang']:>5} "
              f"{counts['memory']:>6} {slow:>7} {worst_cpu:>11.1f} {peak:>7.0f}")
        print("by format:", ", ".join(f"{k} {v}" for k, v in sorted(by_format.items())))
    return summary


if __name__ == "__main__":
    main()
