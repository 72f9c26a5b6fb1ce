"""Human-readable exports (HTML, Markdown) and the streaming promise of every exporter."""

from __future__ import annotations

import gc
import io
import weakref
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_fixture import AWKWARD, awkward

from podium.errors import UsageError
from podium.export import FORMATS, export
from podium.export.html import to_html, write_html
from podium.export.markdown import write_markdown
from podium.model import Transcript


class _Page(HTMLParser):
    """Collects visible text, tags and classes of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.classes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.classes += (dict(attrs).get("class") or "").split()
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _page(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    p.close()
    return p


def test_html_escapes_all_text() -> None:
    html = to_html(awkward())
    page = _page(html)
    assert "script" not in page.tags  # the journalist's "<script>" stays text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<title>Briefing on &quot;trade&quot;, tariffs &amp; &lt;talks&gt;</title>" in html
    visible = "".join(page.text)
    for turn in AWKWARD.turns:  # every line of every turn is shown, unescaped for the reader
        for line in turn.text.split("\n"):
            assert line in visible
    assert 'Ana "Q" O\'Brien' in visible and "Новая газета" in visible


def test_html_reference_structure(nato: Transcript) -> None:
    page = _page(to_html(nato))
    assert page.classes.count("turn") == 17
    assert page.classes.count("questions") == 5 and page.tags.count("li") == 12 + len(nato.participants)
    assert page.classes.count("journalist") == 5
    assert "Matthias Kolb" in "".join(page.text)


def test_pages_render_one_transcript(nato: Transcript) -> None:
    buf = io.StringIO()
    write_markdown([nato], buf)
    assert buf.getvalue().startswith("# Press Conference by NATO")
    with pytest.raises(UsageError, match="give a folder"):
        write_html([nato, awkward()], io.StringIO())
    with pytest.raises(UsageError, match="no transcript matched"):
        write_markdown([], io.StringIO())


def test_page_formats_write_one_file_each_to_a_folder(nato: Transcript, tmp_path: Path) -> None:
    result = export([nato, awkward()], "html", tmp_path / "pages")
    assert (result.transcripts, result.written) == (2, 2)
    names = sorted(p.name for p in (tmp_path / "pages").iterdir())
    assert names == sorted([f"{nato.id}.html", f"{AWKWARD.id}.html"])
    single = tmp_path / "one.md"
    export([nato], "markdown", single)
    assert "Matthias Kolb" in single.read_text(encoding="utf-8")


def _fresh(n: int, refs: list[weakref.ref[Transcript]], base: Transcript) -> Iterator[Transcript]:
    """Yields ``n`` copies; before each, checks the exporter let go of all but the last two."""
    for i in range(n):
        gc.collect()
        alive = sum(r() is not None for r in refs)
        assert alive <= 2, f"exporter holds {alive} transcripts after {i}: not streaming"
        t = base.model_copy(deep=True, update={"id": f"{base.id}-{i}"})
        refs.append(weakref.ref(t))
        yield t


@pytest.mark.parametrize("fmt", [f for f in FORMATS if FORMATS[f].target != "page"])
def test_exporters_stream(fmt: str, tmp_path: Path) -> None:
    if "parquet" in fmt:
        pytest.importorskip("pyarrow")
    refs: list[weakref.ref[Transcript]] = []
    out = tmp_path / ("corpus" if fmt == "convokit" else f"out.{fmt}")
    result = export(_fresh(8, refs, AWKWARD), fmt, out)
    assert result.transcripts == 8
    assert not (tmp_path / f"out.{fmt}.part").exists()
