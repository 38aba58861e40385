"""Evidence paths: the graph nodes and relationships behind a suggestion, as they are stored.

Every relationship in a path is checked against the relationships the index was built from
(its :class:`match.adjacency.Adjacency`, or any graph with networkx's ``has_edge``), so a page
can draw it and a broker can click through it; a path that cannot be shown is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from graph.model import RelType


class Edges(Protocol):
    """What a path is checked against: a match index's adjacency, or a networkx MultiDiGraph."""

    def has_edge(self, u: str, v: str, key: RelType) -> bool: ...


@dataclass(frozen=True)
class EvidenceRel:
    type: str
    start: str
    end: str


@dataclass(frozen=True)
class EvidencePath:
    signal: str  # which score component this path supports
    summary: str  # one line a broker can read out, in Chinese
    nodes: tuple[str, ...]
    relationships: tuple[EvidenceRel, ...]


class PathBuilder:
    """Assembles a path hop by hop from relationships that exist in ``graph``."""

    def __init__(self, graph: Edges, origin: str) -> None:
        self._graph = graph
        self.nodes: list[str] = [origin]
        self.rels: list[EvidenceRel] = []

    @property
    def tail(self) -> str:
        return self.nodes[-1]

    def hop(self, rel_type: RelType, other: str) -> PathBuilder:
        """Step from the current tail to ``other`` along ``rel_type``, whichever way it points."""
        here = self.tail
        if self._graph.has_edge(here, other, key=rel_type):
            self.rels.append(EvidenceRel(rel_type.value, here, other))
        elif self._graph.has_edge(other, here, key=rel_type):
            self.rels.append(EvidenceRel(rel_type.value, other, here))
        else:
            raise KeyError(f"no {rel_type.value} relationship between {here} and {other}")
        self.nodes.append(other)
        return self

    def extend(self, other: PathBuilder) -> PathBuilder:
        """Append ``other`` (which must start at this path's tail)."""
        if other.nodes[0] != self.tail:
            raise KeyError(f"path from {other.nodes[0]} does not continue {self.tail}")
        self.nodes.extend(other.nodes[1:])
        self.rels.extend(other.rels)
        return self

    def build(self, signal: str, summary: str) -> EvidencePath:
        return EvidencePath(signal, summary, tuple(self.nodes), tuple(self.rels))
