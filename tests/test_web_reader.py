"""The reader's view model and page, on the NATO reference transcript and the sample."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

from fastapi.testclient import TestClient  # noqa: E402

from podium import parse_file  # noqa: E402
from podium.web import create_app  # noqa: E402
from podium.web.charts import bar_chart, column_chart  # noqa: E402
from podium.web.views import reader_view  # noqa: E402
from tests.conftest import EXAMPLES  # noqa: E402


def test_reader_view_groups_exchanges_in_order(nato) -> None:  # noqa: ANN001
    view = reader_view(nato)
    cards = [b.card for b in view.blocks if b.card]
    assert len(cards) == len(nato.exchanges)
    first = cards[0]
    assert first.asker == "Matthias Kolb"
    assert first.outlet == "SDZ"
    assert first.outlet_name == "Süddeutsche Zeitung"
    assert first.channel_text == "in the room"
    assert first.handoff is not None and first.handoff.speaker == "Oana Lungescu"
    assert [a.speaker for a in first.answers] == ["Jens Stoltenberg"]
    assert len(first.questions) == 2
    # Every turn appears exactly once: in the opening, as a lone turn or inside one card.
    seen = [tv.turn.index for tv in view.opening]
    for b in view.blocks:
        if b.turn:
            seen.append(b.turn.turn.index)
        else:
            c = b.card
            seen += [x.turn.index for x in ([c.handoff] if c.handoff else []) + [c.question] + c.answers]
    assert sorted(seen) == [t.index for t in nato.turns]
    assert view.opening and all(tv.turn.section == "opening" for tv in view.opening)


def test_reader_stats_count_words_and_questions(nato) -> None:  # noqa: ANN001
    view = reader_view(nato)
    words = dict(view.words_per_speaker)
    assert view.words_per_speaker[0][0] == "Jens Stoltenberg"  # the principal speaks most
    assert sum(words.values()) == view.word_count
    per_outlet = dict(view.questions_per_outlet)
    assert per_outlet["SDZ"] == 2
    assert sum(per_outlet.values()) == view.question_count == sum(len(e.questions) for e in nato.exchanges)


def test_preview_page_renders_cards_with_permalinks(seed_path) -> None:  # noqa: ANN001
    client = TestClient(create_app("unused.db"))
    r = client.post("/upload", files={"file": ("nato.txt", seed_path.read_bytes(), "text/plain")})
    assert r.status_code == 200
    html = r.text
    assert "parsed but not stored" in html
    card = re.search(r'<section class="exchange" id="e0".*?</section>', html, re.S)
    assert card, "first exchange card missing"
    text = card.group(0)
    for needle in ("Matthias Kolb", "SDZ", "in the room", "Süddeutsche Zeitung", "Jake Sullivan"):
        assert needle in text
    t = parse_file(seed_path)
    for turn in t.turns:  # a permalink anchor for every turn
        assert f'id="t{turn.index}"' in html and f'href="#t{turn.index}"' in html
    assert html.count('<svg class="chart bar-chart"') == 2


def test_clarity_badge_shown_when_set(seed_path) -> None:  # noqa: ANN001
    from podium.model import Score
    from podium.web.context import reader

    t = parse_file(seed_path)
    t.exchanges[0].questions[0].clarity = Score(label="ambivalent", score=0.66)
    app = create_app("unused.db")
    html = app.state.templates.get_template("transcript.html").render(
        {**reader(t), "request": None, "read_only": False, "json_url": None}
    )
    assert 'class="badge clarity clarity-ambivalent"' in html
    assert "Answers by clarity" in html


def test_sample_preview_shows_remote_badge() -> None:
    client = TestClient(create_app("unused.db"))
    r = client.post("/upload", data={"text": (EXAMPLES / "sample-press-conference.txt").read_text()})
    assert r.status_code == 200
    assert "Lena Park" in r.text
    t = parse_file(EXAMPLES / "sample-press-conference.txt")
    if any(e.channel == "remote" for e in t.exchanges):
        assert 'badge channel-remote">remote<' in r.text


def test_charts_escape_labels_and_fold_the_tail() -> None:
    svg = bar_chart([(f"<b>o{i}</b>", 20 - i) for i in range(15)], title="Q & A", unit="questions", limit=5)
    assert "<b>" not in svg and "&lt;b&gt;o0&lt;/b&gt;" in svg
    assert svg.count("<rect") == 5 and "11 others" in svg
    assert "Q &amp; A" in svg
    col = column_chart([("2021-01", 3), ("2021-02", 0), ("2021-03", 6)], title="per month", unit="transcripts")
    assert col.count("<rect") == 3 and ">6<" in col and "2021-03" in col
    assert "No data" in bar_chart([], title="x", unit="y")


def test_paragraphs_rejoin_hard_wrapped_lines() -> None:
    from podium.web.views import paragraphs

    assert paragraphs("One line\nwrapped here.\n\n  Second\n para.\n") == ["One line wrapped here.", "Second para."]
    assert paragraphs("First.\nSecond.\n") == ["First.", "Second."]
    assert paragraphs("  \n") == []
