"""House styles are data: users add a style file without touching code."""

from __future__ import annotations

from pathlib import Path

import pytest

from podium import StyleError, parse_file
from podium.parse import style as styles
from podium.parse._dates import parse_date, parse_datetime

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-press-conference.txt"

USER_STYLE = """
name = "harbour.v1"
extends = "base.v1"
organisation = "Harbour Council"

[detect]
patterns = [['Harbour Council', 5]]

[outlets]
"CH" = "Coastal Herald"
"""


pytestmark = pytest.mark.usefixtures("fresh_style_registry")


def test_builtin_styles_load() -> None:
    assert {"base.v1", "nato.v1"} <= set(styles.names())
    nato = styles.get("nato.v1")
    assert nato.organisation == "NATO"
    # lists are inherited from base.v1 and extended, not replaced
    assert len(nato.handoff) == len(styles.get("base.v1").handoff)
    assert nato.principal_patterns


def test_user_style_file_via_option(tmp_path: Path) -> None:
    path = tmp_path / "harbour.toml"
    path.write_text(USER_STYLE, encoding="utf-8")
    t = parse_file(SAMPLE, style=str(path))
    assert t.metadata.organisation == "Harbour Council"
    park = t.participant("lena-park")
    assert park is not None and park.outlet == "CH" and park.outlet_name == "Coastal Herald"
    assert t.analysis["style"] == "harbour.v1"


def test_user_style_found_on_search_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "harbour.toml").write_text(USER_STYLE, encoding="utf-8")
    monkeypatch.setenv("PODIUM_STYLE_PATH", str(tmp_path))
    assert "harbour.v1" in styles.names()
    assert parse_file(SAMPLE).metadata.organisation == "Harbour Council"  # detected


def test_reference_detected_as_nato(nato) -> None:  # noqa: ANN001
    assert nato.analysis["style"] == "nato.v1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x.v1"\nextends = "nope.v1"\n', "extends unknown style 'nope.v1'"),
        ('name = "x.v1"\n[labels]\npatterns = ["(unclosed"]\n', "bad regular expression"),
        ("name = [\n", "not valid TOML"),
    ],
)
def test_broken_style_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StyleError, match=message.replace("(", r"\(")):
        parse_file(SAMPLE, style=str(path))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("07 Oct. 2021 -", "2021-10-07"),
        ("Last updated 25-May-2017 09:01", "2017-05-25"),
        ("October 7, 2021", "2021-10-07"),
        ("Mis à jour le: 14 juil. 2019", "2019-07-14"),
        ("3 de marzo de 2020", "2020-03-03"),
        ("2021-10-07", "2021-10-07"),
        ("no date here", None),
        ("31 Foo 2021", None),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_datetime() -> None:
    assert parse_datetime("07 Oct. 2021 16:36") == "2021-10-07T16:36"
    assert parse_datetime("07 Oct. 2021") == "2021-10-07"
