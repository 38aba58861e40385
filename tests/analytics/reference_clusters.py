"""The cluster analysis's steps as they were before they were made fast (issue #14), kept as the
reference the fast ones must agree with exactly: same network, same figures. The partition is
the exception: networkx's Louvain (:func:`louvain`) gave way to igraph's, which finds another,
as good one (docs/benchmarks/clusters.md), so it is kept here as the quality baseline only.

Slow on purpose (Python loops, networkx breadth-first searches): only the tests call them.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Mapping
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from analytics.firm_network import TieWeights
from analytics.portfolio import (
    firm_parks,
    firm_patents,
    in_sources,
    ipc_main_group,
    nodes_with_label,
    out_targets,
    patent_applicants,
    patent_ipc_codes,
)
from analytics.roles import EXACT_BETWEENNESS_LIMIT, Centrality
from graph.model import NodeLabel, RelType


def betweenness(network: nx.Graph, *, seed: int = 0) -> dict[str, float]:
    """networkx's betweenness centrality (sampled sources above 2,000 firms), as before."""
    n = network.number_of_nodes()
    k = None if n <= EXACT_BETWEENNESS_LIMIT else EXACT_BETWEENNESS_LIMIT // 4
    result: dict[str, float] = nx.betweenness_centrality(network, k=k, seed=seed)
    return result


def key_players(
    network: nx.Graph, members: Collection[str], *, top: int = 5, weight: str = "weight"
) -> list[Centrality]:
    """``analytics.roles.key_players`` as it was: networkx's centralities on a subgraph view."""
    sub = network.subgraph(members)
    if sub.number_of_nodes() == 0:
        return []
    degree = nx.degree_centrality(sub) if sub.number_of_nodes() > 1 else dict.fromkeys(sub, 0.0)
    if sub.number_of_edges() == 0:
        eigen = dict.fromkeys(sub, 0.0)
    else:
        try:
            eigen = nx.eigenvector_centrality_numpy(sub, weight=weight)
        except (nx.NetworkXException, ValueError, TypeError):
            eigen = dict.fromkeys(sub, 0.0)
    ranked = sorted(sub, key=lambda n: (-round(abs(eigen[n]), 9), -degree[n], str(n)))
    return [Centrality(n, round(degree[n], 6), round(abs(eigen[n]), 6)) for n in ranked[:top]]


def modularity(
    graph: nx.Graph, communities: Collection[Collection[Hashable]], *, weight: str = "weight"
) -> float:
    """networkx's modularity, as ``analyse_clusters`` computed it before."""
    return float(nx.community.modularity(graph, [set(c) for c in communities], weight=weight))


def louvain(graph: nx.Graph, weight: str, resolution: float, seed: int) -> list[set[Any]]:
    """networkx's Louvain, as ``analytics.communities`` ran it until igraph's replaced it (issue
    #14; ``bench.community_methods``): no longer a partition the analysis must reproduce, but the
    quality the new one is held to."""
    ids = sorted(graph.nodes, key=str)
    index = {node: i for i, node in enumerate(ids)}
    numbered = nx.Graph()
    numbered.add_nodes_from(range(len(ids)))
    numbered.add_weighted_edges_from(
        sorted(
            (min(index[u], index[v]), max(index[u], index[v]), w)
            for u, v, w in graph.edges(data=weight, default=1)
        ),
        weight=weight,
    )
    found = nx.community.louvain_communities(numbered, weight=weight, resolution=resolution, seed=seed)
    return [{ids[i] for i in part} for part in found]


def sorted_top_k_pairs(
    features: sparse.csr_matrix, *, top_k: int, min_weight: float, chunk: int = 2000
) -> tuple[np.ndarray, np.ndarray]:
    """``analytics.firm_network._top_k_pairs`` before the k-th-largest cut: every similarity of
    a block sorted (by row, strongest first, then column)."""
    found_i, found_j = [], []
    transposed = features.T.tocsr()
    for start in range(0, features.shape[0], chunk):
        block = (features[start : start + chunk] @ transposed).tocsr()
        rows = np.repeat(np.arange(start, start + block.shape[0]), np.diff(block.indptr))
        cols, vals = block.indices, block.data
        keep = (cols != rows) & (vals >= min_weight)
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        order = np.lexsort((cols, -vals, rows))
        rows, cols = rows[order], cols[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
        best = rank < top_k
        rows, cols = rows[best], cols[best]
        found_i.append(np.minimum(rows, cols))
        found_j.append(np.maximum(rows, cols))
    n = features.shape[0]
    keys = np.unique(
        np.concatenate(found_i or [np.empty(0, np.int64)]).astype(np.int64) * n
        + np.concatenate(found_j or [np.empty(0, np.int64)]).astype(np.int64)
    )
    return keys // n, keys % n


def _context_counts(graph: nx.MultiDiGraph, firms: list[str]) -> dict[str, dict[str, Counter[str]]]:
    """For each channel, each firm's contexts and how often it has them."""
    patents = firm_patents(graph, firms)
    tech: dict[str, Counter[str]] = defaultdict(Counter)
    partners: dict[str, Counter[str]] = defaultdict(Counter)
    alliances: dict[str, Counter[str]] = defaultdict(Counter)
    for firm in firms:
        for patent in patents[firm]:
            for group in {ipc_main_group(code) for code in patent_ipc_codes(graph, patent)}:
                tech[firm][group] += 1
            for other in patent_applicants(graph, patent):
                if other != firm and graph.nodes[other].get("label") != NodeLabel.PERSON:
                    partners[firm][other] += 1
        for source in in_sources(graph, firm, RelType.TRANSFERRED_TO):
            if source != firm:
                partners[firm][source] += 1
        for alliance in out_targets(graph, firm, RelType.MEMBER_OF):
            alliances[firm][alliance] += 1
        for project in out_targets(graph, firm, RelType.UNDERTOOK):
            alliances[firm][project] += 1
    return {"technology": tech, "partners": partners, "alliances": alliances}


def _channel_matrix(counts: Mapping[str, Counter[str]], index: Mapping[str, int]) -> sparse.csr_matrix:
    """Rows: firms; columns: contexts; values: (1 + log tf) · idf, rows L2-normalised."""
    contexts = sorted({c for firm_counts in counts.values() for c in firm_counts})
    col = {c: j for j, c in enumerate(contexts)}
    df = Counter(c for firm_counts in counts.values() for c in firm_counts)
    n = max(len(index), 1)
    rows, cols, vals = [], [], []
    for firm, firm_counts in counts.items():
        for context, tf in firm_counts.items():
            # A context held by a single firm links nobody; skipping it keeps the matrix small.
            if df[context] < 2:
                continue
            rows.append(index[firm])
            cols.append(col[context])
            vals.append((1.0 + math.log(tf)) * math.log(1.0 + n / df[context]))
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(index), len(contexts)), dtype=np.float64)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _top_k_pairs(
    features: sparse.csr_matrix, *, top_k: int, min_weight: float, chunk: int = 2000
) -> dict[tuple[int, int], float]:
    """The ``top_k`` most similar firms of each firm (similarity ≥ ``min_weight``), as i < j pairs."""
    pairs: dict[tuple[int, int], float] = {}
    transposed = features.T.tocsr()
    for start in range(0, features.shape[0], chunk):
        block = (features[start : start + chunk] @ transposed).tocsr()
        for offset in range(block.shape[0]):
            i = start + offset
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            cols, vals = block.indices[lo:hi], block.data[lo:hi]
            keep = (cols != i) & (vals >= min_weight)
            cols, vals = cols[keep], vals[keep]
            if len(vals) > top_k:
                # Stable tie-break on the column (firm order) so results repeat exactly.
                order = np.lexsort((cols, -vals))[:top_k]
                cols, vals = cols[order], vals[order]
            for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
                key = (i, j) if i < j else (j, i)
                pairs[key] = max(pairs.get(key, 0.0), round(float(v), 12))
    return pairs


def firm_network(
    graph: nx.MultiDiGraph,
    *,
    weights: TieWeights | None = None,
    top_k: int = 15,
    min_weight: float = 0.05,
) -> nx.Graph:
    """``analytics.firm_network.firm_network`` as it was: Python loops per firm and per pair."""
    w = weights or TieWeights()
    firms = nodes_with_label(graph, NodeLabel.ENTERPRISE)
    index = {firm: i for i, firm in enumerate(firms)}
    network = nx.Graph()
    network.add_nodes_from(firms)
    if not firms:
        return network
    counts = _context_counts(graph, firms)
    blocks, channel_blocks = [], []
    for channel, factor in (
        ("technology", w.technology),
        ("partners", w.partners),
        ("alliances", w.alliances),
    ):
        matrix = _channel_matrix(counts[channel], index)
        channel_blocks.append((channel, matrix))
        if factor > 0 and matrix.shape[1]:
            blocks.append(matrix * math.sqrt(factor))
    pairs: dict[tuple[int, int], float] = {}
    if blocks:
        pairs = _top_k_pairs(sparse.hstack(blocks).tocsr(), top_k=top_k, min_weight=min_weight)
    edges: dict[tuple[str, str], dict[str, float]] = {}
    ordered = sorted(pairs)
    rows = np.array([i for i, _ in ordered], dtype=np.int64)
    cols = np.array([j for _, j in ordered], dtype=np.int64)
    shares = (
        {
            channel: np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel() * getattr(w, channel)
            for channel, matrix in channel_blocks
        }
        if ordered
        else {}
    )
    for k, (i, j) in enumerate(ordered):
        edges[(firms[i], firms[j])] = {
            channel: round(float(values[k]), 12) for channel, values in shares.items() if values[k] > 0
        }
    # Co-applications: direct ties, one patent gives w, each doubling of patents another w.
    co_patents: Counter[tuple[str, str]] = Counter()
    for patent in nodes_with_label(graph, NodeLabel.PATENT):
        applicants = [a for a in patent_applicants(graph, patent) if a in index]
        for x in range(len(applicants)):
            for y in range(x + 1, len(applicants)):
                co_patents[(applicants[x], applicants[y])] += 1
    if w.co_applications > 0:
        for pair, n in co_patents.items():
            edges.setdefault(pair, {})["co_applications"] = w.co_applications * (1.0 + math.log2(n))
    places = firm_parks(graph, firms)
    if w.co_location > 0:
        for (a, b), parts in edges.items():
            if set(places[a]) & set(places[b]):
                parts["co_location"] = w.co_location
    for (a, b), parts in sorted(edges.items()):
        if parts:
            network.add_edge(a, b, weight=round(sum(parts.values()), 12), **parts)
    return network
