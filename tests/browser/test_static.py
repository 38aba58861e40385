"""The page's files are served by the API itself (no browser needed for these checks)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.web import WEB_ROOT
from graph.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(store=EmbeddedStore(None), public_read=True))


def test_index_and_modules_are_served_with_their_types(client: TestClient) -> None:
    index = client.get("/")
    assert index.status_code == 200
    assert index.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/js/app.js">' in index.text
    # Browsers refuse to run a module served as text/plain: every .js must say JavaScript.
    for path in sorted(WEB_ROOT.rglob("*.js")):
        response = client.get(f"/static/{path.relative_to(WEB_ROOT).as_posix()}")
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/javascript"), path
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")


def test_every_imported_module_exists(client: TestClient) -> None:
    """A typo in an import path breaks the whole page; catch it without a browser."""
    for path in sorted(WEB_ROOT.rglob("*.js")):
        for target in re.findall(r'^import .* from "(\.[^"]+)";$', path.read_text(encoding="utf-8"), re.M):
            assert (path.parent / target).resolve().is_file(), f"{path.name} imports missing {target}"


@pytest.mark.parametrize(
    "asset", ["../routes/web.py", "..%2Froutes%2Fweb.py", "js/../../app.py", "missing.js", "index.html.bak"]
)
def test_nothing_outside_the_web_folder_is_served(client: TestClient, asset: str) -> None:
    response = client.get(f"/static/{asset}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_both_languages_have_the_same_keys() -> None:
    keys = {}
    for lang in ("zh", "en"):
        text = (WEB_ROOT / "i18n" / f"{lang}.js").read_text(encoding="utf-8")
        keys[lang] = set(re.findall(r'^  "([\w.]+)":', text, re.M))
    assert keys["zh"] == keys["en"], keys["zh"] ^ keys["en"]
    assert len(keys["zh"]) > 100
