"""Disclosure control of sums over firms (issue #16, finding 1): the differencing attack.

An anonymous caller asks for clusters under many seeds, resolutions and methods, and for the
industry and park groups, then subtracts every two aggregates whose firm sets differ by one
firm. Before the fix this gave single firms' revenue, employees and R&D staff exactly.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from analytics import cache, service
from analytics.clusters import ClusterOptions
from api.app import create_app
from api.disclosure import DisclosureRule
from api.security import KeyStore, Role
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from tests.analytics.planted import planted_clusters

FIGURES = ("revenue", "employees", "rdStaff")
SEEDS = range(6)
RESOLUTIONS = (0.8, 1.0, 1.2)
METHODS = ("louvain", "leiden")


@pytest.fixture
def noisy_store() -> GraphStore:
    """Planted clusters with enough cross-cluster noise that partitions move firms around."""
    cache.clear()
    store = EmbeddedStore()
    store.apply(planted_clusters(clusters=4, firms_per_cluster=6, noise=0.35, seed=3).changes)
    return store


def _attack(client: TestClient, store: GraphStore) -> list[str]:
    """Every single-firm figure the differencing attack recovers, as readable findings."""
    seen: list[tuple[frozenset[str], dict[str, float | None], str]] = []
    for method, seed, resolution in itertools.product(METHODS, SEEDS, RESOLUTIONS):
        params = {"method": method, "seed": seed, "resolution": resolution}
        listing = client.get("/api/v1/clusters", params=params)
        if listing.status_code != 200:
            assert listing.status_code == 403, listing.text
            continue
        for summary in listing.json()["clusters"]:
            detail = client.get(f"/api/v1/clusters/{summary['id']}", params=params).json()
            members = frozenset(m["id"] for m in detail["members"])
            metrics = summary["metrics"]
            values = {
                "revenue": metrics["revenue"],
                "employees": metrics["employees"],
                "rdStaff": metrics["rdStaff"],
            }
            seen.append((members, values, f"{summary['id']}@{method}/{seed}/{resolution}"))
    # Group sums: their firm sets are not in the answer, but an attacker can rebuild them from
    # public parks and industries, so the test takes them from the server's own views.
    views = service.views(store, ClusterOptions())
    for path, groups in (("by-industry", views.industries), ("by-park", views.parks)):
        public = {g["id"]: g for g in client.get(f"/api/v1/clusters/{path}").json()}
        for group in groups:
            shown = public[group.id]
            values = {"revenue": shown["revenue"], "employees": shown["employees"], "rdStaff": None}
            seen.append((frozenset(group.members), values, f"{path}/{group.id}"))
    found = []
    for (a, va, na), (b, vb, nb) in itertools.combinations(seen, 2):
        small, large = (a, b) if len(a) < len(b) else (b, a)
        if len(large) - len(small) != 1 or not small < large:
            continue
        (firm,) = large - small
        for figure in FIGURES:
            if va[figure] is not None and vb[figure] is not None:
                found.append(f"{figure} of {firm} = |{na} − {nb}| = {abs(va[figure] - vb[figure]):g}")
    # A single disclosed aggregate of one reporting firm is the firm's figure itself.
    for members, values, name in seen:
        if len(members) == 1 and any(v is not None for v in values.values()):
            found.append(f"{name} is one firm's figures")
    return sorted(set(found))


def test_differencing_attack_finds_no_single_firm_figure(noisy_store: GraphStore, tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json")
    client = TestClient(create_app(store=noisy_store, keys=keys, public_read=True))
    assert _attack(client, noisy_store) == []
    # The attack itself works: an analyst (who may see firms' figures anyway) recovers firms
    # this way, so the empty list above is the defence, not a blind test.
    analyst = keys.create("analyst", Role.ANALYST)[1]
    client.headers["X-API-Key"] = analyst
    assert _attack(client, noisy_store)


def test_readers_get_only_the_default_partition(noisy_store: GraphStore, tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json")
    client = TestClient(create_app(store=noisy_store, keys=keys, public_read=True))
    reader = {"X-API-Key": keys.create("reader", Role.READER)[1]}
    for path in (
        "/api/v1/clusters",
        "/api/v1/clusters/C1",
        "/api/v1/clusters/by-park",
        "/api/v1/clusters/network",
    ):
        for params in ({"seed": 5}, {"resolution": 1.2}, {"method": "leiden"}):
            for headers in ({}, reader):
                response = client.get(path, params=params, headers=headers)
                assert response.status_code == 403, (path, params, response.text)
                assert "analysts" in response.json()["detail"]
        assert client.get(path, headers=reader).status_code == 200


def test_disclosure_rule_counts_reporting_firms_and_dominance() -> None:
    rule = DisclosureRule()
    assert not rule.allows([5.0, 6.0, None, None, None])  # 5 members, 2 report
    assert rule.allows([5.0, 6.0, 7.0])
    assert not rule.allows([100.0, 1.0, 1.0, 1.0])  # one firm is 97 % of the sum
    assert rule.allows([0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="at least 3"):
        DisclosureRule(min_firms=2)
    with pytest.raises(ValueError, match="dominance"):
        DisclosureRule(max_share=1.5)
