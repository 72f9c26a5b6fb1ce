"""``podium.__all__`` is exactly the public API, and ``podium.parse`` is the parser package."""

from __future__ import annotations

import importlib
import types

import pytest

import podium

# Bound lazily by podium.__getattr__ (the store is heavy), so not in vars(podium) at import.
LAZY = {"Corpus"}


def test_all_lists_exactly_the_public_members() -> None:
    bound = {
        name for name, value in vars(podium).items()
        if (not name.startswith("_") or name == "__version__") and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert podium.__all__ == sorted(podium.__all__)
    assert set(podium.__all__) == bound | LAZY
    for name in podium.__all__:
        assert getattr(podium, name) is not None


def test_parse_is_the_subpackage_and_the_functions_are_named_for_their_input() -> None:
    module = importlib.import_module("podium.parse")
    assert isinstance(podium.parse, types.ModuleType) and podium.parse is module
    assert podium.parse.style.get("nato.v1").name == "nato.v1"  # submodules reachable as attributes
    assert podium.parse_file is module.parse_file and podium.parse_text is module.parse_text


def test_parse_text_reads_a_string_like_a_file(tmp_path) -> None:  # noqa: ANN001
    text = (
        "Press conference by the Harbour Council Chair\n\n"
        "MODERATOR: Good morning. The Chair will take questions.\n\n"
        "CHAIR: Thank you. The harbour stays open this winter.\n\n"
        "Q: Anna Berg, Harbour Times. When will the dredging start?\n\n"
        "CHAIR: In March, once the ice has gone.\n"
    )
    path = tmp_path / "conference.txt"
    path.write_text(text, encoding="utf-8")
    from_text, from_file = podium.parse_text(text), podium.parse_file(path)
    assert [t.text for t in from_text.turns] == [t.text for t in from_file.turns]
    assert len(from_text.exchanges) == len(from_file.exchanges) == 1
    assert from_text.source.path is None and from_text.source.sha256 == from_file.source.sha256
    html = "<html><body><h1>Briefing</h1>" + "".join(f"<p>{line}</p>" for line in text.splitlines() if line) + "</body></html>"
    assert podium.parse_text(html).source.format == "html"
    with pytest.raises(podium.InputError):
        podium.parse_text("   \n")
