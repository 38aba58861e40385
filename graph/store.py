"""The one store interface. ``api/``, ``ingest/`` and the analytics see only this.

Two adapters implement it: :class:`graph.neo4j_store.Neo4jStore` (the store of record) and
:class:`graph.embedded.EmbeddedStore` (networkx in process, one durable file; the default).
Every method returns results in a defined order so both give identical answers — the
contract suite in ``tests/contract`` holds them to that.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import networkx as nx

from graph.changeset import ChangeSet
from graph.model import NodeLabel, RelType
from graph.records import (
    ApplyResult,
    Direction,
    GraphCounts,
    ListEditionMembers,
    ListMember,
    Neighbor,
    NeighborGroup,
    NeighborKey,
    Node,
    NodeRow,
    Relationship,
    ReportSeries,
    YearFigures,
)

#: How many candidates a name search considers before ranking (both stores, same order).
SEARCH_CANDIDATES = 500


@runtime_checkable
class GraphStore(Protocol):
    #: "embedded" or "neo4j"
    kind: str

    def apply(self, changes: ChangeSet) -> ApplyResult:
        """Merge every node, then every relationship, in one transaction: all or nothing."""
        ...

    def get_node(self, node_id: str) -> Node | None: ...

    def get_nodes(self, node_ids: Sequence[str]) -> list[Node]:
        """The nodes that exist among ``node_ids``, ordered by id."""
        ...

    def nodes(self, label: NodeLabel, *, skip: int = 0, limit: int | None = None) -> list[Node]:
        """Nodes of one label ordered by id."""
        ...

    def relationships(self, rel_type: RelType, *, limit: int | None = None) -> list[Relationship]:
        """Relationships of one type ordered by (start, end)."""
        ...

    def neighbors(
        self,
        node_id: str,
        *,
        rel_types: Iterable[RelType] | None = None,
        direction: Direction = "both",
        labels: Iterable[NodeLabel] | None = None,
        after: NeighborKey | None = None,
        limit: int = 100,
    ) -> list[Neighbor]:
        """One hop from ``node_id``, ordered by (relationship type, direction, neighbour id).

        ``labels`` keeps neighbours with one of those labels; ``after`` starts the page after
        that key (the last row of the previous page), so a node with thousands of neighbours is
        read a page at a time.
        """
        ...

    def neighbor_groups(self, node_id: str) -> list[NeighborGroup]:
        """How many neighbours ``node_id`` has per (relationship type, direction, neighbour
        label), ordered by those three; empty for an unknown node. The counts are those
        :meth:`neighbors` pages through with the same filters."""
        ...

    def search_candidates(self, text: str, *, labels: Iterable[NodeLabel] | None = None) -> list[Node]:
        """Nodes whose ``searchText`` contains the normalised ``text``; ranking is shared code
        (:func:`graph.search.search`), so both stores only need to agree on candidates:
        ordered by (length of searchText, id), at most :data:`SEARCH_CANDIDATES`."""
        ...

    def projection(
        self,
        *,
        labels: Iterable[NodeLabel] | None = None,
        rel_types: Iterable[RelType] | None = None,
        properties: Iterable[str] | None = None,
        rel_properties: Iterable[str] | None = None,
    ) -> nx.MultiDiGraph:
        """A networkx copy of part of the graph for analytics, of one version of the graph.

        Nodes are keyed by id with attributes ``label`` and the node's properties (all of them,
        or only those of ``properties`` that are set); edges are keyed by relationship type with
        its properties (all, or only those of ``rel_properties`` that are set: most
        relationships carry provenance lists no analysis reads). Relationships are kept only
        when both ends are in the projection. Nodes are added in id order and edges in
        (type, start, end) order on both stores.

        Neo4j reads it in pages (``NEO4J_PAGE_SIZE`` nodes per short transaction); a write
        between two pages starts the read again, and after ``NEO4J_PAGE_ATTEMPTS`` such starts
        it fails with :class:`graph.errors.StoreUnavailableError` rather than mix two versions.
        """
        ...

    def list_members(self, kind: str, year: int) -> list[ListMember]:
        """Members of the latest edition of list ``kind`` (``graph.model.LIST_KINDS``) whose
        year is ≤ ``year``, ordered by id; empty when no such edition exists."""
        ...

    def annual_figures(self, year: int) -> list[YearFigures]:
        """Each organisation's latest ``AnnualReport`` with year ≤ ``year``, ordered by id
        (``figures`` holds the report's figure properties, without id, year or provenance)."""
        ...

    def list_history(self) -> list[ListEditionMembers]:
        """Every edition of every list with a text ``kind`` and an integer ``year``, with its
        members already grouped (an edition without members has an empty list), ordered by
        (kind, year): all the dated list facts in one read, one row per edition."""
        ...

    def report_history(self) -> list[ReportSeries]:
        """Every organisation's annual reports with an integer year, already grouped per
        organisation, ordered by organisation: all the dated figures in one read."""
        ...

    def node_rows(
        self, label: NodeLabel, properties: Sequence[str], rel_types: Iterable[RelType]
    ) -> list[NodeRow]:
        """Every node of ``label`` ordered by id, with only ``properties`` and the targets of its
        outgoing ``rel_types`` grouped per type: the columns a per-node computation reads (the
        monitor series' firms), in one read instead of a projection of every property."""
        ...

    def iter_all(self) -> Iterator[Node | Relationship]:
        """Every node (by label, then id), then every relationship (by type, start, end)."""
        ...

    def counts(self) -> GraphCounts: ...

    def version(self) -> int:
        """A counter that grows with every successful write, for cache invalidation."""
        ...

    def write_stamps(self) -> dict[str, int]:
        """Stamp key → the version of the last write that touched it (``graph.stamps``): a node
        label (``label:<Label>``), a relationship type (``rel:<TYPE>``), or ``*`` for a write
        that may touch anything (deletes, clears). Keys never written are absent."""
        ...

    def clear(self) -> None:
        """Delete everything (tests, ``import --replace``)."""
        ...

    def delete_nodes(self, node_ids: Sequence[str]) -> int:
        """Delete nodes and their relationships; returns how many nodes were deleted."""
        ...

    def health(self) -> dict[str, Any]: ...

    def close(self) -> None: ...
