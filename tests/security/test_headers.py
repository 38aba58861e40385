"""Headers, docs assets, redirects, ids with '/', echoed input (issue #16, finding 7)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from api.security import Role
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.store import GraphStore
from tests.security.harness import api_over


def _csp_directives(value: str) -> dict[str, list[str]]:
    out = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_every_answer_carries_the_security_headers(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        answers = [
            api.client.get("/"),
            api.client.get("/static/js/app.js"),
            api.client.get("/api/v1/entities/ent:A"),
            api.client.get("/api/v1/entities/nope"),
            api.client.get("/api/v1/keys"),
            api.client.post("/api/v1/demands", content=b"x" * (2 << 20)),
            api.client.get("/healthz"),
            api.client.get("/docs"),
            api.client.get("/openapi.json"),
        ]
        assert [a.status_code for a in answers] == [200, 200, 200, 404, 401, 413, 200, 200, 200]
        for answer in answers:
            csp = _csp_directives(answer.headers["content-security-policy"])
            assert csp["script-src"] == ["'self'"], answer.url  # no inline script, no eval
            assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
            assert "'unsafe-eval'" not in answer.headers["content-security-policy"]
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["referrer-policy"] == "no-referrer"
            assert answer.headers["x-frame-options"] == "DENY"
        # The page's own styles only; Swagger UI alone may set inline styles.
        assert _csp_directives(answers[0].headers["content-security-policy"])["style-src"] == ["'self'"]


def test_the_page_has_no_inline_script_or_style_attribute() -> None:
    web = Path(__file__).resolve().parents[2] / "api" / "web"
    html = (web / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html and " on" not in html
    for js in web.rglob("*.js"):
        text = js.read_text(encoding="utf-8")
        assert "eval(" not in text and "new Function" not in text and "innerHTML" not in text, js


def test_swagger_ui_is_served_locally_with_integrity(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        html = api.client.get("/docs").text
        assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
        assets = re.findall(r'(?:src|href)="([^"]+)" integrity="(sha384-[^"]+)"', html)
        assert {a for a, _ in assets} >= {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"}
        for url, pinned in assets:
            body = api.client.get(url).content
            assert pinned == "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode(), url
        assert api.client.get("/docs/assets/index.html").status_code == 404  # only listed files
        assert api.client.get("/redoc").status_code == 404


def test_redirects_never_echo_the_host(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        for path in ("/api/v1/entities/", "/api/v1/demands/", "/healthz/", "/docs/"):
            response = api.client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
            assert "evil.example" not in response.headers.get("location", ""), path
            assert response.status_code != 307


def test_ids_with_a_slash_work(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        cs = ChangeSet()
        cs.add_node(L.IPC, {"id": "ipc:H01L33/00", "code": "H01L33/00", "name": "H01L33/00"})
        cs.add_relationship(R.CLASSIFIED_AS, (L.PATENT, "patent:CN1"), (L.IPC, "ipc:H01L33/00"))
        embedded_store.apply(cs)
        entity = api.client.get("/api/v1/entities/ipc:H01L33/00")
        assert entity.status_code == 200 and entity.json()["id"] == "ipc:H01L33/00"
        encoded = api.client.get("/api/v1/entities/ipc%3AH01L33%2F00", headers=api.headers(Role.READER))
        assert encoded.status_code == 200
        around = api.client.get("/api/v1/entities/ipc:H01L33/00/neighbors").json()
        # The contract fixture classifies both its patents under H01L33/00 (ingest's IPC ids).
        assert sorted(n["node"]["id"] for n in around) == ["patent:CN1", "patent:CN2"]
        assert api.client.get("/api/v1/entities/ent:A/neighbors").status_code == 200


def test_error_messages_truncate_echoed_input(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        huge = "x" * 60_000  # httpx refuses URLs over 64 KiB
        for url in (
            f"/api/v1/entities/{huge}",
            f"/api/v1/demands/{huge}",
            f"/api/v1/entities?q=a&type={huge}",
        ):
            response = api.client.get(url)
            assert 400 <= response.status_code < 500
            assert len(response.content) < 3000, (url[:40], len(response.content))
