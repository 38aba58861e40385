"""The monitor series from its narrow inputs (issue #13, ×10 in under 2 s) gives the answer of an
independent computation: every indicator from the whole analysis projection
(``gather_facts(analysis_projection(store))``), on both stores — the by-hand two-year fixture,
and a graph where the strategic count needs its fallback and an incubator list names
organisations that are not incubators."""

from __future__ import annotations

import gc

import pytest

from analytics import service
from analytics.facts import gather_facts
from analytics.plan import load_plan
from analytics.projection import analysis_projection
from analytics.timeline import (
    SERIES_FIRM_PROPS,
    MonitorSeries,
    monitor_series,
    read_dated,
    series_facts,
    series_projection,
)
from graph.changeset import ChangeSet
from graph.collector import collector_paused
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.store import GraphStore
from ingest.editions import edition_id
from tests.analytics.test_monitor_series import two_years  # noqa: F401  (a fixture)
from tests.contract.test_dated_facts import _edition, _load_2010, _report


def _independent(store: GraphStore) -> MonitorSeries:
    """The series with every undated fact from the whole analysis projection, read per year."""
    return monitor_series(store, analysis_projection(store), load_plan())


def _assert_same_facts(store: GraphStore) -> None:
    full = gather_facts(analysis_projection(store), with_patents=False)
    narrow = series_facts(store, series_projection(store))
    assert narrow.firms == full.firms
    assert narrow.tech_smes == full.tech_smes
    assert narrow.in_park == full.in_park
    assert narrow.strategic == full.strategic
    assert (narrow.incubators, narrow.parks, narrow.alliances) == (
        full.incubators,
        full.parks,
        full.alliances,
    )
    assert narrow.productivity_centres == full.productivity_centres
    assert narrow.attrs == {f: {k: a[k] for k in SERIES_FIRM_PROPS if k in a} for f, a in full.attrs.items()}


def test_the_narrow_series_is_the_independent_one_on_the_two_year_fixture(two_years: GraphStore) -> None:  # noqa: F811
    _assert_same_facts(two_years)
    assert service.monitor_series(two_years) == _independent(two_years)


def _fallback_graph(store: GraphStore) -> None:
    cs = ChangeSet()
    cs.add_node(L.INDUSTRY, {"id": "industry:SEI-2", "code": "2", "scheme": "SEI", "name": "高端装备"})
    cs.add_node(L.INDUSTRY, {"id": "industry:DONGLI:AERO", "code": "DONGLI:AERO", "scheme": "DONGLI"})
    # Below a plan industry: not a direct strategic classification, only through the tree.
    cs.add_node(L.INDUSTRY, {"id": "industry:GB:3741", "code": "3741", "scheme": "GB", "name": "飞机制造"})
    cs.add_relationship(R.SUBCLASS_OF, (L.INDUSTRY, "industry:DONGLI:AERO"), (L.INDUSTRY, "industry:SEI-2"))
    cs.add_relationship(R.SUBCLASS_OF, (L.INDUSTRY, "industry:GB:3741"), (L.INDUSTRY, "industry:DONGLI:AERO"))
    cs.add_node(L.PARK, {"id": "park:1", "name": "航空城", "level": "市级"})
    cs.add_node(L.INCUBATOR, {"id": "inc:1", "name": "孵化器一", "level": "国家级"})
    cs.add_node(L.UNIVERSITY, {"id": "uni:1", "name": "中国民航大学"})
    for firm, founded in (("ent:A", "2005-01-01"), ("ent:B", None), ("ent:C", "2011-06-01")):
        props: dict[str, object] = {"id": firm, "name": f"天津{firm[-1]}航空有限公司", "techSme": True}
        if founded:
            props["founded"] = founded
        cs.add_node(L.ENTERPRISE, props)
    cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, "ent:A"), (L.INDUSTRY, "industry:GB:3741"))
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, "ent:B"), (L.PARK, "park:1"))
    _edition(cs, 2010, {"ent:A": None, "ent:B": None})
    _edition(cs, 2011, {"ent:A": None, "ent:B": None, "ent:C": None})
    for year, members in (
        (2010, ((L.INCUBATOR, "inc:1", None), (L.UNIVERSITY, "uni:1", "市级"))),
        (2011, ((L.INCUBATOR, "inc:1", None),)),
    ):
        edition = edition_id("incubator", year)
        cs.add_node(L.LIST_EDITION, {"id": edition, "kind": "incubator", "year": year})
        for label, member, level in members:
            rel: dict[str, object] = {"year": year} | ({"level": level} if level else {})
            cs.add_relationship(R.LISTED_IN, (label, member), (L.LIST_EDITION, edition), rel)
    for year, revenue in ((2010, 2e7), (2011, 1.5e8)):
        _report(cs, "ent:A", year, revenue, 30)
    _report(cs, "ent:C", 2011, 4e8, 200)
    store.apply(cs)


def test_the_narrow_series_is_the_independent_one_with_the_fallbacks(store: GraphStore) -> None:
    _fallback_graph(store)
    _assert_same_facts(store)
    assert series_facts(store, series_projection(store)).strategic == {"ent:A"}  # through the tree
    # The university on the 2010 incubator list is read although the projection leaves it out.
    assert read_dated(store, series_projection(store)).orgs.keys() == {"inc:1", "uni:1"}
    series = service.monitor_series(store)
    assert series == _independent(store)
    points = {i.id: [(p.year, p.value) for p in i.points] for i in series.indicators}
    assert points["incubators"] == [(2010, 2), (2011, 1)]
    assert points["incubators_city_level_share"] == [(2010, 1.0), (2011, 1.0)]
    assert points["strategic_firms"] == [(2010, 1), (2011, 1)]
    assert points["park_share"] == [(2010, 0.5), (2011, round(1 / 3, 6))]


def _demand(store: GraphStore, n: int) -> None:
    cs = ChangeSet()
    cs.add_node(L.TECH_DEMAND, {"id": f"demand:{n}", "title": f"求购航空复合材料工艺 {n}"})
    cs.add_relationship(R.POSTED, (L.ENTERPRISE, "ent:A"), (L.TECH_DEMAND, f"demand:{n}"))
    store.apply(cs)


def test_the_series_is_kept_across_writes_it_does_not_read(store: GraphStore) -> None:
    _fallback_graph(store)
    cs = ChangeSet()  # a firm with a strategic industry of its own: the series reads no patent
    cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, "ent:B"), (L.INDUSTRY, "industry:DONGLI:AERO"))
    store.apply(cs)
    first = service.monitor_series(store)
    before = store.version()
    _demand(store, 1)  # a demand and its POSTED edge: no list, report or indicator input
    assert store.version() > before
    assert service.monitor_series(store) is first
    _demand(store, 2)
    assert service.monitor_series(store) is first

    cs = ChangeSet()  # a 2012 tech-SME list edition: recomputed, and the answer moves
    _edition(cs, 2012, {"ent:A": None, "ent:B": None, "ent:C": None})
    store.apply(cs)
    second = service.monitor_series(store)
    assert second is not first and second.years == [2010, 2011, 2012]
    assert second == _independent(store)

    cs = ChangeSet()  # a 2012 annual report: recomputed, the revenue of 2012 moves
    _report(cs, "ent:B", 2012, 9e7, 50)
    store.apply(cs)
    third = service.monitor_series(store)
    revenue = {i.id: i for i in third.indicators}["tech_sme_revenue"].points
    assert third is not second and third == _independent(store)
    assert revenue[-1].value == pytest.approx(1.5e8 + 9e7 + 4e8)  # A's 2011, B's 2012, C's 2011
    _demand(store, 3)
    assert service.monitor_series(store) is third


def test_a_series_that_reads_patents_is_dropped_by_any_write(store: GraphStore) -> None:
    _load_2010(store)  # no firm has an industry at all: patent evidence decides the strategic count
    first = service.monitor_series(store)
    _demand(store, 1)
    second = service.monitor_series(store)
    assert second is not first and second == first == _independent(store)


def test_the_collector_pause_restores_what_it_found() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block leaves it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed series")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: still off
    finally:
        gc.enable()
