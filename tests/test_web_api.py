"""The pages and their JSON twins over a real store holding the NATO reference and the sample."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

from fastapi.testclient import TestClient  # noqa: E402

from podium.parse import parse_file  # noqa: E402
from podium.web import create_app  # noqa: E402
from tests.conftest import EXAMPLES, SEED, need_shared  # noqa: E402
from tests.web_fixtures import HOSTILE, assert_inert  # noqa: E402
from tests.web_server import build_store  # noqa: E402

SAMPLE = EXAMPLES / "sample-press-conference.txt"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_shared()
    path = tmp_path_factory.mktemp("web") / "api.db"
    build_store(path, [SEED, SAMPLE], {"hostile.txt": HOSTILE})
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(str(db)))


@pytest.fixture(scope="module")
def nato_id() -> str:
    return parse_file(SEED).id


def test_home_counts_match_the_corpus(client: TestClient) -> None:
    home = client.get("/api/home").json()
    nato, sample = parse_file(SEED), parse_file(SAMPLE)
    assert home["counts"]["transcripts"] == 3
    assert home["counts"]["questions"] >= sum(len(e.questions) for t in (nato, sample) for e in t.exchanges)
    assert ["2021-10", 1] in home["timeline"]
    assert [x["transcript_id"] for x in home["latest"]][:1] != []
    orgs = dict((o, n) for o, n in home["organisations"])
    nato_org = client.get("/api/transcripts", params={"org": "nato"}).json()
    assert nato_org["total"] == orgs["NATO"] and all(i["organisation"] == "NATO" for i in nato_org["items"])
    html = client.get("/").text
    assert "Transcripts per month" in html and '<svg class="chart column-chart"' in html


def test_reader_json_is_the_stored_document(client: TestClient, nato_id: str) -> None:
    body = client.get(f"/api/transcripts/{nato_id}").json()
    assert body["transcript"] == parse_file(SEED).to_json_dict()
    assert body["stats"]["questions_per_outlet"][0]["questions"] >= 2
    assert body["people"]["matthias-kolb"]["person_id"]
    download = client.get(f"/transcripts/{nato_id}/download.json")
    assert json.loads(download.text) == body["transcript"]
    assert "attachment" in download.headers["content-disposition"]
    md = client.get(f"/transcripts/{nato_id}/download.md")
    assert md.headers["content-type"].startswith("text/markdown") and "Matthias Kolb" in md.text


def test_reader_page_links_people_and_outlets(client: TestClient, nato_id: str) -> None:
    html = client.get(f"/transcripts/{nato_id}").text
    people = client.get(f"/api/transcripts/{nato_id}").json()["people"]
    assert f'href="/persons/{people["matthias-kolb"]["person_id"]}"' in html
    assert f'href="/outlets/{people["matthias-kolb"]["outlet_id"]}"' in html
    assert f'href="/api/transcripts/{nato_id}"' in html  # the JSON twin is linked


def test_search_hits_facets_paging_and_csv(client: TestClient, nato_id: str) -> None:
    body = client.get("/api/search", params={"q": '"Jake Sullivan"', "by": "turn"}).json()
    assert body["total"] == 1 and len(body["hits"]) == 1
    hit = body["hits"][0]
    assert hit["transcript_id"] == nato_id and hit["speaker"] == "Matthias Kolb"
    assert "<mark>Jake</mark>" in hit["snippet"]
    assert [(f["value"], f["count"]) for f in body["facets"]["org"]] == [("NATO", 1)]
    many = client.get("/api/search", params={"q": "the", "by": "turn"}).json()
    assert many["total"] > 20 and many["pages"] >= 2 and len(many["hits"]) == 20
    page2 = client.get("/api/search", params={"q": "the", "page": 2, "by": "turn"}).json()
    firsts = {(h["transcript_id"], h["turn_index"]) for h in many["hits"]}
    seconds = {(h["transcript_id"], h["turn_index"]) for h in page2["hits"]}
    assert seconds and not firsts & seconds
    # paging to the end lists every hit once: the total is what the pages hold
    seen = []
    for n in range(1, many["pages"] + 1):
        seen += [(h["transcript_id"], h["turn_index"])
                 for h in client.get("/api/search", params={"q": "the", "page": n, "by": "turn"}).json()["hits"]]
    assert len(seen) == len(set(seen)) == many["total"]
    filtered = client.get("/api/search", params={"q": "the", "role": "journalist", "year": "2021", "by": "turn"}).json()
    assert 0 < filtered["total"] < many["total"]
    assert all(h["role"] == "journalist" for h in filtered["hits"])
    kinds = {f["value"]: f["count"] for f in many["facets"]["kind"]}
    assert sum(kinds.values()) == many["total"]
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv", params={"q": "the", "by": "turn"}).text)))
    assert len(rows) == many["total"] and rows[0]["permalink"].count("#t") == 1
    assert rows[0]["permalink"].startswith("http://testserver/transcripts/")


def test_exchange_search_shows_asker_outlet_question_and_answer(client: TestClient, nato_id: str) -> None:
    body = client.get("/api/search", params={"q": '"Jake Sullivan"'}).json()
    assert body["by"] == "exchange" and body["total"] == 1
    hit = body["hits"][0]
    assert hit["asker"] == "Matthias Kolb" and hit["outlet"] == "Süddeutsche Zeitung"
    assert hit["channel"] == "in_room" and hit["answerer"] == "Jens Stoltenberg"
    assert any("<mark>Jake</mark>" in q for q in hit["questions"]) and hit["answer_start"]
    assert hit["permalink"].startswith(nato_id + "#t")
    html = client.get("/search", params={"q": '"Jake Sullivan"'}).text
    assert "Matthias Kolb" in html and "Süddeutsche Zeitung" in html and "in the room" in html
    assert re.search(r"class=\"answer-start\"><span class=\"speaker\"><a [^>]+>Jens Stoltenberg</a>:", html)
    assert "Cite" in html
    # every exchange of a common word, paged to the end, each once; the CSV has them all
    many = client.get("/api/search", params={"q": "the"}).json()
    seen = []
    for n in range(1, many["pages"] + 1):
        seen += [h["permalink"] for h in client.get("/api/search", params={"q": "the", "page": n}).json()["hits"]]
    assert len(seen) == len(set(seen)) == many["total"]
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv", params={"q": "the"}).text)))
    assert [r["permalink"].split("/transcripts/")[1] for r in rows] == seen
    assert all(r["asker"] for r in rows)


def test_browse_without_words_and_date_range(client: TestClient, nato_id: str) -> None:
    body = client.get("/api/search", params={"org": "NATO", "kind": "question", "by": "turn"}).json()
    assert body["total"] > 0 and all(h["organisation"] == "NATO" and h["kind"] == "question" for h in body["hits"])
    empty = client.get("/search", params={"q": ""})
    assert empty.status_code == 200 and "newest first" in empty.text and 'class="hit' in empty.text
    since = client.get("/api/search", params={"q": "the", "since": "2022-01-01", "by": "turn"}).json()
    until = client.get("/api/search", params={"q": "the", "until": "2021-12-31", "by": "turn"}).json()
    everything = client.get("/api/search", params={"q": "the", "by": "turn"}).json()
    assert since["total"] + until["total"] <= everything["total"] and until["total"] > 0
    assert all((h["date"] or "") >= "2022-01-01" for h in since["hits"])
    dated = client.get("/api/search", params={"q": "the", "sort": "date", "by": "turn"}).json()["hits"]
    assert [h["date"] or "" for h in dated] == sorted((h["date"] or "" for h in dated), reverse=True)


def test_bad_queries_are_one_line_errors(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": '"unbalanced'})
    assert r.status_code == 400 and "unbalanced quote" in r.json()["error"]["message"]
    r = client.get("/api/search", params={"q": "nato", "kind": "questoin"})
    assert r.status_code == 400 and "choose one of" in r.json()["error"]["message"]
    r = client.get("/search", params={"q": "x", "role": "robot"})
    assert r.status_code == 400 and "error-message" in r.text


def test_injection_attempts_are_plain_values(client: TestClient, db: Path) -> None:
    for q in ("'; DROP TABLE turns; --", 'NATO" OR 1=1 --', "x') UNION SELECT * FROM persons --"):
        r = client.get("/api/search", params={"q": q, "outlet": "' OR '1'='1"})
        assert r.status_code in (200, 400)
        if r.status_code == 200:
            assert r.json()["total"] == 0
    assert client.get("/api/home").json()["counts"]["turns"] > 0
    assert client.get("/api/persons/' OR 1=1 --").status_code == 404


def test_person_and_outlet_pages(client: TestClient, nato_id: str) -> None:
    people = client.get(f"/api/transcripts/{nato_id}").json()["people"]
    kolb = client.get(f"/api/persons/{people['matthias-kolb']['person_id']}").json()
    assert kolb["person"]["name"] == "Matthias Kolb"
    asked = kolb["asked"]["items"]
    assert kolb["asked"]["total"] == len(asked) == 2 and all(q["outlet"] == "Süddeutsche Zeitung" for q in asked)
    assert all(q["channel"] == "in_room" for q in asked)
    stoltenberg = client.get(f"/api/persons/{people['jens-stoltenberg']['person_id']}").json()
    assert stoltenberg["answered"]["total"] == len(parse_file(SEED).exchanges)
    assert any("Jake Sullivan" in " ".join(a["questions"]) for a in stoltenberg["answered"]["items"])
    sdz = client.get(f"/api/outlets/{people['matthias-kolb']['outlet_id']}").json()
    assert [j["name"] for j in sdz["journalists"]] == ["Matthias Kolb"]
    assert sdz["outlet"]["question_count"] == 2 and "SDZ" in sdz["outlet"]["aliases"]
    assert sdz["questions"]["total"] == 2
    index = client.get("/api/persons", params={"name": "kolb"}).json()
    assert [p["name"] for p in index["items"]] == ["Matthias Kolb"]
    assert "Süddeutsche Zeitung" in client.get("/outlets").text
    html = client.get(f"/outlets/{people['matthias-kolb']['outlet_id']}").text
    assert "Matthias Kolb" in html and "Süddeutsche Zeitung" in html
    assert client.get("/persons/nobody").status_code == 404
    missing = client.get("/api/outlets/nothing").json()
    assert missing == {"error": {"status": 404, "message": "no outlet with id 'nothing'"}}


def test_stored_hostile_transcript_is_inert(client: TestClient) -> None:
    items = client.get("/api/transcripts").json()["items"]
    assert len(items) == 3
    for item in items:
        assert_inert(client.get(f"/transcripts/{item['transcript_id']}").text)
    assert_inert(client.get("/search", params={"q": "alert"}).text)
    assert_inert(client.get("/").text)


def test_upload_and_store_when_writable(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    build_store(db, [])
    client = TestClient(create_app(str(db)))
    r = client.post("/upload/store", files={"file": ("sample.txt", SAMPLE.read_bytes(), "text/plain")},
                    follow_redirects=False)
    assert r.status_code == 303
    tid = parse_file(SAMPLE).id
    assert r.headers["location"] == f"/transcripts/{tid}"
    assert client.get(r.headers["location"]).status_code == 200
    again = client.post("/upload/store", files={"file": ("sample.txt", SAMPLE.read_bytes(), "text/plain")},
                        follow_redirects=False)
    assert again.status_code == 200 and "already in the archive" in again.text
    preview = client.post("/upload", data={"text": HOSTILE})
    assert "Store this transcript" in preview.text and 'action="/upload/store"' in preview.text
    assert_inert(preview.text)
    r = client.post("/upload/store", data={"text": HOSTILE}, follow_redirects=False)
    assert r.status_code == 303
    assert "already in the archive" in client.post("/upload", data={"text": HOSTILE}).text
    r = client.post("/api/transcripts", data={"text": HOSTILE.replace("Olsen", "Olsen-Berg")})
    assert r.status_code == 201
    assert client.get("/api/home").json()["counts"]["transcripts"] == 3


def test_api_docs_list_every_api_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    html = client.get("/api/docs").text
    for path in schema["paths"]:
        assert path in html
    assert "/api/search" in schema["paths"] and "/api/persons/{person_id}" in schema["paths"]
    assert "multipart/form-data" in schema["paths"]["/api/parse"]["post"]["requestBody"]["content"]
    assert "<code>file</code>" in html


def test_serve_get_renders_without_a_server(db: Path) -> None:
    from typer.testing import CliRunner

    from podium.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", str(db), "--get", "/api/home"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["transcripts"] == 3
    missing = CliRunner().invoke(app, ["serve", "--db", str(db.parent / "missing.db")])
    assert missing.exit_code == 2 and "no such store" in missing.output


def test_principal_facet_and_filter(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "the", "by": "turn"}).json()
    principals = {f["value"]: f["count"] for f in body["facets"]["principal"]}
    assert principals["Jens Stoltenberg"] > 0 and sum(principals.values()) <= body["total"]
    r = client.get("/api/search", params={"q": "the", "principal": "Jens Stoltenberg", "by": "turn"})
    assert r.status_code == 200 and r.json()["total"] == principals["Jens Stoltenberg"]


def test_head_gzip_language_and_chips(client: TestClient, nato_id: str) -> None:
    head = client.head(f"/transcripts/{nato_id}")
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"].startswith("text/html")
    page = client.get(f"/transcripts/{nato_id}", headers={"Accept-Encoding": "gzip"})
    assert page.headers.get("content-encoding") == "gzip" and '<html lang="en">' in page.text
    assert 'class="skip-link" href="#main"' in page.text and 'id="toc"' in page.text
    html = client.get("/search", params={"q": "the", "clarity": "clear_non_reply", "kind": "question"}).text
    assert "Answer clarity: clear non-reply" in html and "Turn kind: question" in html
    chips = re.findall(r'<a class="chip"[^>]*>([^<]*)<', html)
    assert chips and not any("_" in c for c in chips)


def test_syntax_error_keeps_the_query_and_says_what_to_fix(client: TestClient) -> None:
    r = client.get("/search", params={"q": '"national security'})
    assert r.status_code == 400
    assert 'value="&#34;national security"' in r.text and "close the phrase" in r.text
    curly = client.get("/api/search", params={"q": "\u201cpress conference\u201d", "by": "turn"}).json()
    straight = client.get("/api/search", params={"q": '"press conference"', "by": "turn"}).json()
    assert curly["total"] == straight["total"]


def test_bar_values_fit_in_the_chart() -> None:
    import re as re_

    from podium.web.charts import WIDTH, bar_chart

    svg = str(bar_chart([("Ministry of Foreign Affairs", 13944), ("NATO", 12)], title="t", unit="turns"))
    x = [float(v) for v in re_.findall(r'class="chart-value" x="([\d.]+)"', svg)]
    assert max(x) + 7 * len("13,944") <= WIDTH


def test_every_turn_of_the_reader_can_be_cited(client: TestClient, nato_id: str) -> None:
    doc = client.get(f"/api/transcripts/{nato_id}").json()["transcript"]
    html = client.get(f"/transcripts/{nato_id}").text
    links = re.findall(rf'href="/transcripts/{nato_id}/cite/(\d+)"', html)
    assert sorted(map(int, links)) == [t["index"] for t in doc["turns"]]
    answer = next(t for t in doc["turns"] if t["kind"] == "answer")
    body = client.get(f"/api/transcripts/{nato_id}/cite/{answer['index']}").json()
    cite, meta = body["cite"], doc["metadata"]
    permalink = f"http://testserver/transcripts/{nato_id}#t{answer['index']}"
    assert cite["url"] == permalink
    assert cite["plain"].startswith("Jens Stoltenberg, “" + meta["title"]) and meta["date"] in cite["plain"]
    assert cite["bibtex"].startswith("@misc{Stoltenberg" + meta["date"][:4]) and permalink in cite["bibtex"]
    csl = json.loads(cite["csl"])
    assert csl["URL"] == permalink and csl["author"] == [{"literal": "Jens Stoltenberg"}]
    assert csl["issued"]["date-parts"] == [[int(x) for x in meta["date"].split("-")]]
    page = client.get(f"/transcripts/{nato_id}/cite/{answer['index']}").text
    assert '<details class="cite" open>' in page and "BibTeX" in page and "CSL-JSON" in page
    assert client.get(f"/transcripts/{nato_id}/cite/9999").status_code == 404
    assert client.get(f"/api/transcripts/{nato_id}/cite/9999").json()["error"]["status"] == 404
