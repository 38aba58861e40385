"""The embedded store: a networkx graph in process, persisted durably on disk.

The zero-setup default. Persistence is a checksummed snapshot, its backup, and an append-only
journal (:mod:`graph.embedded_files`, which states the guarantee): a write is validated in full
first, applied in memory with an undo record, then fsync'd to the journal — the commit — before
it is acknowledged. If the journal cannot be written, the undo puts memory back, so memory never
gets ahead of the disk, and the error says the write was not committed. A write costs what it
changes; the journal is folded into a new snapshot when it outgrows it (a fold that fails, e.g.
for lack of space, is a warning: the write was already committed). A truncated or edited file
is detected at start instead of being loaded half-way.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from graph.changeset import ChangeSet, merge_props
from graph.embedded_files import (
    Journal,
    StoreFullError,
    StoreWriteError,
    backup_covers,
    backup_path,
    encode_snapshot,
    journal_path,
    read_journal,
    read_snapshot,
    write_backup,
    write_snapshot,
)
from graph.embedded_files import restore as restore
from graph.errors import InvariantError, StoreCorruptError, ValidationError
from graph.model import ANNUAL_FIGURES, NodeLabel, RelType
from graph.records import (
    ApplyResult,
    Direction,
    GraphCounts,
    ListEditionMembers,
    ListMember,
    Member,
    Neighbor,
    NeighborGroup,
    NeighborKey,
    Node,
    NodeRow,
    Relationship,
    ReportSeries,
    YearFigures,
    report_series,
    sorted_members,
)
from graph.search_text import normalize_query, search_text
from graph.stamps import ANY, touched
from graph.store import SEARCH_CANDIDATES

#: Below this many journal bytes a snapshot is never rewritten just to fold the journal in.
MIN_JOURNAL_BYTES = 256 * 1024

_Undo = list[tuple[str, Any, Any]]  # ("node"|"edge", key, previous attrs or None)
log = logging.getLogger(__name__)


class EmbeddedStore:
    """networkx ``MultiDiGraph`` keyed by node id; edges keyed by relationship type."""

    kind = "embedded"

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._version = 0
        # graph.stamps: the version of the last write per label / relationship type. In memory
        # only: a loaded store starts with everything stamped at its version (``ANY``).
        self._stamps: dict[str, int] = {ANY: 0}
        self._snapshot_bytes = 0
        self._lock = threading.RLock()
        self._journal: Journal | None = None
        if self.path is not None:
            good_bytes = 0
            if self.path.exists():
                good_bytes = self._load(self.path)
                # The loaded graph is millions of long-lived objects: take them out of the cyclic
                # collector's generations, so that no full collection during a request rescans
                # them all (≈ 1 s at ×10, inside a cold monitor series). Freed by refcount as ever.
                gc.freeze()
            elif backup_path(self.path).exists() or _nonempty(journal_path(self.path)):
                # Starting afresh here would empty the journal at the first fold.
                raise StoreCorruptError(
                    f"{self.path} is missing but {backup_path(self.path).name} or the journal is "
                    "there; run `innograph store restore` to rebuild it"
                )
            self._journal = Journal(self.path, good_bytes)

    # -- persistence -------------------------------------------------------------------
    def _load(self, path: Path) -> int:
        """Load the snapshot and replay the journal; returns the journal's good length."""
        data = read_snapshot(path)
        self._snapshot_bytes = path.stat().st_size
        graph = nx.MultiDiGraph()
        for node in data["nodes"]:
            graph.add_node(node["id"], label=NodeLabel(node["label"]), props=node["props"])
        for rel in data["relationships"]:
            graph.add_edge(rel["start"], rel["end"], key=RelType(rel["type"]), props=rel["props"])
        self._graph = graph
        self._version = int(data.get("version", 0))
        entries, good_bytes = read_journal(path, self._version)
        for entry in entries:
            self._replay(entry)
        self._stamps = {ANY: self._version}
        backup = backup_path(path)
        if not backup_covers(path, int(data.get("version", 0))):
            # Every acknowledged write must be rebuildable from either snapshot: mend the second
            # copy now rather than find it wanting on the day the first one is damaged.
            log.warning("%s is missing, damaged or stale; rewriting it from %s", backup.name, path.name)
            try:
                write_backup(path)
            except OSError as e:
                log.warning("could not rewrite %s: %s", backup.name, e)
        return good_bytes

    def _replay(self, entry: dict[str, Any]) -> None:
        op = entry["op"]
        if op == "apply":
            changes = ChangeSet()
            for label, props in entry["nodes"]:
                changes.nodes.setdefault(NodeLabel(label), {})[props["id"]] = props
            for rel_type, start, start_label, end, end_label, props in entry["rels"]:
                changes.add_relationship(
                    RelType(rel_type), (NodeLabel(start_label), start), (NodeLabel(end_label), end), props
                )
            self._check(changes)
            self._mutate(changes)
        elif op == "delete":
            self._graph.remove_nodes_from([i for i in entry["ids"] if self._graph.has_node(i)])
        elif op == "clear":
            self._graph = nx.MultiDiGraph()
        self._version = int(entry["v"])

    def _snapshot(self) -> dict[str, Any]:
        nodes = [
            {"id": node_id, "label": attrs["label"].value, "props": attrs["props"]}
            for node_id, attrs in sorted(self._graph.nodes(data=True))
        ]
        rels = [
            {"type": key.value, "start": u, "end": v, "props": attrs["props"]}
            for u, v, key, attrs in self._graph.edges(keys=True, data=True)
        ]
        return {"version": self._version, "nodes": nodes, "relationships": rels}

    def _fold(self) -> None:
        """Write the whole graph as the snapshot and its backup, then empty the journal."""
        if self.path is None or self._journal is None:
            raise InvariantError("only a store with a file folds its journal; this one is in memory")
        counts = {"nodes": self._graph.number_of_nodes(), "relationships": self._graph.number_of_edges()}
        blob = encode_snapshot(self._snapshot(), counts=counts)
        write_snapshot(self.path, blob)
        self._snapshot_bytes = len(blob)
        self._journal.reset()

    def _record(self, entry: dict[str, Any]) -> None:
        """Make a write durable: append it to the journal (the commit); fold the journal into
        the snapshot when it is large. Raises :class:`StoreWriteError` if not committed."""
        if self._journal is None or self.path is None:
            return
        try:
            if not self.path.exists():
                # A new store: an empty snapshot and backup first, so the commit point of every
                # write — the first one included — is its journal append.
                empty = encode_snapshot(
                    {"version": int(entry["v"]) - 1, "nodes": [], "relationships": []},
                    counts={"nodes": 0, "relationships": 0},
                )
                write_snapshot(self.path, empty)
                self._snapshot_bytes = len(empty)
            self._journal.append(entry)
        except (OSError, StoreFullError) as e:
            raise StoreWriteError(
                f"{self.path}: {_reason(e)} — the write was NOT committed; the graph is as it was"
            ) from e
        if self._journal.size >= max(MIN_JOURNAL_BYTES, self._snapshot_bytes):
            try:
                self._fold()
            except (OSError, StoreFullError) as e:
                # Committed already: the journal holds it, fsync'd, beside two sound snapshots.
                log.warning(
                    "the write WAS committed (in %s); folding it into %s failed: %s — the next "
                    "write tries again",
                    journal_path(self.path).name,
                    self.path.name,
                    _reason(e),
                )

    # -- writes ------------------------------------------------------------------------
    def _check(self, changes: ChangeSet) -> None:
        """Everything that can make an apply fail, checked before anything changes."""
        incoming: dict[str, NodeLabel] = {}
        for label, props in changes.iter_nodes():
            node_id = props["id"]
            if self._graph.has_node(node_id) and self._graph.nodes[node_id]["label"] != label:
                current = self._graph.nodes[node_id]["label"]
                raise ValidationError(
                    f"{label.value} {node_id}: id already used by a {current.value}", field="id"
                )
            incoming[node_id] = label
        missing: set[str] = set()
        for rel in changes.iter_relationships():
            for node_id, label in ((rel.start, rel.start_label), (rel.end, rel.end_label)):
                have = incoming.get(node_id)
                if have is None and self._graph.has_node(node_id):
                    have = self._graph.nodes[node_id]["label"]
                if have != label:
                    missing.add(f"{label.value} {node_id}")
        if missing:
            shown = ", ".join(sorted(missing)[:20])
            raise ValidationError(f"relationship endpoints not in the graph: {shown}", field="endpoint")

    def _mutate(self, changes: ChangeSet) -> _Undo:
        undo: _Undo = []
        graph = self._graph
        for label, props in changes.iter_nodes():
            node_id = props["id"]
            if graph.has_node(node_id):
                current = graph.nodes[node_id]
                undo.append(("node", node_id, current["props"]))
                merged = merge_props(current["props"], props)
            else:
                undo.append(("node", node_id, None))
                merged = merge_props({}, props)
            merged["searchText"] = search_text(merged)
            graph.add_node(node_id, label=label, props=merged)
        for rel in changes.iter_relationships():
            key = (rel.start, rel.end, rel.type)
            if graph.has_edge(*key):
                current_props = graph.edges[key]["props"]
                undo.append(("edge", key, current_props))
                graph.edges[key]["props"] = merge_props(current_props, rel.props)
            else:
                undo.append(("edge", key, None))
                graph.add_edge(rel.start, rel.end, key=rel.type, props=merge_props({}, rel.props))
        return undo

    def _undo(self, undo: _Undo) -> None:
        graph = self._graph
        for kind, key, previous in reversed(undo):
            if kind == "edge":
                if previous is None:
                    graph.remove_edge(*key)
                else:
                    graph.edges[key]["props"] = previous
            elif previous is None:
                graph.remove_node(key)
            else:
                graph.nodes[key]["props"] = previous

    def apply(self, changes: ChangeSet) -> ApplyResult:
        with self._lock:
            self._check(changes)
            undo = self._mutate(changes)
            entry: dict[str, Any] = {"op": "apply", "v": self._version + 1}
            if self._journal is not None:  # an in-memory store has no journal to write it to
                entry["nodes"] = [[label.value, props] for label, props in changes.iter_nodes()]
                entry["rels"] = [
                    [r.type.value, r.start, r.start_label.value, r.end, r.end_label.value, r.props]
                    for r in changes.iter_relationships()
                ]
            self._version += 1
            try:
                self._record(entry)
            except BaseException:  # not only OSError: memory must never get ahead of the disk
                self._undo(undo)
                self._version -= 1
                raise
            self._stamps.update(dict.fromkeys(touched(changes), self._version))
        return ApplyResult(changes.node_count, changes.relationship_count)

    def delete_nodes(self, node_ids: Sequence[str]) -> int:
        with self._lock:
            present = [node_id for node_id in dict.fromkeys(node_ids) if self._graph.has_node(node_id)]
            if not present:
                return 0
            previous = self._graph
            graph = previous.copy()
            graph.remove_nodes_from(present)
            self._graph = graph
            self._version += 1
            try:
                self._record({"op": "delete", "v": self._version, "ids": present})
            except BaseException:
                self._graph, self._version = previous, self._version - 1
                raise
            self._stamps[ANY] = self._version  # the deleted nodes' relationships go too: any type
            return len(present)

    def clear(self) -> None:
        with self._lock:
            previous = self._graph
            self._graph = nx.MultiDiGraph()
            self._version += 1
            try:
                self._record({"op": "clear", "v": self._version})
            except BaseException:
                self._graph, self._version = previous, self._version - 1
                raise
            self._stamps[ANY] = self._version

    # -- reads -------------------------------------------------------------------------
    def _node(self, node_id: str) -> Node:
        attrs = self._graph.nodes[node_id]
        return Node(node_id, attrs["label"], dict(attrs["props"]))

    def get_node(self, node_id: str) -> Node | None:
        with self._lock:
            return self._node(node_id) if self._graph.has_node(node_id) else None

    def get_nodes(self, node_ids: Sequence[str]) -> list[Node]:
        with self._lock:
            return [self._node(i) for i in sorted(set(node_ids)) if self._graph.has_node(i)]

    def nodes(self, label: NodeLabel, *, skip: int = 0, limit: int | None = None) -> list[Node]:
        with self._lock:
            ids = sorted(n for n, attrs in self._graph.nodes(data=True) if attrs["label"] == label)
            end = None if limit is None else skip + limit
            return [self._node(i) for i in ids[skip:end]]

    def relationships(self, rel_type: RelType, *, limit: int | None = None) -> list[Relationship]:
        with self._lock:
            rels = sorted(
                (
                    Relationship(rel_type, u, v, dict(attrs["props"]))
                    for u, v, key, attrs in self._graph.edges(keys=True, data=True)
                    if key == rel_type
                ),
                key=lambda r: (r.start, r.end),
            )
            return rels if limit is None else rels[:limit]

    def list_members(self, kind: str, year: int) -> list[ListMember]:
        # Same semantics as cypher/list_members_as_of.cypher: only the latest edition ≤ year counts.
        with self._lock:
            graph = self._graph
            editions = {
                n: int(a["props"]["year"])
                for n, a in graph.nodes(data=True)
                if a["label"] == NodeLabel.LIST_EDITION
                and a["props"].get("kind") == kind
                and isinstance(a["props"].get("year"), int)
                and a["props"]["year"] <= year
            }
            if not editions:
                return []
            latest = max(editions.values())
            members = []
            for edition, edition_year in editions.items():
                if edition_year != latest:
                    continue
                for member, _, key, attrs in graph.in_edges(edition, keys=True, data=True):
                    if key == RelType.LISTED_IN:
                        level = attrs["props"].get("level")
                        members.append(ListMember(member, graph.nodes[member]["label"], latest, level))
            return sorted(members, key=lambda m: m.id)

    def annual_figures(self, year: int) -> list[YearFigures]:
        with self._lock:
            graph = self._graph
            latest: dict[str, tuple[int, dict[str, Any]]] = {}
            for report, attrs in graph.nodes(data=True):
                if attrs["label"] != NodeLabel.ANNUAL_REPORT:
                    continue
                props = attrs["props"]
                report_year = props.get("year")
                if not isinstance(report_year, int) or report_year > year:
                    continue
                for org, _, key in graph.in_edges(report, keys=True):
                    if key == RelType.REPORTED and (org not in latest or report_year > latest[org][0]):
                        latest[org] = (report_year, props)
            return [
                YearFigures(org, y, {k: props[k] for k in ANNUAL_FIGURES if k in props})
                for org, (y, props) in sorted(latest.items())
            ]

    # The two history reads walk the adjacency dicts (``_node``, ``_pred``) instead of networkx's
    # edge views, and return the rows already grouped (one per edition, one per organisation): at
    # ×10 they cover ~100,000 memberships and ~50,000 report rows for the monitor series' cold
    # path, and a record and a sort key per row were most of their cost.
    def list_history(self) -> list[ListEditionMembers]:
        listed_in = RelType.LISTED_IN
        editions: dict[tuple[str, int], list[Member]] = {}
        with self._lock:
            pred = self._graph._pred
            for edition, attrs in self._graph._node.items():
                if attrs["label"] != NodeLabel.LIST_EDITION:
                    continue
                kind, year = attrs["props"].get("kind"), attrs["props"].get("year")
                if not isinstance(kind, str) or not isinstance(year, int) or isinstance(year, bool):
                    continue
                editions.setdefault((kind, year), []).extend(
                    (member, keys[listed_in]["props"].get("level"))
                    for member, keys in pred[edition].items()
                    if listed_in in keys
                )
        return [
            ListEditionMembers(kind, year, sorted_members(members))
            for (kind, year), members in sorted(editions.items())  # keys are unique
        ]

    def report_history(self) -> list[ReportSeries]:
        reported = RelType.REPORTED
        by_org: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
        with self._lock:
            pred = self._graph._pred
            for report, attrs in self._graph._node.items():
                if attrs["label"] != NodeLabel.ANNUAL_REPORT:
                    continue
                props = attrs["props"]
                year = props.get("year")
                if not isinstance(year, int) or isinstance(year, bool):
                    continue
                figures = {k: props[k] for k in ANNUAL_FIGURES if k in props}
                for org, keys in pred[report].items():
                    if reported in keys:
                        by_org.setdefault(org, []).append((year, report, figures))
        return [report_series(org, rows) for org, rows in sorted(by_org.items())]

    def node_rows(
        self, label: NodeLabel, properties: Sequence[str], rel_types: Iterable[RelType]
    ) -> list[NodeRow]:
        keys, types = tuple(properties), frozenset(RelType(t) for t in rel_types)
        rows = []
        with self._lock:
            succ = self._graph._succ  # the adjacency dicts: no edge view per node (×10: 47,000 firms)
            for node_id, attrs in self._graph._node.items():
                if attrs["label"] != label:
                    continue
                props = attrs["props"]
                out: dict[RelType, list[str]] = {}
                if types:
                    for target, keyed in succ[node_id].items():
                        for rel_type in keyed:  # most hold one type: a loop beats a set per target
                            if rel_type in types:
                                out.setdefault(rel_type, []).append(target)
                rows.append(
                    NodeRow(
                        node_id,
                        {k: props[k] for k in keys if k in props},
                        {t: sorted(out[t]) for t in sorted(out)} if out else out,
                    )
                )
        rows.sort(key=_row_id)
        return rows

    def _around(
        self, node_id: str, types: set[RelType] | None, direction: Direction
    ) -> Iterator[tuple[RelType, Literal["out", "in"], str, dict[str, Any]]]:
        """(type, direction, other end, edge attributes) of every relationship at ``node_id``."""
        if direction in ("out", "both"):
            for _, other, key, attrs in self._graph.out_edges(node_id, keys=True, data=True):
                if types is None or key in types:
                    yield key, "out", other, attrs
        if direction in ("in", "both"):
            for other, _, key, attrs in self._graph.in_edges(node_id, keys=True, data=True):
                if types is None or key in types:
                    yield key, "in", other, attrs

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
        with self._lock:
            if not self._graph.has_node(node_id):
                return []
            types = None if rel_types is None else set(rel_types)
            wanted = None if labels is None else set(labels)
            nodes = self._graph.nodes
            # Sort the keys and build records for one page only: a node may have thousands of
            # neighbours and the page shows a few dozen.
            keyed = [
                ((key.value, way, other), key, attrs)
                for key, way, other, attrs in self._around(node_id, types, direction)
                if (wanted is None or nodes[other]["label"] in wanted)
                and (after is None or (key.value, way, other) > after)
            ]
            keyed.sort(key=lambda row: row[0])
            found: list[Neighbor] = []
            for (_, way, other), key, attrs in keyed[:limit]:
                start, end = (node_id, other) if way == "out" else (other, node_id)
                rel = Relationship(key, start, end, dict(attrs["props"]))
                found.append(Neighbor(rel, self._node(other), "out" if way == "out" else "in"))
            return found

    def neighbor_groups(self, node_id: str) -> list[NeighborGroup]:
        with self._lock:
            if not self._graph.has_node(node_id):
                return []
            nodes = self._graph.nodes
            counts = Counter(
                (key.value, way, nodes[other]["label"].value)
                for key, way, other, _ in self._around(node_id, None, "both")
            )
        return [
            NeighborGroup(RelType(t), "out" if way == "out" else "in", NodeLabel(label), n)
            for (t, way, label), n in sorted(counts.items())
        ]

    def search_candidates(self, text: str, *, labels: Iterable[NodeLabel] | None = None) -> list[Node]:
        query = normalize_query(text)
        wanted = None if labels is None else set(labels)
        with self._lock:
            hits = [
                (len(attrs["props"].get("searchText", "")), node_id)
                for node_id, attrs in self._graph.nodes(data=True)
                if (wanted is None or attrs["label"] in wanted)
                and query in attrs["props"].get("searchText", "")
            ]
            hits.sort()
            return [self._node(node_id) for _, node_id in hits[:SEARCH_CANDIDATES]]

    def projection(
        self,
        *,
        labels: Iterable[NodeLabel] | None = None,
        rel_types: Iterable[RelType] | None = None,
        properties: Iterable[str] | None = None,
        rel_properties: Iterable[str] | None = None,
    ) -> nx.MultiDiGraph:
        wanted = set(NodeLabel) if labels is None else set(labels)
        types = set(RelType) if rel_types is None else set(rel_types)
        keys = None if properties is None else tuple(dict.fromkeys(properties))
        rel_keys = None if rel_properties is None else tuple(dict.fromkeys(rel_properties))
        out: nx.MultiDiGraph = nx.MultiDiGraph()
        with self._lock:
            # Filter before sorting and sort on the ids alone: the monitor series projects a
            # fraction of a ×10 graph, and sorting every node and edge tuple was most of its cost.
            nodes = sorted(
                (
                    (node_id, attrs)
                    for node_id, attrs in self._graph.nodes(data=True)
                    if attrs["label"] in wanted
                ),
                key=_first,
            )
            if keys is None:
                out.add_nodes_from(
                    (node_id, {"label": attrs["label"], **attrs["props"]}) for node_id, attrs in nodes
                )
            else:
                out.add_nodes_from(
                    (
                        node_id,
                        {
                            "label": attrs["label"],
                            **{k: attrs["props"][k] for k in keys if k in attrs["props"]},
                        },
                    )
                    for node_id, attrs in nodes
                )
            # (type, start, end) is unique: a relationship type is the edge key between two nodes.
            # Only the projected nodes' own edges are walked (adjacency dicts, not edge views): a
            # narrow projection of a large graph skips the rest, most of its edges. An edge between
            # two projected nodes is found from either end, so the side with fewer entries is
            # walked: the series' firms have ~7× more out-edges (patents, reports, lists) than
            # in-edges at ×10. The edges are sorted afterwards, so the side changes no order.
            succ, pred = self._graph._succ, self._graph._pred
            kept = {node_id for node_id, _ in nodes}
            found: Iterator[tuple[str, str, dict[RelType, dict[str, Any]]]]
            if sum(len(succ[n]) for n in kept) <= sum(len(pred[n]) for n in kept):
                found = ((u, v, keyed) for u in kept for v, keyed in succ[u].items() if v in kept)
            else:  # ``pred[v][u]`` is the very key dict of ``succ[u][v]``
                found = ((u, v, keyed) for v in kept for u, keyed in pred[v].items() if u in kept)
            edges = sorted(
                (
                    (key.value, u, v, attrs["props"])
                    for u, v, keyed in found
                    for key, attrs in keyed.items()
                    if key in types
                ),
                key=_first_three,
            )
            out.add_edges_from(
                (
                    u,
                    v,
                    RelType(type_name),
                    props if rel_keys is None else {k: props[k] for k in rel_keys if k in props},
                )
                for type_name, u, v, props in edges
            )
        return out

    def iter_all(self) -> Iterator[Node | Relationship]:
        # Materialised under the lock: writes change the graph in place.
        with self._lock:
            graph = self._graph
            nodes = [
                Node(node_id, attrs["label"], dict(attrs["props"]))
                for node_id, attrs in sorted(
                    graph.nodes(data=True), key=lambda item: (item[1]["label"], item[0])
                )
            ]
            rels = [
                Relationship(RelType(type_name), u, v, dict(props))
                for type_name, u, v, props in sorted(
                    (key.value, u, v, attrs["props"])
                    for u, v, key, attrs in graph.edges(keys=True, data=True)
                )
            ]
        yield from nodes
        yield from rels

    def counts(self) -> GraphCounts:
        with self._lock:
            labels = {label.value: 0 for label in NodeLabel}
            for _, attrs in self._graph.nodes(data=True):
                labels[attrs["label"].value] += 1
            rels = {t.value: 0 for t in RelType}
            for _, _, key in self._graph.edges(keys=True):
                rels[key.value] += 1
        return GraphCounts(labels, rels)

    def version(self) -> int:
        return self._version

    def write_stamps(self) -> dict[str, int]:
        with self._lock:
            return dict(self._stamps)

    def health(self) -> dict[str, Any]:
        return {"store": self.kind, "path": str(self.path) if self.path else None, "ok": True}

    def close(self) -> None:
        """Nothing to release: every apply is already on disk."""


def _first(item: tuple[str, Any]) -> str:
    return item[0]


def _first_three(item: tuple[str, str, str, Any]) -> tuple[str, str, str]:
    return item[0], item[1], item[2]


def _nonempty(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return f"{e.strerror}" + (f" ({e.filename})" if e.filename else "")
    return str(e)


def _row_id(row: NodeRow) -> str:
    return row.id
