"""Bounded cost (issue #16, finding 4): body limit before parsing, one computation per partition
however many ask, a bound on concurrent recomputation, and writes that do not empty caches."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from analytics import cache, service
from api.app import create_app
from api.costly import Admission
from api.ratelimit import RateLimiter
from api.security import KeyStore, Role
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from tests.analytics.planted import planted_clusters


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[TestClient, dict[Role, dict[str, str]], GraphStore]]:
    cache.clear()
    store = EmbeddedStore()
    store.apply(planted_clusters(clusters=3, firms_per_cluster=8, seed=5).changes)
    keys = KeyStore(tmp_path / "keys.json")
    headers = {role: {"X-API-Key": keys.create(role.name, role)[1]} for role in Role}
    app = create_app(store=store, keys=keys, public_read=True)
    app.state.rate_limiter = RateLimiter(0, 0)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, headers, store
    cache.clear()


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each real cluster computation, counted (the real function runs)."""
    calls: list[Any] = []
    real = service.analyse_clusters

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("options"))
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "analyse_clusters", counted)
    return calls


def test_large_bodies_are_refused_before_parsing_and_before_the_key_check(setup: Any) -> None:
    client, _, _ = setup
    big = b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = client.post("/api/v1/demands", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "1048576 bytes" in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"title": "'
        for _ in range(40):
            yield b"y" * 65536
        yield b'"}'

    chunked = client.post("/api/v1/demands", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413, chunked.text


def test_concurrent_requests_for_a_new_partition_compute_it_once(setup: Any, computations: list[Any]) -> None:
    client, headers, _ = setup
    results: list[int] = []

    def ask() -> None:
        response = client.get("/api/v1/clusters", params={"seed": 7}, headers=headers[Role.ANALYST])
        results.append(response.status_code)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 8
    assert [o.seed for o in computations] == [7]


def test_recomputation_beyond_the_bound_is_answered_503(setup: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client, headers, _ = setup
    client.app.state.admission = Admission(max_running=1, max_waiting=4)  # type: ignore[attr-defined]
    started, release = threading.Event(), threading.Event()
    real = service.analyse_clusters

    def slow(*args: Any, **kwargs: Any) -> Any:
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "analyse_clusters", slow)
    first: list[int] = []
    runner = threading.Thread(
        target=lambda: first.append(
            client.get("/api/v1/clusters", params={"seed": 1}, headers=headers[Role.ANALYST]).status_code
        )
    )
    runner.start()
    assert started.wait(30)
    busy = client.get("/api/v1/clusters", params={"seed": 2}, headers=headers[Role.ANALYST])
    release.set()
    runner.join()
    assert first == [200]
    assert busy.status_code == 503 and int(busy.headers["Retry-After"]) >= 1
    assert (
        client.get("/api/v1/clusters", params={"seed": 2}, headers=headers[Role.ANALYST]).status_code == 200
    )


def test_a_posted_demand_does_not_recompute_the_clusters(setup: Any, computations: list[Any]) -> None:
    client, headers, store = setup
    before = client.get("/api/v1/clusters", headers=headers[Role.EDITOR]).json()
    assert len(computations) == 1
    version = store.version()
    posted = client.post(
        "/api/v1/demands", json={"title": "大功率LED散热技术需求"}, headers=headers[Role.EDITOR]
    )
    assert posted.status_code == 201 and store.version() == version + 1
    after = client.get("/api/v1/clusters", headers=headers[Role.EDITOR]).json()
    assert len(computations) == 1  # reused, not recomputed
    assert after["storeVersion"] == version + 1
    assert after["clusters"] == before["clusters"]
    # A write the analyses do read still invalidates them.
    from tests.analytics.test_api import _one_firm

    store.apply(_one_firm())
    client.get("/api/v1/clusters", headers=headers[Role.EDITOR])
    assert len(computations) == 2


def test_analysts_partitions_do_not_push_out_the_default_one(setup: Any, computations: list[Any]) -> None:
    """bench.abuse showed readers waiting seconds for the default partition again after a few
    analysts had asked for their own (the cache kept the last 8 results of any kind)."""
    client, headers, _ = setup
    assert client.get("/api/v1/clusters").status_code == 200
    assert len(computations) == 1
    for seed in range(100, 110):
        client.get("/api/v1/clusters", params={"seed": seed}, headers=headers[Role.ANALYST])
    assert len(computations) == 11
    for path in ("/api/v1/clusters", "/api/v1/clusters/by-park", "/api/v1/clusters/C1"):
        assert client.get(path).status_code == 200
    assert len(computations) == 11  # the default partition was still there
