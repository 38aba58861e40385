"""The few node properties the match index reads after it is built, kept compactly.

The build reads many properties once (texts, IPC and industry codes, addresses, years) and turns
them into its own structures. After that, queries read only names (what a path or a response
says), codes (IPC and industry mentions), a patent's numbers (one family per invention), the
gazetteer's phrases (built on first use) and a demand's texts, mode, status and date (profiled
per query, filtered and sorted by ``/api/v1/demands``). Everything else — provenance lists
(``sources``, ``records``, ``ingestRuns``), ``searchText``, the works' abstracts, financial
figures — is left in the store (the projection's properties and adjacency were 36 of the index's
60 MiB at ×1, docs/benchmarks/matchmaking.md): responses read the nodes they show from there
(:func:`match.cache.stored_nodes`).

Each node's kept properties are one flat tuple ``(key, value, key, value, …)`` with interned
keys: 40 bytes plus 16 per property, against ~200 for a small dict.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any, Final

from graph.model import NodeLabel

L = NodeLabel

#: Read after the build on any node: ``MatchIndex.name`` (name, title, code), the gazetteer
#: (name, nameEn, aliases), IPC and industry mentions (code), patent families (numbers).
KEPT: Final = frozenset({"name", "title", "code", "nameEn", "aliases", "applicationNumber", "number"})
#: More for some labels: an industry's keywords are gazetteer phrases; a demand is profiled per
#: query (its texts and mode) and listed by status and date.
KEPT_BY_LABEL: Final[Mapping[NodeLabel, frozenset[str]]] = {
    L.INDUSTRY: KEPT | {"keywords"},
    L.TECH_DEMAND: KEPT | {"description", "abstract", "keywords", "mode", "status", "postedDate"},
}
#: Every property the build reads, on any label (the kept ones among them): a projection for
#: the index needs no other (``store.projection(properties=...)``; the index is the same, see
#: tests/match/test_slim_index.py and ``bench.index_answers --read-only``).
BUILD_READS: Final = frozenset(
    {
        *KEPT,
        *KEPT_BY_LABEL[L.TECH_DEMAND],
        "keywords",
        "expertise",
        "field",
        "ipcCodes",
        "industryCodes",
        "industryCode",
        "techSme",
        "regionCode",
        "city",
        "applicationYear",
        "year",
        "applicationDate",
        "startDate",
    }
)
#: The relationship properties an index's projection keeps: the dates :mod:`match.evaluation`
#: cuts the graph's history by (the learned weights read it, in this order of precedence).
#: Nothing else of a relationship is read, and most carry provenance lists (sources, records,
#: ingest runs) that were most of what the ×100 projection decoded (docs/benchmarks/scale.md).
REL_DATES: Final = ("year", "from", "date")
_EMPTY: tuple[Any, ...] = ()


def kept_keys(label: NodeLabel, keys: Iterable[str]) -> list[str]:
    """Which of a node's property keys the index keeps, sorted."""
    wanted = KEPT_BY_LABEL.get(label, KEPT)
    return sorted(k for k in keys if k in wanted)


class NodeFields:
    """node id → its kept properties. Never mutated after it is built."""

    __slots__ = ("_of",)

    def __init__(self, nodes: Iterable[tuple[str, NodeLabel, Mapping[str, Any]]]) -> None:
        self._of: dict[str, tuple[Any, ...]] = {}
        for node_id, label, props in nodes:
            flat: list[Any] = []
            for key in kept_keys(label, props):
                flat.append(sys.intern(key))
                flat.append(props[key])
            self._of[node_id] = tuple(flat) if flat else _EMPTY

    def props(self, node_id: str) -> dict[str, Any]:
        """The node's kept properties as a new dict (KeyError for an unknown node)."""
        flat = self._of[node_id]
        return dict(zip(flat[::2], flat[1::2], strict=True))

    def get(self, node_id: str, key: str, default: Any = None) -> Any:
        flat = self._of.get(node_id, _EMPTY)
        for i in range(0, len(flat), 2):
            if flat[i] == key:
                return flat[i + 1]
        return default

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._of

    def __len__(self) -> int:
        return len(self._of)
