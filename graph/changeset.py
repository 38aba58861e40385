"""A batch of nodes and relationships to merge into a store in one transaction.

Ingest, the API and backups all write through a :class:`ChangeSet`: records are validated as
they are added (so a bad one is rejected before any store is touched) and the store applies
the whole set atomically — a failed apply leaves the graph as it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.model import UNION_PROPERTIES, NodeLabel, RelType
from graph.validation import check_endpoints, check_id, check_node, check_relationship_props


def _union(old: list[Any] | None, new: list[Any] | None) -> list[Any] | None:
    if not new:
        return old
    # The two common cases of an ingest (a first value; one source, run or record added to a
    # short list) without the general path's dict and generator: same result, a few million
    # calls per city-size load.
    if not old:
        return list(dict.fromkeys(new))
    if type(new) is list and len(new) == 1:
        return list(old) if new[0] in old else [*old, new[0]]
    merged = list(old)
    merged.extend(x for x in dict.fromkeys(new) if x not in merged)
    return merged


def merge_props(current: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """``update`` over ``current``; union properties accumulate instead of being replaced."""
    merged = dict(current)
    for key, value in update.items():
        if key in UNION_PROPERTIES:
            union = _union(merged.get(key), value)
            if union is not None:
                merged[key] = union
        else:
            merged[key] = value
    return merged


@dataclass
class RelRecord:
    type: RelType
    start: str
    start_label: NodeLabel
    end: str
    end_label: NodeLabel
    props: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChangeSet:
    nodes: dict[NodeLabel, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rels: dict[tuple[RelType, str, str], RelRecord] = field(default_factory=dict)

    def add_node(self, label: NodeLabel, props: Mapping[str, Any]) -> str:
        """Validate and add (or merge into) the node ``props["id"]``; returns its id."""
        clean = check_node(label, props)
        by_id = self.nodes.setdefault(label, {})
        node_id: str = clean["id"]
        by_id[node_id] = merge_props(by_id.get(node_id, {}), clean)
        return node_id

    def add_relationship(
        self,
        rel_type: RelType,
        start: tuple[NodeLabel, str],
        end: tuple[NodeLabel, str],
        props: Mapping[str, Any] | None = None,
    ) -> None:
        """Add a relationship between two nodes given as ``(label, id)``.

        A relationship is identified by its type and endpoints; adding it again merges its
        properties, which is what makes re-ingesting the same rows change nothing.
        """
        where = f"{rel_type.value} {start[1]!s:.60} -> {end[1]!s:.60}"
        check_endpoints(rel_type, start[0], end[0], where)
        check_id(start[1], where, "start")
        check_id(end[1], where, "end")
        clean = check_relationship_props(rel_type, props or {}, where)
        key = (rel_type, start[1], end[1])
        existing = self.rels.get(key)
        if existing is None:
            self.rels[key] = RelRecord(rel_type, start[1], start[0], end[1], end[0], clean)
        else:
            existing.props = merge_props(existing.props, clean)

    def extend(self, other: ChangeSet) -> None:
        for label, by_id in other.nodes.items():
            for props in by_id.values():
                self.add_node(label, props)
        for rel in other.rels.values():
            self.add_relationship(rel.type, (rel.start_label, rel.start), (rel.end_label, rel.end), rel.props)

    def iter_nodes(self) -> Iterator[tuple[NodeLabel, dict[str, Any]]]:
        for label in sorted(self.nodes):
            for node_id in sorted(self.nodes[label]):
                yield label, self.nodes[label][node_id]

    def iter_relationships(self) -> Iterator[RelRecord]:
        for key in sorted(self.rels):
            yield self.rels[key]

    @property
    def node_count(self) -> int:
        return sum(len(by_id) for by_id in self.nodes.values())

    @property
    def relationship_count(self) -> int:
        return len(self.rels)

    def __len__(self) -> int:
        return self.node_count + self.relationship_count
