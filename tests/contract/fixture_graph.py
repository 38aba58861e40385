"""A small hand-built graph every contract test loads into each store."""

from __future__ import annotations

from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R


def fixture_changes() -> ChangeSet:
    cs = ChangeSet()
    cs.add_node(
        L.ENTERPRISE,
        {
            "id": "ent:A",
            "name": "天津晶辉光电科技有限公司",
            "aliases": ["晶辉光电"],
            "revenue": 1.2e8,
            "employees": 180,
            "techSme": True,
            "sources": ["registry"],
            "records": ["registry.csv#2"],
            "ingestRuns": ["run:1"],
        },
    )
    cs.add_node(
        L.ENTERPRISE, {"id": "ent:B", "name": "天津澜拓装备有限公司", "revenue": 3.0e6, "employees": 12}
    )
    cs.add_node(
        L.UNIVERSITY,
        {
            "id": "uni:4112010056",
            "name": "天津大学",
            "nameEn": "Tianjin University",
            "aliases": ["天大", "UNIV TIANJIN"],
            "pinyin": "tianjindaxue",
        },
    )
    cs.add_node(L.RESEARCH_INSTITUTE, {"id": "inst:1", "name": "天津市半导体照明研究所"})
    cs.add_node(
        L.PATENT,
        {
            "id": "patent:CN1",
            "number": "CN1",
            "title": "一种LED封装结构",
            "kind": "发明",
            "ipcCodes": ["H01L33/48"],
            "applicationYear": 2012,
        },
    )
    cs.add_node(
        L.PATENT,
        {
            "id": "patent:CN2",
            "number": "CN2",
            "title": "大功率LED散热装置",
            "kind": "实用新型",
            "ipcCodes": ["H01L33/64"],
            "applicationYear": 2013,
        },
    )
    cs.add_node(L.IPC, {"id": "ipc:H01L33/00", "code": "H01L33/00", "level": "group"})
    cs.add_node(L.PERSON, {"id": "person:1", "name": "王建国", "roles": ["inventor", "expert"]})
    cs.add_node(L.PARK, {"id": "park:1", "name": "天津东丽经济技术开发区"})
    cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, "ent:A"), (L.PATENT, "patent:CN1"), {"order": 1})
    cs.add_relationship(
        R.APPLIED_FOR, (L.UNIVERSITY, "uni:4112010056"), (L.PATENT, "patent:CN1"), {"order": 2}
    )
    cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, "ent:A"), (L.PATENT, "patent:CN2"), {"order": 1})
    cs.add_relationship(
        R.CLASSIFIED_AS, (L.PATENT, "patent:CN1"), (L.IPC, "ipc:H01L33/00"), {"primary": True}
    )
    cs.add_relationship(R.CLASSIFIED_AS, (L.PATENT, "patent:CN2"), (L.IPC, "ipc:H01L33/00"))
    cs.add_relationship(R.INVENTED, (L.PERSON, "person:1"), (L.PATENT, "patent:CN1"))
    cs.add_relationship(
        R.AFFILIATED_WITH,
        (L.PERSON, "person:1"),
        (L.UNIVERSITY, "uni:4112010056"),
        {"role": "教授", "from": "2005"},
    )
    cs.add_relationship(
        R.LOCATED_IN,
        (L.ENTERPRISE, "ent:A"),
        (L.PARK, "park:1"),
        {"sources": ["registry"], "records": ["registry.csv#2"]},
    )
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, "ent:B"), (L.PARK, "park:1"))
    return cs
