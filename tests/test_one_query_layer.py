"""One query layer: the CLI, the Python API and the JSON API answer a search identically,
and the filters every one of them offers come from the one declaration in ``store/filters.py``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

from fastapi.testclient import TestClient  # noqa: E402

from podium import Corpus  # noqa: E402
from podium.store.filters import Filters  # noqa: E402
from podium.web import create_app  # noqa: E402
from tests.conftest import EXAMPLES, SEED, need_shared  # noqa: E402
from tests.web_server import build_store  # noqa: E402

PODIUM = str(Path(sys.executable).with_name("podium"))
CASES = [
    ("the", "turn", {}),
    ("the", "exchange", {}),
    ('NATO OR AUKUS', "turn", {"role": "journalist"}),
    ("question*", "exchange", {"since": "2021-01-01"}),
    ("", "exchange", {"org": "NATO"}),
    ("the", "turn", {"sort": "date"}),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_shared()
    path = tmp_path_factory.mktemp("layer") / "layer.db"
    build_store(path, [SEED, EXAMPLES / "sample-press-conference.txt"])
    return path


@pytest.mark.parametrize("q,by,options", CASES)
def test_cli_python_and_json_api_give_the_same_ids_in_order(
    db: Path, q: str, by: str, options: dict[str, str]
) -> None:
    filters = {k: v for k, v in options.items() if k != "sort"}
    sort = options.get("sort", "relevance")
    args = [PODIUM, "search", q, "--db", str(db), "--by", by, "--sort", sort, "--limit", "40", "-f", "json"]
    for k, v in filters.items():
        args += [f"--{k}", v]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    cli = [h["permalink"] for h in json.loads(out.stdout)]

    with Corpus(str(db)) as corpus:
        python = [h.permalink for h in corpus.search(q, by=by, limit=40, sort=sort, **filters)]

    client = TestClient(create_app(str(db)))
    api: list[str] = []
    for page in (1, 2):
        body = client.get("/api/search", params={"q": q, "by": by, "sort": sort, "page": page, **filters}).json()
        api += [h["permalink"] for h in body["hits"]]
    assert cli, "the case must find something"
    assert cli == python == api


def test_every_declared_filter_is_a_cli_option_and_an_api_parameter(db: Path) -> None:
    import typer

    from podium.cli import app

    command = typer.main.get_command(app).commands["search"]  # type: ignore[attr-defined]
    options = {o for p in command.params for o in p.opts}
    schema = TestClient(create_app(str(db))).get("/openapi.json").json()
    for path in ("/api/search",):
        params = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        for spec in Filters.specs():
            assert "--" + spec.name.replace("_", "-") in options, spec.name
            assert spec.name in params and params[spec.name]["description"] == spec.help, spec.name


def test_filters_reach_the_tantivy_path_too(db: Path) -> None:
    """A filter the index does not hold is checked in SQL, never dropped (principal here)."""
    with Corpus(str(db)) as corpus:
        engines = {}
        for engine in ("tantivy", "fts5"):
            with Corpus(str(db), engine=engine) as c:
                engines[engine] = [h.permalink for h in c.search("the", limit=200, principal="Jens Stoltenberg")]
        assert engines["tantivy"] and sorted(engines["tantivy"]) == sorted(engines["fts5"])
        assert all(h.organisation == "NATO" for h in corpus.search("the", limit=200, principal="Jens Stoltenberg"))
