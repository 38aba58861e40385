"""The match index's own copy of the graph's relationships: typed adjacency, both ways.

The index used to keep the whole networkx projection it was built from, only to walk evidence
paths (``has_edge``) and a few offline benchmarks. At ×1 that projection was 36 of the index's
60 MiB — its adjacency alone 20 MiB against 2.4 MiB for these two dictionaries
(docs/benchmarks/matchmaking.md). This module keeps what the index reads of the relationships:
the ends of each node's relationships of each type, sorted by id, and nothing else (no
relationship properties; matchmaking reads none after the build).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator

from graph.model import RelType

_NONE: list[str] = []


class Adjacency:
    """``(node, type) → sorted ends`` outgoing and incoming. Never mutated after it is built."""

    __slots__ = ("_in", "_out")

    def __init__(self, edges: Iterable[tuple[str, str, RelType]]) -> None:
        out: dict[tuple[str, RelType], list[str]] = defaultdict(list)
        into: dict[tuple[str, RelType], list[str]] = defaultdict(list)
        for u, v, k in edges:
            out[(u, k)].append(v)
            into[(v, k)].append(u)
        self._out = {key: sorted(ids) for key, ids in out.items()}
        self._in = {key: sorted(ids) for key, ids in into.items()}

    def out(self, node_id: str, rel: RelType) -> list[str]:
        """Ends of ``node_id``'s outgoing ``rel`` relationships, by id (do not mutate)."""
        return self._out.get((node_id, rel), _NONE)

    def into(self, node_id: str, rel: RelType) -> list[str]:
        """Starts of the ``rel`` relationships pointing at ``node_id``, by id (do not mutate)."""
        return self._in.get((node_id, rel), _NONE)

    def has_edge(self, u: str, v: str, key: RelType) -> bool:
        """Whether a ``key`` relationship goes from ``u`` to ``v`` (networkx's ``has_edge``
        signature, so evidence paths walk either). Bisection: a region's incoming list can
        hold every firm of a province."""
        ends = self._out.get((u, key))
        if not ends:
            return False
        i = bisect_left(ends, v)
        return i < len(ends) and ends[i] == v

    def edges(self) -> Iterator[tuple[str, str, RelType]]:
        """Every relationship once, as ``(start, end, type)``."""
        for (u, k), ends in self._out.items():
            for v in ends:
                yield u, v, k

    def __len__(self) -> int:
        return sum(len(ends) for ends in self._out.values())
