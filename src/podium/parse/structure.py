"""Steps ``participants``, ``roles``, ``kinds`` and ``exchanges``: who is who, from structure.

Roles come from labels where the house style names a role ("Q", "PREGUNTA", "MODERATOR"),
and otherwise from the shape of the conversation, never from names: the speaker who hands
the floor to the next speaker (naming them, or with a hand-off phrase) and rarely answers is
the moderator; the people handed the floor are journalists; whoever speaks after a
journalist is answering, and of those the ones the title names (or who answers most) are
principals. Office labels (``THE PRESIDENT``, ``PM``, ``A``) become the person the document
says holds the office (``parse/_people.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from podium.model import Exchange, Participant, Turn
from podium.parse import _prefilter
from podium.parse._people import NOT_FIRST, Resolver, proper_case
from podium.parse._text import name_key, slugify, word_count, words_upto
from podium.parse.header import Header
from podium.parse.introductions import handoff_introduction, same_person, self_introduction
from podium.parse.labels import is_caps, vocabulary
from podium.parse.segment import RawTurn
from podium.parse.style import Style

_HANDOFF_MAX_WORDS = 90
_HANDOFF_ONLY_WORDS = 25
_MODERATOR_MEDIAN_WORDS = 60
_CLOSING_MAX_WORDS = 80
_PRINCIPAL_KEY = "role:principal"
# The end of a turn that invites someone to speak.
_INVITES = re.compile(r"(?:\bplease|\?)\W*$", re.IGNORECASE)
# Words that open a sentence and are never the name a hand-off gives ("Thanks, Karine.").
_INTERJECTIONS = {"thanks", "thank", "yes", "yeah", "no", "okay", "ok", "well", "sure", "sorry", "please",
                  "right", "good", "great", "so", "and", "but", "now", "oh", "look", "all"}
# A question turn that ends by thanking has asked what it will ask.
_THANKS_END = re.compile(
    r"(?:thank you|thanks|gracias|谢谢)(?:,?\s+(?:(?:mr|mrs|ms|madam|señor|señora)\.?\s+)?\w+)?\W*$", re.IGNORECASE
)


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


def _label_identity(rt: RawTurn, people: Resolver) -> tuple[str, str | None, str | None, str | None]:
    """``(key, name, title, forced role)`` for a labelled raw turn."""
    lab = rt.label
    assert lab is not None
    lower = lab.raw.lower().rstrip(".")
    if lab.role == "principal":
        return _PRINCIPAL_KEY, None, None, "principal"
    if lab.role == "journalist" and (lab.name or lab.surname):  # "Frage (Jung)"
        named = lab.name or lab.surname or ""
        return name_key(named), named, None, "journalist"
    if lab.role is not None:
        holder = people.named_holder(lab.raw) if lab.role in ("moderator", "official") and lab.raw else None
        if holder:
            return name_key(holder), holder, proper_case(lab.raw), lab.role
        return f"label:{lower or lab.role}", None, None, lab.role
    if lab.office is not None:
        holder = people.office_holder(lab.raw) or people.named_holder(lab.office)
        if holder:
            return name_key(holder), holder, proper_case(lab.office), None
        return f"label:{lower}", None, proper_case(lab.office), None
    if lab.title is not None and lab.name is None and lab.surname is None and lab.outlet is None:
        holder = people.named_holder(lab.title)  # "Official Spokesperson:", "PRIME MINISTER."
        if holder:
            return name_key(holder), holder, proper_case(lab.title), None
    if lab.surname is not None:
        full = people.expand(lab.surname)
        return name_key(full), full, proper_case(lab.title) if lab.title else None, None
    if lab.name is not None:
        name = proper_case(lab.name) if is_caps(lab.name) else lab.name
        return name_key(name), name, lab.title, None
    if lab.outlet is not None:  # "Reuters:": a journalist known only by outlet
        return f"outlet:{lab.outlet.lower()}", None, None, "journalist"
    return f"label:{lower}", None, lab.title, None


def _speakers(
    raw: list[RawTurn], people: Resolver
) -> tuple[dict[str, Speaker], list[str | None]]:
    speakers: dict[str, Speaker] = {}
    keys: list[str | None] = []
    for rt in raw:
        if rt.label is None:
            keys.append(None)
            continue
        key, name, title, role = _label_identity(rt, people)
        sp = speakers.setdefault(key, Speaker(key=key, name=name))
        if sp.name is None and name:
            sp.name = name
        lab = rt.label
        if lab.raw not in sp.labels:
            sp.labels.append(lab.raw)
        if title and title not in sp.titles:
            sp.titles.append(title)
        if lab.outlet and lab.outlet not in sp.outlets:
            sp.outlets.append(lab.outlet)
        if role is not None:
            sp.role, sp.forced = role, True
        keys.append(key)
    _merge_suffix_names(speakers, keys)
    _merge_surnames(speakers, keys)
    return speakers, keys


def _merge_surnames(speakers: dict[str, Speaker], keys: list[str | None]) -> None:
    """A surname label the document expands nowhere ("GEN. OYELARAN:") is the one labelled
    speaker whose full name ends with it ("LT. GEN. VICTOR OYELARAN:")."""
    full = [s for s in speakers.values() if s.name and len(s.name.split()) >= 2 and not s.forced]
    for key, sp in list(speakers.items()):
        if sp.forced or not sp.name or len(sp.name.split()) != 1:
            continue
        same = [f for f in full if f.name and f.name.split()[-1].casefold() == sp.name.casefold()]
        if len(same) != 1:
            continue
        _fold(speakers, keys, key, same[0].key)


def _merge_suffix_names(speakers: dict[str, Speaker], keys: list[str | None]) -> None:
    """One person under a long and a short label: "President of Russia Vladimir Putin" is the
    "Vladimir Putin" of later labels, so the longer name folds into the shorter one."""
    named = {k: s for k, s in speakers.items() if s.name and not s.forced}
    moves: dict[str, str] = {}
    for k in named:
        toks = k.split()
        for other_key in named:
            other = other_key.split()
            if other_key != k and len(other) >= 2 and len(toks) > len(other) and toks[-len(other) :] == other:
                moves[k] = other_key
                break
    for src, dst in moves.items():
        s, d = speakers[src], speakers[dst]
        prefix = s.name.split()[: len(s.name.split()) - len(d.name.split())] if s.name and d.name else []
        if prefix:
            d.titles.insert(0, " ".join(prefix))
        _fold(speakers, keys, src, dst)


def _fold(speakers: dict[str, Speaker], keys: list[str | None], src: str, dst: str) -> None:
    """Speaker ``src`` is ``dst``: its labels, titles and outlets and its turns move over."""
    s, d = speakers.pop(src), speakers[dst]
    d.labels.extend(lab for lab in s.labels if lab not in d.labels)
    d.titles.extend(t for t in s.titles if t not in d.titles)
    d.outlets.extend(o for o in s.outlets if o not in d.outlets)
    for i, key in enumerate(keys):
        if key == src:
            keys[i] = dst


_CALL = re.compile(r"(?:^|\n|[.!?]\s+)(?:So,\s+)?(?P<first>[A-Z][a-z]{2,})(?:,\s+please\b|\?\s*$)")
_VOCATIVE = re.compile(r"\b(?:[Dd]ear|[Tt]hank you|[Tt]hanks),?\s+(?P<first>[A-Z][a-z]{2,})\b(?![ \t]+[A-Z])")


def _first_names_from_address(texts: list[str], keys: list[str | None], speakers: dict[str, Speaker]) -> None:
    """A surname-only speaker ("Merkel") gets the first name the turn before theirs addresses
    ("… thank you, Angela, for …"), when one name is used that way."""
    for key, sp in speakers.items():
        if sp.forced or not sp.name or len(sp.name.split()) != 1:
            continue
        firsts: Counter[str] = Counter()
        for i, k in enumerate(keys):
            if k != key:
                continue
            if i > 0 and keys[i - 1] != key:  # "… and thank you, Angela." / "So, Deborah, please." before
                firsts.update(m.group("first") for m in _VOCATIVE.finditer(texts[i - 1]))
                firsts.update(m.group("first") for m in _CALL.finditer(texts[i - 1][-80:]))
            if i + 1 < len(keys) and keys[i + 1] != key:  # "Well, thank you, Tony." right after
                m = _VOCATIVE.search(texts[i + 1][:40])
                if m:
                    firsts[m.group("first")] += 1
        for word in list(firsts):
            if word.lower() in NOT_FIRST or word == sp.name:
                del firsts[word]
        taken = {s.name.split()[0] for s in speakers.values() if s.name and len(s.name.split()) > 1}
        names = [f for f, _ in firsts.most_common() if f not in taken]
        if len(names) == 1:
            sp.name = f"{names[0]} {sp.name}"


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
    if nxt is not None and nxt.name and _mentions(text[-400:], nxt) is not None:
        return True
    if words_upto(text, _HANDOFF_MAX_WORDS) > _HANDOFF_MAX_WORDS:
        return False
    folded = _prefilter.fold(text)
    if any(_prefilter.search(rx, text, folded) for rx in style.handoff):
        return True
    # "… En primer lugar, Ana Ruiz, de EFE.": the turn ends naming the next asker
    return handoff_introduction(text, at_end=True) is not None


def _find_moderator(
    texts: list[str], keys: list[str | None], speakers: dict[str, Speaker], style: Style,
    title: str,
) -> str | None:
    """The speaker who hands the floor over and rarely answers a question."""
    forced = next((k for k, s in speakers.items() if s.role == "moderator"), None)
    if forced is not None:
        return forced
    handoffs: Counter[str] = Counter()
    after_question: Counter[str] = Counter()
    turns: Counter[str] = Counter()
    for i, key in enumerate(keys):
        if key is None:
            continue
        turns[key] += 1
        prev = keys[i - 1] if i > 0 else None
        if prev is not None and speakers[prev].role == "journalist":
            after_question[key] += 1
        # A label that names only an office ("Secretario de Estado de Comunicación") may chair.
        chairs = not speakers[key].forced or speakers[key].role == "official" and speakers[key].name is None
        if i + 1 >= len(keys) or not chairs:
            continue
        nxt_key = keys[i + 1]
        if nxt_key is None or nxt_key == key or speakers[nxt_key].role not in ("journalist", "unknown"):
            continue
        if _is_handoff(texts[i], speakers[nxt_key], style) and re.search(r"[?？¿]", texts[i + 1]):
            handoffs[key] += 1  # the floor went to someone who then asks
    for key, _ in handoffs.most_common():
        sp = speakers[key]
        if title and sp.name and _mentions(title, sp) is not None:
            continue
        lengths = sorted(word_count(texts[i]) for i, k in enumerate(keys) if k == key)
        if lengths[len(lengths) // 2] > _MODERATOR_MEDIAN_WORDS:
            continue  # a presenter of long reports is not chairing the questions
        own = [texts[i] for i, k in enumerate(keys) if k == key]
        if sp.name and any((said := self_introduction(t)) and said.outlet and said.name
                           and same_person(said.name, sp.name) for t in own):
            continue  # "Nick Timiraos with the Wall Street Journal. Chair Powell, …": a reporter
        if sum(1 for t in own if re.search(r"[?？¿]", t)) > 0.5 * len(own):
            continue  # one who mostly asks is asking, not chairing
        if after_question[key] <= 0.3 * turns[key]:
            return key
    return None


def _assign_roles(
    texts: list[str], keys: list[str | None], speakers: dict[str, Speaker], header: Header,
    style: Style, people: Resolver,
) -> list[str]:
    """Set ``Speaker.role`` for everyone; return the principals' keys, the main one first."""
    title = header.title or ""
    moderator = _find_moderator(texts, keys, speakers, style, title)
    if moderator is not None:
        speakers[moderator].role = "moderator"
        for i, key in enumerate(keys[:-1]):
            nxt = keys[i + 1]
            if key == moderator and nxt and nxt != moderator and not speakers[nxt].forced:
                named = speakers[nxt].name
                if title and named and _mentions(title, speakers[nxt]) is not None:
                    continue  # the principal the title names is never handed a question
                if speakers[nxt].titles:
                    continue  # "MARCELO EBRARD CASAUBON, SECRETARIO …" is an official given the floor
                if _is_handoff(texts[i], speakers[nxt], style):
                    speakers[nxt].role = "journalist"
    _askers_by_shape(texts, keys, speakers, title)
    answer_words: Counter[str] = Counter()
    after_question = False
    for i, key in enumerate(keys):
        role = speakers[key].role if key else "unknown"
        if role == "journalist":
            after_question = True
        elif role == "moderator":
            after_question = False
        elif after_question and key is not None:
            answer_words[key] += word_count(texts[i])
    answerers = [
        k for k in answer_words
        if speakers[k].role == "principal" or speakers[k].role == "unknown" and not speakers[k].forced
    ]
    principals = _pick_principals(answerers, answer_words, speakers, header, style, texts, keys, people)
    for k in answerers:
        if k in speakers and speakers[k].role == "unknown":
            speakers[k].role = "official"
    for k in principals:
        speakers[k].role = "principal"
    for sp in speakers.values():
        if sp.role == "unknown" and not sp.forced and sp.titles:
            sp.role = "official"  # "Tyumen Region Governor Alexander Moor": an office holder
    first_question = next((i for i, k in enumerate(keys) if k and speakers[k].role == "journalist"), len(keys))
    for key in keys[:first_question]:
        if key is not None and speakers[key].role == "unknown" and not speakers[key].forced:
            speakers[key].role = "official"  # speaks in the opening statements: an official
    return principals


def _askers_by_shape(texts: list[str], keys: list[str | None], speakers: dict[str, Speaker], title: str) -> None:
    """Named speakers nobody handed the floor to, who mostly ask, are journalists too."""
    asks: Counter[str] = Counter()
    turns: Counter[str] = Counter()
    for i, key in enumerate(keys):
        if key is None or speakers[key].role != "unknown" or speakers[key].forced:
            continue
        turns[key] += 1
        if re.search(r"[?？¿]", texts[i]):
            asks[key] += 1
    for key, n in turns.items():
        sp = speakers[key]
        if title and sp.name and _mentions(title, sp) is not None or sp.titles:
            continue  # the title's principal, or an office holder ("PRESIDENTE …"), asks rhetorically
        if asks[key] >= max(1, 0.6 * n) and n <= 3 or asks[key] >= 0.4 * n or _introduces_self(texts, keys, key, sp):
            sp.role = "journalist"


def _introduces_self(texts: list[str], keys: list[str | None], key: str, sp: Speaker) -> bool:
    """Whether a named speaker gives their own name early in a turn ("Viktor Smirnov, 47news")."""
    if not sp.name or len(sp.name.split()) < 2:
        return False
    counts = Counter(k for k in keys if k is not None)
    opener = next((k for k in keys if k is not None and counts[k] > 1), None)  # not a one-off header line
    if key == opener:
        return False  # "My name is Julia Kessling-Moore, …": the host opening the event
    return any(k == key and sp.name in texts[i][:200] for i, k in enumerate(keys))


def _pick_principals(
    answerers: list[str], answer_words: Counter[str], speakers: dict[str, Speaker],
    header: Header, style: Style, texts: list[str], keys: list[str | None], people: Resolver,
) -> list[str]:
    title = header.title or ""
    house = people.house_principal()
    if house and name_key(house) in speakers:  # the institution's own principal (by date)
        key = name_key(house)
        others = [k for k in answerers if k != key and title and _mentions(title, speakers[k]) is not None]
        return [key, *others]
    if _PRINCIPAL_KEY in speakers or None in keys:
        # An office label ("A:", "答：") or unlabelled opening text: the document's principal.
        named = people.principal_name()
        if named:
            return [_adopt_principal(named, speakers, keys, _unnamed_speaker(speakers, keys, texts))]
    candidates = answerers or [k for k, s in speakers.items() if s.role == "unknown" and s.name]
    in_title = [k for k in candidates if title and speakers[k].name and _mentions(title, speakers[k]) is not None]
    if in_title:
        in_title.sort(key=lambda k: _mentions(title, speakers[k]) or 0)
        return in_title
    named = people.principal_name()
    if named:
        return [_adopt_principal(named, speakers, keys, _unnamed_speaker(speakers, keys, texts))]
    if _PRINCIPAL_KEY in speakers:
        return [_PRINCIPAL_KEY]
    if answerers:
        return [max(answerers, key=lambda k: answer_words[k])]
    words: Counter[str] = Counter()
    for i, k in enumerate(keys):
        if k is not None and k in candidates:
            words[k] += word_count(texts[i])
    return [words.most_common(1)[0][0]] if words else []


def _unnamed_speaker(speakers: dict[str, Speaker], keys: list[str | None], texts: list[str]) -> str:
    """The label the principal's name belongs to: the anonymous principal label ("A:"), else an
    office label without a name ("PRIME MINISTER.") when it says the most of everyone who is
    neither a journalist nor the moderator."""
    if _PRINCIPAL_KEY in speakers:
        return _PRINCIPAL_KEY
    said: Counter[str] = Counter()
    for i, k in enumerate(keys):
        if k is not None and speakers[k].role not in ("journalist", "moderator"):
            said[k] += word_count(texts[i])
    top = said.most_common(1)[0][0] if said else None
    return top if top is not None and speakers[top].name is None else _PRINCIPAL_KEY


def _adopt_principal(
    name: str, speakers: dict[str, Speaker], keys: list[str | None], anon_key: str = _PRINCIPAL_KEY
) -> str:
    """Make ``name`` a speaker and fold the anonymous principal label (``anon_key``) into it."""
    key = name_key(name)
    speakers.setdefault(key, Speaker(key=key, name=name))
    if anon_key in speakers and anon_key != key:
        _fold(speakers, keys, anon_key, key)
    return key


_CUE_TURN_WORDS = 40
"""A turn this short before a question may say where the asker is, whoever speaks it."""
_CUE_OPENING_CHARS = 120
"""How much of a question's start is read for the asker's own channel cue."""


@lru_cache(maxsize=64)
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> tuple[re.Pattern[str], ...]:
    """One regex for a list of cues (each a case-insensitive search): one pass, not one per cue."""
    if not patterns or len({rx.flags for rx in patterns}) != 1:
        return patterns
    return (re.compile("|".join(f"(?:{rx.pattern})" for rx in patterns), patterns[0].flags),)


def _channel(text: str, asker: Speaker | None, style: Style) -> str | None:
    """Where the journalist handed the floor is, from the cue nearest their name."""
    anchor = _mentions(text, asker) if asker else None
    if anchor is None:
        anchor = len(text)
    best: tuple[int, str] | None = None
    folded = _prefilter.fold(text)
    for kind, patterns in (("in_room", style.in_room), ("remote", style.remote)):
        for rx in _any_of(patterns):
            if not _prefilter.may_match(rx, folded):
                continue
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


def _is_handoff_only(text: str, style: Style) -> bool:
    """A principal's turn that only gives the floor ("Go ahead.", "Yes, Peter.", "I'm going to
    begin by recognizing Steve Portnoy …")."""
    words = words_upto(text, 3 * _HANDOFF_ONLY_WORDS)
    if words <= _HANDOFF_ONLY_WORDS and any(rx.search(text) for rx in style.handoff):
        return True
    if words > 3 * _HANDOFF_ONLY_WORDS:
        return False
    tail = text[-200:]
    if any((m.group("name") or "").lower() not in _INTERJECTIONS for rx in style.handoff_intro for m in rx.finditer(tail)):
        return True
    # "Okay. Let's go to Marcus Feld, Defense One.": a short turn that ends naming the next asker
    return words <= _HANDOFF_ONLY_WORDS and handoff_introduction(text) is not None


def _unanswered(turns: list[Turn]) -> bool:
    """Whether the last question has had no answer yet (a moderator stepped in between)."""
    for t in reversed(turns):
        if t.kind == "question":
            return True
        if t.kind in ("answer", "statement"):
            return False
    return False


def _later_roles(keys: list[str | None], speakers: dict[str, Speaker]) -> list[frozenset[str]]:
    """For each turn, the roles of the labelled turns after it: one backward pass, so
    ``_is_closing`` is O(1) per turn (it used to rebuild the list of later turns each time,
    quadratic in the number of turns)."""
    out: list[frozenset[str]] = [frozenset()] * len(keys)
    seen: frozenset[str] = frozenset()
    for i in range(len(keys) - 1, -1, -1):
        out[i] = seen
        k = keys[i]
        if k and speakers[k].role not in seen:
            seen = seen | {speakers[k].role}
    return out


def _is_closing(
    i: int, texts: list[str], keys: list[str | None], speakers: dict[str, Speaker], style: Style,
    later: list[frozenset[str]],
) -> bool:
    """The event ends here: a closing phrase ("thank you for your questions") or a moderator's
    last words, and nobody asks again; a principal's words are no closing while a moderator
    has yet to speak. ``later`` comes from ``_later_roles``."""
    if "journalist" in later[i]:
        return False
    role = speakers[key].role if (key := keys[i]) else "unknown"
    if role == "moderator" and not later[i]:
        return True
    if role != "moderator" and ("moderator" in later[i] or words_upto(texts[i], _CLOSING_MAX_WORDS) > _CLOSING_MAX_WORDS):
        return False  # an answer that ends with thanks is still an answer
    return any(rx.search(texts[i]) for rx in style.closing)


def _kinds(
    raw: list[RawTurn], texts: list[str], keys: list[str | None], speakers: dict[str, Speaker],
    ids: dict[str, str], style: Style,
) -> list[Turn]:
    turns: list[Turn] = []
    in_qa = closed = False
    later = _later_roles(keys, speakers)
    for i, (rt, key) in enumerate(zip(raw, keys, strict=True)):
        sp = speakers.get(key) if key else None
        role = sp.role if sp else "unknown"
        nxt = keys[i + 1] if i + 1 < len(keys) else None
        nxt_role = speakers[nxt].role if nxt in speakers else "unknown"
        kind, section, channel = "other", "qa" if in_qa else "opening", None
        if closed:
            section = "closing"
        if role == "moderator":
            if _is_closing(i, texts, keys, speakers, style, later):
                kind, section, closed = "closing", "closing", True
            else:
                kind = "moderation"
                if nxt_role == "journalist" and not closed:
                    in_qa, section = True, "qa"
        elif role == "journalist":
            kind, section, in_qa = "question", "closing" if closed else "qa", True
            prev = turns[-1] if turns else None
            if prev is not None and (prev.kind == "moderation" or words_upto(texts[i - 1], _CUE_TURN_WORDS) <= _CUE_TURN_WORDS):
                channel = _channel(texts[i - 1], sp, style)  # "One more online. Hiroshi, please."
            if channel is None:  # "(Online) Jiji Press, Nakamura.": the asker says where they are
                channel = _channel(texts[i][:_CUE_OPENING_CHARS], None, style)
        elif role in ("principal", "official") and (closed or in_qa and _is_closing(i, texts, keys, speakers, style, later)):
            kind, section, closed = "closing", "closing", True
        elif role in ("principal", "official"):
            prev_kind = turns[-1].kind if turns else None
            # A question turn that only thanks ("Thank you.") asks nothing to answer.
            prev_words = words_upto(turns[-1].text, 6) if turns else 0
            no_mark = not re.search(r"[?？¿]", turns[-1].text) if turns else False
            cut_off = bool(turns) and turns[-1].text.rstrip().endswith(("--", "—"))
            thanks = prev_kind == "question" and (
                no_mark and (prev_words <= 6 or bool(_THANKS_END.search(turns[-1].text))) or prev_words <= 3 or cut_off
            )
            gives_floor = nxt_role == "journalist" or nxt is not None and nxt != key and nxt_role in ("principal", "official")
            words = words_upto(texts[i], _HANDOFF_ONLY_WORDS)
            short, brief = words <= _HANDOFF_ONLY_WORDS // 2, words <= _HANDOFF_ONLY_WORDS
            after = prev_kind not in ("question", "answer") or thanks or prev_kind == "answer" and short
            # Handing a question over to a colleague by name ("Gracias. Maestro Zoé Robledo.").
            anonymous = sp is not None and sp.name is None  # two "SENIOR ADMINISTRATION OFFICIAL"s
            passes = short and _mentions(texts[i], speakers[nxt]) is not None if nxt in speakers else False
            passes = passes or brief and any(rx.search(texts[i]) for rx in style.redirect)
            redirect = (
                prev_kind == "question" and nxt is not None and (nxt != key or anonymous)
                and nxt_role in ("principal", "official") and passes
            )
            names_next = (
                nxt in speakers and nxt != key and nxt_role in ("principal", "official") and prev_kind != "question"
                and brief and _mentions(texts[i][-120:], speakers[nxt]) is not None
                and bool(_INVITES.search(texts[i]))  # "Larry, how about …, please?", not "Thanks, Karine."
            )
            if redirect or names_next or gives_floor and after and _is_handoff_only(texts[i], style):
                kind = "moderation"
                if nxt_role == "journalist":
                    in_qa, section = True, "qa"
            elif in_qa and (prev_kind in ("question", "answer") or _unanswered(turns)):
                kind = "answer"
            else:
                kind = "statement"
        turns.append(
            Turn(
                index=i, speaker=ids.get(key) if key else None,
                label=rt.label.raw or None if rt.label else None, kind=kind,  # type: ignore[arg-type]
                section=section, channel=channel, text=texts[i], span=(rt.start, rt.end),  # type: ignore[arg-type]
            )
        )
    return turns


def _introduction(question: str, previous: str | None, style: Style) -> tuple[str | None, str | None]:
    """``(name, outlet)`` of an anonymous questioner: self-introduction, then the hand-off."""
    head = question[:300]
    for rx in style.self_intro:
        m = rx.search(head)
        if m and _personal(m.group("name"), style):
            g = m.groupdict()
            return _strip(g.get("name")), _strip(g.get("outlet"))
    if previous:
        tail = previous[-200:]
        found: list[re.Match[str]] = []
        for rx in style.handoff_intro:
            found.extend(
                m for m in rx.finditer(tail)
                if m.group("name") and name_key(m.group("name")) not in style.name_stopwords
                and m.group("name").casefold() not in vocabulary().interjections  # "No.", "Gracias."
                and m.group("name").casefold() not in vocabulary().function_words
            )
        if found:  # the hand-off nearest the question wins
            best = max(found, key=lambda m: m.start()).groupdict()
            return _strip(best.get("name")), _strip(best.get("outlet"))
    return None, None


def _personal(name: str | None, style: Style) -> bool:
    """Whether ``name`` can be a person's name (not "Mr. President", not "Secretary General")."""
    if not name:
        return False
    words = [w.strip(".,").lower() for w in name.split()]
    return not any(w in NOT_FIRST or w in style.name_stopwords for w in words)


def _strip(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", value).strip(" ,.;:")
    return value or None


def _exchanges(
    turns: list[Turn], texts: list[str], keys: list[str | None], speakers: dict[str, Speaker],
    ids: dict[str, str], style: Style,
) -> tuple[list[Exchange], dict[str, str], list[Participant]]:
    handoff_outlets: dict[str, str] = {}
    exchanges: list[Exchange] = []
    introduced: dict[str, Participant] = {}
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
        if sp is not None and sp.name and not sp.outlets:  # "ANN SAPHIR.  Ann Saphir with Reuters."
            said = self_introduction(t.text)
            if said is not None and said.outlet and said.name and same_person(said.name, sp.name):
                sp.outlets.append(said.outlet)
        asker, outlet = t.speaker, sp.outlets[0] if sp and sp.outlets else None
        if sp is not None and sp.name is None and _is_followup(t.label) and exchanges:
            asker, outlet = exchanges[-1].asker, exchanges[-1].outlet  # "Zusatzfrage": the same asker
        elif sp is not None and sp.name is None:
            prev = texts[t.index - 1] if t.index > 0 and turns[t.index - 1].kind != "question" else None
            name, intro_outlet = _introduction(t.text, prev, style)
            spoken = False
            said = self_introduction(t.text) if name else None
            if name and said is not None and said.name and same_person(said.name, name):
                # "… Hannah." then "Hannah Pryce, the Times.": the turn says who speaks it, and may say more
                if len(said.name) > len(name):
                    name, intro_outlet = said.name, said.outlet or intro_outlet
                spoken = True
            if not name:
                said = self_introduction(t.text)
                spoken = said is not None
                # The hand-off: a moderator's turn, or the end of the answer before ("… Let me
                # go to the phone. Nadia Kessler, Breaking Defense.")
                said = said or (handoff_introduction(turns[mod].text) if mod is not None
                                else handoff_introduction(prev, at_end=True) if prev else None)
                if said is not None:
                    name, intro_outlet = said.name, said.outlet
            if name:
                pid = _introduced_id(name, ids, introduced)
                if pid not in introduced:
                    introduced[pid] = Participant(id=pid, name=name, role="journalist", outlet=intro_outlet)
                asker = pid
                if spoken:  # "Rohan from WION. Sir, …": the turn says who speaks it
                    t.speaker = pid
            outlet = intro_outlet or outlet
        exchanges.append(
            Exchange(
                index=len(exchanges), asker=asker, outlet=outlet, channel=t.channel,
                moderation_turn=mod, question_turn=t.index, answer_turns=answers,
                answered_by=answered_by,
            )
        )
    return exchanges, handoff_outlets, list(introduced.values())


def _is_followup(label: str | None) -> bool:
    """Whether a label marks a follow-up by the previous asker ("Zusatzfrage", "Follow-up")."""
    return bool(label) and label.casefold().rstrip(".") in vocabulary().followup  # type: ignore[union-attr]


def _introduced_id(name: str, ids: dict[str, str], introduced: dict[str, Participant]) -> str:
    base = slugify(name)
    for p in introduced.values():
        if p.name and name_key(p.name) == name_key(name):
            return p.id
    taken = set(ids.values()) | set(introduced)
    pid, n = base, 2
    while pid in taken:
        pid, n = f"{base}-{n}", n + 1
    return pid


def _answers_in_principals_voice(
    keys: list[str | None], speakers: dict[str, Speaker], principals: list[str]
) -> list[str | None]:
    """"A:" in a briefing whose one principal the document names ("Press Secretary MORITA:"
    opens, then "Q:"/"A:") is that principal answering, not an anonymous official."""
    if len(principals) != 1 or not speakers[principals[0]].name:
        return keys
    answer = vocabulary().answer
    voice = {k for k, sp in speakers.items()
             if sp.name is None and sp.labels and all(lab.casefold().rstrip(".") in answer for lab in sp.labels)}
    if not voice:
        return keys
    main = speakers[principals[0]]
    for k in voice:
        main.labels.extend(lab for lab in speakers.pop(k).labels if lab not in main.labels)
    return [principals[0] if k in voice else k for k in keys]


def build_structure(
    text: str, raw: list[RawTurn], header: Header, style: Style, people: Resolver | None = None
) -> Structure:
    """Participants, typed turns and exchanges from the raw turns of ``segment``."""
    people = people or Resolver(text, header.title, None, style)
    speakers, keys = _speakers(raw, people)
    texts = [text[rt.start : rt.end] for rt in raw]
    _first_names_from_address(texts, keys, speakers)
    principals = _assign_roles(texts, keys, speakers, header, style, people)
    principal = principals[0] if principals else None
    keys = [principal if k is None else k for k in keys]
    keys = _answers_in_principals_voice(keys, speakers, principals)

    ids: dict[str, str] = {}
    used: set[str] = set()
    for key, sp in speakers.items():
        base = slugify(sp.name) if sp.name else slugify(key.split(":", 1)[-1])
        pid, n = base, 2
        while pid in used:
            pid, n = f"{base}-{n}", n + 1
        used.add(pid)
        ids[key] = pid

    turns = _kinds(raw, texts, keys, speakers, ids, style)
    exchanges, handoff_outlets, introduced = _exchanges(turns, texts, keys, speakers, ids, style)

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
    for p in introduced:
        p.outlet_name = _outlet_name(p.outlet, None, style) if p.outlet else None
        participants.append(p)
    principal_name = speakers[principal].name if principal else None
    return Structure(participants, turns, exchanges, principal_name)
