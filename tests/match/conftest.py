"""Fixtures for matchmaking tests: the known-answer graph loaded into a store, and API clients."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import KeyStore, Role
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from match import cache
from match.index import MatchIndex
from tests.match.fixture import matching_changes


@pytest.fixture(autouse=True)
def fresh_match_cache() -> None:
    """Each test starts without cached indexes (the Neo4j store object outlives a test)."""
    cache.clear()


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    """The ``store`` fixture (each store in turn) holding the matchmaking fixture graph."""
    store.apply(matching_changes())
    return store


@pytest.fixture
def keys(tmp_path: Path) -> tuple[KeyStore, dict[str, str]]:
    keystore = KeyStore(tmp_path / "api-keys.json")
    tokens = {role.name.lower(): keystore.create(f"test-{role.name.lower()}", role)[1] for role in Role}
    return keystore, tokens


@pytest.fixture
def client(loaded: GraphStore, keys: tuple[KeyStore, dict[str, str]]) -> TestClient:
    return TestClient(create_app(loaded, keys=keys[0], public_read=True))


@pytest.fixture
def tokens(keys: tuple[KeyStore, dict[str, str]]) -> dict[str, str]:
    return keys[1]


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory: pytest.TempPathFactory) -> MatchIndex:
    """The ×1 demo's match index, built without spaCy (the query-cost tests compare computations
    on it; a module-level fixture, so one module's memo never reaches another's)."""
    from tests.match.test_fast_index import _demo_file

    store = EmbeddedStore(_demo_file(tmp_path_factory.mktemp("demo")))
    index = MatchIndex.from_graph(store.projection(), None, consume=True)
    store.close()
    return index
