"""Who holds a cluster together, who links it to others, who it learns from, what it lacks.

- key players: eigenvector and degree centrality inside the cluster;
- brokers: betweenness centrality on the whole firm network (firms on many shortest paths,
  typically between clusters);
- knowledge ties: universities and institutes tied to the cluster's firms;
- gaps: the cluster's core IPC areas where no local university or institute holds patents or
  experts; isolated firms: firms of the cluster's industry with no tie to any of its members.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from analytics.portfolio import (
    in_sources,
    ipc_subclass,
    label_of,
    out_targets,
    patent_applicants,
    patent_ipc_codes,
)
from graph.model import NodeLabel, RelType
from graph.regions import in_any, is_region_code

KNOWLEDGE_LABELS = frozenset({NodeLabel.UNIVERSITY, NodeLabel.RESEARCH_INSTITUTE})
#: Above this many firms, betweenness is estimated from this many sampled sources.
EXACT_BETWEENNESS_LIMIT = 2000


@dataclass(frozen=True)
class Centrality:
    firm: str
    degree: float
    eigenvector: float


def key_players(
    network: nx.Graph, members: Collection[str], *, top: int = 5, weight: str = "weight"
) -> list[Centrality]:
    """The cluster's most central firms: weighted eigenvector centrality in the cluster's own
    subgraph (ties broken by degree centrality, then id).

    >>> g = nx.star_graph(3)
    >>> key_players(g, [0, 1, 2, 3], top=1)[0].firm
    0

    References
    ----------
    Bonacich (1987), "Power and centrality: a family of measures", *AJS* 92(5): 1170–1182.
    """
    import numpy as np
    import scipy as sp

    # networkx's eigenvector_centrality_numpy and degree_centrality on the cluster's subgraph,
    # with the same matrix built from the network's adjacency: networkx walked a filtered view
    # of the whole network three times (connectivity, degrees, the matrix) — a tenth of the
    # analysis at ×10. Rows follow networkx's order of the subgraph's nodes and the matrix is
    # canonical (sorted, as scipy leaves it), so ARPACK gets the same input and gives the same
    # figures (tests/analytics/test_fast_clusters.py).
    order = list(network.subgraph(members))
    n = len(order)
    if n == 0:
        return []
    index = {node: i for i, node in enumerate(order)}
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    for i, node in enumerate(order):
        for other, attrs in network.adj[node].items():
            j = index.get(other)
            if j is not None:
                rows.append(i)
                cols.append(j)
                data.append(attrs.get(weight, 1))
    scale = 1.0 / (n - 1.0) if n > 1 else 0.0
    degrees = np.bincount(np.asarray(rows, dtype=np.int64), minlength=n).tolist()
    degree = {node: d * scale for node, d in zip(order, degrees, strict=True)}
    eigen = dict.fromkeys(order, 0.0)
    if data:
        matrix = sp.sparse.coo_array((data, (rows, cols)), shape=(n, n), dtype=float).asformat("csr")
        # networkx refuses a disconnected subgraph (its eigenvector is not unique): zeros, as before.
        if sp.sparse.csgraph.connected_components(matrix, directed=False, return_labels=False) == 1:
            try:
                _, vector = sp.sparse.linalg.eigs(matrix.T, k=1, which="LR", maxiter=50, tol=0)
            except (ValueError, TypeError):
                pass  # tiny subgraphs where the eigenproblem is degenerate (k ≥ n − 1)
            else:
                largest = vector.flatten().real
                norm = np.sign(largest.sum()) * sp.linalg.norm(largest)
                eigen = dict(zip(order, (largest / norm).tolist(), strict=True))
    ranked = sorted(order, key=lambda node: (-round(abs(eigen[node]), 9), -degree[node], str(node)))
    return [Centrality(node, round(degree[node], 6), round(abs(eigen[node]), 6)) for node in ranked[:top]]


def betweenness(network: nx.Graph, *, seed: int = 0) -> dict[str, float]:
    """Betweenness centrality of every firm (hop distances; sampled above 2,000 firms).

    The same figures as ``networkx.betweenness_centrality(network, k=..., seed=seed)`` (the same
    sampled sources, drawn the way networkx draws them), computed by igraph's C code: networkx's
    Python breadth-first searches were most of a cluster analysis (17 of 28 s at ×1, growing with
    firms × sources). Rounded to 12 decimals so the summation order of either library cannot
    reorder equal brokers.

    >>> g = nx.path_graph(3)
    >>> betweenness(g)[1]
    1.0

    References
    ----------
    Brandes (2001), "A faster algorithm for betweenness centrality", *J. Math. Sociol.* 25(2).
    Brandes & Pich (2007), "Centrality estimation in large networks" (sampled sources).
    Burt (1992), *Structural Holes* (brokers bridge otherwise unconnected groups).
    """
    import igraph as ig

    nodes = list(network)
    n = len(nodes)
    if n < 3:  # no pair of other nodes for a node to lie between
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    graph = ig.Graph(n=n, edges=[(index[u], index[v]) for u, v in network.edges()])
    k = None if n <= EXACT_BETWEENNESS_LIMIT else EXACT_BETWEENNESS_LIMIT // 4
    if k is None:
        # igraph counts each unordered pair once, networkx each ordered pair: hence the 2.
        raw = graph.betweenness(directed=False)
        scale = 2.0 / ((n - 1) * (n - 2))
        return {node: round(raw[i] * scale, 12) for i, node in enumerate(nodes)}
    # networkx's sampling (``py_random_state``: ``random.Random(seed).sample(list(G), k)``) and
    # its rescaling of sampled sums: a source cannot lie between itself and a target.
    sources = random.Random(seed).sample(nodes, k)
    raw = graph.betweenness(directed=False, sources=[index[s] for s in sources])
    sampled = {index[s] for s in sources}
    on_source, off_source = 2.0 / ((k - 1) * (n - 2)), 2.0 / (k * (n - 2))
    return {
        node: round(raw[i] * (on_source if i in sampled else off_source), 12) for i, node in enumerate(nodes)
    }


def brokers(scores: Mapping[str, float], members: Iterable[str], *, top: int = 5) -> list[tuple[str, float]]:
    """The members with the highest (non-zero) betweenness."""
    ranked = sorted(((m, scores.get(m, 0.0)) for m in members), key=lambda item: (-item[1], item[0]))
    return [(m, round(s, 6)) for m, s in ranked[:top] if s > 0]


def knowledge_ties(graph: nx.MultiDiGraph, members: Iterable[str]) -> Counter[str]:
    """Universities and institutes tied to the members → number of ties: co-applied patents,
    technology transfers, shared alliances and joint projects."""
    ties: Counter[str] = Counter()
    in_group: dict[tuple[str, RelType], list[str]] = {}
    for firm in members:
        for patent in out_targets(graph, firm, RelType.APPLIED_FOR):
            for other in patent_applicants(graph, patent):
                if label_of(graph, other) in KNOWLEDGE_LABELS:
                    ties[other] += 1
        for source in in_sources(graph, firm, RelType.TRANSFERRED_TO):
            if label_of(graph, source) in KNOWLEDGE_LABELS:
                ties[source] += 1
        for rel in (RelType.MEMBER_OF, RelType.UNDERTOOK):
            for group in out_targets(graph, firm, rel):
                # An alliance's knowledge members, once per alliance: walking all its members
                # again for each member firm grew with the square of the alliance's size.
                knowing = in_group.get((group, rel))
                if knowing is None:
                    knowing = in_group[(group, rel)] = [
                        o for o in in_sources(graph, group, rel) if label_of(graph, o) in KNOWLEDGE_LABELS
                    ]
                ties.update(knowing)
    return ties


def core_ipc_areas(
    graph: nx.MultiDiGraph, patents: Iterable[str], *, min_share: float = 0.1, top: int = 5
) -> list[tuple[str, float]]:
    """The IPC subclasses holding at least ``min_share`` of a cluster's patents (at most ``top``)."""
    counts: Counter[str] = Counter()
    total = 0
    for patent in patents:
        total += 1
        for sub in {ipc_subclass(code) for code in patent_ipc_codes(graph, patent)}:
            counts[sub] += 1
    if total == 0:
        return []
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(code, round(n / total, 6)) for code, n in ranked[:top] if n / total >= min_share]


def is_local(attrs: Mapping[str, object], *, prefixes: Collection[str], cities: Collection[str]) -> bool:
    """Whether a university or institute is local: its regionCode or city matches the plan's
    local area; one carrying neither is assumed local (the graph holds the district's partners)."""
    region = str(attrs.get("regionCode") or "")
    city = str(attrs.get("city") or "")
    if not region and not city:
        return True
    # The plan's codes are regions of the hierarchy (graph/regions.py): "1201" holds a university
    # placed at 120000 (天津市, a municipality) as well as the 1201xx districts.
    in_area = any(in_any(region, (p,)) if is_region_code(p) else region.startswith(p) for p in prefixes)
    return in_area or any(c and c in city for c in cities)


def local_knowledge_areas(
    graph: nx.MultiDiGraph, *, prefixes: Collection[str], cities: Collection[str]
) -> dict[str, set[str]]:
    """IPC subclass → local universities and institutes holding patents or experts in it."""
    areas: dict[str, set[str]] = {}
    for org, attrs in graph.nodes(data=True):
        if attrs.get("label") not in KNOWLEDGE_LABELS or not is_local(
            attrs, prefixes=prefixes, cities=cities
        ):
            continue
        codes: set[str] = set()
        for patent in out_targets(graph, org, RelType.APPLIED_FOR):
            codes.update(ipc_subclass(c) for c in patent_ipc_codes(graph, patent))
        for person in in_sources(graph, org, RelType.AFFILIATED_WITH):
            person_attrs = graph.nodes[person]
            codes.update(ipc_subclass(str(c)) for c in person_attrs.get("ipcCodes") or [])
            for ipc in out_targets(graph, person, RelType.CLASSIFIED_AS):
                code = graph.nodes[ipc].get("code")
                if code:
                    codes.add(ipc_subclass(str(code)))
        for code in codes:
            areas.setdefault(code, set()).add(org)
    return areas


def isolated_firms(network: nx.Graph, members: Collection[str], same_industry: Iterable[str]) -> list[str]:
    """Firms of the cluster's industry outside it with no tie to any of its members.

    >>> g = nx.Graph([("a", "b"), ("c", "d")]); g.add_node("e")
    >>> isolated_firms(g, {"a", "b"}, ["c", "e", "a"])
    ['c', 'e']
    """
    inside = set(members)
    lonely = []
    for firm in same_industry:
        if firm in inside or firm not in network:
            continue
        if not any(n in inside for n in network.neighbors(firm)):
            lonely.append(firm)
    return sorted(lonely)
