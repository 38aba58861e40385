"""Growth diagnosis (企业成长诊断) on a hand-built district, on both stores, with the reader rule."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from analytics import service
from api.security import Role
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.store import GraphStore
from ingest.editions import annual_report_id, edition_id
from tests.analytics.conftest import open_api

AERO, LED = "industry:DONGLI:AERO", "industry:DONGLI:LED"
#: firm: (industry, {year: revenue in yuan}, patents as (year, kind))
FIRMS = {
    "ent:me": (AERO, {2010: 2.0e7, 2012: 4.5e7}, [(2011, "发明"), (2011, "实用新型"), (2012, "发明")]),
    "ent:peer": (
        AERO,
        {2010: 6.0e7, 2011: 8.0e7, 2012: 1.2e8},
        [(2009, "发明"), (2011, "实用新型"), (2012, "发明")],
    ),
    "ent:other": (LED, {2010: 9.0e7, 2011: 1.5e8}, []),  # crossed, but in another industry
    "ent:flat": (AERO, {2010: 2.0e8, 2011: 2.1e8}, []),  # never below the threshold: no step
}


def _load(store: GraphStore) -> None:
    cs = ChangeSet()
    cs.add_node(L.INDUSTRY, {"id": "industry:SEI-2", "code": "2", "scheme": "SEI", "name": "高端装备"})
    for node, name in ((AERO, "航空航天"), (LED, "半导体照明")):
        cs.add_node(L.INDUSTRY, {"id": node, "code": node[9:], "scheme": "DONGLI", "name": name})
        cs.add_relationship(R.SUBCLASS_OF, (L.INDUSTRY, node), (L.INDUSTRY, "industry:SEI-2"))
    cs.add_node(L.UNIVERSITY, {"id": "uni:1", "name": "中国民航大学"})
    for firm, (industry, revenue, patents) in FIRMS.items():
        cs.add_node(L.ENTERPRISE, {"id": firm, "name": firm[4:]})
        cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, firm), (L.INDUSTRY, industry))
        for year, value in revenue.items():
            rid = annual_report_id(firm, year)
            cs.add_node(L.ANNUAL_REPORT, {"id": rid, "year": year, "revenue": value})
            cs.add_relationship(R.REPORTED, (L.ENTERPRISE, firm), (L.ANNUAL_REPORT, rid), {"year": year})
            lid = edition_id("techSme", year)
            cs.add_node(L.LIST_EDITION, {"id": lid, "kind": "techSme", "year": year})
            cs.add_relationship(R.LISTED_IN, (L.ENTERPRISE, firm), (L.LIST_EDITION, lid), {"year": year})
        for i, (year, kind) in enumerate(patents):
            pid = f"patent:{firm[4:]}{i}"
            cs.add_node(L.PATENT, {"id": pid, "title": "t", "kind": kind, "applicationYear": year})
            cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, firm), (L.PATENT, pid))
            if firm == "ent:peer" and i == 0:
                cs.add_relationship(R.APPLIED_FOR, (L.UNIVERSITY, "uni:1"), (L.PATENT, pid))
    store.apply(cs)


def test_diagnosis_by_hand(store: GraphStore) -> None:
    _load(store)
    d = service.growth_diagnosis(store, "ent:me")
    assert [(r.year, r.stage) for r in d.revenue] == [(2010, "成长期"), (2012, "成长期")]
    assert [(p.year, p.patents, p.inventions) for p in d.patents] == [(2011, 2, 1), (2012, 1, 1)]
    growth = 1.5 - 1  # 2000万 → 4500万 over two years: (4.5 / 2) ** (1 / 2) − 1 = 0.5
    assert d.growth == pytest.approx(growth)
    assert d.gap == pytest.approx(1e8 - 4.5e7)
    assert d.years_to_threshold == pytest.approx(math.log(1e8 / 4.5e7) / math.log(1.5), abs=0.01)
    assert d.industries == ["航空航天"] and d.stage == "成长期"
    assert [p.id for p in d.peers] == ["ent:peer"]  # same industry and made the step
    peer = d.peers[0]
    assert (peer.crossed_in, peer.revenue_before, peer.patents, peer.inventions, peer.partners) == (
        2012,
        8.0e7,
        2,  # filed before 2012
        1,
        1,  # the university it co-applied with
    )
    assert peer.growth == pytest.approx(math.sqrt(1.2e8 / 6.0e7) - 1, abs=1e-6)
    assert "科技型中小企业创新基金" in d.support


def test_api_hides_firm_money_from_readers(store: GraphStore, tmp_path: Path) -> None:
    _load(store)
    client, editor = open_api(store, tmp_path / "keys.json", Role.EDITOR)
    reader = client.get("/api/v1/enterprises/ent:me/growth").json()
    assert reader["gap"] is None and reader["growth"] is None
    assert [s["revenue"] for s in reader["stages"]] == [None, None]
    assert reader["peers"][0]["revenueBefore"] is None and reader["peers"][0]["patents"] == 2
    # Revenue-derived, so withheld from readers like the monitor's (graph.model SENSITIVE_DERIVED_FIELDS).
    assert reader["yearsToThreshold"] is None
    full = client.get("/api/v1/enterprises/ent:me/growth", headers={"X-API-Key": editor}).json()
    assert full["yearsToThreshold"] == pytest.approx(1.97, abs=0.01)  # ln(100/45) / ln 1.5
    assert [s["revenue"] for s in full["stages"]] == [2.0e7, 4.5e7] and full["gap"] == pytest.approx(5.5e7)
    missing = client.get("/api/v1/enterprises/uni:1/growth")
    assert missing.status_code == 404
