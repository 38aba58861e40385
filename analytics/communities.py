"""Community detection on the firm network: Louvain (igraph's, in C) or Leiden (leidenalg).

Both are registered under a name and called through :func:`detect_communities`, so callers
choose a method with a string and never branch on it. Results are sorted (largest first, then
by smallest member id) so the same graph and seed give the same clusters in the same order.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Collection, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx

from analytics.errors import MissingDependencyError
from analytics.registry import registrar

CommunityMethod = Callable[[nx.Graph, str, float, int], list[set[Any]]]
COMMUNITY_METHODS: dict[str, CommunityMethod] = {}


register_method = registrar(COMMUNITY_METHODS)


# igraph draws its random numbers from one process-wide generator (by default the ``random``
# module, whose state the rest of the program shares): a run swaps in a seeded generator of its
# own and puts the default back, under a lock so two threads' runs never draw from each other's.
_IGRAPH_RNG = threading.Lock()


@contextmanager
def _igraph_seeded(seed: int) -> Iterator[None]:
    """igraph's random numbers drawn from ``random.Random(seed)`` for the duration."""
    import igraph as ig

    with _IGRAPH_RNG:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)  # python-igraph's default


def _numbered(graph: nx.Graph, weight: str) -> tuple[list[Any], Any, list[float]]:
    """The graph's tied nodes as igraph's graph: numbered in sorted-id order, edges sorted, and
    their weights.

    The numbering follows the ids alone, not the order a store returned nodes and ties in (nor
    the per-process string hash), so the same network gives the same run on every store.
    """
    import igraph as ig

    # Isolated nodes are left out: each is a community of its own under any modularity
    # objective, and the run would only shuffle them (detect_communities adds them back).
    ids = sorted((node for node, neighbours in graph.adj.items() if neighbours), key=str)
    index = {node: i for i, node in enumerate(ids)}
    edges = sorted(
        (min(index[u], index[v]), max(index[u], index[v]), float(w))
        for u, v, w in graph.edges(data=weight, default=1.0)
    )
    numbered = ig.Graph(n=len(ids), edges=[(u, v) for u, v, _ in edges])
    return ids, numbered, [w for _, _, w in edges]


@register_method("louvain")
def _louvain(graph: nx.Graph, weight: str, resolution: float, seed: int) -> list[set[Any]]:
    # igraph's Louvain (C): 4 s on the ×100 firm network against networkx's 92 s, with as good a
    # modularity (docs/benchmarks/clusters.md). Its only randomness is the order it visits
    # nodes in, drawn from the seeded generator.
    ids, numbered, weights = _numbered(graph, weight)
    with _igraph_seeded(seed):
        found = numbered.community_multilevel(weights=weights, resolution=resolution)
    return [{ids[i] for i in members} for members in found]


@register_method("leiden")
def _leiden(graph: nx.Graph, weight: str, resolution: float, seed: int) -> list[set[Any]]:
    try:
        import leidenalg
    except ImportError as e:  # pragma: no cover - a dependency of innograph
        raise MissingDependencyError("the 'leiden' method needs leidenalg: pip install leidenalg") from e
    ids, numbered, weights = _numbered(graph, weight)
    numbered.es["weight"] = weights
    partition = leidenalg.find_partition(
        numbered,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        seed=seed,
    )
    return [{ids[i] for i in members} for members in partition]


def detect_communities(
    graph: nx.Graph,
    *,
    method: str = "louvain",
    weight: str = "weight",
    resolution: float = 1.0,
    seed: int = 0,
    min_size: int = 1,
) -> list[frozenset[Hashable]]:
    """Partition ``graph`` into communities of densely tied nodes.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected, weighted (e.g. :func:`analytics.firm_network.firm_network`).
    method : {"louvain", "leiden"}
        Louvain is igraph's ``community_multilevel``; Leiden uses leidenalg's
        RB-configuration (modularity with a resolution) partition. Both run on an igraph copy
        numbered in sorted-id order, so the result does not depend on the store's order.
    resolution : float
        Above 1 favours smaller communities, below 1 larger ones.
    seed : int
        Seeds the randomised node order, so a result repeats exactly (Louvain draws it from a
        ``random.Random(seed)`` of its own: the ``random`` module's state is left alone).
    min_size : int
        Communities smaller than this are dropped (e.g. isolated firms).

    Returns
    -------
    list of frozenset
        Largest first; ties broken by the smallest member.

    Examples
    --------
    >>> g = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> [sorted(c) for c in detect_communities(g, seed=1)]
    [[0, 1, 2, 3], [4, 5, 6]]

    References
    ----------
    Blondel et al. (2008), "Fast unfolding of communities in large networks", J. Stat. Mech. P10008.
    Traag, Waltman & van Eck (2019), "From Louvain to Leiden: guaranteeing well-connected
    communities", *Scientific Reports* 9: 5233.
    """
    try:
        run = COMMUNITY_METHODS[method]
    except KeyError:
        raise ValueError(f"unknown community method {method!r}; one of {sorted(COMMUNITY_METHODS)}") from None
    if graph.number_of_nodes() == 0:
        return []
    # An isolated node is its own community under any modularity objective; leaving isolates
    # out of the run changes no result and saves most of the time on sparse firm networks
    # (two thirds of the demo's firms have no tie: firms without patents or partners).
    isolates = [n for n, neighbours in graph.adj.items() if not neighbours]  # degree 0
    # The methods number only the tied nodes (``_numbered``), so the graph goes to them as it is:
    # no copy without the isolates (a copy of every tie, 5 % of the analysis at ×10).
    found = (
        [frozenset(c) for c in run(graph, weight, resolution, seed) if len(c) >= min_size]
        if len(isolates) < len(graph)
        else []
    )
    found += [frozenset([n]) for n in isolates if min_size <= 1]
    return sorted(found, key=lambda c: (-len(c), min(str(n) for n in c)))


def modularity(
    graph: nx.Graph, communities: Collection[Collection[Hashable]], *, weight: str = "weight"
) -> float:
    """Newman's weighted modularity of a partition of ``graph``'s nodes (resolution 1).

    The figure ``networkx.community.modularity`` gives (equal to 1e-12: only the order of the
    summation differs), computed by igraph's C code: networkx sums each community's internal
    weight in Python, one edge view per community, and with every untied firm a community of
    its own that was 11 s at ×100. An edge without ``weight`` counts 1, as in networkx.

    >>> g = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    >>> round(modularity(g, [{0, 1, 2}, {3, 4, 5}]), 6)
    0.5

    References
    ----------
    Newman (2004), "Analysis of weighted networks", *Phys. Rev. E* 70: 056131.
    """
    import igraph as ig

    index = {node: i for i, node in enumerate(graph)}
    membership = [0] * len(index)
    covered = 0
    for c, members in enumerate(communities):
        for node in members:
            membership[index[node]] = c
        covered += len(members)
    if covered != len(index):
        raise nx.NetworkXError("the communities are not a partition of the graph's nodes")
    edges, weights = [], []
    for u, v, w in graph.edges(data=weight, default=1):
        edges.append((index[u], index[v]))
        weights.append(float(w))
    numbered = ig.Graph(n=len(index), edges=edges)
    return float(numbered.modularity(membership, weights=weights, resolution=1.0, directed=False))
