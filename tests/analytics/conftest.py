"""Fixtures of the analytics tests: planted-cluster graphs as projections (no server needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from analytics import cache
from analytics.projection import analysis_projection
from api.app import create_app
from api.security import KeyStore, Role
from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from tests.analytics.planted import Planted, planted_clusters


def open_api(store: GraphStore, keys_path: Path, role: Role) -> tuple[TestClient, str]:
    """The API over ``store`` as deployed for the public (anonymous reads allowed) and a key of
    ``role``: the pair every "readers do not see firm money" test compares."""
    keys = KeyStore(keys_path)
    _, key = keys.create(role.name.lower(), role)
    return TestClient(create_app(store=store, keys=keys, public_read=True)), key


def project(changes: ChangeSet) -> nx.MultiDiGraph:
    """The analysis projection of ``changes`` loaded into an in-memory embedded store."""
    store = EmbeddedStore()
    store.apply(changes)
    return analysis_projection(store)


@pytest.fixture(scope="module")
def planted() -> Planted:
    return planted_clusters(clusters=5, firms_per_cluster=14, noise=0.1, seed=11)


@pytest.fixture(scope="module")
def planted_graph(planted: Planted) -> nx.MultiDiGraph:
    return project(planted.changes)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
