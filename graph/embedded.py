"""The embedded store: a networkx graph in process, persisted to one durable file.

The zero-setup default. The file is gzip'd JSON behind a one-line header carrying a SHA-256
of the payload; it is written to a temporary file, fsync'd and renamed over the old one, and
the previous good file is kept as ``<name>.bak``. A crash mid-write therefore leaves the last
good state in place, and a truncated or edited file is detected at start (by the checksum)
instead of being loaded half-way.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graph.changeset import ChangeSet, merge_props
from graph.errors import StoreCorruptError, ValidationError
from graph.model import NodeLabel, RelType
from graph.records import ApplyResult, Direction, GraphCounts, Neighbor, Node, Relationship
from graph.search_text import normalize_query, search_text
from graph.store import SEARCH_CANDIDATES

FORMAT = "innograph-embedded"
VERSION = 1


def _read_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        header_line, _, payload = raw.partition(b"\n")
        header = json.loads(header_line)
    except (OSError, ValueError) as e:
        raise StoreCorruptError(f"{path}: unreadable header ({e})") from e
    if header.get("format") != FORMAT:
        raise StoreCorruptError(f"{path}: not an InnoGraph embedded store file")
    if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
        raise StoreCorruptError(
            f"{path}: checksum mismatch — the file is truncated or corrupted "
            f"(the last good state is in {path.name}.bak; restore it with `innograph store restore`)"
        )
    try:
        data: dict[str, Any] = json.loads(gzip.decompress(payload))
    except (OSError, ValueError) as e:
        raise StoreCorruptError(f"{path}: payload does not decode ({e})") from e
    return data


class EmbeddedStore:
    """networkx ``MultiDiGraph`` keyed by node id; edges keyed by relationship type."""

    kind = "embedded"

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._version = 0
        self._lock = threading.RLock()
        if self.path is not None and self.path.exists():
            self._load(self.path)

    # -- persistence -------------------------------------------------------------------
    def _load(self, path: Path) -> None:
        data = _read_file(path)
        graph = nx.MultiDiGraph()
        for node in data["nodes"]:
            graph.add_node(node["id"], label=NodeLabel(node["label"]), props=node["props"])
        for rel in data["relationships"]:
            graph.add_edge(rel["start"], rel["end"], key=RelType(rel["type"]), props=rel["props"])
        self._graph = graph
        self._version = int(data.get("version", 0))

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

    def _persist(self) -> None:
        if self.path is None:
            return
        payload = gzip.compress(
            json.dumps(self._snapshot(), ensure_ascii=False, separators=(",", ":")).encode(), 3
        )
        header = {
            "format": FORMAT,
            "version": VERSION,
            "sha256": hashlib.sha256(payload).hexdigest(),
            "nodes": self._graph.number_of_nodes(),
            "relationships": self._graph.number_of_edges(),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(json.dumps(header).encode() + b"\n" + payload)
            fh.flush()
            os.fsync(fh.fileno())
        if self.path.exists():
            # Keep the last good file: it is what `innograph store restore` brings back.
            shutil.copyfile(self.path, self.path.with_name(self.path.name + ".bak"))
        os.replace(tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    # -- writes ------------------------------------------------------------------------
    def apply(self, changes: ChangeSet) -> ApplyResult:
        with self._lock:
            # Work on a copy and swap it in only when everything applied: all or nothing.
            graph = self._graph.copy()
            for label, props in changes.iter_nodes():
                node_id = props["id"]
                if graph.has_node(node_id):
                    current = graph.nodes[node_id]
                    if current["label"] != label:
                        raise ValidationError(
                            f"{label.value} {node_id}: id already used by a {current['label'].value}",
                            field="id",
                        )
                    merged = merge_props(current["props"], props)
                else:
                    merged = merge_props({}, props)
                merged["searchText"] = search_text(merged)
                graph.add_node(node_id, label=label, props=merged)
            missing: list[str] = []
            for rel in changes.iter_relationships():
                for node_id, label in ((rel.start, rel.start_label), (rel.end, rel.end_label)):
                    if not graph.has_node(node_id) or graph.nodes[node_id]["label"] != label:
                        missing.append(f"{label.value} {node_id}")
                if missing:
                    continue
                if graph.has_edge(rel.start, rel.end, key=rel.type):
                    current_props = graph.edges[rel.start, rel.end, rel.type]["props"]
                    graph.edges[rel.start, rel.end, rel.type]["props"] = merge_props(current_props, rel.props)
                else:
                    graph.add_edge(rel.start, rel.end, key=rel.type, props=merge_props({}, rel.props))
            if missing:
                shown = ", ".join(sorted(set(missing))[:20])
                raise ValidationError(f"relationship endpoints not in the graph: {shown}", field="endpoint")
            previous = self._graph
            self._graph = graph
            self._version += 1
            try:
                self._persist()
            except BaseException:  # not only OSError: memory must never get ahead of the file
                self._graph = previous
                self._version -= 1
                raise
        return ApplyResult(changes.node_count, changes.relationship_count)

    def delete_nodes(self, node_ids: Sequence[str]) -> int:
        with self._lock:
            present = [node_id for node_id in dict.fromkeys(node_ids) if self._graph.has_node(node_id)]
            if not present:
                return 0
            graph = self._graph.copy()
            graph.remove_nodes_from(present)
            self._graph = graph
            self._version += 1
            self._persist()
            return len(present)

    def clear(self) -> None:
        with self._lock:
            self._graph = nx.MultiDiGraph()
            self._version += 1
            self._persist()

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

    def neighbors(
        self,
        node_id: str,
        *,
        rel_types: Iterable[RelType] | None = None,
        direction: Direction = "both",
        limit: int = 100,
    ) -> list[Neighbor]:
        with self._lock:
            if not self._graph.has_node(node_id):
                return []
            types = None if rel_types is None else set(rel_types)
            found: list[Neighbor] = []
            if direction in ("out", "both"):
                for _, other, key, attrs in self._graph.out_edges(node_id, keys=True, data=True):
                    if types is None or key in types:
                        rel = Relationship(key, node_id, other, dict(attrs["props"]))
                        found.append(Neighbor(rel, self._node(other), "out"))
            if direction in ("in", "both"):
                for other, _, key, attrs in self._graph.in_edges(node_id, keys=True, data=True):
                    if types is None or key in types:
                        rel = Relationship(key, other, node_id, dict(attrs["props"]))
                        found.append(Neighbor(rel, self._node(other), "in"))
            found.sort(key=lambda n: (n.rel.type.value, n.direction, n.node.id))
            return found[:limit]

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
        self, *, labels: Iterable[NodeLabel] | None = None, rel_types: Iterable[RelType] | None = None
    ) -> nx.MultiDiGraph:
        wanted = set(NodeLabel) if labels is None else set(labels)
        types = set(RelType) if rel_types is None else set(rel_types)
        out: nx.MultiDiGraph = nx.MultiDiGraph()
        with self._lock:
            for node_id, attrs in sorted(self._graph.nodes(data=True)):
                if attrs["label"] in wanted:
                    out.add_node(node_id, label=attrs["label"], **attrs["props"])
            edges = sorted(
                (key.value, u, v, attrs["props"])
                for u, v, key, attrs in self._graph.edges(keys=True, data=True)
                if key in types and u in out and v in out
            )
            for type_name, u, v, props in edges:
                out.add_edge(u, v, key=RelType(type_name), **props)
        return out

    def iter_all(self) -> Iterator[Node | Relationship]:
        with self._lock:
            graph = self._graph
        for node_id, attrs in sorted(graph.nodes(data=True), key=lambda item: (item[1]["label"], item[0])):
            yield Node(node_id, attrs["label"], dict(attrs["props"]))
        for type_name, u, v, props in sorted(
            (key.value, u, v, attrs["props"]) for u, v, key, attrs in graph.edges(keys=True, data=True)
        ):
            yield Relationship(RelType(type_name), u, v, dict(props))

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

    def health(self) -> dict[str, Any]:
        return {"store": self.kind, "path": str(self.path) if self.path else None, "ok": True}

    def close(self) -> None:
        """Nothing to release: every apply is already on disk."""


def restore_backup(path: Path) -> Path:
    """Bring back ``<path>.bak`` (the last good state) after checking it reads cleanly."""
    backup = path.with_name(path.name + ".bak")
    if not backup.exists():
        raise StoreCorruptError(f"{path}: no backup file {backup.name} to restore")
    _read_file(backup)
    shutil.copyfile(backup, path)
    return path
