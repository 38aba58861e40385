"""Cluster detection recovers planted clusters; the firm network's weights are as documented."""

from __future__ import annotations

import networkx as nx
import pytest
from sklearn.metrics import adjusted_rand_score

from analytics.clusters import ClusterOptions, analyse_clusters
from analytics.communities import detect_communities
from analytics.firm_network import TieWeights, firm_network
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from tests.analytics.conftest import project
from tests.analytics.planted import Planted, planted_clusters


def _ari(planted: Planted, assignment: dict[str, str]) -> float:
    firms = sorted(planted.truth)
    # An unclustered firm is its own singleton, so losing firms lowers the score.
    return float(
        adjusted_rand_score([planted.truth[f] for f in firms], [assignment.get(f, f) for f in firms])
    )


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_detection_recovers_planted_clusters(
    planted: Planted, planted_graph: nx.MultiDiGraph, method: str
) -> None:
    analysis = analyse_clusters(planted_graph, options=ClusterOptions(method=method, seed=3))
    assert _ari(planted, analysis.assignment) >= 0.9
    assert len(analysis.clusters) == 5


def test_each_cluster_is_labelled_by_its_planted_industry(
    planted: Planted, planted_graph: nx.MultiDiGraph
) -> None:
    analysis = analyse_clusters(planted_graph)
    for cluster in analysis.clusters:
        planted_ids = {planted.truth[f] for f in cluster.members}
        majority = max(planted_ids, key=lambda k: sum(planted.truth[f] == k for f in cluster.members))
        assert cluster.industry is not None
        assert cluster.industry.node_id is not None
        assert cluster.industry.node_id.endswith(f"-{majority}")
        assert cluster.industry_share > 0.8
        assert cluster.terms, "a labelled cluster lists its technology terms"
        assert cluster.terms[0].term.startswith(cluster.core_ipc[0].code)


def test_same_seed_same_clusters_and_order(planted_graph: nx.MultiDiGraph) -> None:
    first = analyse_clusters(planted_graph, options=ClusterOptions(seed=5))
    again = analyse_clusters(planted_graph, options=ClusterOptions(seed=5))
    assert [c.members for c in first.clusters] == [c.members for c in again.clusters]
    assert [c.id for c in first.clusters] == [f"C{i}" for i in range(1, len(first.clusters) + 1)]
    sizes = [len(c.members) for c in first.clusters]
    assert sizes == sorted(sizes, reverse=True)


def test_without_reference_data_clusters_are_unclassified_not_an_error() -> None:
    planted = planted_clusters(clusters=3, firms_per_cluster=8, with_reference=False)
    analysis = analyse_clusters(project(planted.changes))
    assert analysis.clusters
    assert all(c.industry is None and c.metrics.location_quotient is None for c in analysis.clusters)
    assert all("未分类" in c.name for c in analysis.clusters)
    assert _ari(planted, analysis.assignment) >= 0.9  # technology still separates them


def _firms_with_patents(
    codes: dict[str, list[str]], parks: dict[str, str] | None = None, co_patents: int = 0
) -> ChangeSet:
    cs = ChangeSet()
    for firm, firm_codes in codes.items():
        cs.add_node(L.ENTERPRISE, {"id": firm, "name": firm})
        for i, code in enumerate(firm_codes):
            pid = f"patent:{firm}-{i}"
            cs.add_node(L.PATENT, {"id": pid, "title": pid, "ipcCodes": [code]})
            cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, firm), (L.PATENT, pid))
    for park in set((parks or {}).values()):
        cs.add_node(L.PARK, {"id": park, "name": park})
    for firm, park in (parks or {}).items():
        cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, firm), (L.PARK, park))
    firms = sorted(codes)
    for i in range(co_patents):
        pid = f"patent:joint-{i}"
        cs.add_node(L.PATENT, {"id": pid, "title": pid})
        cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, firms[0]), (L.PATENT, pid))
        cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, firms[1]), (L.PATENT, pid))
    return cs


def test_identical_technology_gives_the_technology_weight() -> None:
    graph = project(
        _firms_with_patents({"ent:a": ["H01L33/48"], "ent:b": ["H01L33/50"], "ent:c": ["A61K9/00"]})
    )
    network = firm_network(graph, weights=TieWeights(technology=0.7))
    # Same main group H01L33/00: cosine 1, times the channel weight; nothing shared with c.
    assert network["ent:a"]["ent:b"]["weight"] == pytest.approx(0.7)
    assert network["ent:a"]["ent:b"]["technology"] == pytest.approx(0.7)
    assert not network.has_edge("ent:a", "ent:c")
    assert set(network.nodes) == {"ent:a", "ent:b", "ent:c"}


def test_co_location_strengthens_existing_ties_only() -> None:
    parks = {"ent:a": "park:1", "ent:b": "park:1", "ent:c": "park:1"}
    graph = project(
        _firms_with_patents({"ent:a": ["H01L33/48"], "ent:b": ["H01L33/50"], "ent:c": ["A61K9/00"]}, parks)
    )
    network = firm_network(graph)
    assert network["ent:a"]["ent:b"]["weight"] == pytest.approx(1.0 + 0.25)
    assert network["ent:a"]["ent:b"]["co_location"] == pytest.approx(0.25)
    assert not network.has_edge("ent:a", "ent:c")


@pytest.mark.parametrize(("joint", "weight"), [(1, 1.0), (2, 2.0), (4, 3.0)])
def test_co_applications_are_direct_ties(joint: int, weight: float) -> None:
    graph = project(_firms_with_patents({"ent:a": [], "ent:b": []}, co_patents=joint))
    assert firm_network(graph)["ent:a"]["ent:b"]["co_applications"] == pytest.approx(weight)


def test_shared_alliance_ties_firms() -> None:
    cs = _firms_with_patents({"ent:a": [], "ent:b": [], "ent:c": []})
    cs.add_node(L.ALLIANCE, {"id": "alliance:1", "name": "LED联盟"})
    for firm in ("ent:a", "ent:b"):
        cs.add_relationship(R.MEMBER_OF, (L.ENTERPRISE, firm), (L.ALLIANCE, "alliance:1"))
    network = firm_network(project(cs), weights=TieWeights(alliances=0.6))
    assert network["ent:a"]["ent:b"]["alliances"] == pytest.approx(0.6)
    assert network.degree("ent:c") == 0


def test_unknown_method_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="louvain"):
        detect_communities(nx.path_graph(3), method="kmeans")


def test_small_communities_are_dropped() -> None:
    graph = nx.disjoint_union(nx.complete_graph(4), nx.path_graph(2))
    assert [len(c) for c in detect_communities(graph, min_size=3)] == [4]
