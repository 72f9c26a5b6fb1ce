"""House-style files are validated: a misspelt key is a clear error, not a silently lost key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium import StyleError, parse_file
from podium.cli import app
from podium.parse import style as styles
from podium.parse.style_schema import LangFile, StyleFile, validate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-press-conference.txt"
runner = CliRunner()

GOOD = """
name = "harbour.v1"
extends = "nato.v1"
organisation = "Harbour Council"
[labels]
journalist = ['reporter from the floor']
[[holders]]
office = "PRINCIPAL"
name = "Ada Quay"
from = "2020-01-01"
"""


pytestmark = pytest.mark.usefixtures("fresh_style_registry")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted((styles.BUILTIN_DIR).glob("*.toml")), ids=lambda p: p.stem)
def test_builtin_styles_fit_the_schema(path: Path) -> None:
    validate(tomllib.loads(path.read_text(encoding="utf-8")), path, "style")
    assert runner.invoke(app, ["styles", "check", str(path)]).exit_code == 0


@pytest.mark.parametrize("path", sorted((styles.LANG_DIR).glob("*.toml")), ids=lambda p: p.stem)
def test_language_files_fit_the_schema(path: Path) -> None:
    validate(tomllib.loads(path.read_text(encoding="utf-8")), path, "lang")


def _schema_keys(model: type, prefix: str = "") -> set[str]:
    from podium.parse.style_schema import _submodel

    out: set[str] = set()
    for name, field in model.model_fields.items():
        key = field.alias or name
        out.add(key)
        sub = _submodel(field.annotation)
        if sub is not None:
            out |= _schema_keys(sub, f"{prefix}{key}.")
    return out


def test_every_schema_key_is_documented_in_base_toml() -> None:
    text = (styles.BUILTIN_DIR / "base.toml").read_text(encoding="utf-8")
    missing = sorted(k for k in _schema_keys(StyleFile) if not re.search(rf"\b{re.escape(k)}\b", text))
    assert missing == []


def test_check_ok_names_the_extends_chain(tmp_path: Path) -> None:
    path = _write(tmp_path, "harbour.toml", GOOD)
    result = runner.invoke(app, ["styles", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"ok: {path} (harbour.v1, extends nato.v1 → base.v1, language en)"


def test_check_misspelt_key_names_the_key_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "typo.toml", 'name = "typo.v1"\nextends = "base.v1"\n[labels]\npatern = ["(?P<name>{NAME})"]\n')
    result = runner.invoke(app, ["styles", "check", str(path)])
    assert result.exit_code == 1
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in result.output
    assert str(path) in err and "'labels.patern'" in err and "allowed in [labels]: patterns," in err


def test_check_reports_each_file_and_fails_if_any_fails(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.toml", GOOD)
    bad_rx = _write(tmp_path, "rx.toml", 'name = "rx.v1"\n[moderation]\nclosing = ["(unclosed"]\n')
    result = runner.invoke(app, ["styles", "check", str(good), str(bad_rx), str(tmp_path / "missing.toml")])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"ok: {good} ")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "bad regular expression '(unclosed'" in lines[0] and str(bad_rx) in lines[0]
    assert "cannot read style file" in lines[1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "h.v1"\n[[holders]]\noffice = "X"\nname = "Y"\nfrm = "2000-01-01"\n',
         "unknown key 'holders[0].frm'; allowed in [[holders]]: office, name, from, to"),
        ('name = "h.v1"\n[labels]\njournalist = "q"\n', "labels.journalist: input should be a valid list (got str)"),
        ('name = "h.v1"\n[detect]\npatterns = [["Harbour", "heavy"]]\n', "detect.patterns[0][1]: input should be a valid number"),
        ('name = "h.v1"\n[dates]\nmonth_first = 1\n', "dates.month_first: input should be a valid boolean (got int)"),
        ('name = "h.v1"\norganization = "Harbour"\n',
         "unknown key 'organization'; allowed in the top level: name, extends, organisation,"),
    ],
)
def test_schema_errors_are_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "h.toml", text)
    with pytest.raises(StyleError) as info:
        parse_file(SAMPLE, style=str(path))  # the library refuses it too, not only the CLI
    assert message in str(info.value) and str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_extends_chain_is_validated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = _write(tmp_path, "parent.toml", 'name = "parent.v1"\nextends = "base.v1"\n[channel]\nremot = ["x"]\n')
    child_dir = tmp_path / "mine"
    child_dir.mkdir()
    child = _write(child_dir, "child.toml", 'name = "child.v1"\nextends = "parent.v1"\n')
    monkeypatch.setenv("PODIUM_STYLE_PATH", str(tmp_path))
    result = runner.invoke(app, ["styles", "check", str(child)])
    assert result.exit_code == 1
    assert str(parent) in result.stderr and "'channel.remot'" in result.stderr


def test_language_file_schema_names_the_key() -> None:
    allowed = r"allowed in \[labels\]: journalist, moderator, official, other"
    with pytest.raises(StyleError, match=r"x\.toml: unknown key 'labels\.journalists'; " + allowed):
        validate({"labels": {"journalists": ["Frage"]}}, "x.toml", "lang")
    assert set(LangFile.model_fields) >= {"function_words", "abbreviations", "lead_in", "labels"}


def test_list_shows_builtin_and_user_styles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "harbour.toml", GOOD)
    monkeypatch.setenv("PODIUM_STYLE_PATH", str(tmp_path))
    result = runner.invoke(app, ["styles", "list"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert set(rows) == set(styles.names()) >= {"base.v1", "nato.v1", "harbour.v1"}
    assert "Harbour Council" in rows["harbour.v1"] and str(tmp_path / "harbour.toml") in rows["harbour.v1"]
    assert "Presidencia de la República" in rows["mexico_presidencia.v1"] and " es " in rows["mexico_presidencia.v1"]
