"""The ``pretty`` rendering of a transcript: rich panels and tables for a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from podium.model import Diagnostics, Transcript

_ROLE_STYLE = {"principal": "bold green", "moderator": "cyan", "journalist": "yellow"}
_CONFIDENCE_STYLE = {"ok": "green", "low": "bold yellow", "none": "bold red"}


def diagnostics_text(d: Diagnostics) -> Text:
    """The parse diagnostics as a few lines; warnings stand out when confidence is not ok."""
    out = Text()
    out.append("parse confidence ", style="dim")
    out.append(d.confidence, style=_CONFIDENCE_STYLE.get(d.confidence, ""))
    out.append(f"  labels cover {d.labelled_share:.0%}, speakers known for {d.speaker_share:.0%} of the text", style="dim")
    if d.label_grammar:
        out.append(f"  (label layout: {d.label_grammar})", style="dim")
    warn_style = "dim" if d.confidence == "ok" else _CONFIDENCE_STYLE[d.confidence]
    for w in d.warnings:
        out.append(f"\n  warning: {w}", style=warn_style)
    return out


def print_pretty(t: Transcript, console: Console | None = None) -> None:
    """Print metadata, participants and exchanges of ``t`` for a person to read."""
    con = console or Console()
    m = t.metadata
    meta = Table.grid(padding=(0, 2))
    for key, value in (
        ("date", m.date), ("organisation", m.organisation), ("principal", m.principal),
        ("event", m.event_type), ("delivery", m.delivery), ("last updated", m.last_updated),
        ("language", m.language), ("turns", str(len(t.turns))), ("exchanges", str(len(t.exchanges))),
    ):
        if value:
            meta.add_row(Text(key, style="dim"), value)
    con.print(Panel(meta, title=Text(m.title or t.id, style="bold"), title_align="left"))
    if t.diagnostics is not None:
        con.print(diagnostics_text(t.diagnostics))

    people = Table(title="Participants", title_justify="left")
    for col in ("id", "name", "role", "title", "outlet"):
        people.add_column(col)
    for p in t.participants:
        outlet = p.outlet if not p.outlet_name or p.outlet_name == p.outlet else f"{p.outlet} ({p.outlet_name})"
        people.add_row(p.id, p.name or "", Text(p.role, style=_ROLE_STYLE.get(p.role, "")), p.title or "", outlet or "")
    con.print(people)

    for ex in t.exchanges:
        asker = t.participant(ex.asker)
        who = asker.name if asker and asker.name else "Unnamed journalist"
        where = (ex.channel or "channel unknown").replace("_", " ")
        body = Text()
        for q in ex.questions:
            badge = f" [{q.clarity.label}]" if q.clarity else ""
            body.append(f"Q{q.index + 1}. ", style="bold")
            body.append(q.text + badge + "\n")
        answerers = ", ".join(
            (p.name or p.id) for p in (t.participant(a) for a in ex.answered_by) if p
        )
        body.append(f"answered by {answerers or 'nobody'} in turn(s) {ex.answer_turns}", style="dim")
        title = f"Exchange {ex.index + 1}: {who} ({ex.outlet or 'no outlet'}, {where})"
        con.print(Panel(body, title=title, title_align="left"))
