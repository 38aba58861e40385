"""Dated facts on both stores: "as of year Y" reads of yearly lists and yearly figures.

A later list edition that omits a firm ends its membership from that year on; the earlier
editions stay, so any past year can still be asked for.
"""

from __future__ import annotations

from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.records import ListEditionMembers, ReportSeries
from graph.store import GraphStore
from ingest.editions import annual_report_id, edition_id

FIRMS = ("ent:A", "ent:B", "ent:C")


def _edition(changes: ChangeSet, year: int, members: dict[str, str | None], kind: str = "techSme") -> None:
    list_id = edition_id(kind, year)
    changes.add_node(L.LIST_EDITION, {"id": list_id, "kind": kind, "year": year, "name": f"{year} {kind}"})
    for firm, level in members.items():
        props: dict[str, object] = {"year": year, "sources": [f"list{year}"]}
        if level is not None:
            props["level"] = level
        changes.add_relationship(R.LISTED_IN, (L.ENTERPRISE, firm), (L.LIST_EDITION, list_id), props)


def _report(changes: ChangeSet, firm: str, year: int, revenue: float, employees: int) -> None:
    rid = annual_report_id(firm, year)
    changes.add_node(
        L.ANNUAL_REPORT,
        {"id": rid, "year": year, "revenue": revenue, "employees": employees, "sources": ["stats"]},
    )
    changes.add_relationship(R.REPORTED, (L.ENTERPRISE, firm), (L.ANNUAL_REPORT, rid), {"year": year})


def _load_2010(store: GraphStore) -> None:
    changes = ChangeSet()
    for firm in FIRMS:
        changes.add_node(L.ENTERPRISE, {"id": firm, "name": f"天津{firm[-1]}科技有限公司"})
    _edition(changes, 2010, {"ent:A": None, "ent:B": "市级"})
    _edition(changes, 2010, {"ent:A": None}, kind="highTech")
    _report(changes, "ent:A", 2010, 1.0e7, 20)
    _report(changes, "ent:B", 2010, 3.0e6, 8)
    store.apply(changes)


def _load_2011_and_2013(store: GraphStore) -> None:
    changes = ChangeSet()
    _edition(changes, 2011, {"ent:B": None, "ent:C": None})
    _edition(changes, 2013, {"ent:C": None})
    _report(changes, "ent:A", 2011, 2.5e7, 31)
    _report(changes, "ent:C", 2013, 5.0e5, 3)
    store.apply(changes)


def _ids(store: GraphStore, kind: str, year: int) -> list[tuple[str, int]]:
    return [(m.id, m.edition_year) for m in store.list_members(kind, year)]


def test_list_membership_as_of_a_year(store: GraphStore) -> None:
    _load_2010(store)
    assert _ids(store, "techSme", 2009) == []
    assert _ids(store, "techSme", 2010) == [("ent:A", 2010), ("ent:B", 2010)]
    assert _ids(store, "techSme", 2012) == [("ent:A", 2010), ("ent:B", 2010)]  # no newer edition yet
    _load_2011_and_2013(store)
    # 2011 omits A: its membership ends in 2011; 2013 keeps only C.
    assert _ids(store, "techSme", 2011) == [("ent:B", 2011), ("ent:C", 2011)]
    assert _ids(store, "techSme", 2012) == [("ent:B", 2011), ("ent:C", 2011)]
    assert _ids(store, "techSme", 2015) == [("ent:C", 2013)]
    # Nothing was deleted: the 2010 edition still answers for 2010.
    assert _ids(store, "techSme", 2010) == [("ent:A", 2010), ("ent:B", 2010)]
    members = store.list_members("techSme", 2010)
    assert [(m.label, m.level) for m in members] == [(L.ENTERPRISE, None), (L.ENTERPRISE, "市级")]
    # Lists are independent of one another.
    assert _ids(store, "highTech", 2015) == [("ent:A", 2010)]
    assert store.list_members("littleGiant", 2015) == []


def test_annual_figures_as_of_a_year(store: GraphStore) -> None:
    _load_2010(store)
    _load_2011_and_2013(store)
    assert store.annual_figures(2009) == []
    as_2010 = {f.id: (f.year, f.figures) for f in store.annual_figures(2010)}
    assert as_2010 == {
        "ent:A": (2010, {"revenue": 1.0e7, "employees": 20}),
        "ent:B": (2010, {"revenue": 3.0e6, "employees": 8}),
    }
    as_2012 = [(f.id, f.year, f.figures["revenue"]) for f in store.annual_figures(2012)]
    assert as_2012 == [("ent:A", 2011, 2.5e7), ("ent:B", 2010, 3.0e6)]
    as_2013 = [(f.id, f.year) for f in store.annual_figures(2013)]
    assert as_2013 == [("ent:A", 2011), ("ent:B", 2010), ("ent:C", 2013)]


def test_history_reads_hold_every_edition_and_report(store: GraphStore) -> None:
    _load_2010(store)
    _load_2011_and_2013(store)
    empty = ChangeSet()
    empty.add_node(
        L.LIST_EDITION, {"id": edition_id("littleGiant", 2012), "kind": "littleGiant", "year": 2012}
    )
    store.apply(empty)
    assert store.list_history() == [
        ListEditionMembers("highTech", 2010, [("ent:A", None)]),
        ListEditionMembers("littleGiant", 2012, []),  # an edition that names nobody still has a row
        ListEditionMembers("techSme", 2010, [("ent:A", None), ("ent:B", "市级")]),
        ListEditionMembers("techSme", 2011, [("ent:B", None), ("ent:C", None)]),
        ListEditionMembers("techSme", 2013, [("ent:C", None)]),
    ]
    assert store.report_history() == [
        ReportSeries(
            "ent:A",
            [(2010, {"revenue": 1.0e7, "employees": 20}), (2011, {"revenue": 2.5e7, "employees": 31})],
        ),
        ReportSeries("ent:B", [(2010, {"revenue": 3.0e6, "employees": 8})]),
        ReportSeries("ent:C", [(2013, {"revenue": 5.0e5, "employees": 3})]),
    ]


def test_both_stores_agree_on_dated_reads(embedded_store: GraphStore, neo4j_store: GraphStore) -> None:
    for s in (embedded_store, neo4j_store):
        _load_2010(s)
        _load_2011_and_2013(s)
    for year in range(2009, 2016):
        for kind in ("techSme", "highTech"):
            assert embedded_store.list_members(kind, year) == neo4j_store.list_members(kind, year)
        assert embedded_store.annual_figures(year) == neo4j_store.annual_figures(year)
    assert embedded_store.list_history() == neo4j_store.list_history()
    assert embedded_store.report_history() == neo4j_store.report_history()
