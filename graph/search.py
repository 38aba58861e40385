"""Entity search by name or alias in Chinese, pinyin or English — ranked the same on both stores.

Stores return candidates whose ``searchText`` contains the query; this module ranks them with
rapidfuzz, so the order cannot depend on which store answered.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from graph.model import NodeLabel
from graph.records import Node
from graph.search_text import normalize_query
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
    if not normalize_query(text):
        return []
    candidates = store.search_candidates(text, labels=labels)
    scored = [(node, score_name(text, node)) for node in candidates]
    scored.sort(key=lambda pair: (-pair[1], pair[0].id))
    return scored[:limit]
