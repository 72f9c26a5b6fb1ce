"""Steps ``participants``, ``roles``, ``kinds`` and ``exchanges``: who is who, from structure.

Roles are read from the shape of the conversation, never from names: the speaker who hands
the floor to the next speaker (naming them, or with a hand-off phrase) is the moderator;
the people handed the floor are journalists; whoever speaks after a journalist is answering,
and of those the one the title names (or who answers most) is the principal.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from podium.model import Exchange, Participant, Turn
from podium.parse._text import name_key, slugify
from podium.parse.header import Header
from podium.parse.segment import RawTurn
from podium.parse.style import Style

_HANDOFF_MAX_WORDS = 90


@dataclass
class Speaker:
    """A participant while roles are being worked out."""

    key: str
    name: str | None
    labels: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    role: str = "unknown"
    forced: bool = False


@dataclass
class Structure:
    """The parser's result before questions are split."""

    participants: list[Participant]
    turns: list[Turn]
    exchanges: list[Exchange]
    principal: str | None


def _speakers(raw: list[RawTurn], style: Style) -> tuple[dict[str, Speaker], list[str | None]]:
    speakers: dict[str, Speaker] = {}
    keys: list[str | None] = []
    for rt in raw:
        if rt.label is None:
            keys.append(None)
            continue
        lab = rt.label
        lower = lab.raw.lower().rstrip(".")
        key = name_key(lab.name) if lab.name else f"label:{lower}"
        sp = speakers.setdefault(key, Speaker(key=key, name=lab.name))
        if lab.raw not in sp.labels:
            sp.labels.append(lab.raw)
        if lab.title and lab.title not in sp.titles:
            sp.titles.append(lab.title)
        if lab.outlet and lab.outlet not in sp.outlets:
            sp.outlets.append(lab.outlet)
        if lower in style.journalist_labels:
            sp.role, sp.forced = "journalist", True
        elif lower in style.moderator_labels:
            sp.role, sp.forced = "moderator", True
        keys.append(key)
    return speakers, keys


def _name_tokens(sp: Speaker) -> list[str]:
    if not sp.name:
        return []
    return [t for t in re.split(r"\s+", sp.name) if len(t) >= 3 and t[0].isupper()]


def _mentions(text: str, sp: Speaker) -> int | None:
    """Offset in ``text`` where ``sp``'s name (or a part of it) is mentioned, or ``None``."""
    if sp.name:
        i = text.find(sp.name)
        if i >= 0:
            return i
    for tok in _name_tokens(sp):
        m = re.search(rf"\b{re.escape(tok)}\b", text)
        if m:
            return m.start()
    return None


def _is_handoff(text: str, nxt: Speaker | None, style: Style) -> bool:
    if nxt is not None and _mentions(text, nxt) is not None:
        return True
    return len(text.split()) <= _HANDOFF_MAX_WORDS and any(rx.search(text) for rx in style.handoff)


def _assign_roles(
    raw: list[RawTurn], texts: list[str], keys: list[str | None], speakers: dict[str, Speaker],
    header: Header, style: Style,
) -> str | None:
    """Set ``Speaker.role`` for everyone; return the principal's key."""
    handoffs: Counter[str] = Counter()
    for i, key in enumerate(keys):
        if key is None or i + 1 >= len(keys):
            continue
        nxt_key = keys[i + 1]
        if nxt_key is None or nxt_key == key or speakers[key].role == "journalist":
            continue
        if _is_handoff(texts[i], speakers[nxt_key], style):
            handoffs[key] += 1
    moderator = next((k for k, s in speakers.items() if s.role == "moderator"), None)
    if moderator is None and handoffs:
        moderator = handoffs.most_common(1)[0][0]
        speakers[moderator].role = "moderator"
    if moderator is not None:
        for i, key in enumerate(keys[:-1]):
            nxt = keys[i + 1]
            if key == moderator and nxt and nxt != moderator and not speakers[nxt].forced:
                if _is_handoff(texts[i], speakers[nxt], style):
                    speakers[nxt].role = "journalist"
    answer_words: Counter[str] = Counter()
    after_question = False
    for i, key in enumerate(keys):
        role = speakers[key].role if key else "unknown"
        if role == "journalist":
            after_question = True
        elif role == "moderator":
            after_question = False
        elif after_question and key is not None:
            answer_words[key] += len(texts[i].split())
    answerers = [k for k in answer_words if speakers[k].role == "unknown"]
    principal = _pick_principal(answerers, answer_words, speakers, header, style, texts, keys)
    for k in answerers:
        speakers[k].role = "official"
    if principal is not None:
        speakers[principal].role = "principal"
    return principal


def _pick_principal(
    answerers: list[str], answer_words: Counter[str], speakers: dict[str, Speaker],
    header: Header, style: Style, texts: list[str], keys: list[str | None],
) -> str | None:
    title = header.title or ""
    candidates = answerers or [k for k, s in speakers.items() if s.role == "unknown" and s.name]
    for k in candidates:
        if title and _mentions(title, speakers[k]) is not None:
            return k
    named = _title_principal(title, style)
    if named:
        key = name_key(named)
        if key not in speakers:
            speakers[key] = Speaker(key=key, name=named)
        return key
    if answerers:
        return max(answerers, key=lambda k: answer_words[k])
    words: Counter[str] = Counter()
    for i, k in enumerate(keys):
        if k is not None and k in candidates:
            words[k] += len(texts[i].split())
    return words.most_common(1)[0][0] if words else None


def _title_principal(title: str, style: Style) -> str | None:
    for rx in style.principal_patterns:
        m = rx.search(title)
        if m:
            return m.group("name")
    return None


def _channel(text: str, asker: Speaker | None, style: Style) -> str | None:
    """Where the journalist handed the floor is, from the cue nearest their name."""
    anchor = _mentions(text, asker) if asker else None
    if anchor is None:
        anchor = len(text)
    best: tuple[int, str] | None = None
    for kind, patterns in (("in_room", style.in_room), ("remote", style.remote)):
        for rx in patterns:
            for m in rx.finditer(text):
                dist = min(abs(m.start() - anchor), abs(m.end() - anchor))
                if best is None or dist < best[0]:
                    best = (dist, kind)
    return best[1] if best else None


def _handoff_outlet(text: str, asker: Speaker) -> str | None:
    """The outlet a hand-off names for ``asker``: "Matthias Kolb from Suddeutsche Zeitung"."""
    at = _mentions(text, asker)
    if at is None or not asker.name:
        return None
    after = text[at:]
    name_end = after.find(asker.name)
    rest = after[name_end + len(asker.name) :] if name_end == 0 else after.split(None, 1)[-1]
    m = re.match(r"\s*(?:from|of|with)\s+(?P<o>[A-Z][^,.;:]*?)\s*(?:[,.;:]|\bwho\b|$)", rest)
    if m:
        return m.group("o").strip()
    before = re.search(r"(?P<o>[A-Z][\w’'&.-]*(?:\s+[A-Z][\w’'&.-]*)*)[’']s\s*$", text[:at])
    return before.group("o") if before else None


def _outlet_name(outlet: str | None, handoff: str | None, style: Style) -> str | None:
    if outlet is None:
        return handoff
    if outlet in style.outlets:
        return style.outlets[outlet]
    if handoff and outlet.isupper() and len(outlet) <= 6 and len(handoff) > len(outlet):
        return handoff
    return outlet


def build_structure(text: str, raw: list[RawTurn], header: Header, style: Style) -> Structure:
    """Participants, typed turns and exchanges from the raw turns of ``segment``."""
    speakers, keys = _speakers(raw, style)
    texts = [text[rt.start : rt.end] for rt in raw]
    principal = _assign_roles(raw, texts, keys, speakers, header, style)
    keys = [principal if k is None else k for k in keys]

    ids: dict[str, str] = {}
    used: set[str] = set()
    for key, sp in speakers.items():
        base = slugify(sp.name) if sp.name else slugify(key.removeprefix("label:"))
        pid, n = base, 2
        while pid in used:
            pid, n = f"{base}-{n}", n + 1
        used.add(pid)
        ids[key] = pid

    turns: list[Turn] = []
    in_qa = closed = False
    for i, (rt, key) in enumerate(zip(raw, keys, strict=True)):
        sp = speakers.get(key) if key else None
        role = sp.role if sp else "unknown"
        nxt = keys[i + 1] if i + 1 < len(keys) else None
        nxt_role = speakers[nxt].role if nxt in speakers else "unknown"
        kind, section, channel = "other", "qa" if in_qa else "opening", None
        if closed:
            section = "closing"
        if role == "moderator":
            if any(rx.search(texts[i]) for rx in style.closing):
                kind, section, closed = "closing", "closing", True
            else:
                kind = "moderation"
                if nxt_role == "journalist" and not closed:
                    in_qa, section = True, "qa"
        elif role == "journalist":
            kind, section, in_qa = "question", "closing" if closed else "qa", True
            prev = turns[-1] if turns else None
            if prev is not None and prev.kind == "moderation":
                channel = _channel(texts[i - 1], sp, style)
        elif role in ("principal", "official"):
            prev_kind = turns[-1].kind if turns else None
            kind = "answer" if in_qa and prev_kind in ("question", "answer") else "statement"
        turns.append(
            Turn(
                index=i, speaker=ids.get(key) if key else None,
                label=rt.label.raw if rt.label else None, kind=kind, section=section,
                channel=channel, text=texts[i], span=(rt.start, rt.end),
            )
        )

    handoff_outlets: dict[str, str] = {}
    exchanges: list[Exchange] = []
    for t in turns:
        if t.kind != "question":
            continue
        mod = t.index - 1 if t.index > 0 and turns[t.index - 1].kind == "moderation" else None
        answers: list[int] = []
        j = t.index + 1
        while j < len(turns) and turns[j].kind == "answer":
            answers.append(j)
            j += 1
        key = keys[t.index]
        sp = speakers[key] if key else None
        if mod is not None and sp is not None:
            found = _handoff_outlet(turns[mod].text, sp)
            if found:
                handoff_outlets.setdefault(key or "", found)
        answered_by: list[str] = []
        for a in answers:
            spk = turns[a].speaker
            if spk and spk not in answered_by:
                answered_by.append(spk)
        exchanges.append(
            Exchange(
                index=len(exchanges), asker=t.speaker,
                outlet=sp.outlets[0] if sp and sp.outlets else None, channel=t.channel,
                moderation_turn=mod, question_turn=t.index, answer_turns=answers,
                answered_by=answered_by,
            )
        )

    first_turn = {k: i for i, k in reversed(list(enumerate(keys))) if k is not None}
    participants: list[Participant] = []
    for key, sp in sorted(speakers.items(), key=lambda kv: first_turn.get(kv[0], len(keys))):
        outlet = sp.outlets[0] if sp.outlets else None
        official = sp.role in ("principal", "moderator")
        participants.append(
            Participant(
                id=ids[key], name=sp.name, role=sp.role,  # type: ignore[arg-type]
                title=sp.titles[0] if sp.titles else None,
                organisation=style.organisation if official else None,
                outlet=outlet,
                outlet_name=_outlet_name(outlet, handoff_outlets.get(key), style)
                if sp.role == "journalist" else None,
                labels=sp.labels,
            )
        )
    principal_name = speakers[principal].name if principal else None
    return Structure(participants, turns, exchanges, principal_name)
