"""The package as a user installs it: a wheel in a fresh virtual environment, and the extras.

The wheel test catches what running from the source tree hides: package data left out of the
wheel (styles, language files, templates, the shipped model), a dependency that is imported but
not declared, a version that differs between the code and the metadata.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

import podium

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-press-conference.txt"


def _pyproject() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _run(*cmd: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{cmd}: exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    """Build the wheel, install it with the web extra into an empty venv, then parse and serve.

    The venv has no system site-packages, and the source tree is kept off the path (no
    PYTHONPATH, cwd outside the repository), so every import comes from what pip installed.
    pip's own cache makes the second run quick.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    dist = tmp_path / "dist"
    # With build isolation, as a user's pip builds it: the backend comes from build-system.requires.
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT, cwd=tmp_path, env=env)
    (wheel,) = dist.glob("podium-*.whl")
    assert wheel.name.startswith(f"podium-{podium.__version__}-")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in meta and any(n.endswith("licenses/LICENSE") for n in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False, system_site_packages=False)
    python = env_dir / "bin" / "python"
    # The outer pip installs into the new venv (pip --python): no ensurepip, same cache.
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", f"{wheel}[web]", cwd=tmp_path, env=env)

    bin_dir = env_dir / "bin"
    where = _run(python, "-c", "import podium; print(podium.__file__)", cwd=tmp_path, env=env).stdout.strip()
    assert Path(where).is_relative_to(env_dir), where
    assert _run(bin_dir / "podium", "--version", cwd=tmp_path, env=env).stdout.strip() == f"podium {podium.__version__}"

    import json

    parsed = json.loads(_run(bin_dir / "podium", "parse", SAMPLE, "--format", "json", cwd=tmp_path, env=env).stdout)
    assert parsed["schema"] == "podium.transcript/1"
    assert len(parsed["turns"]) > 0 and len(parsed["exchanges"]) > 0

    db = tmp_path / "store.db"
    _run(bin_dir / "podium", "ingest", SAMPLE, "--db", db, cwd=tmp_path, env=env)
    home = json.loads(_run(bin_dir / "podium", "serve", "--db", db, "--get", "/api/home", cwd=tmp_path, env=env).stdout)
    assert home["counts"]["transcripts"] == 1
    assert home["counts"]["turns"] == len(parsed["turns"])
    # A page renders from the packaged templates, with the packaged static files beside it.
    page = _run(bin_dir / "podium", "serve", "--db", db, "--get", "/", cwd=tmp_path, env=env).stdout
    assert "<html" in page.lower()


def test_makefile_installs_every_extra() -> None:
    """``make test`` (and so CI) installs every extra pyproject.toml declares, and only those."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    m = re.search(r"^EXTRAS\s*:=\s*(\S+)", makefile, re.M)
    assert m, "Makefile has no EXTRAS line"
    declared = set(_pyproject()["project"]["optional-dependencies"])
    assert set(m.group(1).split(",")) == declared
    assert "--no-deps" not in makefile  # every dependency is declared in pyproject.toml


def test_version_is_written_once() -> None:
    """pyproject.toml takes the version from podium.__version__; no other file repeats it."""
    project = _pyproject()
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "podium.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+)?", podium.__version__)


def test_license_is_an_spdx_expression_with_its_file() -> None:
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    for name in project["license-files"]:
        assert "MIT License" in (ROOT / name).read_text(encoding="utf-8")
