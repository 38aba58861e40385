"""How many nodes per label and relationships per type, kept until the next write.

Neo4j answers each count from its count store, but one statement per label and type is 39 round
trips; under 50 readers at ×100 each round trip also waits for the interpreter lock, and
``/api/v1/stats`` became the slowest request of the load bench (p95 1.69 s, docs/benchmarks/
scale.md). The counts change only with a write, so they are kept per graph version in
:mod:`graph.cache`: one ``version()`` read answers every later call until a write.
"""

from __future__ import annotations

from graph import cache
from graph.records import GraphCounts
from graph.store import GraphStore


def kept_counts(store: GraphStore) -> GraphCounts:
    """``store.counts()`` as of the store's current version. Never carried over to a later
    version: every write (a posted demand too) can change a count."""
    return cache.cached(store, "counts", store.counts, carry=False)
