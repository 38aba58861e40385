"""What stores return: plain, immutable records independent of either backend."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

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


#: A list member: (member id, level on that edition or None).
Member = tuple[str, str | None]


# The two history records are named tuples, not frozen dataclasses: a ×10 graph has ~100,000
# list memberships and ~50,000 organisations with reports, and a frozen dataclass's __init__ costs
# several times a tuple's. The members and reports inside are plain tuples for the same reason.
class ListEditionMembers(NamedTuple):
    """Every member of the yearly list ``kind`` of ``year`` (all its edition nodes together),
    ordered by :func:`member_order`; empty for an edition that names nobody yet."""

    kind: str
    year: int
    members: list[Member]


def sorted_members(members: list[Member]) -> list[Member]:
    """``members`` ordered by :func:`member_order`. When no id repeats (an edition that is one node,
    the usual case) that is the order of the ids alone, which a C-level key sorts without a
    Python call per member (×10: 94,000 memberships in the monitor series' cold path).

    >>> sorted_members([("b", None), ("a", None), ("a", "市级")])
    [('a', '市级'), ('a', None), ('b', None)]
    >>> sorted_members([("b", "市级"), ("a", None)])
    [('a', None), ('b', '市级')]
    """
    by_id = sorted(members, key=_member_id)
    if len({m[0] for m in members}) == len(members):
        return by_id
    return sorted(by_id, key=member_order)


_member_id = operator.itemgetter(0)


def member_order(member: Member) -> tuple[str, bool, str]:
    """(id, level) with a missing level last, as Cypher's ORDER BY puts null."""
    return (member[0], member[1] is None, member[1] or "")


class ReportSeries(NamedTuple):
    """One organisation's annual reports with an integer year: (year, figures) ordered by
    (year, report id); ``figures`` holds the report's ``graph.model.ANNUAL_FIGURES``."""

    id: str
    reports: list[tuple[int, dict[str, Any]]]


class NodeRow(NamedTuple):
    """One node of a label narrowed to what a per-node computation reads
    (:meth:`graph.store.GraphStore.node_rows`): the asked properties that are set, in the order
    asked, and the ids its outgoing relationships of the asked types reach, per type (sorted;
    a type it has none of is absent). Read-only: the embedded store shares property values."""

    id: str
    props: dict[str, Any]
    out: dict[RelType, list[str]]


def report_series(org: str, rows: list[tuple[int, str, dict[str, Any]]]) -> ReportSeries:
    """``org``'s (year, report id, figures) rows as a :class:`ReportSeries`: both stores order
    them the same way here."""
    # Plain tuple order is (year, report id): report ids are unique, so the figures are never
    # compared, and no key function runs per row (×10: ~50,000 reports in the series' cold path).
    rows.sort()
    return ReportSeries(org, [(year, figures) for year, _, figures in rows])


@dataclass(frozen=True)
class YearFigures:
    """An organisation's latest reported figures as of a year (``AnnualReport`` properties)."""

    id: str
    year: int
    figures: dict[str, Any] = field(default_factory=dict)
