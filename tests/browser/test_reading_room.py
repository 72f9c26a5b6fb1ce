"""Issue 13 in a real browser: exchange search, Chinese search, the mobile first screen, no
horizontal overflow on any page type, and no serious or critical axe-core violation.

Debian's Chromium driven by Playwright, as in ``test_web_browser.py``; screenshots go to
``test-artifacts/``. axe-core comes inside the ``axe-playwright-python`` package (the
``browser`` extra), injected into each page; nothing is fetched at test time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_web_browser import ARTIFACTS, Console, _need_browser
from tests.conftest import EXAMPLES, SEED, SHARED, need_shared

MFA = SHARED / "data" / "transcripts" / "china_mfa"
EN_WITH_SANCTIONS = ["t1561528.html", "t1565728.html", "t1586627.html"]
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    _need_browser()
    need_shared()
    import httpx

    from podium.store import open_store
    from podium.store.ingest import ingest
    from tests.web_fixtures import HOSTILE
    from tests.web_server import build_store, running_server

    db = tmp_path_factory.mktemp("room") / "room.db"
    build_store(db, [SEED, EXAMPLES / "sample-press-conference.txt"], {"hostile.txt": HOSTILE})
    with open_store(str(db)) as store:
        ingest(store, [str(MFA / "zh"), *(str(MFA / "en" / f) for f in EN_WITH_SANCTIONS)], jobs=1)
    with running_server(db) as url:
        items = httpx.get(url + "/api/transcripts", params={"title": "Stoltenberg"}).json()["items"]
        nato = items[0]["transcript_id"]
        zh = httpx.get(url + "/api/search", params={"q": "台湾", "by": "turn"}).json()["hits"][0]["transcript_id"]
        people = httpx.get(f"{url}/api/transcripts/{nato}").json()["people"]["matthias-kolb"]
        yield {"url": url, "db": db, "nato": nato, "zh": zh, "person": people["person_id"],
               "outlet": people["outlet_id"]}


def _pages(site: dict[str, Any]) -> dict[str, str]:
    """One address of every page type."""
    return {
        "home": "/",
        "transcripts": "/transcripts?org=NATO",
        "reader": f"/transcripts/{site['nato']}",
        "reader-zh": f"/transcripts/{site['zh']}",
        "search-exchanges": "/search?q=sanctions",
        "search-turns": "/search?q=sanctions&by=turn",
        "browse": "/search?kind=question",
        "search-error": "/search?q=%22unclosed",
        "cite": f"/transcripts/{site['nato']}/cite/3",
        "persons": "/persons",
        "person": f"/persons/{site['person']}",
        "outlets": "/outlets",
        "outlet": f"/outlets/{site['outlet']}",
        "upload": "/upload",
        "api-docs": "/api/docs",
        "not-found": "/transcripts/nothing-here",
    }


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"room-{name}.png"))


def test_exchange_search_for_sanctions(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport=DESKTOP)
    console = Console(page)
    page.goto(site["url"] + "/search?q=sanctions")
    hits = page.locator(".exchange-hit")
    assert hits.count() >= 3
    for i in range(hits.count()):
        hit = hits.nth(i)
        asker = hit.locator(".journalist").inner_text().strip()
        assert asker  # a name, or "unnamed journalist"
        assert hit.locator(".answer-start .speaker").inner_text().strip().endswith(":")
        assert hit.locator("mark").count() >= 1  # in a question, the answer shown, or the hand-off
    _shot(page, "sanctions-exchanges")
    hits.first.locator("summary", has_text="Cite").click()
    cite = hits.first.locator(".cite textarea").first.input_value()
    assert site["url"] + "/transcripts/" in cite
    assert console.errors == []


def test_chinese_search_and_page_language(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site["url"] + "/search?q=台湾&by=turn")
    assert page.locator(".hit mark", has_text="台湾").count() >= 1
    page.goto(site["url"] + f"/transcripts/{site['zh']}")
    assert page.locator("html").get_attribute("lang") == "zh"
    page.goto(site["url"] + f"/transcripts/{site['nato']}")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["mobile", "desktop"])
def test_no_page_overflows_sideways(browser: Any, site: dict[str, Any], viewport: dict[str, int]) -> None:
    page = browser.new_page(viewport=viewport)
    console = Console(page)
    wide = {}
    for name, path in _pages(site).items():
        page.goto(site["url"] + path)
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            wide[name] = width
        if viewport is MOBILE:
            _shot(page, f"mobile-{name}")
    assert wide == {}
    assert [e for e in console.errors if "404" not in e and "400" not in e] == []


def test_results_come_first_on_a_phone(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport=MOBILE)
    for path in ("/search?q=sanctions", "/search?q=sanctions&by=turn", "/search?kind=question"):
        page.goto(site["url"] + path)
        box = page.locator(".hit-title").first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= MOBILE["height"], (path, box)
        assert page.locator("details.facets").evaluate("d => d.open") is False  # folded under the results


def test_skip_link_reaches_the_results(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site["url"] + "/search?q=sanctions")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_no_serious_accessibility_violations(browser: Any, site: dict[str, Any]) -> None:
    axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_playwright.Axe()
    page = browser.new_page(viewport=DESKTOP)
    found: dict[str, list[str]] = {}
    for name, path in _pages(site).items():
        page.goto(site["url"] + path)
        result = axe.run(page)
        bad = [f"{v['id']} ({len(v['nodes'])})" for v in result.response["violations"]
               if v.get("impact") in ("serious", "critical")]
        if bad:
            found[name] = bad
    assert found == {}


def test_cite_copies_and_every_turn_of_the_reader_has_a_cite_page(browser: Any, site: dict[str, Any]) -> None:
    context = browser.new_context(viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    console = Console(page)
    page.goto(site["url"] + "/search?q=sanctions")
    hit = page.locator(".exchange-hit").first
    hit.locator("summary", has_text="Cite").click()
    plain = hit.locator(".cite textarea").first.input_value()
    hit.locator("button.copy").first.click()
    page.wait_for_function("() => document.querySelector('.exchange-hit button.copy').textContent === 'Copied'")
    assert page.evaluate("() => navigator.clipboard.readText()") == plain
    assert site["url"] + "/transcripts/" in plain
    page.goto(site["url"] + f"/transcripts/{site['nato']}")
    turns = page.locator(".turn").count()
    assert page.locator(".turn a.cite-link").count() == turns > 0
    page.locator(".turn a.cite-link").nth(3).click()
    page.wait_for_url("**/cite/*")
    box = page.locator(".cite textarea").first
    assert box.is_visible() and site["url"] + f"/transcripts/{site['nato']}#t" in box.input_value()
    _shot(page, "cite-page")
    assert console.errors == []
    context.close()
