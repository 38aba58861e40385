"""What each write touched, so that a result is kept until a write changes what it reads.

``GraphStore.version()`` moves with every write, so a result keyed by it is dropped by any write
— a posted demand drops the monitor series, which reads no demand. Each store also keeps *write
stamps*: for every node label and relationship type, the store version of the last write that
merged one (``label:Enterprise``, ``rel:LISTED_IN``), and under :data:`ANY` the last write that
may have changed anything (a delete, a clear; for the embedded store, loading the file).
:func:`inputs_version` — the newest stamp among the labels and types a computation reads — is then
a version of its inputs alone: it moves exactly when a write touched one of them, and it lives in
the same number space as ``version()`` (a store version), so ``graph.cache.cached`` can key by it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from graph.changeset import ChangeSet
from graph.model import NodeLabel, RelType
from graph.store import GraphStore

#: The stamp of writes that may touch any label or type (deletes, clears, a store's load).
ANY: Final = "*"


def label_key(label: NodeLabel) -> str:
    return f"label:{NodeLabel(label).value}"


def rel_key(rel_type: RelType) -> str:
    return f"rel:{RelType(rel_type).value}"


def touched(changes: ChangeSet) -> list[str]:
    """The stamp keys a write of ``changes`` touches: its nodes' labels, its relationships' types.

    >>> changes = ChangeSet()
    >>> _ = changes.add_node(NodeLabel.TECH_DEMAND, {"id": "demand:1", "title": "求购"})
    >>> touched(changes)
    ['label:TechDemand']
    """
    labels = {label_key(label) for label, by_id in changes.nodes.items() if by_id}
    types = {rel_key(rel.type) for rel in changes.rels.values()}
    return sorted(labels | types)


def inputs_version(store: GraphStore, labels: Iterable[NodeLabel], rel_types: Iterable[RelType]) -> int:
    """The store version of the last write that touched ``labels`` or ``rel_types`` (or anything:
    :data:`ANY`); 0 when none is recorded (a Neo4j graph written before the stamps existed — the
    first result computed is then kept until a write touches its inputs)."""
    stamps = store.write_stamps()
    keys = [ANY, *(label_key(label) for label in labels), *(rel_key(t) for t in rel_types)]
    return max(stamps.get(key, 0) for key in keys)
