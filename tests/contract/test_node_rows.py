"""``GraphStore.node_rows``: one label's nodes with only the asked properties and their outgoing
relationships of the asked types grouped per type — the same rows on both stores (the monitor
series reads its firms this way)."""

from __future__ import annotations

from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.records import NodeRow
from graph.store import GraphStore


def _graph(store: GraphStore) -> None:
    cs = ChangeSet()
    for code in ("B", "A"):
        cs.add_node(L.INDUSTRY, {"id": f"industry:{code}", "code": code})
    cs.add_node(L.PARK, {"id": "park:1", "name": "园区"})
    cs.add_node(L.UNIVERSITY, {"id": "uni:1", "name": "大学", "founded": "1950"})
    cs.add_node(
        L.ENTERPRISE,
        {"id": "ent:2", "name": "乙", "founded": "2012-03-01", "revenueYears": [2010, 2011], "techSme": True},
    )
    cs.add_node(L.ENTERPRISE, {"id": "ent:1", "name": "甲", "revenue": 1.5e7, "highTech": False})
    cs.add_node(L.ENTERPRISE, {"id": "ent:3", "name": "丙"})
    cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, "ent:2"), (L.INDUSTRY, "industry:B"))
    cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, "ent:2"), (L.INDUSTRY, "industry:A"))
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, "ent:2"), (L.PARK, "park:1"))
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, "ent:1"), (L.PARK, "park:1"))
    cs.add_relationship(R.IN_INDUSTRY, (L.UNIVERSITY, "uni:1"), (L.INDUSTRY, "industry:A"))
    cs.add_relationship(R.SUBCLASS_OF, (L.INDUSTRY, "industry:B"), (L.INDUSTRY, "industry:A"))
    store.apply(cs)


def test_node_rows_hold_the_asked_columns_only(store: GraphStore) -> None:
    _graph(store)
    rows = store.node_rows(
        L.ENTERPRISE, ("techSme", "founded", "revenue", "revenueYears"), (R.LOCATED_IN, R.IN_INDUSTRY)
    )
    assert rows == [
        NodeRow("ent:1", {"revenue": 1.5e7}, {R.LOCATED_IN: ["park:1"]}),
        NodeRow(
            "ent:2",
            {"techSme": True, "founded": "2012-03-01", "revenueYears": [2010, 2011]},
            {R.IN_INDUSTRY: ["industry:A", "industry:B"], R.LOCATED_IN: ["park:1"]},
        ),
        NodeRow("ent:3", {}, {}),
    ]
    # Properties in the order asked, types in one order, whichever store answered.
    assert [list(r.props) for r in rows] == [["revenue"], ["techSme", "founded", "revenueYears"], []]
    assert list(rows[1].out) == [R.IN_INDUSTRY, R.LOCATED_IN]
    # Only the asked types, only the asked label; nothing asked, nothing read.
    assert store.node_rows(L.INDUSTRY, ("code",), (R.LOCATED_IN,)) == [
        NodeRow("industry:A", {"code": "A"}, {}),
        NodeRow("industry:B", {"code": "B"}, {}),
    ]
    assert store.node_rows(L.UNIVERSITY, (), ()) == [NodeRow("uni:1", {}, {})]
    assert store.node_rows(L.PATENT, ("title",), (R.APPLIED_FOR,)) == []
