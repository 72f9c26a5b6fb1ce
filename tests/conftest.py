"""Shared test fixtures: where the shared data lives, and the parsed reference transcript."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
SEED = SHARED / "data" / "seed" / "nato-2021-10-07-press-conference.txt"
EXAMPLES = ROOT / "examples"


def need_shared() -> None:
    """Skip (visibly) where ../shared is absent; CI always has it."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED}")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    need_shared()
    return SEED


@pytest.fixture(scope="session")
def nato(seed_path: Path):  # noqa: ANN201
    from podium import parse_file

    return parse_file(seed_path)


@pytest.fixture
def fresh_style_registry():  # noqa: ANN201
    """Forget the registered styles before and after a test that adds its own."""
    from podium.parse import style as styles

    styles._raw_styles.cache_clear()
    styles.get.cache_clear()
    yield
    styles._raw_styles.cache_clear()
    styles.get.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _index_dir(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN202
    """PostgreSQL stores keep their tantivy index in $PODIUM_INDEX_DIR: a temporary folder in
    tests (subprocesses inherit it), never the user's ~/.cache."""
    import os

    old = os.environ.get("PODIUM_INDEX_DIR")
    os.environ["PODIUM_INDEX_DIR"] = str(tmp_path_factory.mktemp("indexes"))
    yield
    if old is None:
        os.environ.pop("PODIUM_INDEX_DIR", None)
    else:
        os.environ["PODIUM_INDEX_DIR"] = old
