"""Queries and filters a user (or an attacker) can type: bounded, literal, validated (issue 14)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from podium.errors import UsageError
from podium.store.filters import Filters, like_contains
from podium.store.query import MAX_DEPTH, parse_query, to_fts5, to_tsquery
from tests.conftest import EXAMPLES, SEED, need_shared

SAMPLE = EXAMPLES / "sample-press-conference.txt"
ROOT = Path(__file__).resolve().parents[1]


def podium(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point in a subprocess: exit code and stderr as a user sees them."""
    return subprocess.run(
        [sys.executable, "-c", "from podium.cli import main; main()", *args],
        capture_output=True, text=True, check=False, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize("query", ["(" * 250 + "nato" + ")" * 250, "NOT " * 1000 + "nato", "- " * 40 + "a b"])
def test_deeply_nested_queries_are_a_usage_error(query: str) -> None:
    with pytest.raises(UsageError, match="query nested too deeply"):
        parse_query(query)


def test_nesting_up_to_the_limit_parses_and_compiles() -> None:
    depth = MAX_DEPTH - 1
    node = parse_query("(" * depth + "nato OR gas" + ")" * depth + " NOT oil")
    assert to_fts5(node) == '((("nato" OR "gas")) NOT "oil")'
    assert to_tsquery(node) == "((nato | gas) & !oil)"
    parse_query("a " + " ".join(f"(b{i} OR c{i})" for i in range(200)))  # wide is fine, only depth counts


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"since": "2021-02-30"}, "no such date"),
        ({"until": "2023-04-31"}, "no such date"),
        ({"since": ""}, "--since is empty"),
        ({"speaker": "  "}, "--speaker is empty"),
        ({"transcript_id": ""}, "--transcript-id is empty"),
    ],
)
def test_bad_filter_values_are_refused(values: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        Filters.of(**values)


def test_leap_day_and_prefixes_are_accepted() -> None:
    f = Filters.of(since="2024-02-29", until="2024-02")
    assert (f.since, f.until) == ("2024-02-29", "2024-02-31")


def test_like_patterns_take_wildcards_literally() -> None:
    assert like_contains("50%_a\\b") == "%50\\%\\_a\\\\b%"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_shared()
    from tests.web_server import build_store

    path = tmp_path_factory.mktemp("queries") / "q.db"
    build_store(path, [SEED, SAMPLE])
    return path


def test_speaker_wildcards_match_nothing_instead_of_everyone(db: Path) -> None:
    from podium.store import open_store

    with open_store(str(db)) as store:
        assert store.search("", speaker="stoltenberg", limit=5)
        for wildcard in ("%", "_", "%%", "_%"):
            assert store.search("", speaker=wildcard, limit=5) == [], wildcard
            assert store.search("nato", speaker=wildcard, limit=5) == [], wildcard


def test_cli_nested_query_is_one_line_and_exit_2(db: Path) -> None:
    done = podium("search", "(" * 250 + "nato" + ")" * 250, "--db", str(db))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "query nested too deeply" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [("--since", "2021-02-30"), ("--since", ""), ("--speaker", "")])
def test_cli_bad_filters_are_one_line_and_exit_2(db: Path, args: tuple[str, str]) -> None:
    done = podium("search", "nato", "--db", str(db), *args)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("podium: error: ") and done.stderr.count("\n") == 1


def test_web_nested_query_is_a_400_in_the_json_error_shape(db: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from podium.web import create_app

    client = TestClient(create_app(str(db)))
    q = "(" * 250 + "nato" + ")" * 250
    r = client.get("/api/search", params={"q": q[:500]})
    assert r.status_code == 400
    assert set(r.json()) == {"error"} and "query nested too deeply" in r.json()["error"]["message"]
    for path in ("/search", "/search.csv"):
        r = client.get(path, params={"q": "NOT " * 120 + "nato"})
        assert r.status_code == 400 and "query nested too deeply" in r.text
