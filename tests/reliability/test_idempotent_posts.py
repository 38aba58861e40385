"""``Idempotency-Key`` on ``POST /api/v1/demands`` (issue #17): a client that got a 503, or no
answer, retries with the same key; the retry returns the first result and writes nothing twice,
on both stores. Before the key existed, ``bench.faults outage`` saw demands committed while their
client was answered 503 — a retry then had no way to find them."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.idempotency import HEADER, REPLAYED_HEADER
from api.security import Role
from graph.embedded_files import FAULT_ENV
from graph.model import NodeLabel
from graph.store import GraphStore
from tests.security.harness import api_over

DEMAND = {"title": "大功率LED散热技术需求", "description": "散热", "keywords": ["散热"], "budget": 100000.0}


def _demand_ids(store: GraphStore) -> list[str]:
    return [n.id for n in store.nodes(NodeLabel.TECH_DEMAND)]


def test_a_retry_with_the_same_key_returns_the_first_result_and_writes_nothing(
    store: GraphStore, tmp_path: Path
) -> None:
    with api_over(store, tmp_path) as api:
        headers = {**api.headers(Role.EDITOR), HEADER: "7d1c7f9e-retry-1"}
        first = api.client.post("/api/v1/demands", json=DEMAND, headers=headers)
        assert first.status_code == 201, first.text
        assert REPLAYED_HEADER not in first.headers
        version, demands = store.version(), _demand_ids(store)
        # The client never saw ``first`` (a 503 from a proxy, a dropped connection): it retries.
        for _ in range(3):
            retry = api.client.post("/api/v1/demands", json=DEMAND, headers=headers)
            assert retry.status_code == 201, retry.text
            assert retry.json() == first.json()
            assert retry.headers[REPLAYED_HEADER] == "true"
        assert store.version() == version, "a replay wrote to the store"
        assert _demand_ids(store) == demands == [first.json()["id"]]
        # The same key with another request is refused and writes nothing either.
        other = api.client.post("/api/v1/demands", json={**DEMAND, "budget": 1.0}, headers=headers)
        assert other.status_code == 422 and HEADER in other.text, other.text
        assert store.version() == version
        # A new key is a new demand, even with the same fields: the client said it is another one.
        again = api.client.post(
            "/api/v1/demands", json=DEMAND, headers={**headers, HEADER: "7d1c7f9e-retry-2"}
        )
        assert again.status_code == 201 and again.json()["id"] != first.json()["id"]
        assert len(_demand_ids(store)) == 2


def test_keys_are_per_api_key_and_malformed_keys_are_refused(store: GraphStore, tmp_path: Path) -> None:
    with api_over(store, tmp_path) as api:
        bob = {"X-API-Key": api.app.state.keys.create("editor-2", Role.EDITOR)[1], HEADER: "k-1"}
        alice = {**api.headers(Role.EDITOR), HEADER: "k-1"}
        a = api.client.post("/api/v1/demands", json=DEMAND, headers=alice)
        b = api.client.post("/api/v1/demands", json={**DEMAND, "budget": 5.0}, headers=bob)
        assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]
        assert b.json()["properties"]["budget"] == 5.0
        version = store.version()
        for bad in ("", " ", "a" * 256, "键".encode(), "two words", "tab\there"):
            refused = api.client.post(
                "/api/v1/demands",
                json=DEMAND,
                headers={**alice, HEADER: bad},  # type: ignore[dict-item]
            )
            assert refused.status_code == 400, (bad, refused.text)
        assert store.version() == version


def test_a_write_that_was_not_committed_is_made_by_the_retry(
    embedded_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first attempt fails for real (the journal append hits a full disk): 503, nothing
    committed, so the retry with the same key is the write — once."""
    with api_over(embedded_store, tmp_path) as api:
        headers = {**api.headers(Role.EDITOR), HEADER: "full-disk-1"}
        monkeypatch.setenv(FAULT_ENV, "enospc:append")
        failed = api.client.post("/api/v1/demands", json=DEMAND, headers=headers)
        assert failed.status_code == 503, failed.text
        assert _demand_ids(embedded_store) == []
        monkeypatch.delenv(FAULT_ENV)
        retry = api.client.post("/api/v1/demands", json=DEMAND, headers=headers)
        assert retry.status_code == 201 and REPLAYED_HEADER not in retry.headers
        replay = api.client.post("/api/v1/demands", json=DEMAND, headers=headers)
        assert replay.headers[REPLAYED_HEADER] == "true" and replay.json() == retry.json()
        assert _demand_ids(embedded_store) == [retry.json()["id"]]
