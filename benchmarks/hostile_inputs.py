"""Generated inputs for the bounded-work benchmarks and the fuzz harness.

Each shape is a function ``(size_bytes) -> (bytes, file name)``: well-formed transcripts in
every text format scaled to a size, and the hostile shapes an audit found (issue 14): YAML
alias bombs, deep nesting, ``<br>`` floods, unclosed Markdown links, thousands of tiny
exchanges. Deterministic (seeded), so two runs time the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Callable

_WORDS = (
    "the minister said that we will continue to work with our partners on security energy and "
    "trade and that the government is committed to a stable outcome for the region this week"
).split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + "."


def _turns(size: int, *, q_words: int = 30, a_words: int = 450) -> list[tuple[str, str]]:
    """(label, text) pairs of a briefing: opening, then question/answer rounds up to ``size``."""
    rng = random.Random(size)
    out = [("MODERATOR", "Good afternoon everyone. The minister will take your questions.")]
    total = 0
    n = 0
    while total < size:
        n += 1
        q = f"Thank you. Anna Berg, Daily Post. {_sentence(rng, q_words)[:-1]}?"
        a = " ".join(_sentence(rng, 15) for _ in range(a_words // 15))
        out.append((f"JOURNALIST {n % 7}", q))
        out.append(("THE MINISTER", a))
        total += len(q) + len(a) + 40
    out.append(("MODERATOR", "Thank you all for your questions. This concludes the briefing."))
    return out


def transcript_text(size: int) -> tuple[bytes, str]:
    body = "\n\n".join(f"{label}: {text}" for label, text in _turns(size))
    return f"Press briefing by the minister\n\n{body}\n".encode(), "briefing.txt"


def transcript_markdown(size: int) -> tuple[bytes, str]:
    body = "\n\n".join(f"**{label}:** {text}" for label, text in _turns(size))
    head = "---\ntitle: Press briefing by the minister\ndate: 2024-03-05\n---\n\n# Press briefing\n\n"
    return (head + body + "\n").encode(), "briefing.md"


def transcript_html(size: int) -> tuple[bytes, str]:
    paras = "\n".join(f"<p><b>{label}:</b> {text}</p>" for label, text in _turns(size))
    page = (
        "<!doctype html><html lang=en><head><title>Press briefing</title></head><body>"
        f"<nav><a href=/>Home</a></nav><article>{paras}</article></body></html>"
    )
    return page.encode(), "briefing.html"


def transcript_xml(size: int) -> tuple[bytes, str]:
    paras = "".join(f"&lt;p&gt;{label}: {text}&lt;/p&gt;" for label, text in _turns(size))
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<record><title>Press briefing</title>'
        f"<release-date>05/03/2024</release-date><content>{paras}</content></record>\n"
    )
    return doc.encode(), "briefing.xml"


def transcript_vtt(size: int) -> tuple[bytes, str]:
    cues = []
    for i, (label, text) in enumerate(_turns(size)):
        s = i * 10
        cues.append(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000 --> "
                    f"{(s + 9) // 3600:02d}:{(s + 9) // 60 % 60:02d}:{(s + 9) % 60:02d}.000\n<v {label}>{text}")
    return ("WEBVTT\n\n" + "\n\n".join(cues) + "\n").encode(), "briefing.vtt"


def tiny_exchanges(size: int) -> tuple[bytes, str]:
    """Thousands of one-line exchanges: the shape that made ``_is_closing`` quadratic."""
    unit = "Q: Why?\n\nMINISTER: Because.\n\n"
    return ("Briefing\n\n" + unit * max(1, size // len(unit))).encode(), "tiny.txt"


def yaml_alias_bomb(levels: int = 8) -> tuple[bytes, str]:
    """Front matter whose anchors each list nine references to the previous one."""
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines += ["title: Briefing", "---", "", "MINISTER: Hello."]
    return ("\n".join(lines) + "\n").encode(), "bomb.md"


def nested_divs(size: int) -> tuple[bytes, str]:
    depth = max(1, size // 11)
    page = "<div><p>" + "<div>" * depth + "MINISTER: Hello." + "</div>" * depth + "</p></div>"
    return page.encode()[: size + 32], "nest.html"


def unclosed_divs(size: int) -> tuple[bytes, str]:
    return ("<!doctype html><html><body>" + "<div>" * max(1, size // 5) + "MINISTER: Hello.").encode(), "open.html"


def br_flood(size: int) -> tuple[bytes, str]:
    page = "<!doctype html><html><body><p>MINISTER: Hello." + "<br>" * max(1, size // 4) + "</p></body></html>"
    return page.encode(), "br.html"


def link_openers(size: int) -> tuple[bytes, str]:
    return ("# Briefing\n\nMINISTER: " + "[a](" * max(1, size // 4) + "\n").encode(), "links.md"


def emphasis_openers(size: int) -> tuple[bytes, str]:
    return ("# Briefing\n\nMINISTER: " + "**a" * max(1, size // 3) + "\n").encode(), "stars.md"


def nested_xml(size: int) -> tuple[bytes, str]:
    depth = max(1, size // 7)
    return ('<?xml version="1.0"?>\n' + "<a><b>" * (depth // 2) + "MINISTER: hi" + "</b></a>" * (depth // 2)).encode(), "nest.xml"


def many_labels(size: int) -> tuple[bytes, str]:
    """Every line a new speaker label: as many turns as the bytes allow."""
    rng = random.Random(7)
    lines = [f"SPEAKER {rng.randrange(10_000)}: x" for _ in range(max(1, size // 16))]
    return ("Briefing\n\n" + "\n".join(lines) + "\n").encode(), "labels.txt"


def long_line(size: int) -> tuple[bytes, str]:
    return ("MINISTER: " + "word " * max(1, size // 5)).encode(), "line.txt"


def space_run(size: int) -> tuple[bytes, str]:
    """A label, then one run of spaces: the own-line label pattern used to backtrack over it."""
    return b"MINISTER: a" + b" " * max(1, size - 12) + b"b", "spaces.txt"


def qa_line(size: int) -> tuple[bytes, str]:
    """Questions and answers on one line: one turn of a million questions."""
    return b"Q: why? A: because. " * max(1, size // 20), "qa.txt"


def label_repeated(size: int) -> tuple[bytes, str]:
    """One surname mentioned a million times (the first-name search reads each mention)."""
    return b"MR. SMITH: " * max(1, size // 11), "smith.txt"


def long_title(size: int) -> tuple[bytes, str]:
    """Front matter whose title is the whole file."""
    return b"---\ntitle: " + b"a" * max(1, size) + b"\n---\nMINISTER: Hello.\n", "title.md"


def srt_flood(size: int) -> tuple[bytes, str]:
    unit = "1\n00:00:01,000 --> 00:00:02,000\nMINISTER: a\n\n"
    return (unit * max(1, size // len(unit))).encode(), "flood.srt"


WELL_FORMED: dict[str, Callable[[int], tuple[bytes, str]]] = {
    "text": transcript_text,
    "markdown": transcript_markdown,
    "html": transcript_html,
    "xml": transcript_xml,
    "webvtt": transcript_vtt,
}
"""Realistic briefings in each format, scaled to a size."""

HOSTILE: dict[str, Callable[[int], tuple[bytes, str]]] = {
    "tiny-exchanges": tiny_exchanges,
    "nested-divs": nested_divs,
    "unclosed-divs": unclosed_divs,
    "br-flood": br_flood,
    "link-openers": link_openers,
    "emphasis-openers": emphasis_openers,
    "nested-xml": nested_xml,
    "many-labels": many_labels,
    "long-line": long_line,
    "space-run": space_run,
    "qa-line": qa_line,
    "label-repeated": label_repeated,
    "long-title": long_title,
    "srt-flood": srt_flood,
}
"""Shapes built to make a reader or the parser work hard, scaled to a size."""
