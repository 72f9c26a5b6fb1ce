"""The reading room in a real browser: Debian's Chromium driven by Playwright, headless.

Scenario from the issue: open home, search for a phrase from the NATO reference transcript,
open the hit, follow the permalink to the turn, and check the exchange card names the
journalist, the outlet and the in-room badge. Screenshots go to ``test-artifacts/``.
Every page visited must log no console error. In CI (``CI`` set) a missing browser fails
the run instead of skipping it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, ROOT, SEED, need_shared

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# --no-sandbox because CI runs as root; the rest stop Chromium calling home on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _need_browser() -> None:
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        problem = f"{exc.name} is not installed (pip install -e '.[web,browser]')"
    if problem is None and not CHROMIUM.exists():
        problem = f"{CHROMIUM} not found (apt-get install -y chromium)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    need_shared()
    from tests.web_fixtures import HOSTILE
    from tests.web_server import build_store, running_server

    db = tmp_path_factory.mktemp("web") / "browser.db"
    build_store(db, [SEED, EXAMPLES / "sample-press-conference.txt"], {"hostile.txt": HOSTILE})
    with running_server(db) as url:
        yield url


class Console:
    """Collects console errors and uncaught exceptions of one page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))


def _shot(page: Any, name: str, *, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def test_search_hit_permalink_shows_the_exchange(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console = Console(page)
    page.goto(base_url + "/")
    assert page.locator("h1").inner_text() == "Press-conference archive"
    _shot(page, "01-home")
    page.fill("#home-q", '"Jake Sullivan"')
    page.click(".big-search button")
    page.wait_for_url("**/search?**")
    hits = page.locator(".hit")
    assert hits.count() >= 1
    marked = page.locator(".hit").first.locator("mark").all_inner_texts()
    assert "Jake" in marked and "Sullivan" in marked
    _shot(page, "02-search")
    hits.first.locator("a.hit-title").click()
    page.wait_for_url("**/transcripts/**#t*")
    turn_id = page.url.rsplit("#", 1)[1]
    _shot(page, "03-reader-at-hit")
    page.locator(f"#{turn_id} a.permalink").click()
    assert page.url.endswith(f"#{turn_id}")
    card = page.locator(f".exchange:has(#{turn_id})")
    assert card.count() == 1
    text = card.inner_text()
    for needle in ("Matthias Kolb", "SDZ", "in the room"):
        assert needle in text
    assert page.locator(f"#{turn_id}").evaluate("el => el.matches(':target')")
    assert "targeted" in (card.get_attribute("class") or "")  # the script marked the card
    card.scroll_into_view_if_needed()
    _shot(page, "04-exchange-card")
    assert console.errors == []


def test_every_page_renders_without_console_errors(browser: Any, base_url: str) -> None:
    import httpx

    tid = httpx.get(base_url + "/api/transcripts").json()["items"]
    nato = next(t for t in tid if "Stoltenberg" in (t["title"] or ""))
    doc = httpx.get(f"{base_url}/api/transcripts/{nato['transcript_id']}").json()
    person = doc["people"]["matthias-kolb"]
    pages = {
        "home": "/",
        "transcripts": "/transcripts",
        "reader": f"/transcripts/{nato['transcript_id']}",
        "search": "/search?q=AUKUS&role=journalist",
        "person": f"/persons/{person['person_id']}",
        "outlet": f"/outlets/{person['outlet_id']}",
        "upload": "/upload",
        "api-docs": "/api/docs",
    }
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console = Console(page)
    for n, (name, path) in enumerate(pages.items(), start=5):
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        _shot(page, f"{n:02d}-{name}", full=name in ("reader", "home"))
        if name == "reader":  # the side panel on its own, legible at full size
            page.locator(".side").screenshot(path=str(ARTIFACTS / f"{n:02d}-reader-side-panel.png"))
    assert console.errors == []
    page.goto(base_url + "/outlets/" + person["outlet_id"])
    assert "Matthias Kolb" in page.inner_text("main")


def test_hostile_transcript_runs_no_script(browser: Any, base_url: str) -> None:
    import httpx

    items = httpx.get(base_url + "/api/transcripts").json()["items"]
    page = browser.new_page()
    console = Console(page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for item in items:
        page.goto(f"{base_url}/transcripts/{item['transcript_id']}")
        page.goto(f"{base_url}/search?q=alert")
    assert dialogs == []
    assert console.errors == []
    assert page.locator("script:not([src])").count() == 0


def test_search_and_reader_work_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/search?q=%22Jake+Sullivan%22")
    assert page.locator(".hit").count() >= 1
    page.locator("a.hit-title").first.click()
    assert "Matthias Kolb" in page.inner_text("main")
    _shot(page, "13-reader-no-js")
    context.close()


def test_upload_preview_in_the_browser(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console = Console(page)
    page.goto(base_url + "/upload")
    page.set_input_files("#upload-file", str(EXAMPLES / "sample-press-conference.txt"))
    page.click("text=Parse (do not store)")
    page.wait_for_selector(".exchange")
    assert "parsed but not stored" in page.inner_text(".notice")
    assert "Lena Park" in page.locator(".exchange").first.inner_text()
    _shot(page, "14-upload-preview")
    assert console.errors == []
