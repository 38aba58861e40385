"""The fast steps of the cluster analysis give what the reference (the old, slow) steps give."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from analytics import clusters as clusters_module
from analytics import roles
from analytics.clusters import ClusterAnalysis, analyse_clusters
from analytics.firm_network import firm_network
from analytics.projection import CLUSTER_PROPERTIES
from tests.analytics import reference_clusters as reference


@pytest.mark.parametrize(
    ("nodes", "edges", "isolated"),
    [
        (40, 70, 3),
        (300, 600, 20),
        # networkx's 500 breadth-first searches take ~5 s here (20 s on the loaded shared machine)
        pytest.param(roles.EXACT_BETWEENNESS_LIMIT + 1, 2400, 100, marks=pytest.mark.slow),
    ],
    ids=["small", "exact", "sampled"],
)
def test_betweenness_is_networkx_betweenness(nodes: int, edges: int, isolated: int) -> None:
    graph = nx.gnm_random_graph(nodes, edges, seed=7)
    graph = nx.relabel_nodes(graph, {i: f"ent:{i:05d}" for i in graph})
    graph.add_nodes_from(f"ent:lonely{i}" for i in range(isolated))  # isolates can be sampled sources
    fast, slow = roles.betweenness(graph, seed=42), reference.betweenness(graph, seed=42)
    assert fast.keys() == slow.keys()
    assert max(abs(fast[n] - slow[n]) for n in graph) < 1e-12
    assert roles.brokers(fast, graph, top=20) == roles.brokers(slow, graph, top=20)


def test_betweenness_of_tiny_networks() -> None:
    for graph in (nx.Graph(), nx.path_graph(1), nx.path_graph(2), nx.path_graph(3)):
        assert roles.betweenness(graph) == pytest.approx(reference.betweenness(graph))


def _edges(network: nx.Graph) -> list[tuple[str, str, dict[str, float]]]:
    return sorted((min(u, v), max(u, v), d) for u, v, d in network.edges(data=True))


@pytest.mark.parametrize("top_k", [15, 3])  # 3: most firms have more ties than kept, ties in rank
def test_firm_network_is_the_reference_network(planted_graph: nx.MultiDiGraph, top_k: int) -> None:
    fast = firm_network(planted_graph, top_k=top_k)
    slow = reference.firm_network(planted_graph, top_k=top_k)
    assert list(fast.nodes) == list(slow.nodes)
    assert _edges(fast) == _edges(slow)
    assert fast.number_of_edges() > 0


def assert_same_analysis(fast: ClusterAnalysis, slow: ClusterAnalysis) -> None:
    """Every figure of the two analyses, the network's ties included, is the same."""
    assert fast.clusters == slow.clusters
    assert fast.assignment == slow.assignment
    assert fast.unclustered == slow.unclustered
    assert fast.modularity == slow.modularity
    assert fast.names == slow.names
    assert list(fast.network.nodes) == list(slow.network.nodes)
    assert _edges(fast.network) == _edges(slow.network)


def reference_analysis(graph: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch) -> ClusterAnalysis:
    """``analyse_clusters`` with the reference steps in place of the fast ones."""

    def old_network(
        graph: nx.MultiDiGraph,
        *,
        patents: object = None,
        places: object = None,
        **options: Any,
    ) -> nx.Graph:
        return reference.firm_network(graph, **options)

    with monkeypatch.context() as patch:
        patch.setattr(clusters_module, "firm_network", old_network)
        patch.setattr(clusters_module, "betweenness", reference.betweenness)
        return analyse_clusters(graph)


def test_analysis_is_the_reference_analysis(
    planted_graph: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_same_analysis(analyse_clusters(planted_graph), reference_analysis(planted_graph, monkeypatch))


def narrowed(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graph`` with only the properties the cluster analysis says it reads."""
    out = graph.copy()  # copies each node's attribute dict
    for _, attrs in out.nodes(data=True):
        for key in [k for k in attrs if k != "label" and k not in CLUSTER_PROPERTIES]:
            del attrs[key]
    return out


def test_the_cluster_properties_are_all_the_analysis_reads(planted_graph: nx.MultiDiGraph) -> None:
    dropped = {k for _, a in planted_graph.nodes(data=True) for k in a} - CLUSTER_PROPERTIES - {"label"}
    assert dropped, "the planted graph should carry properties the analysis does not read"
    assert_same_analysis(analyse_clusters(narrowed(planted_graph)), analyse_clusters(planted_graph))
