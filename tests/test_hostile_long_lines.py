"""One enormous line, a flood of tiny turns or a megabyte title: bounded work (issue 14).

The CLI takes files up to 50 MB and gives each 60 s; uploads (2 MB) get 2 s. Files that are
one single line used to cost about 0.4-1 CPU seconds per MB in the header, date, label and
question steps (a 50 MB line: over a minute). Each shape here runs at 10 MB in a subprocess
that reports the CPU time of the parse alone; the old code took 4-11 s on each, the bounded
code well under one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from podium import readers
from podium.errors import InputError
from podium.parse import MAX_TURNS, parse_document
from podium.parse._text import words_upto
from podium.parse.diagnostics import _weight
from podium.parse.questions import MAX_QUESTION_CHARS
from podium.readers._meta import MAX_FIELD_CHARS

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000

ONE_LINE = {  # (expression of the bytes, file name): 10 MB with no line break
    "label then words": ('b"MINISTER: " + b"word " * (2 * MB)', "line.txt"),
    "label then spaces": ('b"MINISTER: a" + b" " * (10 * MB) + b"b"', "spaces.txt"),
    "questions and answers": ('b"Q: why? A: because. " * (MB // 2)', "qa.txt"),
    "one label repeated": ('b"MR. SMITH: " * (MB - 10_000)', "smith.txt"),
    "megabyte title": ('b"---\\ntitle: " + b"a" * (10 * MB) + b"\\n---\\nMINISTER: hi"', "title.md"),
}
CPU_BUDGET = 2.5
"""CPU seconds for 10 MB: the bounded code takes 0.3-1.1 s, the old code took 4.3-11 s."""


@pytest.mark.parametrize("name", sorted(ONE_LINE))
def test_a_ten_megabyte_line_parses_in_bounded_cpu_time(name: str) -> None:
    expr, filename = ONE_LINE[name]
    code = textwrap.dedent(f"""
        import json, time
        from podium import readers
        from podium.parse import parse_document
        parse_document(readers.read_bytes(b"MINISTER: Hello.\\n\\nQ: Why?\\n\\nMINISTER: Because.", "warm.txt"))
        MB = 1_000_000
        data = {expr}
        t0 = time.process_time()
        t = parse_document(readers.read_bytes(data, {filename!r}))
        print(json.dumps({{"cpu": time.process_time() - t0, "turns": len(t.turns)}}))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["turns"] >= 1
    assert out["cpu"] < CPU_BUDGET, out


def test_date_detection_reads_a_bounded_prefix_of_a_long_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A date line is short: a 2 MB line is not searched for dates from end to end."""
    from podium.parse import _dates, header

    seen: list[int] = []

    def find_date(text: str, month_first: bool = False) -> tuple[str, int, int] | None:
        seen.append(len(text))
        return _dates.find_date(text, month_first)

    monkeypatch.setattr(header, "find_date", find_date)
    line = b"7 May 2024 " + b"word " * 400_000
    t = parse_document(readers.read_bytes(line, "line.txt"))
    assert t.turns
    assert max(seen, default=0) <= header._MAX_DATE_LINE
    # a short date line under a title is still read
    t = parse_document(readers.read_bytes(b"Press briefing\n7 May 2024\n\nMINISTER: Hello there.\n", "d.txt"))
    assert t.metadata.date == "2024-05-07"


def test_questions_are_looked_for_in_a_bounded_prefix_of_a_turn() -> None:
    text = "MODERATOR: Questions please.\n\nQ: " + "Why is that? " * 40_000 + "\n\nMINISTER: Because.\n"
    t = parse_document(readers.read_bytes(text.encode(), "q.txt"))
    questions = [q for ex in t.exchanges for q in ex.questions]
    assert questions, "the first questions are still split"
    start = t.turns[t.exchanges[0].question_turn].span[0]
    assert all(q.span[1] <= start + MAX_QUESTION_CHARS for q in questions)
    assert len(questions) <= MAX_QUESTION_CHARS // len("Why is that? ") + 1


def _exchanges(n: int) -> bytes:
    return ("Briefing\n\n" + "Q: Why?\n\nMINISTER: Because.\n\n" * n).encode()


def test_more_turns_than_the_cap_are_refused_in_one_line() -> None:
    """17,000 two-line exchanges are under the line limit but no single transcript."""
    with pytest.raises(InputError) as exc:
        parse_document(readers.read_bytes(_exchanges(MAX_TURNS // 2 + 1), "tiny.txt"))
    assert str(exc.value).startswith(f"tiny.txt: {MAX_TURNS + 2:,} speaker turns, over the {MAX_TURNS:,}-turn limit")
    assert "\n" not in str(exc.value)
    assert len(parse_document(readers.read_bytes(_exchanges(MAX_TURNS // 4), "tiny.txt")).turns) == MAX_TURNS // 2


def test_an_overlong_metadata_field_is_dropped() -> None:
    long_title = "a" * (MAX_FIELD_CHARS + 1)
    doc = readers.read_bytes(f"---\ntitle: {long_title}\ndate: 2024-03-05\n---\n\nMINISTER: Hello.\n".encode(), "t.md")
    assert "title" not in doc.metadata
    assert doc.metadata["date"] == "2024-03-05"
    doc = readers.read_bytes(f"---\ntitle: {'a' * MAX_FIELD_CHARS}\n---\n\nMINISTER: Hello.\n".encode(), "t.md")
    assert doc.metadata["title"] == "a" * MAX_FIELD_CHARS


def test_weight_counts_every_character_but_white_space() -> None:
    every_space = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    text = "Hello, wörld 日本\u3000語" + every_space + "end" + every_space * 3
    assert _weight(text) == len("".join(text.split()))
    assert _weight("") == 0


def test_words_upto_counts_words_as_far_as_needed() -> None:
    text = "  one two\tthree\n four  "
    assert [words_upto(text, n) for n in range(6)] == [1, 2, 3, 4, 4, 4]
    assert words_upto("", 3) == 0
    assert words_upto("word " * 1_000_000, 40) == 41
