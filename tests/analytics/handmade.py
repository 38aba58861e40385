"""A seven-firm graph small enough to compute every cluster metric by hand.

Cluster A: a1, a2, a3 co-apply pairwise; x co-applies three times with a3 and once with b1.
Cluster B: b1, b2, b3 co-apply pairwise. z (industry 1.2, like A) has no ties at all.

    a1 ─ a2        b2
     \\  /         /  \\
      a3 ══ x ── b1 ─ b3

Hand-computed values are in ``tests/analytics/test_metrics.py``.
"""

from __future__ import annotations

import dataclasses

from analytics.clusters import ClusterOptions
from analytics.firm_network import TieWeights
from analytics.plan import Plan, ReferenceRegion, load_plan
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R

#: Only co-applications, so the network's topology is exactly the picture above.
CO_APPLICATIONS_ONLY = ClusterOptions(
    weights=TieWeights(technology=0, partners=0, alliances=0, co_applications=1.0, co_location=0), min_size=3
)


def reference_plan() -> Plan:
    ref = ReferenceRegion(
        name="参照市", level="city", measure="employees", total=1000.0, categories={"1": 100.0, "4": 50.0}
    )
    return dataclasses.replace(load_plan(), reference=ref, local_region_prefixes=("12",), local_cities=())


def handmade() -> ChangeSet:
    cs = ChangeSet()
    for code, name in (("1.2", "电子核心产业"), ("4.1", "生物医药产业")):
        cs.add_node(L.INDUSTRY, {"id": f"industry:SEI-{code}", "code": code, "scheme": "SEI", "name": name})
    firms = {  # id: (employees, revenueYears, revenueSeries, industry)
        "ent:a1": (100, [2011, 2013], [100.0, 144.0], "1.2"),
        "ent:a2": (50, [2011, 2012, 2013], [50.0, 60.0, 81.0], "1.2"),
        "ent:a3": (50, [2013], [30.0], "1.2"),
        "ent:x": (40, [], [], None),
        "ent:b1": (20, [], [], "4.1"),
        "ent:b2": (20, [], [], "4.1"),
        "ent:b3": (20, [], [], "4.1"),
        "ent:z": (100, [], [], "1.2"),
    }
    for firm, (employees, years, series, industry) in firms.items():
        props: dict[str, object] = {
            "id": firm,
            "name": firm[4:].upper(),
            "employees": employees,
            "techSme": True,
        }
        if years:
            props |= {"revenueYears": years, "revenueSeries": series, "revenue": series[-1]}
        cs.add_node(L.ENTERPRISE, props)
        if industry:
            cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, firm), (L.INDUSTRY, f"industry:SEI-{industry}"))
    patents = [  # id, applicants, kind, year, ipc
        ("pA1", ["a1", "a2"], "发明", 2011, "H01L33/48"),
        ("pA2", ["a2", "a3"], "实用新型", 2011, "H01L33/50"),
        ("pA3", ["a1", "a3"], "发明", 2013, "H01L33/60"),
        ("pX1", ["x", "a3"], "实用新型", 2013, "B23K26/00"),
        ("pX2", ["x", "a3"], "实用新型", 2013, "B23K26/02"),
        ("pX3", ["x", "a3"], "实用新型", 2013, "B23K26/04"),
        ("pXB", ["x", "b1"], "实用新型", 2013, "B23K26/06"),
        ("pB1", ["b1", "b2"], "发明", 2012, "A61K9/00"),
        ("pB2", ["b2", "b3"], "发明", 2012, "A61K9/10"),
        ("pB3", ["b1", "b3"], "发明", 2012, "A61K31/00"),
    ]
    for pid, applicants, kind, year, ipc in patents:
        cs.add_node(
            L.PATENT,
            {"id": f"patent:{pid}", "title": pid, "kind": kind, "applicationYear": year, "ipcCodes": [ipc]},
        )
        for firm in applicants:
            cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, f"ent:{firm}"), (L.PATENT, f"patent:{pid}"))
    # Knowledge: a local university with an H01L patent, a technology transfer to a2 and an
    # alliance with a1; a non-local university with a B23K patent (does not close the gap);
    # an institute (no region: local) with an A61K expert.
    cs.add_node(L.UNIVERSITY, {"id": "uni:tju", "name": "天津大学", "regionCode": "120104"})
    cs.add_node(L.UNIVERSITY, {"id": "uni:pku", "name": "北京大学", "regionCode": "110108"})
    cs.add_node(L.RESEARCH_INSTITUTE, {"id": "inst:bio", "name": "生物所"})
    cs.add_node(L.PATENT, {"id": "patent:pU1", "title": "pU1", "kind": "发明", "ipcCodes": ["H01L33/10"]})
    cs.add_node(L.PATENT, {"id": "patent:pU2", "title": "pU2", "kind": "发明", "ipcCodes": ["B23K26/10"]})
    cs.add_relationship(R.APPLIED_FOR, (L.UNIVERSITY, "uni:tju"), (L.PATENT, "patent:pU1"))
    cs.add_relationship(R.APPLIED_FOR, (L.UNIVERSITY, "uni:pku"), (L.PATENT, "patent:pU2"))
    cs.add_relationship(R.TRANSFERRED_TO, (L.UNIVERSITY, "uni:tju"), (L.ENTERPRISE, "ent:a2"), {"year": 2012})
    cs.add_node(L.ALLIANCE, {"id": "alliance:led", "name": "LED联盟"})
    cs.add_relationship(R.MEMBER_OF, (L.ENTERPRISE, "ent:a1"), (L.ALLIANCE, "alliance:led"))
    cs.add_relationship(R.MEMBER_OF, (L.UNIVERSITY, "uni:tju"), (L.ALLIANCE, "alliance:led"))
    cs.add_node(L.PERSON, {"id": "person:1", "name": "李研究员", "ipcCodes": ["A61K31/00"]})
    cs.add_relationship(R.AFFILIATED_WITH, (L.PERSON, "person:1"), (L.RESEARCH_INSTITUTE, "inst:bio"))
    return cs
