"""The store contract: every operation gives the same answer on the embedded store and Neo4j.

Each test runs once per store (the ``store`` fixture); ``test_both_stores_agree`` also puts the
two side by side on the same fixture and compares every read.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from graph import cache
from graph.changeset import ChangeSet
from graph.counts import kept_counts
from graph.errors import ValidationError
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.search import search
from graph.store import GraphStore
from tests.contract.fixture_graph import fixture_changes


def _snapshot(store: GraphStore) -> dict[str, object]:
    """Every read the interface offers, in a comparable form."""
    proj = store.projection()
    return {
        "counts": (store.counts().labels, store.counts().relationships),
        "nodes": [(n.id, n.props) for n in store.nodes(L.ENTERPRISE)],
        "get": store.get_node("uni:4112010056"),
        "get_many": store.get_nodes(["patent:CN2", "nope", "ent:A"]),
        "rels": store.relationships(R.APPLIED_FOR),
        "neighbors": store.neighbors("patent:CN1"),
        "neighbors_out": store.neighbors("ent:A", direction="out", rel_types=[R.LOCATED_IN]),
        "neighbor_groups": store.neighbor_groups("patent:CN1"),
        "neighbors_page": store.neighbors("patent:CN1", after=("APPLIED_FOR", "in", "ent:A"), limit=2),
        "search_zh": search(store, "天大"),
        "search_en": search(store, "univ tianjin"),
        "search_typed": search(store, "天津", labels=[L.ENTERPRISE]),
        "projection_nodes": sorted(proj.nodes(data=True)),
        "projection_edges": sorted(
            (u, v, k.value, sorted(d.items())) for u, v, k, d in proj.edges(keys=True, data=True)
        ),
        "all": list(store.iter_all()),
    }


def test_upsert_and_counts(store: GraphStore) -> None:
    result = store.apply(fixture_changes())
    counts = store.counts()
    assert (result.nodes, result.relationships) == (9, 9)
    assert counts.labels["Enterprise"] == 2 and counts.labels["Patent"] == 2
    assert counts.relationships["APPLIED_FOR"] == 3 and counts.relationships["LOCATED_IN"] == 2
    assert counts.nodes == 9 and counts.edges == 9


def test_loading_twice_changes_nothing(store: GraphStore) -> None:
    store.apply(fixture_changes())
    before = _snapshot(store)
    store.apply(fixture_changes())
    assert _snapshot(store) == before


def test_get_returns_properties_and_label(store: GraphStore) -> None:
    store.apply(fixture_changes())
    node = store.get_node("uni:4112010056")
    assert node is not None and node.label is L.UNIVERSITY
    assert node.props["nameEn"] == "Tianjin University"
    assert node.props["aliases"] == ["天大", "UNIV TIANJIN"]
    assert store.get_node("uni:missing") is None


def test_union_properties_accumulate(store: GraphStore) -> None:
    store.apply(fixture_changes())
    more = ChangeSet()
    more.add_node(
        L.ENTERPRISE,
        {"id": "ent:A", "aliases": ["晶辉", "晶辉光电"], "sources": ["patents"], "revenue": 1.3e8},
    )
    store.apply(more)
    node = store.get_node("ent:A")
    assert node is not None
    assert node.props["aliases"] == ["晶辉光电", "晶辉"]
    assert node.props["sources"] == ["registry", "patents"]
    assert node.props["revenue"] == 1.3e8
    assert node.props["name"] == "天津晶辉光电科技有限公司"


def test_search_follows_a_merge_into_an_existing_node(store: GraphStore) -> None:
    # The merge path (Neo4j: ON MATCH) recomputes searchText from the node's new name and the
    # union of its old and new aliases, not from the incoming row alone.
    store.apply(fixture_changes())
    more = ChangeSet()
    more.add_node(L.ENTERPRISE, {"id": "ent:A", "name": "天津晶耀半导体有限公司", "aliases": ["晶耀LED"]})
    store.apply(more)
    for query in ("晶耀半导体", "晶耀led", "晶辉光电"):
        hits = search(store, query)
        assert hits and hits[0][0].id == "ent:A", query
    assert not search(store, "晶辉光电科技有限公司"), "the old name is replaced, not kept"


def test_neighbourhood(store: GraphStore) -> None:
    store.apply(fixture_changes())
    around = store.neighbors("patent:CN1")
    assert [(n.rel.type, n.direction, n.node.id) for n in around] == [
        (R.APPLIED_FOR, "in", "ent:A"),
        (R.APPLIED_FOR, "in", "uni:4112010056"),
        (R.CLASSIFIED_AS, "out", "ipc:H01L33/00"),
        (R.INVENTED, "in", "person:1"),
    ]
    assert around[1].rel.props["order"] == 2
    assert store.neighbors("nope") == []
    assert len(store.neighbors("patent:CN1", limit=2)) == 2


def test_neighbour_groups_count_what_the_pages_hold(store: GraphStore) -> None:
    store.apply(fixture_changes())
    assert [(g.type, g.direction, g.label, g.count) for g in store.neighbor_groups("patent:CN1")] == [
        (R.APPLIED_FOR, "in", L.ENTERPRISE, 1),
        (R.APPLIED_FOR, "in", L.UNIVERSITY, 1),
        (R.CLASSIFIED_AS, "out", L.IPC, 1),
        (R.INVENTED, "in", L.PERSON, 1),
    ]
    assert store.neighbor_groups("nope") == []
    only = store.neighbors("patent:CN1", labels=[L.UNIVERSITY])
    assert [n.node.id for n in only] == ["uni:4112010056"]


def _hub(n_patents: int, n_people: int) -> ChangeSet:
    """A firm with many patents and inventors around it: the shape that needs paging."""
    cs = ChangeSet()
    cs.add_node(L.ENTERPRISE, {"id": "ent:hub", "name": "枢纽企业"})
    for i in range(n_patents):
        cs.add_node(L.PATENT, {"id": f"patent:H{i:04d}", "number": f"H{i}", "title": f"专利{i}"})
        cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, "ent:hub"), (L.PATENT, f"patent:H{i:04d}"))
    for i in range(n_people):
        cs.add_node(L.PERSON, {"id": f"person:H{i:03d}", "name": f"员工{i}"})
        cs.add_relationship(R.AFFILIATED_WITH, (L.PERSON, f"person:H{i:03d}"), (L.ENTERPRISE, "ent:hub"))
    cs.add_node(L.PARK, {"id": "park:hub", "name": "园区"})
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, "ent:hub"), (L.PARK, "park:hub"))
    return cs


def test_paging_a_big_neighbourhood_visits_each_neighbour_once(store: GraphStore) -> None:
    store.apply(_hub(230, 17))
    groups = store.neighbor_groups("ent:hub")
    assert [(g.type, g.direction, g.label, g.count) for g in groups] == [
        (R.AFFILIATED_WITH, "in", L.PERSON, 17),
        (R.APPLIED_FOR, "out", L.PATENT, 230),
        (R.LOCATED_IN, "out", L.PARK, 1),
    ]
    everything = store.neighbors("ent:hub", limit=1000)
    assert len(everything) == sum(g.count for g in groups) == 248
    pages, after = [], None
    while True:
        page = store.neighbors("ent:hub", after=after, limit=50)
        if not page:
            break
        pages.append(page)
        last = page[-1]
        after = (last.rel.type.value, last.direction, last.node.id)
    assert [len(p) for p in pages] == [50, 50, 50, 50, 48]
    assert [n for p in pages for n in p] == everything
    # One group at a time, as the page expands it: the filters and the cursor combine.
    people = store.neighbors(
        "ent:hub", rel_types=[R.AFFILIATED_WITH], direction="in", labels=[L.PERSON], limit=10
    )
    rest = store.neighbors(
        "ent:hub",
        rel_types=[R.AFFILIATED_WITH],
        direction="in",
        labels=[L.PERSON],
        after=("AFFILIATED_WITH", "in", people[-1].node.id),
        limit=100,
    )
    assert [n.node.id for n in people + rest] == [f"person:H{i:03d}" for i in range(17)]
    assert store.neighbors("ent:hub", labels=[L.UNIVERSITY]) == []


def test_search_by_chinese_english_pinyin_alias(store: GraphStore) -> None:
    store.apply(fixture_changes())
    for query in ("天津大学", "天大", "Tianjin University", "univ tianjin", "tianjindaxue"):
        hits = search(store, query)
        assert hits and hits[0][0].id == "uni:4112010056", query
    typed = search(store, "天津", labels=[L.ENTERPRISE])
    assert {n.id for n, _ in typed} == {"ent:A", "ent:B"}
    assert search(store, "   ") == []


def test_a_kept_search_answer_lasts_until_a_write_touches_what_it_searched(store: GraphStore) -> None:
    # graph/search.py keeps ranked answers (a province's "天津" costs Neo4j a second); a write
    # to a label the search reads must be seen at once, a write to another label keeps them.
    store.apply(fixture_changes())
    assert search(store, "晶耀") == []
    typed = search(store, "天津", labels=[L.ENTERPRISE])
    computed = cache.computed["search"]
    assert search(store, "天津", labels=[L.ENTERPRISE]) == typed
    assert search(store, "天津 ", labels=[L.ENTERPRISE], limit=1) == typed[:1], (
        "one answer per normalised query"
    )
    assert cache.computed["search"] == computed, "asked again: kept, not recomputed"

    demand = ChangeSet()
    demand.add_node(L.TECH_DEMAND, {"id": "demand:glow", "title": "天津晶耀封装散热需求"})
    store.apply(demand)
    assert [n.id for n, _ in search(store, "晶耀")] == ["demand:glow"], "a new node is found at once"
    assert search(store, "天津", labels=[L.ENTERPRISE]) == typed
    assert cache.computed["search"] == computed + 1, "only the search over every label was redone"

    firm = ChangeSet()
    firm.add_node(L.ENTERPRISE, {"id": "ent:glow", "name": "天津晶耀科技有限公司"})
    store.apply(firm)
    assert "ent:glow" in {n.id for n, _ in search(store, "天津", labels=[L.ENTERPRISE])}
    assert {n.id for n, _ in search(store, "晶耀")} == {"demand:glow", "ent:glow"}

    store.clear()
    assert search(store, "晶耀") == [], "a cleared store answers from what it holds now"


def test_kept_counts_last_until_the_next_write(store: GraphStore) -> None:
    # /api/v1/stats answers from graph/counts.py: kept per version, since on Neo4j the counts are
    # one statement per label and type; a write must show in the next answer.
    store.apply(fixture_changes())
    computed = cache.computed["counts"]
    before = kept_counts(store)
    assert before == store.counts()
    assert cache.computed["counts"] == computed + 1
    assert kept_counts(store) == before
    assert cache.computed["counts"] == computed + 1, "asked again: kept, not recomputed"

    demand = ChangeSet()
    demand.add_node(L.TECH_DEMAND, {"id": "demand:count", "title": "散热需求"})
    store.apply(demand)
    after = kept_counts(store)
    assert after.labels[L.TECH_DEMAND.value] == before.labels.get(L.TECH_DEMAND.value, 0) + 1
    assert after == store.counts()
    store.clear()
    assert sum(kept_counts(store).labels.values()) == 0, "a cleared store counts what it holds now"


def test_projection(store: GraphStore) -> None:
    store.apply(fixture_changes())
    proj = store.projection(labels=[L.ENTERPRISE, L.PATENT], rel_types=[R.APPLIED_FOR])
    assert isinstance(proj, nx.MultiDiGraph)
    assert sorted(proj.nodes) == ["ent:A", "ent:B", "patent:CN1", "patent:CN2"]
    assert sorted(proj.edges(keys=True)) == [
        ("ent:A", "patent:CN1", R.APPLIED_FOR),
        ("ent:A", "patent:CN2", R.APPLIED_FOR),
    ]
    assert proj.nodes["ent:A"]["label"] is L.ENTERPRISE and proj.nodes["ent:A"]["revenue"] == 1.2e8


def test_projection_keeps_every_relationship_between_projected_nodes(store: GraphStore) -> None:
    # The embedded store finds these edges from whichever end has fewer adjacency entries; every
    # one- and two-label projection of the fixture walks one side or the other.
    store.apply(fixture_changes())
    every = [(r.start, r.end, r.type) for t in R for r in store.relationships(t)]
    labels = [L(label) for label in sorted(store.counts().labels)]
    assert len(labels) >= 3 and every
    for size in (1, 2):
        for chosen in itertools.combinations(labels, size):
            proj = store.projection(labels=chosen)
            ids = set(proj.nodes)
            expected = sorted(e for e in every if e[0] in ids and e[1] in ids)
            assert sorted(proj.edges(keys=True)) == expected, chosen


def test_delete_nodes(store: GraphStore) -> None:
    store.apply(fixture_changes())
    assert store.delete_nodes(["ent:B", "nope"]) == 1
    assert store.get_node("ent:B") is None
    assert store.counts().relationships["LOCATED_IN"] == 1


def test_failed_apply_writes_nothing(store: GraphStore) -> None:
    store.apply(fixture_changes())
    before = _snapshot(store)
    bad = ChangeSet()
    bad.add_node(L.ENTERPRISE, {"id": "ent:new", "name": "新企业"})
    bad.add_node(L.ENTERPRISE, {"id": "ent:A", "name": "改名了"})
    bad.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, "ent:new"), (L.PATENT, "patent:missing"))
    with pytest.raises(ValidationError, match="patent:missing"):
        store.apply(bad)
    assert _snapshot(store) == before


@pytest.mark.neo4j
def test_both_stores_agree(embedded_store: GraphStore, neo4j_store: GraphStore) -> None:
    embedded_store.apply(fixture_changes())
    neo4j_store.apply(fixture_changes())
    left, right = _snapshot(embedded_store), _snapshot(neo4j_store)
    for key in left:
        assert left[key] == right[key], key


def test_version_grows_with_every_write(store: GraphStore) -> None:
    start = store.version()
    store.apply(fixture_changes())
    after_apply = store.version()
    store.delete_nodes(["ent:B"])
    after_delete = store.version()
    store.clear()
    assert start < after_apply < after_delete < store.version()


def test_an_id_belongs_to_one_label(store: GraphStore) -> None:
    store.apply(fixture_changes())
    clash = ChangeSet()
    clash.add_node(L.RESEARCH_INSTITUTE, {"id": "uni:4112010056", "name": "冒名研究所"})
    with pytest.raises(ValidationError):
        store.apply(clash)
    node = store.get_node("uni:4112010056")
    assert node is not None and node.label is L.UNIVERSITY and node.props["name"] == "天津大学"
