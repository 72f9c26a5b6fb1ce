"""Threads in a real browser (Chromium via Playwright): from a question card in the reader,
follow "asked N times before" to the thread's timeline, which names askers and outlets and
shows answer badges. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from tests.browser.test_web_browser import (
    ARTIFACTS,
    Console,
    _need_browser,
    _shot,
)


@pytest.fixture(scope="module")
def threads_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    from podium.analyze import threads
    from podium.store import open_store
    from tests._store_fixtures import make_transcript
    from tests.web_server import running_server

    db = tmp_path_factory.mktemp("threads") / "threads.db"
    vec = np.ones(8, np.float32) / np.sqrt(8)
    asked = [
        ("h1", "2024-01-10", ("Lena Park", ["Lena Park (CH)"], "CH", "Coastal Herald"), "clear_non_reply",
         "We are not going to speculate about dates."),
        ("h2", "2024-02-12", ("Sami Virtanen", ["Sami Virtanen (RN)"], "RN", "Radio North"), "ambivalent",
         "Work could start in the spring, depending on the permits."),
        ("h3", "2024-03-14", ("Lena Park", ["Lena Park (CH)"], "CH", "Coastal Herald"), "clear_reply",
         "Dredging starts on 15 April and ends on 30 June."),
    ]
    with open_store(db) as store:
        for tid, date, journalist, clarity, answer in asked:
            store.add(make_transcript(tid, date=date, journalist=journalist, clarity=clarity, answer=answer,
                                      question="When will the dredging of the northern channel start?"))
            store.add_question_vectors({(tid, 0, 0): vec.tobytes()}, threads.MODEL)
        threads.update_threads(store)
    with running_server(db) as url:
        yield url


def test_question_card_links_to_the_thread_timeline(browser: Any, threads_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console = Console(page)
    page.goto(threads_url + "/transcripts/h3")
    link = page.locator("ol.questions a.thread-link")
    assert link.count() == 1
    assert link.inner_text() == "asked 2 times before; last answer: ambivalent"
    link.scroll_into_view_if_needed()
    _shot(page, "threads-01-reader-link")
    link.click()
    page.wait_for_url("**/threads/*")
    items = page.locator("ol.timeline > li")
    assert items.count() == 3
    dates = [items.nth(i).locator(".when a").inner_text() for i in range(3)]
    assert dates == ["2024-01-10", "2024-02-12", "2024-03-14"]
    first, last = items.nth(0).inner_text(), items.nth(2).inner_text()
    assert "Lena Park" in first and "Coastal Herald" in first and "clear non-reply" in first
    assert "Radio North" in items.nth(1).inner_text()
    assert items.nth(2).locator(".badge.clarity-clear_reply").inner_text() == "clear reply"
    assert "Lena Park" in last
    drift = page.locator("section.drift")
    assert drift.count() == 2 and "label" in drift.first.inner_text()
    _shot(page, "threads-02-timeline", full=True)
    page.goto(threads_url + "/threads")
    assert page.locator(".thread-row").count() == 1
    _shot(page, "threads-03-list")
    assert console.errors == []
    assert (ARTIFACTS / "threads-02-timeline.png").stat().st_size > 10_000
