"""The one cache of derived results (graph/cache.py): concurrent first requests build once, for
analytics and for the match index alike, and warm-up never computes what a request computes.

Real threads, real stores, real builders (counted, not replaced)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from analytics import service
from api.warmup import warm_up
from graph import cache
from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel
from graph.store import GraphStore
from match import cache as match_cache
from tests.analytics.planted import planted_clusters
from tests.contract.fixture_graph import fixture_changes


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _together(n: int, call: Callable[[], object]) -> list[object]:
    """``call`` from ``n`` threads released at the same moment; their results in thread order."""
    start = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        start.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)
    return results


def _counted(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[float]:
    """Count the calls of ``owner.name`` (the real function still runs); a call's start time each."""
    calls: list[float] = []
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(time.monotonic())
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_concurrent_first_requests_for_one_key_build_it_once() -> None:
    store = EmbeddedStore()
    builds: list[int] = []

    def slow_build() -> list[int]:
        builds.append(1)
        time.sleep(0.2)  # long enough for every other thread to arrive while it runs
        return [len(builds)]

    results = _together(12, lambda: cache.cached(store, "slow", slow_build))
    assert len(builds) == 1
    assert all(r is results[0] for r in results)


def test_different_keys_and_versions_build_separately() -> None:
    store = EmbeddedStore()
    builds: list[str] = []
    cache.cached(store, "a", lambda: builds.append("a") or "a")
    cache.cached(store, "b", lambda: builds.append("b") or "b")
    cache.cached(store, "a", lambda: builds.append("a") or "a")
    store.apply(fixture_changes())  # a new version: the old result no longer answers
    assert cache.peek(store, "a") is None
    cache.cached(store, "a", lambda: builds.append("a") or "a")
    assert builds == ["a", "b", "a"]


def test_searches_keep_their_own_lru_and_never_evict_an_analysts_results() -> None:
    store = EmbeddedStore()
    cache.cached(store, ("clusters", "k=2"), lambda: "partition")
    searches = cache.KIND_ENTRIES["search"]
    for i in range(searches + 5):
        cache.cached(store, ("search", f"q{i}", None), lambda i=i: [i])
    assert cache.peek(store, ("clusters", "k=2")) == "partition"
    assert cache.peek(store, ("search", "q0", None)) is None, "the oldest search went"
    assert cache.peek(store, ("search", f"q{searches + 4}", None)) == [searches + 4]
    for i in range(cache.MAX_ENTRIES):
        cache.cached(store, ("views", i), lambda i=i: i)
    assert cache.peek(store, ("clusters", "k=2")) is None, "other kinds still share one LRU"
    assert cache.peek(store, ("search", f"q{searches + 4}", None)) == [searches + 4]


def test_a_failed_build_is_retried_by_the_next_caller() -> None:
    store = EmbeddedStore()

    def fail() -> str:
        raise RuntimeError("the graph went away")

    with pytest.raises(RuntimeError):
        cache.cached(store, "k", fail)
    assert cache.cached(store, "k", lambda: "built") == "built"


def test_concurrent_first_requests_for_the_match_index_build_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    store = EmbeddedStore()
    store.apply(fixture_changes())
    builds = _counted(monkeypatch, match_cache, "build_index")
    results = _together(8, lambda: match_cache.index_for(store, wait=False))
    assert len(builds) == 1
    assert all(r is results[0] for r in results)
    assert match_cache.current(store) is results[0]


def test_a_posted_demand_carries_analytics_results_forward_but_not_the_match_index() -> None:
    store = EmbeddedStore()
    store.apply(planted_clusters(clusters=2, firms_per_cluster=6, seed=3).changes)
    analysis = service.clusters(store)
    index = match_cache.index_for(store)
    before = store.version()
    demand = ChangeSet()
    demand.add_node(NodeLabel.TECH_DEMAND, {"id": "demand:carry", "title": "散热需求"})
    store.apply(demand)
    assert cache.carry_forward(store, before, store.version()) >= 1
    assert service.clusters(store) is analysis  # the analyses do not read demands
    assert match_cache.current(store) is None  # the index does: it must be rebuilt
    fresh = match_cache.index_for(store)
    assert fresh is not index and "demand:carry" in fresh.label


def test_warm_up_and_concurrent_first_requests_compute_everything_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """api/warmup.py promises that requests arriving during warm-up wait for its builds."""
    store: GraphStore = EmbeddedStore()
    store.apply(planted_clusters(clusters=3, firms_per_cluster=8, seed=5).changes)
    index_builds = _counted(monkeypatch, match_cache, "build_index")
    cluster_builds = _counted(monkeypatch, service, "analyse_clusters")
    thread = warm_up(store)
    results = _together(
        6,
        lambda: (match_cache.index_for(store, wait=False), service.clusters(store)),
    )
    thread.join(120)
    assert not thread.is_alive()
    assert len(index_builds) == 1
    assert len(cluster_builds) == 1
    assert all(r == results[0] for r in results)


def test_cluster_member_centrality_is_computed_once_per_version(monkeypatch: pytest.MonkeyPatch) -> None:
    store = EmbeddedStore()
    store.apply(planted_clusters(clusters=2, firms_per_cluster=6, seed=3).changes)
    analysis = service.clusters(store)
    cluster = analysis.clusters[0]
    calls = _counted(monkeypatch, service, "key_players")
    options = service.ClusterOptions()
    first = service.cluster_centrality(store, options, cluster.id)
    second = service.cluster_centrality(store, options, cluster.id)
    assert len(calls) == 1 and first is second
    assert set(first) == set(cluster.members)
    assert service.cluster_centrality(store, options, "C999") == {}
