"""Entity search by name or alias in Chinese, pinyin or English — ranked the same on both stores.

Stores return candidates whose ``searchText`` contains the query; this module ranks them with
rapidfuzz, so the order cannot depend on which store answered.

A ranked answer is kept (:mod:`graph.cache`, its own LRU) until a write touches a label it
searched: at province scale (×100, 1.37 M nodes) a broad name such as "天津" matches 488 k
nodes and costs Neo4j about a second to gather its candidates, and under 50 readers those
seconds queued past the read bound (503s). Kept, a popular query costs one read of the write
stamps; fifty readers asking it at once share one computation.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from graph.cache import cached
from graph.model import NodeLabel
from graph.records import Node
from graph.search_text import normalize_query
from graph.stamps import inputs_version
from graph.store import GraphStore


def score_name(query: str, node: Node) -> float:
    """0–100: how well ``query`` matches the node's best name form."""
    q = normalize_query(query)
    forms = [node.props.get(k) for k in ("name", "title", "nameEn", "pinyin", "code", "number")]
    forms += list(node.props.get("aliases") or [])
    best = 0.0
    for form in forms:
        if not form:
            continue
        f = normalize_query(str(form))
        if f == q:
            return 100.0
        best = max(best, fuzz.ratio(q, f) * 0.6 + (40.0 if f.startswith(q) else 30.0 if q in f else 0.0))
    return round(best, 4)


def search(
    store: GraphStore, text: str, *, labels: Iterable[NodeLabel] | None = None, limit: int = 20
) -> list[tuple[Node, float]]:
    """The best ``limit`` nodes for ``text`` (all labels, or ``labels``), best first: each with its
    :func:`score_name`, ties by id. The list and its nodes are shared with later callers: read only."""
    query = normalize_query(text)
    if not query:
        return []
    wanted = None if labels is None else tuple(sorted({NodeLabel(label) for label in labels}))

    def rank() -> list[tuple[Node, float]]:
        scored = [(node, score_name(text, node)) for node in store.search_candidates(text, labels=wanted)]
        scored.sort(key=lambda pair: (-pair[1], pair[0].id))
        return scored

    version = inputs_version(store, NodeLabel if wanted is None else wanted, ())
    ranked = cached(store, ("search", query, wanted), rank, version=version, carry=False)
    return ranked[:limit]
