"""``/api/v1/clusters`` and ``/api/v1/monitor`` on both stores, with identical answers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from analytics import service
from api.app import create_app
from api.security import KeyStore, Role
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.store import GraphStore
from tests.analytics.conftest import open_api
from tests.analytics.planted import planted_clusters


def _client(store: GraphStore, tmp_path: Any) -> TestClient:
    return TestClient(create_app(store=store, keys=KeyStore(tmp_path / "keys.json"), public_read=True))


def _load(store: GraphStore) -> None:
    store.apply(planted_clusters(clusters=3, firms_per_cluster=8, seed=5).changes)


def test_clusters_endpoints(store: GraphStore, tmp_path: Any) -> None:
    _load(store)
    client = _client(store, tmp_path)
    listing = client.get("/api/v1/clusters")
    assert listing.status_code == 200
    body = listing.json()
    assert body["storeVersion"] == store.version()
    assert [c["id"] for c in body["clusters"]] == ["C1", "C2", "C3"]
    assert body["clusteredFirms"] == body["firms"] == 24
    first = body["clusters"][0]
    assert set(first) == {"id", "name", "industry", "industryShare", "planIndustry", "terms", "metrics"}
    assert first["metrics"]["firms"] == 8 and first["industry"]["code"] in {"1.2", "2.1", "4.1"}

    detail = client.get("/api/v1/clusters/C1").json()
    assert [m["id"] for m in detail["members"]] == sorted(m["id"] for m in detail["members"])
    assert len(detail["members"]) == 8 and detail["keyPlayers"] and "gaps" in detail

    missing = client.get("/api/v1/clusters/C9")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert "C1, C2, C3" in missing.json()["detail"]

    assert client.get("/api/v1/clusters?method=spectral").status_code == 422
    # Readers see only the default partition (api.disclosure); analysts may choose.
    assert client.get("/api/v1/clusters", params={"method": "leiden"}).status_code == 403
    keys: KeyStore = client.app.state.keys  # type: ignore[attr-defined]
    analyst = {"X-API-Key": keys.create("analyst", Role.ANALYST)[1]}
    leiden = client.get("/api/v1/clusters", params={"method": "leiden"}, headers=analyst).json()
    assert leiden["method"] == "leiden" and len(leiden["clusters"]) == 3

    by_industry = client.get("/api/v1/clusters/by-industry").json()
    assert sum(g["firms"] for g in by_industry) == 24
    by_park = client.get("/api/v1/clusters/by-park").json()
    assert [g["firms"] for g in by_park] == [8, 8, 8]
    network = client.get("/api/v1/clusters/network", params={"max_edges": 5}).json()
    assert len(network["nodes"]) == 24 and len(network["edges"]) == 5 and network["truncated"]
    assert network["totalNodes"] == 24 and network["totalEdges"] > 5
    whole = client.get("/api/v1/clusters/network", params={"max_edges": 20_000}).json()
    assert not whole["truncated"] and len(whole["edges"]) == whole["totalEdges"]
    # A bounded payload: the firms of the strongest ties, and only edges between firms sent.
    small = client.get("/api/v1/clusters/network", params={"max_nodes": 6}).json()
    sent = {n["id"] for n in small["nodes"]}
    assert len(sent) == 6 and small["truncated"] and small["totalNodes"] == 24
    assert small["edges"] and all(e["source"] in sent and e["target"] in sent for e in small["edges"])
    strongest = whole["edges"][0]
    assert {strongest["source"], strongest["target"]} <= sent


def test_monitor_endpoint_hides_firm_revenue_from_readers(store: GraphStore, tmp_path: Any) -> None:
    _load(store)
    client, analyst = open_api(store, tmp_path / "keys.json", Role.ANALYST)
    public = client.get("/api/v1/monitor").json()
    assert public["techSmes"] == 24
    ids = [i["id"] for i in public["indicators"]]
    assert ids[:3] == ["tech_smes", "tech_sme_share", "tech_sme_revenue"]
    tech = public["indicators"][0]
    assert (tech["current"], tech["target"], tech["gap"]) == (24, 2000, 1976)
    assert public["candidates"] and all(c["revenue"] is None for c in public["candidates"])
    assert "万元" not in str(public["candidates"])  # reasons carry no revenue figures either
    seen = client.get("/api/v1/monitor", headers={"X-API-Key": analyst}).json()
    assert all(c["revenue"] is not None for c in seen["candidates"])
    assert "万元" in str(seen["candidates"])


def test_results_are_cached_by_store_version(embedded_store: GraphStore) -> None:
    _load(embedded_store)
    first = service.clusters(embedded_store)
    assert service.clusters(embedded_store) is first
    embedded_store.apply(ChangeSet())  # any write bumps the version
    embedded_store.apply(_one_firm())
    assert service.clusters(embedded_store) is not first
    assert "ent:new" in service.clusters(embedded_store).unclustered


def _one_firm() -> ChangeSet:
    cs = ChangeSet()
    cs.add_node(L.ENTERPRISE, {"id": "ent:new", "name": "新企业"})
    return cs


@pytest.mark.neo4j
def test_identical_answers_on_both_stores(
    embedded_store: GraphStore, neo4j_store: GraphStore, tmp_path: Any
) -> None:
    answers = []
    for store in (embedded_store, neo4j_store):
        _load(store)
        client = _client(store, tmp_path)
        got = {
            path: client.get(path).json()
            for path in (
                "/api/v1/clusters",
                "/api/v1/clusters/C1",
                "/api/v1/clusters/C3",
                "/api/v1/monitor",
                "/api/v1/clusters/by-park",
                "/api/v1/clusters/network",
            )
        }
        for value in got.values():
            if isinstance(value, dict):
                value.pop("storeVersion", None)
        answers.append(got)
    assert answers[0] == answers[1]


def test_small_cluster_aggregates_are_withheld_from_readers(store: GraphStore, tmp_path: Any) -> None:
    """A group of one or two firms would disclose a firm's revenue: readers get null, analysts
    get the figure (statistical disclosure control)."""
    from api.disclosure import DEFAULT_MIN_FIRMS as MIN_FIRMS_FOR_PUBLIC_AGGREGATE
    from tests.analytics.handmade import handmade

    store.apply(handmade())
    client, analyst = open_api(store, tmp_path / "keys.json", Role.ANALYST)
    small_groups = 0
    for path in ("/api/v1/clusters/by-park", "/api/v1/clusters/by-industry"):
        public = client.get(path).json()
        private = client.get(path, headers={"X-API-Key": analyst}).json()
        assert [g["firms"] for g in public] == [g["firms"] for g in private]
        for pub, priv in zip(public, private, strict=True):
            assert priv["revenue"] is not None
            if pub["firms"] < MIN_FIRMS_FOR_PUBLIC_AGGREGATE:
                small_groups += 1
                assert pub["revenue"] is None and pub["employees"] is None
            else:  # enough firms; the dominance rule may still withhold it
                assert pub["revenue"] in (None, priv["revenue"])
    assert small_groups > 0  # the fixture must exercise the rule
