"""The whole-graph reads in pages (Neo4j: ``NEO4J_PAGE_SIZE`` nodes per short transaction) give
the same answer as one read, of one version of the graph, on both stores; and ``projection``
keeps only the asked node properties.

Page sizes of 1–3 turn the fixture graph into many pages; ``PAGE_SIZE = 0`` is the read in one
transaction the paged one replaced (the reference). The embedded store reads under its lock, so
page sizes do not apply to it: the same assertions hold trivially there, and the write that lands
"between pages" waits for the lock instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx
import pytest
from neo4j.exceptions import Neo4jError

from graph import neo4j_store
from graph.changeset import ChangeSet
from graph.errors import StoreUnavailableError
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.store import GraphStore
from ingest.editions import annual_report_id, edition_id
from tests.contract.fixture_graph import fixture_changes


@pytest.fixture
def neo4j_only(request: pytest.FixtureRequest) -> GraphStore:
    """Neo4j's store alone, for what only it has (pages in separate transactions, a read bound):
    the embedded store reads under its lock, where no write lands inside a read."""
    return request.getfixturevalue("neo4j_store")  # type: ignore[no-any-return]


def _dated(store: GraphStore) -> None:
    """List editions and annual reports on top of the fixture (the history reads' input)."""
    cs = ChangeSet()
    for year, members in ((2010, {"ent:A": None, "ent:B": "市级"}), (2011, {"ent:B": None})):
        list_id = edition_id("techSme", year)
        cs.add_node(L.LIST_EDITION, {"id": list_id, "kind": "techSme", "year": year})
        for firm, level in members.items():
            props: dict[str, Any] = {"year": year} if level is None else {"year": year, "level": level}
            cs.add_relationship(R.LISTED_IN, (L.ENTERPRISE, firm), (L.LIST_EDITION, list_id), props)
    cs.add_node(L.LIST_EDITION, {"id": edition_id("highTech", 2012), "kind": "highTech", "year": 2012})
    for firm, year, revenue in (("ent:A", 2010, 1.0e7), ("ent:A", 2011, 2.0e7), ("ent:B", 2011, 3.0e6)):
        rid = annual_report_id(firm, year)
        cs.add_node(L.ANNUAL_REPORT, {"id": rid, "year": year, "revenue": revenue})
        cs.add_relationship(R.REPORTED, (L.ENTERPRISE, firm), (L.ANNUAL_REPORT, rid), {"year": year})
    store.apply(cs)


def _snapshot(graph: nx.MultiDiGraph) -> tuple[Any, ...]:
    """Everything a projection holds, in the order it holds it (nodes, successors, predecessors)."""
    return (
        list(graph.nodes(data=True)),
        list(graph.edges(keys=True, data=True)),
        [(node, list(graph.pred[node])) for node in graph],
    )


def _in_reference_order(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graph`` rebuilt the documented way: nodes by id, edges by (type, start, end)."""
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    out.add_nodes_from(sorted(graph.nodes(data=True), key=lambda n: n[0]))
    out.add_edges_from(sorted(graph.edges(keys=True, data=True), key=lambda e: (e[2].value, e[0], e[1])))
    return out


@pytest.mark.parametrize("page", [1, 2, 3])
def test_paged_reads_match_one_read(store: GraphStore, monkeypatch: pytest.MonkeyPatch, page: int) -> None:
    store.apply(fixture_changes())
    _dated(store)
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 0)
    whole = store.projection()
    narrow = store.projection(
        labels=[L.ENTERPRISE, L.PATENT, L.LIST_EDITION], rel_types=[R.APPLIED_FOR, R.LISTED_IN]
    )
    rows = store.node_rows(L.ENTERPRISE, ["name", "revenue"], [R.APPLIED_FOR, R.LOCATED_IN])
    lists, reports = store.list_history(), store.report_history()
    assert whole.number_of_nodes() > 3 * page and rows and lists and reports

    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", page)
    paged = store.projection()
    assert _snapshot(paged) == _snapshot(whole)
    # Same adjacency order as edges added by (type, start, end): seeded analyses walk it.
    assert _snapshot(paged) == _snapshot(_in_reference_order(paged))
    narrow_paged = store.projection(
        labels=[L.ENTERPRISE, L.PATENT, L.LIST_EDITION], rel_types=[R.APPLIED_FOR, R.LISTED_IN]
    )
    assert _snapshot(narrow_paged) == _snapshot(narrow)
    assert store.node_rows(L.ENTERPRISE, ["name", "revenue"], [R.APPLIED_FOR, R.LOCATED_IN]) == rows
    assert store.list_history() == lists
    assert store.report_history() == reports


@pytest.mark.parametrize("page", [1, 2])
def test_the_clusters_projection_in_pages_is_the_one_read(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch, page: int
) -> None:
    """The clusters' narrowed projection (its properties only, no relationship property), read a
    page at a time — each page one record holding its nodes and their relationships — holds what
    the one-transaction read holds, in the same order: nodes and attributes (the primary label
    among Entity and Organization), successors, predecessors."""
    from analytics.projection import cluster_projection

    store.apply(fixture_changes())
    _dated(store)
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 0)
    whole = cluster_projection(store)
    assert whole.number_of_nodes() > 3 * page and whole.number_of_edges() > 3
    assert whole.nodes["uni:4112010056"]["label"] == L.UNIVERSITY  # also an Organization
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", page)
    paged = cluster_projection(store)
    assert _snapshot(paged) == _snapshot(whole)
    assert _snapshot(paged) == _snapshot(_in_reference_order(paged))


def test_projection_keeps_only_the_asked_properties(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.apply(fixture_changes())
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 2)
    labels = [L.ENTERPRISE, L.UNIVERSITY, L.PATENT]
    full = store.projection(labels=labels)
    keys = ["revenue", "name", "nameEn", "noSuchProperty"]
    narrow = store.projection(labels=labels, properties=keys)
    assert list(narrow.nodes) == list(full.nodes)
    for node, attrs in narrow.nodes(data=True):
        kept = full.nodes[node]
        assert attrs == {"label": kept["label"], **{k: kept[k] for k in keys if k in kept}}
    assert narrow.nodes["ent:A"] == {
        "label": L.ENTERPRISE,
        "revenue": 1.2e8,
        "name": "天津晶辉光电科技有限公司",
    }
    assert narrow.nodes["uni:4112010056"]["nameEn"] == "Tianjin University"
    assert "title" not in narrow.nodes["patent:CN1"] and "title" in full.nodes["patent:CN1"]
    assert list(narrow.edges(keys=True, data=True)) == list(full.edges(keys=True, data=True))
    bare = store.projection(labels=labels, properties=[])
    assert all(attrs == {"label": full.nodes[n]["label"]} for n, attrs in bare.nodes(data=True))
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 0)  # the one-transaction read filters the same way
    assert _snapshot(store.projection(labels=labels, properties=keys)) == _snapshot(narrow)


def test_projection_keeps_only_the_asked_relationship_properties(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.apply(fixture_changes())
    _dated(store)
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 2)
    full = store.projection()
    keys = ["level", "year", "noSuchProperty"]
    narrow = store.projection(rel_properties=keys)
    assert list(narrow.nodes(data=True)) == list(full.nodes(data=True))  # nodes untouched
    assert list(narrow.edges(keys=True)) == list(full.edges(keys=True))
    dropped = 0
    for u, v, k, attrs in narrow.edges(keys=True, data=True):
        kept = full.edges[u, v, k]
        assert attrs == {p: kept[p] for p in keys if p in kept}
        dropped += len(kept) - len(attrs)
    assert dropped > 0  # the fixture's relationships carry more than these keys
    assert narrow.edges["ent:B", edition_id("techSme", 2010), R.LISTED_IN] == {"level": "市级", "year": 2010}
    bare = store.projection(rel_properties=[])
    assert all(not attrs for _, _, attrs in bare.edges(data=True))
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 0)  # the one-transaction read filters the same way
    assert _snapshot(store.projection(rel_properties=keys)) == _snapshot(narrow)


def _a_write(n: int) -> ChangeSet:
    """A write that a read mixing two versions shows half of: one node whose id sorts before every
    fixture id (behind a paged read's cursor) and one whose id sorts after them all."""
    cs = ChangeSet()
    cs.add_node(L.ENTERPRISE, {"id": f"ent:0{n}", "name": f"新企业{n}"})
    cs.add_node(L.PATENT, {"id": f"patent:CN9{n}", "number": f"CN9{n}", "title": f"新专利{n}"})
    cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, f"ent:0{n}"), (L.PATENT, f"patent:CN9{n}"))
    return cs


def _write_during_projection(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch, times: int
) -> Callable[[], Iterator[threading.Thread]]:
    """From the moment the projection adds its first nodes, apply :func:`_a_write` (``times``
    times, once per batch of nodes added) from another thread and wait for it: on Neo4j it commits
    between two pages; on the embedded store it waits for the projection's lock (so the wait is
    cut short: half a second is ample for the writer to be blocked on it)."""
    original = nx.MultiDiGraph.add_nodes_from
    writers: list[threading.Thread] = []

    def add_nodes_from(graph: nx.MultiDiGraph, nodes: Any, **attr: Any) -> None:
        original(graph, nodes, **attr)
        if len(writers) < times:
            writer = threading.Thread(target=store.apply, args=(_a_write(len(writers)),))
            writers.append(writer)
            writer.start()
            writer.join(30.0 if store.kind == "neo4j" else 0.5)

    monkeypatch.setattr(nx.MultiDiGraph, "add_nodes_from", add_nodes_from)
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 2)

    def finished() -> Iterator[threading.Thread]:
        monkeypatch.undo()
        for writer in writers:
            writer.join(30)
            yield writer

    return finished


def test_a_projection_is_one_version_when_a_write_lands_between_pages(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.apply(fixture_changes())
    before = _snapshot(store.projection())
    finished = _write_during_projection(store, monkeypatch, times=1)
    during = _snapshot(store.projection())
    assert len(list(finished())) == 1
    after = _snapshot(store.projection())
    assert "ent:00" in dict(after[0]) and before != after
    # Neo4j reads again from the first page; the embedded store's write waited for its lock.
    assert during == (after if store.kind == "neo4j" else before)


@pytest.mark.neo4j
def test_a_paged_read_gives_up_with_a_clear_error_when_every_attempt_sees_a_write(
    neo4j_only: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = neo4j_only
    store.apply(fixture_changes())
    finished = _write_during_projection(store, monkeypatch, times=10)
    with pytest.raises(StoreUnavailableError, match="changed during each of 3 attempts"):
        store.projection()
    # One write per attempt at least; at most two, since the page read ahead while a page is
    # folded in (and its write lands) may have been read before that write committed.
    writes = len(list(finished()))
    assert neo4j_store.PAGE_ATTEMPTS == 3 <= writes <= 6
    assert {f"ent:0{n}" for n in range(writes)} <= set(store.projection().nodes)


@pytest.mark.neo4j
def test_node_rows_are_one_version_when_a_write_lands_between_pages(
    neo4j_only: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = neo4j_only
    store.apply(fixture_changes())
    assert isinstance(store, neo4j_store.Neo4jStore)
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 1)
    read_page = store._read_page
    pages: list[str] = []

    def write_after_the_first_page(name: str, pinned: list[int], *args: Any, **params: Any) -> list[Any]:
        records = read_page(name, pinned, *args, **params)
        pages.append(name)
        if len(pages) == 1:
            store.apply(_a_write(0))
        return records

    monkeypatch.setattr(store, "_read_page", write_after_the_first_page)
    rows = store.node_rows(L.ENTERPRISE, ["name"], [R.APPLIED_FOR])
    assert [r.id for r in rows] == ["ent:00", "ent:A", "ent:B"]
    assert rows[0].out == {R.APPLIED_FOR: ["patent:CN90"]}
    assert len(pages) > 4  # the read started again after the write


@pytest.mark.neo4j
def test_a_page_past_the_read_bound_is_read_again_smaller(
    neo4j_only: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = neo4j_only
    store.apply(fixture_changes())
    assert isinstance(store, neo4j_store.Neo4jStore)
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 0)
    whole = _snapshot(store.projection())
    monkeypatch.setattr(neo4j_store, "PAGE_SIZE", 8)
    monkeypatch.setattr(neo4j_store, "MIN_PAGE_SIZE", 2)
    read_page = store._read_page
    sizes: list[int] = []

    def bounded(name: str, pinned: list[int], *args: Any, **params: Any) -> list[Any]:
        sizes.append(params["page"])
        if params["page"] > 2:  # as if every page of more than two nodes passed TX_TIMEOUT_S
            error = StoreUnavailableError("the read did not finish within the bound")
            error.__cause__ = Neo4jError._hydrate_neo4j(
                code="Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", message="timed out"
            )
            raise error
        return read_page(name, pinned, *args, **params)

    monkeypatch.setattr(store, "_read_page", bounded)
    assert _snapshot(store.projection()) == whole
    assert sizes[:2] == [8, 2]  # the page past the bound was read again at a quarter of its size
    assert 4 in sizes  # quick pages let the size grow back (and past the bound shrink again)

    # An outage is not a slow page: it is raised at once, not retried smaller.
    def down(*args: Any, **params: Any) -> list[Any]:
        raise StoreUnavailableError("down")

    monkeypatch.setattr(store, "_read_page", down)
    with pytest.raises(StoreUnavailableError, match="down"):
        store.projection()
