"""Fixtures for the browser tests: a real uvicorn server over a fixture graph, and the system's
headless Chromium (Debian's ``chromium``) driven by Playwright — never a downloaded browser.

Screenshots of each checked screen go to ``test-artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from api.app import create_app
from api.security import KeyStore, Role
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.fixture_graph import fixture_changes

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@dataclass(frozen=True)
class Site:
    """A running server: its base URL and an editor key for writes."""

    url: str
    editor_key: str
    store: GraphStore


class _Server:
    """uvicorn in a thread on a socket we bound ourselves, so the port is free by construction."""

    def __init__(self, store: GraphStore, keys_path: Path) -> None:
        keys = KeyStore(keys_path)
        _, self.editor_key = keys.create("browser-tests", Role.EDITOR)
        app = create_app(store=store, keys=keys, public_read=True)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test server on port {self.port} did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def _serve(store: GraphStore, tmp: Path) -> Iterator[Site]:
    store.apply(fixture_changes())
    with _Server(store, tmp / "api-keys.json") as server:
        yield Site(f"http://127.0.0.1:{server.port}", server.editor_key, store)


def embedded_site(
    tmp_path_factory: pytest.TempPathFactory, name: str, *loads: Callable[[GraphStore], object]
) -> Iterator[Site]:
    """A fresh embedded store with what ``loads`` write and the fixture graph, served; closed after."""
    tmp = tmp_path_factory.mktemp(name)
    store = EmbeddedStore(tmp / "graph.innograph")
    try:
        for load in loads:
            load(store)
        yield from _serve(store, tmp)
    finally:
        store.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The fixture graph on the embedded store, served for the whole module."""
    yield from embedded_site(tmp_path_factory, "browser-site")


@pytest.fixture
def neo4j_site(neo4j_store: GraphStore, tmp_path: Path) -> Iterator[Site]:
    """The fixture graph on the session's real Neo4j, served for one test."""
    yield from _serve(neo4j_store, tmp_path)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium)", pytrace=False
        )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", autouse=True)
def _clean_screenshots() -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab (own storage) that fails the test on any uncaught script error, and on anything
    the Content-Security-Policy refused (so every browser test checks the page works under it)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield tab
    context.close()
    assert not errors, f"the page raised script errors: {errors}"


def screenshot(page: Page, name: str) -> Path:
    """Save the screen a test checks, for a person to look at."""
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
