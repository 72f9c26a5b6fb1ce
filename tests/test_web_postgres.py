"""The web app over a PostgreSQL store: the same pages and numbers as over SQLite.

Runs where ``PODIUM_TEST_PG`` names a server (CI sets it); skipped visibly elsewhere.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

from fastapi.testclient import TestClient  # noqa: E402

from podium.parse import parse_file  # noqa: E402
from podium.web import create_app  # noqa: E402
from tests._store_fixtures import drop_test_store, open_test_store  # noqa: E402
from tests.conftest import EXAMPLES, SEED, need_shared  # noqa: E402
from tests.web_fixtures import HOSTILE, assert_inert  # noqa: E402


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    need_shared()
    store = open_test_store("postgresql", tmp_path_factory.mktemp("pg"))
    from podium.parse import parse_document
    from podium.readers import read_bytes

    for t in (parse_file(SEED), parse_file(EXAMPLES / "sample-press-conference.txt"),
              parse_document(read_bytes(HOSTILE.encode(), "hostile.txt"))):
        store.add(t)
    yield store
    drop_test_store(store)


@pytest.fixture(scope="module")
def client(pg: Any) -> TestClient:
    return TestClient(create_app(pg.url))  # the URL carries the test's own schema=


def test_pages_over_postgres(client: TestClient, pg: Any) -> None:
    nato = parse_file(SEED)
    home = client.get("/api/home").json()
    assert home["counts"]["transcripts"] == 3 and ["2021-10", 1] in home["timeline"]
    body = client.get(f"/api/transcripts/{nato.id}").json()
    assert body["transcript"] == nato.to_json_dict()
    hits = client.get("/api/search", params={"q": '"Jake Sullivan"'}).json()
    assert hits["total"] == 1 and hits["hits"][0]["speaker"] == "Matthias Kolb"
    people = body["people"]["matthias-kolb"]
    kolb = client.get(f"/api/persons/{people['person_id']}").json()
    assert len(kolb["asked"]) == 2
    sdz = client.get(f"/api/outlets/{people['outlet_id']}").json()
    assert sdz["question_total"] == 2
    for item in client.get("/api/transcripts").json()["items"]:
        assert_inert(client.get(f"/transcripts/{item['transcript_id']}").text)
    assert client.get("/search", params={"q": "AUKUS", "role": "journalist", "year": "2021"}).status_code == 200

