"""The fast steps of the cluster analysis give what the reference (the old, slow) steps give."""

from __future__ import annotations

import gc
from typing import Any

import networkx as nx
import numpy as np
import pytest
from scipy import sparse

from analytics import clusters as clusters_module
from analytics import communities, roles
from analytics.clusters import ClusterAnalysis, analyse_clusters
from analytics.firm_network import _kth_largest, _top_k_pairs, firm_network
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
        patch.setattr(clusters_module, "modularity", reference.modularity)
        patch.setattr(clusters_module, "key_players", reference.key_players)
        # Not the detection: igraph's Louvain replaced networkx's on purpose and finds another
        # (as good) partition (tests/analytics/test_louvain.py); the other steps must not move.
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


def _similarities(seed: int) -> tuple[sparse.csr_matrix, int, int]:
    """Random firm × context features; every third draw has values on a coarse grid, so many
    similarities tie and the column decides the rank."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 900)), int(rng.integers(1, 40))
    features = sparse.random(n, m, density=float(rng.uniform(0.005, 0.4)), random_state=seed, format="csr")
    if seed % 3 == 0:
        features.data = np.round(features.data * 3) / 3
    return features, int(rng.integers(0, 20)), int(rng.integers(1, 1000))


@pytest.mark.parametrize("seed", range(24))
def test_top_k_pairs_are_the_sorted_top_k_pairs(seed: int) -> None:
    features, top_k, chunk = _similarities(seed)
    fast = _top_k_pairs(features, top_k=top_k, min_weight=0.05, chunk=chunk)
    slow = reference.sorted_top_k_pairs(features, top_k=top_k, min_weight=0.05, chunk=chunk)
    assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1])
    if top_k:
        pairs = reference._top_k_pairs(features, top_k=top_k, min_weight=0.05, chunk=chunk)
        assert list(zip(fast[0].tolist(), fast[1].tolist(), strict=True)) == sorted(pairs)


def test_kth_largest_per_row() -> None:
    rows = np.array([0, 0, 0, 1, 1, 3, 3, 3, 3, 3])
    vals = np.array([0.5, 0.9, 0.7, 0.2, 0.1, 0.4, 0.4, 0.3, 0.8, 0.4])
    # Row 0: 3 values, 2nd largest 0.7; row 1: 2 values (≤ k: no cut); row 2 empty; row 3: ties.
    assert _kth_largest(rows, vals, 4, 2).tolist() == [0.7, -np.inf, -np.inf, 0.4]
    assert _kth_largest(rows, vals, 4, 4).tolist() == [-np.inf, -np.inf, -np.inf, 0.4]
    assert _kth_largest(rows, vals, 4, 0).tolist() == [-np.inf] * 4


def _weighted(seed: int) -> tuple[nx.Graph, list[list[str]]]:
    """A random weighted graph with string ids, and a partition: blocks plus singletons."""
    rng = np.random.default_rng(seed)
    graph = nx.gnm_random_graph(int(rng.integers(5, 400)), int(rng.integers(1, 1500)), seed=seed)
    graph = nx.relabel_nodes(graph, {i: f"ent:{i:04d}" for i in graph})
    for u, v in graph.edges():
        graph[u][v]["weight"] = float(rng.choice([0.25, 1.0, rng.uniform(0.05, 3.0)]))
        graph[u][v]["technology"] = 0.5  # a channel attribute, as the firm network carries
    nodes = sorted(graph)
    labels = rng.integers(0, max(len(nodes) // 10, 1), len(nodes))
    blocks: dict[int, list[str]] = {}
    for node, label in zip(nodes, labels.tolist(), strict=True):
        blocks.setdefault(label, []).append(node)
    parts = [b for b in blocks.values() if len(b) > 2] + [
        [n] for b in blocks.values() if len(b) <= 2 for n in b
    ]
    return graph, parts


@pytest.mark.parametrize("seed", range(12))
def test_modularity_is_networkx_modularity(seed: int) -> None:
    graph, parts = _weighted(seed)
    fast, slow = communities.modularity(graph, parts), reference.modularity(graph, parts)
    assert abs(fast - slow) < 1e-12
    assert round(fast, 6) == round(slow, 6)


def test_modularity_counts_a_missing_weight_as_one() -> None:
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    graph["a"]["b"]["weight"] = 2.0
    parts = [["a", "b"], ["c", "d"]]
    assert abs(communities.modularity(graph, parts) - reference.modularity(graph, parts)) < 1e-12


def test_modularity_wants_a_partition() -> None:
    graph = nx.path_graph(["a", "b", "c"])
    with pytest.raises(nx.NetworkXError):
        communities.modularity(graph, [["a", "b"]])


@pytest.mark.parametrize("seed", range(8))
def test_key_players_are_networkx_centralities(seed: int) -> None:
    graph, parts = _weighted(seed)
    rng = np.random.default_rng(seed)
    # Blocks (often disconnected inside), single firms, pairs, a big connected piece, a firm
    # outside the network, and ties without a weight.
    big = max(nx.connected_components(graph), key=len)
    for u, v in list(graph.edges())[::7]:
        del graph[u][v]["weight"]
    groups = [*parts, sorted(big), sorted(big)[:2], [*sorted(big)[:5], "ent:nowhere"]]
    groups += [sorted(rng.choice(sorted(graph), size=min(len(graph), 30), replace=False).tolist())]
    for members in groups:
        for top in (1, 5, 50):
            assert roles.key_players(graph, members, top=top) == reference.key_players(
                graph, members, top=top
            )


@pytest.mark.parametrize("seed", range(6))
def test_isolates_are_left_out_of_the_run_and_added_as_singletons(seed: int) -> None:
    graph, _ = _weighted(seed)
    graph.add_nodes_from(f"ent:lonely{i}" for i in range(seed))
    lonely = [n for n in graph if graph.degree(n) == 0]
    tied = graph.subgraph([n for n in graph if graph.degree(n)]).copy()
    for min_size in (1, 3):
        found = communities.detect_communities(graph, seed=seed, min_size=min_size)
        alone = communities.detect_communities(tied, seed=seed, min_size=min_size)
        singletons = [frozenset([n]) for n in lonely] if min_size == 1 else []
        assert found == sorted(alone + singletons, key=lambda c: (-len(c), min(c)))


def test_the_analysis_leaves_the_collector_as_it_found_it(planted_graph: nx.MultiDiGraph) -> None:
    assert gc.isenabled()
    analyse_clusters(planted_graph)
    assert gc.isenabled()
    gc.disable()
    try:
        analyse_clusters(planted_graph)
        assert not gc.isenabled()
    finally:
        gc.enable()
