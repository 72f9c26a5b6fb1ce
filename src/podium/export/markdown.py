"""A transcript as clean, human-readable Markdown (headings, speakers in bold, questions listed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from podium.model import Transcript


def _speaker(t: Transcript, pid: str | None) -> str:
    p = t.participant(pid)
    if p is None:
        return "Unknown speaker"
    bits = [p.name or (p.labels[0] if p.labels else p.id)]
    extra = p.outlet or p.title
    return f"{bits[0]} ({extra})" if extra else bits[0]


def to_markdown(t: Transcript) -> str:
    """Render ``t`` as Markdown: metadata, participants, then every turn in order."""
    m = t.metadata
    out = [f"# {m.title or t.id}", ""]
    facts = [
        ("Date", m.date), ("Organisation", m.organisation), ("Principal", m.principal),
        ("Event", m.event_type.replace("_", " ")), ("Delivery", m.delivery.replace("_", " ")),
        ("Last updated", m.last_updated), ("Language", m.language),
    ]
    out += [f"- **{k}:** {v}" for k, v in facts if v]
    out += ["", "## Participants", ""]
    for p in t.participants:
        desc = ", ".join(x for x in (p.role, p.title, p.outlet_name or p.outlet) if x)
        out.append(f"- **{p.name or p.id}** — {desc}")
    by_question = {e.question_turn: e for e in t.exchanges}
    section = None
    for turn in t.turns:
        if turn.section != section:
            section = turn.section
            out += ["", f"## {'Q&A' if section == 'qa' else section.capitalize()}", ""]
        where = f" _({turn.channel.replace('_', ' ')})_" if turn.channel else ""
        out += [f"**{_speaker(t, turn.speaker)}**{where}:", "", turn.text, ""]
        ex = by_question.get(turn.index)
        if ex and ex.questions:
            out.append(f"> {len(ex.questions)} question(s):")
            for q in ex.questions:
                badge = f" `{q.clarity.label}`" if q.clarity else ""
                out.append(f"> {q.index + 1}. {q.text}{badge}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_markdown(transcripts: Iterable[Transcript], out: TextIO) -> int:
    """Write the single transcript of ``transcripts`` to ``out``; more than one is an error.

    For many transcripts export to a folder, which writes one ``<id>.md`` each.
    """
    from podium.export import single

    out.write(to_markdown(single(transcripts, "markdown")))
    return 1
