"""The firm–firm network that clusters are found in.

Two firms are tied when they work on the same technology (IPC main groups of their patents),
share partners (universities, institutes or firms they co-applied with or took a technology
transfer from), sit in the same alliance or joint project, co-applied for patents, or are
located in the same park. Each shared context is weighted by how rare it is (tf–idf), so a
park with three hundred firms ties them less than a niche IPC group shared by four.

Each channel gives a cosine similarity between firms; the tie weight is the weighted sum
``Σ w_c · cos_c``, kept for each firm's ``top_k`` strongest ties (a k-nearest-neighbour graph,
as in Porter's cluster mapping practice of linking industries by their co-location and input
links; here at firm level). Co-applications are direct ties and always kept. Co-location only
strengthens ties that exist on another channel: sharing a park alone says little about what
firms do, and a park-wide clique would drown the technology signal.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

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
from graph.model import NodeLabel, RelType

CHANNELS = ("technology", "partners", "alliances", "co_applications", "co_location")


@dataclass(frozen=True)
class TieWeights:
    """How much each kind of shared context counts towards a firm–firm tie."""

    technology: float = 1.0
    partners: float = 0.6
    alliances: float = 0.6
    co_applications: float = 1.0
    co_location: float = 0.25


def _context_counts(
    graph: nx.MultiDiGraph, firms: list[str], patents: Mapping[str, list[str]]
) -> tuple[dict[str, dict[str, Counter[str]]], dict[str, list[str]]]:
    """For each channel, each firm's contexts and how often it has them; and each of the firms'
    patents' applicants (read once per patent, not once per co-applicant)."""
    tech: dict[str, Counter[str]] = defaultdict(Counter)
    partners: dict[str, Counter[str]] = defaultdict(Counter)
    alliances: dict[str, Counter[str]] = defaultdict(Counter)
    groups_of: dict[str, set[str]] = {}
    applicants_of: dict[str, list[str]] = {}
    for firm in firms:
        for patent in patents[firm]:
            groups = groups_of.get(patent)
            if groups is None:
                groups = groups_of[patent] = {
                    ipc_main_group(code) for code in patent_ipc_codes(graph, patent)
                }
                applicants_of[patent] = patent_applicants(graph, patent)
            for group in groups:
                tech[firm][group] += 1
            for other in applicants_of[patent]:
                if other != firm and graph.nodes[other].get("label") != NodeLabel.PERSON:
                    partners[firm][other] += 1
        for source in in_sources(graph, firm, RelType.TRANSFERRED_TO):
            if source != firm:
                partners[firm][source] += 1
        for alliance in out_targets(graph, firm, RelType.MEMBER_OF):
            alliances[firm][alliance] += 1
        for project in out_targets(graph, firm, RelType.UNDERTOOK):
            alliances[firm][project] += 1
    return {"technology": tech, "partners": partners, "alliances": alliances}, applicants_of


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
) -> tuple[np.ndarray, np.ndarray]:
    """The ``top_k`` most similar firms of each firm (similarity ≥ ``min_weight``), as i < j pairs
    sorted by (i, j): two arrays of row indices.

    Ranked per row by similarity, ties broken by the column (firm order) so results repeat
    exactly — with array operations over each block of rows: a Python loop per firm took seconds
    at ×10 and grew with the firms.
    """
    found_i, found_j = [], []
    transposed = features.T.tocsr()
    for start in range(0, features.shape[0], chunk):
        block = (features[start : start + chunk] @ transposed).tocsr()
        rows = np.repeat(np.arange(start, start + block.shape[0]), np.diff(block.indptr))
        cols, vals = block.indices, block.data
        keep = (cols != rows) & (vals >= min_weight)
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        # Only entries at or above their row's k-th largest similarity can rank in its top k:
        # sorting just those (k per row, more on ties) instead of every similarity of the block
        # was 51 of the 64 s this took at ×100 (docs/benchmarks/clusters.md).
        survive = vals >= _kth_largest(rows - start, vals, block.shape[0], top_k)[rows - start]
        rows, cols, vals = rows[survive], cols[survive], vals[survive]
        order = np.lexsort((cols, -vals, rows))  # by row, then strongest first, then firm order
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


def _kth_largest(rows: np.ndarray, vals: np.ndarray, n_rows: int, k: int) -> np.ndarray:
    """Each row's ``k``-th largest value (``-inf`` for a row with ``k`` values or fewer).

    ``rows``: each value's row, 0-based and non-decreasing (a CSR block's order). Rows with more
    than ``k`` values are padded with ``-inf`` to the next power of two and partitioned a bucket
    of equal width at a time (``np.partition`` along each row: linear, not a sort); padding at
    most doubles the bucket, and there are at most ~log2(columns) buckets.
    """
    counts = np.bincount(rows, minlength=n_rows)
    out = np.full(n_rows, -np.inf)
    heavy = counts > k
    if k < 1 or not heavy.any():
        return out
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    width = np.zeros(n_rows, dtype=np.int64)
    width[heavy] = 1 << np.ceil(np.log2(counts[heavy])).astype(np.int64)
    for w in np.unique(width[heavy]).tolist():
        members = np.flatnonzero(width == w)
        lengths = counts[members]
        # Each row's values are contiguous from ``first``: copied, row by row, to the start of
        # the row's slot of ``w`` in a flat array (flat indices: faster than a 2-D scatter).
        before = np.cumsum(lengths) - lengths
        step = np.arange(int(before[-1] + lengths[-1]))
        padded = np.full(len(members) * w, -np.inf)
        padded[np.repeat(np.arange(len(members)) * w - before, lengths) + step] = vals[
            np.repeat(first[members] - before, lengths) + step
        ]
        out[members] = np.partition(padded.reshape(len(members), w), w - k, axis=1)[:, w - k]
    return out


def firm_network(
    graph: nx.MultiDiGraph,
    *,
    weights: TieWeights | None = None,
    top_k: int = 15,
    min_weight: float = 0.05,
    patents: Mapping[str, list[str]] | None = None,
    places: Mapping[str, list[str]] | None = None,
) -> nx.Graph:
    """The weighted firm–firm network of a graph projection.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection from ``GraphStore.projection`` holding Enterprise nodes and, for the ties,
        their patents (APPLIED_FOR, CLASSIFIED_AS / ``ipcCodes``), partners (TRANSFERRED_TO),
        alliances and projects (MEMBER_OF, UNDERTOOK) and parks (LOCATED_IN, INCUBATED_BY).
    weights : TieWeights, optional
        How much each channel counts.
    top_k, min_weight
        Each firm keeps its ``top_k`` strongest similarity ties with weight ≥ ``min_weight``.
    patents, places : mapping, optional
        Each firm's patents (``portfolio.firm_patents``) and places (``portfolio.firm_parks``)
        when the caller has read them already (the cluster analysis needs them too).

    Returns
    -------
    networkx.Graph
        Every firm is a node (isolated firms too). Edges carry ``weight`` and one attribute per
        channel (its contribution to the weight).

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.model import NodeLabel, RelType
    >>> g = nx.MultiDiGraph()
    >>> for n, label in [("ent:a", NodeLabel.ENTERPRISE), ("ent:b", NodeLabel.ENTERPRISE),
    ...                  ("patent:1", NodeLabel.PATENT)]:
    ...     g.add_node(n, label=label)
    >>> _ = g.add_edges_from([("ent:a", "patent:1", RelType.APPLIED_FOR),
    ...                       ("ent:b", "patent:1", RelType.APPLIED_FOR)])
    >>> firm_network(g)["ent:a"]["ent:b"]["weight"]  # one co-application
    1.0

    References
    ----------
    Delgado, Porter & Stern (2016), "Defining clusters of related industries",
    *Journal of Economic Geography* 16(1): 1–38 (similarity of co-location and input–output links).
    """
    w = weights or TieWeights()
    firms = nodes_with_label(graph, NodeLabel.ENTERPRISE)
    index = {firm: i for i, firm in enumerate(firms)}
    network = nx.Graph()
    network.add_nodes_from(firms)
    if not firms:
        return network
    counts, applicants_of = _context_counts(
        graph, firms, patents if patents is not None else firm_patents(graph, firms)
    )
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
    rows = cols = np.empty(0, dtype=np.int64)
    if blocks:
        rows, cols = _top_k_pairs(sparse.hstack(blocks).tocsr(), top_k=top_k, min_weight=min_weight)
    edges: dict[tuple[str, str], dict[str, float]] = {}
    shares = (
        {
            channel: np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel() * getattr(w, channel)
            for channel, matrix in channel_blocks
        }
        if len(rows)
        else {}
    )
    # Python floats once per channel, not a numpy scalar per tie and channel (the same values).
    share_lists = [(channel, values.tolist()) for channel, values in shares.items()]
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        edges[(firms[i], firms[j])] = {
            channel: round(values[k], 12) for channel, values in share_lists if values[k] > 0
        }
    # Co-applications: direct ties, one patent gives w, each doubling of patents another w.
    co_patents: Counter[tuple[str, str]] = Counter()
    for patent_applicants_ in applicants_of.values():  # a patent two firms applied for is a firm's
        applicants = [a for a in patent_applicants_ if a in index]
        for x in range(len(applicants)):
            for y in range(x + 1, len(applicants)):
                co_patents[(applicants[x], applicants[y])] += 1
    if w.co_applications > 0:
        for pair, n in co_patents.items():
            edges.setdefault(pair, {})["co_applications"] = w.co_applications * (1.0 + math.log2(n))
    places = places if places is not None else firm_parks(graph, firms)
    if w.co_location > 0:
        located = {firm: set(where) for firm, where in places.items() if where}  # once per firm
        for (a, b), parts in edges.items():
            if a in located and b in located and not located[a].isdisjoint(located[b]):
                parts["co_location"] = w.co_location
    for (a, b), parts in sorted(edges.items()):
        if parts:
            network.add_edge(a, b, weight=round(sum(parts.values()), 12), **parts)
    return network
