"""Export a graph to a directory of JSONL files, and import it back into any store.

Layout of an export directory::

    manifest.json                 format, store, graph version, counts, and each file's SHA-256
    nodes/<Label>.jsonl           one node a line: {"id": …, "props": {…}} ordered by id
    relationships/<TYPE>.jsonl    one relationship a line: {"start", "startLabel", "end",
                                  "endLabel", "props"} ordered by (start, end)

Properties keep their provenance (``sources``, ``records``, ``ingestRuns``) and aliases; the
derived ``searchText`` is left out because every store recomputes it. The manifest is written
last, so a directory without one is an unfinished export. An import checks every file against
the manifest (line count and SHA-256) and validates every record against the model *before*
it touches the store, so a damaged or edited backup is refused whole, naming the file and line.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from graph.changeset import ChangeSet
from graph.errors import BackupError, ValidationError
from graph.model import NodeLabel, RelType
from graph.records import GraphCounts
from graph.store import GraphStore

FORMAT = "innograph-export"
VERSION = 1
MANIFEST = "manifest.json"
#: Derived by each store from the name fields; not part of the data.
DERIVED_PROPERTIES = frozenset({"searchText"})
#: Records per store transaction on import (nodes first, then relationships).
IMPORT_BATCH = 20_000


@dataclass(frozen=True)
class BackupSummary(GraphCounts):
    """The counts a backup holds (``nodes``/``edges`` as for the live graph) and where it is."""

    directory: Path


def _line(record: dict[str, Any]) -> bytes:
    # sort_keys: the same graph always gives byte-identical files, whichever store it came from.
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def _private(path: Path) -> BinaryIO:
    """``path`` opened for writing, owner-only (0600) whatever the umask: an export holds the
    whole graph, contact data included."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def _write_jsonl(path: Path, records: Iterator[dict[str, Any]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with _private(path) as fh:
        for record in records:
            line = _line(record)
            digest.update(line)
            fh.write(line)
            count += 1
        fh.flush()
        os.fsync(fh.fileno())
    return count, digest.hexdigest()


def _public_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in DERIVED_PROPERTIES}


def export_graph(store: GraphStore, directory: Path, *, overwrite: bool = False) -> BackupSummary:
    """Write every node and relationship of ``store`` under ``directory``."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()) and not overwrite:
        raise BackupError(f"{directory} is not empty; choose an empty directory or pass --force")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MANIFEST).unlink(missing_ok=True)  # an old manifest must not vouch for new files
    files: dict[str, dict[str, Any]] = {}
    labels_of: dict[str, str] = {}
    label_counts: dict[str, int] = {}
    for label in sorted(NodeLabel):
        nodes = store.nodes(label)
        for node in nodes:
            labels_of[node.id] = label.value
        rel_path = f"nodes/{label.value}.jsonl"
        count, sha = _write_jsonl(
            directory / rel_path, ({"id": n.id, "props": _public_props(n.props)} for n in nodes)
        )
        files[rel_path] = {"kind": "nodes", "label": label.value, "count": count, "sha256": sha}
        label_counts[label.value] = count
    rel_counts: dict[str, int] = {}
    for rel_type in sorted(RelType):
        rels = store.relationships(rel_type)
        rel_path = f"relationships/{rel_type.value}.jsonl"
        count, sha = _write_jsonl(
            directory / rel_path,
            (
                {
                    "start": r.start,
                    "startLabel": labels_of.get(r.start),
                    "end": r.end,
                    "endLabel": labels_of.get(r.end),
                    "props": dict(r.props),
                }
                for r in rels
            ),
        )
        files[rel_path] = {"kind": "relationships", "type": rel_type.value, "count": count, "sha256": sha}
        rel_counts[rel_type.value] = count
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "store": store.kind,
        "graphVersion": store.version(),
        "exported": datetime.now(UTC).isoformat(timespec="seconds"),
        "counts": {"labels": label_counts, "relationships": rel_counts},
        "files": files,
    }
    tmp = directory / (MANIFEST + ".tmp")
    with _private(tmp) as fh:
        fh.write(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode())
    os.replace(tmp, directory / MANIFEST)
    return BackupSummary(labels=label_counts, relationships=rel_counts, directory=directory)


def read_manifest(directory: Path) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{path} is missing: not an InnoGraph export, or the export did not finish"
        ) from None
    except ValueError as e:
        raise BackupError(f"{path}: not valid JSON ({e})") from e
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: not an InnoGraph export (format {manifest.get('format')!r})")
    if manifest.get("version") != VERSION:
        raise BackupError(f"{path}: export format version {manifest.get('version')!r}; this reads {VERSION}")
    return manifest


def _read_jsonl(directory: Path, rel_path: str, entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The file's records, after checking its checksum and line count against the manifest."""
    if ".." in Path(rel_path).parts or Path(rel_path).is_absolute():
        raise BackupError(f"manifest names a file outside the export: {rel_path!r}")
    path = directory / rel_path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BackupError(f"{path} is listed in the manifest but missing") from None
    if hashlib.sha256(raw).hexdigest() != entry.get("sha256"):
        raise BackupError(f"{path}: checksum does not match the manifest (the file was changed or damaged)")
    records = []
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            record = json.loads(line)
        except ValueError as e:
            raise BackupError(f"{path}:{number}: not valid JSON ({e})") from e
        if not isinstance(record, dict) or not isinstance(record.get("props", {}), dict):
            raise BackupError(f"{path}:{number}: expected an object with a 'props' object")
        records.append(record)
    if len(records) != entry.get("count"):
        raise BackupError(f"{path}: {len(records)} records, the manifest says {entry.get('count')}")
    return records


def _batches(directory: Path, manifest: dict[str, Any]) -> list[ChangeSet]:
    """Every record validated into change sets, nodes before relationships."""
    batches: list[ChangeSet] = []
    current = ChangeSet()

    def room() -> ChangeSet:
        nonlocal current
        if len(current) >= IMPORT_BATCH:
            batches.append(current)
            current = ChangeSet()
        return current

    files: dict[str, dict[str, Any]] = manifest.get("files", {})
    node_files = sorted((p, e) for p, e in files.items() if e.get("kind") == "nodes")
    rel_files = sorted((p, e) for p, e in files.items() if e.get("kind") == "relationships")
    for rel_path, entry in node_files:
        label = NodeLabel(entry["label"]) if entry.get("label") in set(NodeLabel) else None
        if label is None:
            raise BackupError(f"{rel_path}: unknown label {entry.get('label')!r} in the manifest")
        for number, record in enumerate(_read_jsonl(directory, rel_path, entry), start=1):
            try:
                room().add_node(label, {**record["props"], "id": record.get("id")})
            except ValidationError as e:
                raise BackupError(f"{directory / rel_path}:{number}: {e}") from e
    if current:
        batches.append(current)
        current = ChangeSet()
    for rel_path, entry in rel_files:
        if entry.get("type") not in set(RelType):
            raise BackupError(f"{rel_path}: unknown relationship type {entry.get('type')!r} in the manifest")
        rel_type = RelType(entry["type"])
        for number, record in enumerate(_read_jsonl(directory, rel_path, entry), start=1):
            try:
                start = (NodeLabel(record["startLabel"]), record["start"])
                end = (NodeLabel(record["endLabel"]), record["end"])
                room().add_relationship(rel_type, start, end, record["props"])
            except (KeyError, ValueError) as e:  # ValidationError is a ValueError
                raise BackupError(f"{directory / rel_path}:{number}: {e}") from e
    if current:
        batches.append(current)
    return batches


def import_graph(store: GraphStore, directory: Path, *, replace: bool = False) -> BackupSummary:
    """Load an export into ``store``: merged into what is there, or in place of it (``replace``).

    Nothing is written until the whole export has been checked. Batches are merged
    idempotently, so an import that was interrupted is completed by running it again.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    batches = _batches(directory, manifest)
    if replace:
        store.clear()
    for changes in batches:
        store.apply(changes)
    counts = manifest.get("counts", {})
    return BackupSummary(
        labels=dict(counts.get("labels", {})),
        relationships=dict(counts.get("relationships", {})),
        directory=directory,
    )
