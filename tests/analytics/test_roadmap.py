"""Industry roadmap (产业技术路线图) on a hand-built graph, on both stores, and on the real PatSnap
green-aviation export (slow)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from analytics import service
from api.app import create_app
from api.security import KeyStore
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.store import GraphStore
from tests.conftest import green_aviation_store

FIRM, AIRBUS, UNI = "ent:local", "ent:airbus", "uni:cauc"
#: (applicant, IPC code, application year); one row = one patent
PATENTS = [
    (AIRBUS, "B64D27/02", 2016),
    (FIRM, "B64D27/10", 2017),
    *[(AIRBUS, "B64D27/24", y) for y in (2019, 2019, 2020, 2020, 2021, 2021)],
    (FIRM, "B64D27/24", 2020),
    (FIRM, "B64D27/24", 2020),
    *[(AIRBUS, "B64D15/12", y) for y in (2019, 2020, 2020, 2021, 2021, 2021)],
    (AIRBUS, "B64D15/12", 2022),  # the last year: left out of the windows (publication lag)
    (UNI, "B64D11/00", 2015),
    (AIRBUS, "H01M10/00", 2020),  # outside the industry
]


def _load(store: GraphStore) -> None:
    cs = ChangeSet()
    cs.add_node(
        L.INDUSTRY, {"id": "industry:SEI-2.2", "code": "2.2", "scheme": "SEI", "name": "航空装备产业"}
    )
    cs.add_node(
        L.INDUSTRY,
        {"id": "industry:DONGLI:AERO", "code": "DONGLI:AERO", "scheme": "DONGLI", "name": "航空航天"},
    )
    cs.add_relationship(R.SUBCLASS_OF, (L.INDUSTRY, "industry:DONGLI:AERO"), (L.INDUSTRY, "industry:SEI-2.2"))
    cs.add_node(L.IPC, {"id": "ipc:B64D", "code": "B64D", "level": "subclass"})
    cs.add_relationship(R.IN_INDUSTRY, (L.IPC, "ipc:B64D"), (L.INDUSTRY, "industry:SEI-2.2"))
    cs.add_node(L.ENTERPRISE, {"id": FIRM, "name": "天津翼动航空科技有限公司", "regionCode": "120110"})
    cs.add_node(L.ENTERPRISE, {"id": AIRBUS, "name": "AIRBUS OPERATIONS SAS"})
    cs.add_node(L.UNIVERSITY, {"id": UNI, "name": "中国民航大学", "city": "天津市"})
    for i, (org, code, year) in enumerate(PATENTS):
        pid = f"patent:P{i}"
        cs.add_node(L.PATENT, {"id": pid, "title": f"p{i}", "ipcCodes": [code], "applicationYear": year})
        label = L.UNIVERSITY if org == UNI else L.ENTERPRISE
        cs.add_relationship(R.APPLIED_FOR, (label, org), (L.PATENT, pid))
    store.apply(cs)


def test_roadmap_by_hand(store: GraphStore) -> None:
    _load(store)
    r = service.roadmap(store, "DONGLI:AERO")
    assert (r.name, r.patents, r.local_patents) == ("航空航天", 18, 4)
    assert (r.recent, r.prior) == ((2019, 2021), (2016, 2018))
    assert [(a.group, a.recent, a.prior, a.growth) for a in r.growing] == [
        ("B64D15/00", 6, 0, 7.0),  # (6 + 1) / (0 + 1)
        ("B64D27/00", 8, 2, 3.0),  # (8 + 1) / (2 + 1)
    ]
    engines = r.growing[1]
    assert (engines.local, engines.local_share, engines.gap) == (3, 0.3, False)  # 0.3 ≥ ½ × 4/18
    assert [x.id for x in engines.leaders] == [FIRM]
    assert [a.group for a in r.gaps] == ["B64D15/00"]  # growing, no local filing
    assert [(s.id, s.patents) for s in r.gaps[0].strengths] == [(UNI, 1)]  # same subclass B64D
    assert [(x.id, x.patents) for x in r.leaders] == [(FIRM, 3), (UNI, 1)]
    assert r.groups[0].by_year == {2016: 1, 2017: 1, 2019: 2, 2020: 4, 2021: 2}
    assert service.roadmap(store, "*").patents == 19


def test_roadmap_api(store: GraphStore, tmp_path: Path) -> None:
    _load(store)
    client = TestClient(create_app(store=store, keys=KeyStore(tmp_path / "keys.json"), public_read=True))
    body = client.get("/api/v1/roadmap", params={"industry": "DONGLI:AERO"}).json()
    assert (
        body["gaps"][0]["group"] == "B64D15/00" and body["gaps"][0]["strengths"][0]["name"] == "中国民航大学"
    )
    assert client.get("/api/v1/roadmap/industries").json() == [{"code": "DONGLI:AERO", "name": "航空航天"}]
    missing = client.get("/api/v1/roadmap", params={"industry": "DONGLI:NOPE"})
    assert missing.status_code == 404 and "DONGLI:AERO" in missing.json()["detail"]


@pytest.mark.slow
def test_aviation_roadmap_on_the_real_patsnap_export(tmp_path: Path) -> None:
    """The PatSnap export (1,999 real publications) gives a sensible aviation roadmap."""
    store, report = green_aviation_store(tmp_path)
    assert report.files[0].rows_read == 1999 and report.files[0].quarantined == 0
    r = service.roadmap(store, "DONGLI:AERO")
    assert 1000 < r.patents < 1999  # the aviation SEI codes, not every green-tech patent
    assert r.groups[0].group in {"B64D27/00", "B64C27/00"}  # propulsion and rotorcraft dominate
    assert (r.recent, r.prior) == ((2019, 2021), (2016, 2018))  # 2022 is the last year (lag)
    assert len(r.growing) >= 5 and all(a.recent >= 5 for a in r.growing)
    assert "中国民航大学" in {x.name for x in r.leaders}
    assert r.gaps and any(s.name in {"中国民航大学", "天津大学"} for a in r.gaps for s in a.strengths)


def test_report_section_names_areas_leaders_and_gaps(store: GraphStore) -> None:
    from analytics.report_roadmap import roadmap_section

    _load(store)
    page = roadmap_section([service.roadmap(store, "DONGLI:AERO")])
    row = next(r for r in page.split("<tr>") if "航空航天" in r)
    assert "B64D15/00 ×7.0（0→6）" in row and "B64D27/00 ×3.0（2→8）" in row
    assert "天津翼动航空科技有限公司（3）" in row  # local leader
    assert "B64D15/00：中国民航大学（1）" in row  # the gap and the local university to draw on
