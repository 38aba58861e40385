"""The real sets written into each store, and the projection read back from it.

The real benchmarks index a graph projection. Building it in memory (:func:`real_sets.projection`)
says nothing about the stores, so ``bench.match_quality --real --stores embedded neo4j`` writes
each set through the path every ingest uses (a validated :class:`ChangeSet`, ``store.apply``)
into each store, reads ``store.projection()`` back and runs the benchmarks on what the store
returned. One Neo4j serves all sets (cleared between builds), started privately with
``scripts/neo4j_local.py`` and stopped at the end.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench.ranking_stats import Scores  # noqa: E402
from bench.real_sets import Record  # noqa: E402
from graph import ipc  # noqa: E402
from graph.changeset import ChangeSet  # noqa: E402
from graph.model import NodeLabel, RelType  # noqa: E402
from graph.store import GraphStore  # noqa: E402

L = NodeLabel
STORES = ("embedded", "neo4j")
Build = Callable[..., nx.MultiDiGraph]


def changeset(records: Sequence[Record], *, inventors: bool = True) -> ChangeSet:
    """The records as the nodes and relationships :func:`real_sets.projection` would make.

    An organisation keeps the label it first appears with, as in the in-memory projection, so
    the two builds describe the same graph."""
    cs = ChangeSet()
    labels: dict[str, NodeLabel] = {}
    for r in records:
        cs.add_node(
            L.PATENT,
            {
                "id": r.id,
                "title": r.title,
                "abstract": r.abstract or None,
                "ipcCodes": r.ipc,
                "applicationYear": r.year,
                "kind": "发明",
            },
        )
        for order, (org, label) in enumerate(r.applicants, 1):
            if org not in labels:
                labels[org] = label
                cs.add_node(label, {"id": org, "name": r.names.get(org, org[4:])})
            cs.add_relationship(RelType.APPLIED_FOR, (labels[org], org), (L.PATENT, r.id), {"order": order})
        for code in r.ipc:
            node = ipc.node_id(code)
            cs.add_node(L.IPC, {"id": node, "code": code})
            cs.add_relationship(RelType.CLASSIFIED_AS, (L.PATENT, r.id), (L.IPC, node))
        if inventors:
            first = r.applicants[0][0] if r.applicants else "none"
            for name in r.inventors:
                person = f"person:{first}:{name}"
                cs.add_node(L.PERSON, {"id": person, "name": name})
                cs.add_relationship(RelType.INVENTED, (L.PERSON, person), (L.PATENT, r.id))
    return cs


def builder(store: GraphStore) -> Build:
    """A ``projection(records, inventors=...)`` that goes through ``store``.

    Builds are cached by the record ids: the demand variants of one set share their withheld
    split, so each set is written twice per store (training side and learning side), not six
    times."""
    cache: dict[tuple[tuple[str, ...], bool], nx.MultiDiGraph] = {}

    def build(records: Sequence[Record], *, inventors: bool = True) -> nx.MultiDiGraph:
        key = (tuple(r.id for r in records), inventors)
        if key not in cache:
            store.clear()
            store.apply(changeset(records, inventors=inventors))
            cache.clear()  # one graph in the store at a time; keep memory flat
            cache[key] = store.projection()
        return cache[key]

    return build


@contextmanager
def open_store(kind: str, work: Path) -> Iterator[GraphStore]:
    """An empty store of ``kind``; a Neo4j that cannot start is an error, never a skip."""
    if kind == "embedded":
        from graph.embedded import EmbeddedStore

        embedded = EmbeddedStore()
        try:
            yield embedded
        finally:
            embedded.close()
        return
    if kind != "neo4j":
        raise ValueError(f"unknown store {kind!r}; choose from {', '.join(STORES)}")
    import neo4j_local

    from graph.neo4j_store import Neo4jStore

    name = f"match-quality-{work.name}"
    try:
        state = neo4j_local.start(name, heap="768m", pagecache="256m")
    except neo4j_local.Neo4jLocalError as e:
        raise SystemExit(
            f"Neo4j could not start, so the real sets cannot be built on it: {e}\n"
            "Set INNOGRAPH_CACHE to the Neo4j download cache, or pass --stores embedded."
        ) from e
    try:
        neo = Neo4jStore(str(state["uri"]))
        try:
            yield neo
        finally:
            neo.close()
    finally:
        neo4j_local.stop(name, remove=True)


def same_rankings(a: dict[str, Scores], b: dict[str, Scores]) -> tuple[bool, int]:
    """Whether two runs ranked every query alike for every method; and the number of queries."""
    n = max((len(s.rr) for s in a.values()), default=0)
    if a.keys() != b.keys():
        return False, n
    for name, s in a.items():
        t = b[name]
        if not (np.array_equal(s.r1, t.r1) and np.array_equal(s.r10, t.r10) and np.array_equal(s.rr, t.rr)):
            return False, n
    return True, n
