"""Escaping, headers, upload limits and read-only mode: the web app is safe to put online."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

from fastapi.testclient import TestClient  # noqa: E402

from podium.web import create_app  # noqa: E402
from podium.web.security import CSP, safe_url  # noqa: E402
from tests.web_fixtures import HOSTILE, assert_inert  # noqa: E402


@pytest.fixture()
def client() -> TestClient:
    return TestClient(create_app("unused.db", max_upload=20_000))


def test_hostile_transcript_text_is_escaped(client: TestClient) -> None:
    r = client.post("/upload", files={"file": ("hostile.txt", HOSTILE.encode(), "text/plain")})
    assert r.status_code == 200
    assert_inert(r.text)
    assert "&lt;script&gt;alert(" in r.text  # shown as text, not dropped
    # An entity written in the transcript stays visible as the literal entity, never decoded to markup.
    assert "&amp;lt;script&amp;gt;" in r.text
    assert "&amp;#x3C;img" in r.text


def test_hostile_transcript_json_is_data(client: TestClient) -> None:
    r = client.post("/api/parse", files={"file": ("hostile.txt", HOSTILE.encode(), "text/plain")})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    texts = " ".join(t["text"] for t in r.json()["transcript"]["turns"])
    assert "<script>alert('opening')</script>" in texts  # JSON keeps the text exactly


def test_security_headers_on_pages_static_and_errors(client: TestClient) -> None:
    for path in ("/upload", "/static/podium.css", "/no-such-page", "/api/docs"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    r = client.post("/upload", files={"file": ("hostile.txt", HOSTILE.encode(), "text/plain")})
    for html in (r.text, client.get("/upload").text, client.get("/api/docs").text):
        assert "<script>" not in html  # only <script src=…>
        assert " style=" not in html and "<style" not in html
        assert " onclick=" not in html.lower()


def test_safe_url_allows_only_http() -> None:
    assert safe_url("https://www.nato.int/x") == "https://www.nato.int/x"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,x", "//evil"):
        assert safe_url(bad) is None, bad


def test_upload_limits(client: TestClient) -> None:
    big = b"Q: x?\n" * 5000
    r = client.post("/upload", files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code in (400, 413, 422) and "limit" in r.text
    r = client.post("/upload", files={"file": ("x.exe", b"MZ\x00\x00binary", "application/octet-stream")})
    assert r.status_code == 422 and "unsupported type" in r.text
    r = client.post("/upload", files={"file": ("x.txt", b"abc\x00def" * 10, "text/plain")})
    assert r.status_code == 422 and "binary" in r.text
    r = client.post("/upload", data={"text": "   "})
    assert r.status_code == 422 and "nothing to parse" in r.text
    r = client.post("/api/parse", files={"file": ("x.pdf", b"%PDF-1.4", "application/pdf")})
    assert r.status_code == 422
    assert r.json()["error"]["status"] == 422 and "unsupported type" in r.json()["error"]["message"]


def test_read_only_refuses_every_write(tmp_path) -> None:  # noqa: ANN001
    app = create_app(str(tmp_path / "none.db"), read_only=True)
    client = TestClient(app)
    body = {"text": HOSTILE}
    r = client.post("/upload/store", data=body)
    assert r.status_code == 403 and "read-only" in r.text
    r = client.post("/api/transcripts", data=body)
    assert r.status_code == 403 and r.json()["error"]["message"].startswith("this server is read-only")
    assert "Parse and store" not in client.get("/upload").text
    # Every POST route is either the parse-only preview or refused.
    from podium.web import routes_api, routes_pages

    posts = {("/api" if router is routes_api.router else "") + rt.path
             for router in (routes_api.router, routes_pages.router) for rt in router.routes
             if "POST" in (getattr(rt, "methods", None) or ())}
    assert posts == {"/upload", "/upload/store", "/api/parse", "/api/transcripts"}
    assert not (tmp_path / "none.db").exists()  # nothing was even opened for writing


def test_cross_site_write_refused(tmp_path) -> None:  # noqa: ANN001
    client = TestClient(create_app(str(tmp_path / "x.db")))
    r = client.post("/upload/store", data={"text": HOSTILE}, headers={"Origin": "https://evil.invalid"})
    assert r.status_code == 403


def test_query_parameters_are_bounded(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "x" * 501})
    assert r.status_code == 400 and r.json()["error"]["message"].startswith("q:")
    r = client.get("/api/search", params={"q": "nato", "page": "0"})
    assert r.status_code == 400
    r = client.get("/api/search", params={"q": "nato", "year": "2021' OR 1=1"})
    assert r.status_code == 400 and "year" in r.json()["error"]["message"]
    r = client.get("/search", params={"q": "nato", "page": "abc"})
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
