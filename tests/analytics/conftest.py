"""Fixtures of the analytics tests: planted-cluster graphs as projections (no server needed)."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import pytest

from analytics import cache
from analytics.projection import analysis_projection
from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from tests.analytics.planted import Planted, planted_clusters


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
