"""Hostile inputs are read in bounded work or refused with one InputError line (issue 14).

Timing is measured in benchmarks/profile_inputs.py; here each hostile shape is run at a
size where the old code took minutes, inside a subprocess with a deadline, so a regression
fails instead of hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from podium import readers
from podium.errors import InputError
from podium.parse.structure import _later_roles
from podium.readers import _html
from podium.readers.markdown import strip_markdown

ROOT = Path(__file__).resolve().parents[1]


def _bomb(levels: int) -> bytes:
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return ("\n".join([*lines, "title: Briefing", "---", "", "MINISTER: Hello."]) + "\n").encode()


def test_yaml_alias_bomb_is_refused_in_one_line() -> None:
    with pytest.raises(InputError) as exc:
        readers.read_bytes(_bomb(9), "bomb.md")
    msg = str(exc.value)
    assert msg.startswith("bomb.md:2: front matter uses YAML anchors or aliases")
    assert "\n" not in msg


def test_yaml_anchor_alone_is_refused_and_plain_front_matter_still_reads() -> None:
    with pytest.raises(InputError, match="anchors or aliases"):
        readers.read_bytes(b"---\ntitle: &t Briefing\n---\n\nMINISTER: Hello.\n", "a.md")
    doc = readers.read_bytes(b"---\ntitle: Briefing\ndate: 2024-03-05\ntags: [a, b]\n---\n\nMINISTER: Hello.\n", "a.md")
    assert doc.metadata["title"] == "Briefing"
    assert doc.metadata["tags"] == ["a", "b"]


def test_front_matter_with_too_many_values_is_refused() -> None:
    items = ", ".join("x" for _ in range(10_001))
    with pytest.raises(InputError, match="more than 10,000 values"):
        readers.read_bytes(f"---\ntags: [{items}]\n---\n\nMINISTER: Hello.\n".encode(), "a.md")


def test_deep_html_is_refused_before_parsing() -> None:
    page = b"<html><body>" + b"<div>" * 5000 + b"MINISTER: Hello." + b"</div>" * 5000
    with pytest.raises(InputError) as exc:
        readers.read_bytes(page, "deep.html")
    assert str(exc.value) == "deep.html: HTML elements nested more than 1,000 deep; this is not a transcript page"


def test_deep_xml_is_refused() -> None:
    doc = b'<?xml version="1.0"?>\n' + b"<a>" * 3000 + b"MINISTER: hi" + b"</a>" * 3000
    with pytest.raises(InputError, match="XML elements nested more than 1,000 deep"):
        readers.read_bytes(doc, "deep.xml")


def test_tag_flood_is_refused() -> None:
    page = b"<!doctype html><html><body><p>MINISTER: Hello." + b"<br>" * 600_000
    with pytest.raises(InputError, match="more than 500,000 tags"):
        readers.read_bytes(page, "br.html")


def test_nesting_depth_ignores_void_and_implied_end_elements() -> None:
    assert _html.nesting_depth("<div><p><br><li><DIV><P>x</div></div>") == 2
    assert _html.nesting_depth("<p>" * 5000 + "<br>" * 5000) == 0
    assert _html.nesting_depth("</div></div><span><b>x</b></span>") == 2
    assert _html.nesting_depth("<a><b/></a>", html=False) == 1


def test_real_pages_are_far_below_the_nesting_limit() -> None:
    from tests.conftest import SHARED, need_shared

    need_shared()
    pages = sorted((SHARED / "data" / "transcripts").rglob("*.html"))
    assert pages
    assert max(_html.nesting_depth(p.read_bytes().decode("utf-8", "replace")) for p in pages) < _html.MAX_NESTING // 10


def test_too_many_lines_is_refused() -> None:
    text = ("Q: Why?\n" * 100_001).encode()
    with pytest.raises(InputError, match="100,002 lines of text, over the 100,000-line limit"):
        readers.read_bytes(text, "many.txt")


def test_markdown_still_strips_links_emphasis_and_headings() -> None:
    md = "## Briefing ##\n\n**MINISTER:** See [the note](http://x.org/a_b\n/c) and *this*, _that_ and __more__.\n![img](p.png)"
    assert strip_markdown(md) == "Briefing\n\nMINISTER: See the note and this, that and more."
    assert strip_markdown("# C# and F#\n") == "C# and F#"
    assert strip_markdown("# Title #   \n") == "Title"


HOSTILE = {
    "link openers": '"MINISTER: " + "[a](" * 40_000',
    "emphasis openers": '"MINISTER: " + "*a " * 40_000',
    "underscore openers": '"MINISTER: " + "_a " * 40_000',
    "double underscore": '"MINISTER: " + "__a " * 40_000',
    "image openers": '"MINISTER: " + "![a](" * 40_000',
    "spaced heading": '"# a" + " " * 200_000 + "x"',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_markdown_hostile_shapes_finish(name: str) -> None:
    """Each of these took from 10 s to many minutes before the patterns were made linear."""
    code = textwrap.dedent(f"""
        from podium.readers.markdown import strip_markdown
        out = strip_markdown({HOSTILE[name]})
        print(len(out))
    """)
    env = {"PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, env=env)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0


def test_later_roles_is_the_set_of_roles_after_each_turn() -> None:
    from podium.parse.structure import Speaker

    roles = {"a": "moderator", "b": "journalist", "c": "principal"}
    speakers = {k: Speaker(key=k, name=None, role=role) for k, role in roles.items()}
    keys: list[str | None] = ["a", "b", None, "c", "b", None]
    later = _later_roles(keys, speakers)
    expected = [frozenset({speakers[k].role for k in keys[i + 1 :] if k}) for i in range(len(keys))]
    assert later == expected
