"""The substring test before a cue regex (``podium.parse._prefilter``): it must never skip a
text that the regex matches, and it must find needles for the cue lists it exists for."""

from __future__ import annotations

import re
from itertools import islice

from podium import readers
from podium.evaluate.check import transcript_files
from podium.parse import _prefilter, style
from podium.parse.structure import _any_of
from tests.conftest import SHARED, need_shared


def _every_cue_pattern() -> list[re.Pattern[str]]:
    found: list[re.Pattern[str]] = []
    for name in style.names():
        st = style.get(name)
        found += [rx for rx, _ in st.detect] + list(st.evidence) + list(st.handoff) + list(st.redirect)
        found += list(_any_of(st.in_room)) + list(_any_of(st.remote)) + list(st.self_intro) + list(st.closing)
    return list(dict.fromkeys(found))


def test_needles_are_words_the_pattern_cannot_match_without() -> None:
    assert _prefilter.needles(re.compile(r"\bon\s+the\s+line\b", re.I)) == ("line",)
    assert _prefilter.needles(re.compile(r"\bKremlin\b|\bPresident of Russia", re.I)) == ("kremlin", "president of russia")
    assert _prefilter.needles(re.compile(r"^(?:yes|okay)?[,.]?\s*go\s+ahead")) == ("ahead",)
    # An optional part, a group that changes flags, or two-letter literals give no needle.
    assert _prefilter.needles(re.compile(r"(?:online)?\s*Q:")) is None
    assert _prefilter.needles(re.compile(r"(?i:online)")) is None
    assert _prefilter.needles(re.compile(r"\bin\b")) is None


def test_case_folding_keeps_every_case_insensitive_match() -> None:
    rx = re.compile(r"\bstraße\b|\bİSTANBUL\b", re.I)
    for text in ("STRASSE", "Die STRASSE", "Straße", "in İstanbul today", "ISTANBUL"):
        assert (rx.search(text) is None) == (_prefilter.search(rx, text, _prefilter.fold(text)) is None), text


def test_the_prefilter_never_skips_a_match_on_real_transcripts() -> None:
    """Every cue pattern of every style against every paragraph of 60 shared transcripts."""
    need_shared()
    patterns = _every_cue_pattern()
    assert sum(_prefilter.needles(rx) is not None for rx in patterns) > len(patterns) // 2
    files = islice(transcript_files(SHARED / "data" / "transcripts"), 0, None, 13)
    checked = matched = 0
    for path in islice(files, 60):
        for para in readers.read(path).plain.split("\n\n"):
            folded = _prefilter.fold(para)
            for rx in patterns:
                hit = rx.search(para) is not None
                assert hit <= _prefilter.may_match(rx, folded), (rx.pattern, para[:200])
                checked += 1
                matched += hit
    assert matched > 100 and checked > 10 * matched
