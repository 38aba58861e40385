"""What stores return: plain, immutable records independent of either backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from graph.model import NodeLabel, RelType

Direction = Literal["out", "in", "both"]


@dataclass(frozen=True)
class Node:
    id: str
    label: NodeLabel
    props: dict[str, Any] = field(compare=True)

    def __post_init__(self) -> None:
        _sort_props(self)

    @property
    def name(self) -> str:
        value = self.props.get("name") or self.props.get("title") or self.props.get("code") or self.id
        return str(value)


@dataclass(frozen=True)
class Relationship:
    type: RelType
    start: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _sort_props(self)


def _sort_props(record: Node | Relationship) -> None:
    # One key order whichever store answered (Neo4j returns its own, the embedded store its
    # insertion order): the same graph gives byte-identical JSON from the API on either store.
    object.__setattr__(record, "props", dict(sorted(record.props.items())))


@dataclass(frozen=True)
class Neighbor:
    """One step from a node: the relationship, the node at its other end, and which way it points."""

    rel: Relationship
    node: Node
    direction: Literal["out", "in"]


#: Where a page of neighbours ends: (relationship type, direction, neighbour id), the order
#: :meth:`graph.store.GraphStore.neighbors` returns them in, so the next page starts after it.
NeighborKey = tuple[str, str, str]


@dataclass(frozen=True)
class NeighborGroup:
    """How many neighbours a node has through one relationship type, direction and label."""

    type: RelType
    direction: Literal["out", "in"]
    label: NodeLabel
    count: int


@dataclass(frozen=True)
class GraphCounts:
    labels: dict[str, int]
    relationships: dict[str, int]

    @property
    def nodes(self) -> int:
        return sum(self.labels.values())

    @property
    def edges(self) -> int:
        return sum(self.relationships.values())


@dataclass(frozen=True)
class ApplyResult:
    nodes: int
    relationships: int


@dataclass(frozen=True)
class ListMember:
    """One member of a yearly list as of a year: the edition that counts is the latest one of
    that kind whose year is not after the year asked for."""

    id: str
    label: NodeLabel
    edition_year: int
    level: str | None = None


@dataclass(frozen=True)
class ListEntry:
    """One row of the whole history of the yearly lists: a member ``id`` of the edition
    (``kind``, ``year``), or — ``id`` None — an edition that names nobody yet."""

    kind: str
    year: int
    id: str | None = None
    level: str | None = None


def list_entry_order(entry: ListEntry) -> tuple[str, int, bool, str, bool, str]:
    """(kind, year, id, level) with a missing id or level last, as Cypher's ORDER BY puts null."""
    return (
        entry.kind,
        entry.year,
        entry.id is None,
        entry.id or "",
        entry.level is None,
        entry.level or "",
    )


@dataclass(frozen=True)
class YearFigures:
    """An organisation's latest reported figures as of a year (``AnnualReport`` properties)."""

    id: str
    year: int
    figures: dict[str, Any] = field(default_factory=dict)
