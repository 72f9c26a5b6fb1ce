"""A transcript as one clean, self-contained HTML page for people to read.

Every piece of transcript text (title, names, outlets, turns, questions) goes through
``html.escape`` with quotes escaped too, because transcripts come from other people's web
pages and must never inject markup into ours. The page has no scripts and no external
resources: a small inline stylesheet only, so it opens offline and prints well.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TextIO

from podium.model import Transcript

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem;line-height:1.25}dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}
dt{color:#666}dd{margin:0}.turn{margin:1.2rem 0}.who{font-weight:600}.meta{color:#666;font-size:.9em}
.principal .who{color:#1a5e20}.moderator .who{color:#0b5f7a}.journalist .who{color:#8a5a00}
ol.questions{background:#f6f6f6;border-left:3px solid #bbb;padding:.5rem 1rem .5rem 2.5rem}
.badge{font-size:.8em;background:#ddd;border-radius:3px;padding:0 .3em;margin-left:.4em}
""".strip()


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _paragraphs(text: str) -> str:
    """Blank-line separated paragraphs as ``<p>``; single newlines as ``<br>``."""
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join("<p>" + "<br>".join(_e(line) for line in p.split("\n")) + "</p>" for p in paras)


def to_html(t: Transcript) -> str:
    """Render ``t`` as a complete HTML5 document (UTF-8)."""
    m = t.metadata
    title = m.title or t.id
    out = [
        "<!doctype html>",
        f'<html lang="{_e(m.language or "und")}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style></head>",
        "<body>",
        f"<header><h1>{_e(title)}</h1><dl>",
    ]
    facts = [
        ("Date", m.date), ("Organisation", m.organisation), ("Principal", m.principal),
        ("Event", m.event_type.replace("_", " ")), ("Location", m.location),
        ("Delivery", m.delivery.replace("_", " ")), ("Last updated", m.last_updated),
        ("Source", t.source.url or t.source.path),
    ]
    out += [f"<dt>{k}</dt><dd>{_e(v)}</dd>" for k, v in facts if v]
    out.append("</dl></header>")
    if t.participants:
        out.append("<section><h2>Participants</h2><ul>")
        for person in t.participants:
            desc = ", ".join(x for x in (person.role, person.title, person.outlet_name or person.outlet) if x)
            out.append(f"<li><strong>{_e(person.name or person.id)}</strong> — {_e(desc)}</li>")
        out.append("</ul></section>")
    by_question = {e.question_turn: e for e in t.exchanges}
    section = None
    for turn in t.turns:
        if turn.section != section:
            if section is not None:
                out.append("</section>")
            section = turn.section
            heading = "Questions and answers" if section == "qa" else section.capitalize()
            out.append(f'<section class="{_e(section)}"><h2>{_e(heading)}</h2>')
        p = t.participant(turn.speaker)
        name = (p.name or p.id) if p else (turn.label or "Unknown speaker")
        extra = (p.outlet_name or p.outlet or p.title) if p else None
        role = p.role if p else "unknown"
        meta = " · ".join(x for x in (extra, turn.channel and turn.channel.replace("_", " ")) if x)
        out.append(f'<div class="turn {_e(role)} {_e(turn.kind)}" id="turn-{turn.index}">')
        out.append(f'<div class="who">{_e(name)}' + (f' <span class="meta">{_e(meta)}</span>' if meta else "") + "</div>")
        out.append(_paragraphs(turn.text))
        ex = by_question.get(turn.index)
        if ex and ex.questions:
            out.append('<ol class="questions">')
            for q in ex.questions:
                badge = f'<span class="badge">{_e(q.clarity.label)}</span>' if q.clarity else ""
                out.append(f"<li>{_e(q.text)}{badge}</li>")
            out.append("</ol>")
        out.append("</div>")
    if section is not None:
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_html(transcripts: Iterable[Transcript], out: TextIO) -> int:
    """Write the single transcript of ``transcripts`` to ``out``; more than one is an error.

    A page per transcript is what people read; for many transcripts export to a folder
    (``podium export --to html ... FOLDER``), which writes one ``<id>.html`` each.
    """
    from podium.export import single

    t = single(transcripts, "html")
    out.write(to_html(t))
    return 1
