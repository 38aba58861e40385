"""A small district by hand: enough firms, universities, patents, people and a demand that the
page has something real to show on every screen (partners, matches, clusters, monitor).

The LED firm 晶辉光电 shares IPC classes with 天津大学 and 天津市半导体照明研究所 and already
co-applied with 天津大学, so a partner search for it has candidates with evidence paths. Seven
firms fall in two technology groups (LED lighting; laser processing and inspection), three or
more each, so the cluster analysis finds clusters.
"""

from __future__ import annotations

from typing import Any

from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R

FIRM_ID = "ent:91120110MA05JH0001"
FIRM_NAME = "天津晶辉光电科技有限公司"
UNIVERSITY_ID = "uni:4112010056"
DEMAND_ID = "demand:D2024-001"
PATENT_ID = "patent:CN201610000001A"
#: A 天津大学 patent the open demand can use (the poster's own patents are never suggested to it).
UNIVERSITY_PATENT_ID = "patent:CN201810000004A"

_PROV = {"sources": ["browser_fixture"], "records": ["fixture.csv#1"], "ingestRuns": ["run:browser"]}
_YEARS = [2019, 2020, 2021, 2022]

# id suffix, name, alias, English name, revenue series (yuan), employees, industry
FIRMS: list[tuple[str, str, str, str, list[float], int, str]] = [
    (
        "0001",
        FIRM_NAME,
        "晶辉光电",
        "Tianjin Jinghui Optoelectronics",
        [0.7e8, 0.85e8, 1.0e8, 1.2e8],
        180,
        "LED",
    ),
    (
        "0002",
        "天津澜拓激光装备有限公司",
        "澜拓激光",
        "Tianjin Lantuo Laser Equipment",
        [1.8e7, 2.2e7, 2.6e7, 3.0e7],
        45,
        "EQUIP",
    ),
    ("0003", "天津华明荧光材料有限公司", "华明荧光", "", [3.0e6, 4.0e6, 5.0e6, 6.0e6], 22, "LED"),
    ("0004", "天津东丽智能检测技术有限公司", "东丽智检", "", [1.0e6, 1.4e6, 1.7e6, 2.0e6], 9, "EQUIP"),
    (
        "0005",
        "天津亮源照明科技有限公司",
        "亮源照明",
        "Tianjin Liangyuan Lighting",
        [2.0e7, 2.4e7, 2.9e7, 3.5e7],
        60,
        "LED",
    ),
    ("0006", "天津光谷封装技术有限公司", "光谷封装", "", [8.0e6, 9.0e6, 1.1e7, 1.3e7], 30, "LED"),
    ("0007", "天津精测仪器有限公司", "精测仪器", "", [5.0e6, 6.0e6, 6.5e6, 7.0e6], 25, "EQUIP"),
]

IPC_NAMES = {
    "H01L33": "半导体发光器件",
    "F21V29": "照明装置的冷却",
    "C09K11": "发光材料",
    "B23K26": "激光加工",
    "G01N21": "光学检测",
}

TJU, TUT, INST = UNIVERSITY_ID, "uni:4112010060", "inst:tj-ssl"
ZHANG, WANG, LI = "person:zhang-wei", "person:wang-jianguo", "person:li-min"


def _firm(suffix: str) -> str:
    return f"ent:91120110MA05JH{suffix}"


# id, title, IPC group, applicants, inventors, application year
PATENTS: list[tuple[str, str, str, list[str], list[str], int]] = [
    (PATENT_ID, "一种大功率LED封装结构", "H01L33", [_firm("0001"), TJU], [ZHANG, WANG], 2016),
    ("patent:CN201710000002A", "LED灯具散热模组", "F21V29", [_firm("0001")], [ZHANG], 2017),
    ("patent:CN201510000003A", "氮化镓发光二极管外延片及其制备方法", "H01L33", [TJU], [WANG], 2015),
    (UNIVERSITY_PATENT_ID, "LED芯片倒装焊接方法", "H01L33", [TJU], [WANG], 2018),
    ("patent:CN201610000005A", "白光LED用荧光粉及其制备方法", "C09K11", [TUT, _firm("0003")], [LI], 2016),
    ("patent:CN201910000006A", "高显色荧光陶瓷", "C09K11", [TUT], [LI], 2019),
    ("patent:CN201710000007A", "LED路灯散热器", "F21V29", [INST], [], 2017),
    ("patent:CN201810000008A", "倒装LED芯片的光学检测装置", "G01N21", [INST, _firm("0004")], [], 2018),
    ("patent:CN201610000009A", "激光切割头", "B23K26", [_firm("0002")], [], 2016),
    (
        "patent:CN202010000010A",
        "激光焊接质量在线检测方法",
        "B23K26",
        [_firm("0002"), _firm("0004")],
        [],
        2020,
    ),
    ("patent:CN201910000011A", "LED面板灯散热结构", "F21V29", [_firm("0005")], [], 2019),
    ("patent:CN202010000012A", "LED发光模组封装方法", "H01L33", [_firm("0005")], [], 2020),
    ("patent:CN201810000013A", "LED封装用荧光膜", "C09K11", [_firm("0006")], [], 2018),
    ("patent:CN202110000014A", "芯片级LED封装结构", "H01L33", [_firm("0006")], [], 2021),
    ("patent:CN201910000015A", "激光打标视觉检测系统", "G01N21", [_firm("0007")], [], 2019),
    ("patent:CN202010000016A", "激光熔覆装置", "B23K26", [_firm("0007")], [], 2020),
]


def _label(node_id: str) -> L:
    return {"ent": L.ENTERPRISE, "uni": L.UNIVERSITY, "inst": L.RESEARCH_INSTITUTE, "person": L.PERSON}[
        node_id.split(":")[0]
    ]


def _node(cs: ChangeSet, label: L, node_id: str, name: str, **props: Any) -> tuple[L, str]:
    cs.add_node(label, {"id": node_id, "name": name, **_PROV, **props})
    return (label, node_id)


def fixture_changes() -> ChangeSet:
    cs = ChangeSet()
    region = _node(cs, L.REGION, "region:120110", "东丽区", code="120110", level="district")
    park = _node(cs, L.PARK, "park:dongli-edz", "天津东丽经济技术开发区", level="国家级")
    industries = {"LED": ("industry:SEI-LED", "半导体照明"), "EQUIP": ("industry:SEI-EQUIP", "先进装备制造")}
    for ind_id, ind_name in industries.values():
        cs.add_node(
            L.INDUSTRY, {"id": ind_id, "name": ind_name, "scheme": "SEI", "code": ind_id.split(":")[1]}
        )
    for code, name in IPC_NAMES.items():
        cs.add_node(L.IPC, {"id": f"ipc:{code}/00", "code": f"{code}/00", "name": name, "level": "group"})

    for suffix, name, alias, name_en, series, employees, industry in FIRMS:
        extra: dict[str, Any] = {"nameEn": name_en} if name_en else {}
        firm = _node(
            cs,
            L.ENTERPRISE,
            _firm(suffix),
            name,
            aliases=[alias],
            techSme=True,
            revenue=series[-1],
            revenueYear=_YEARS[-1],
            revenueYears=_YEARS,
            revenueSeries=series,
            employees=employees,
            address="天津市东丽区华明高新技术产业区",
            **extra,
        )
        cs.add_relationship(R.IN_INDUSTRY, firm, (L.INDUSTRY, industries[industry][0]), {"basis": "fixture"})
        cs.add_relationship(R.LOCATED_IN, firm, park)
        cs.add_relationship(R.IN_REGION, firm, region)
    cs.add_node(
        L.ENTERPRISE,
        {
            "id": FIRM_ID,
            "pinyin": "tianjinjinghuiguangdiankejiyouxiangongsi",
            "highTech": True,
            "founded": "2009-05-12",
            "industryCode": "C3872",
            "description": "LED 封装与照明模组研发生产",
        },
    )

    _node(
        cs,
        L.UNIVERSITY,
        TJU,
        "天津大学",
        nameEn="Tianjin University",
        aliases=["天大"],
        pinyin="tianjindaxue",
        expertise="光电子、精密仪器",
    )
    _node(
        cs,
        L.UNIVERSITY,
        TUT,
        "天津理工大学",
        nameEn="Tianjin University of Technology",
        pinyin="tianjinligongdaxue",
        expertise="发光材料",
    )
    _node(cs, L.RESEARCH_INSTITUTE, INST, "天津市半导体照明研究所", expertise="半导体照明")
    incubator = _node(cs, L.INCUBATOR, "incu:huaming", "华明科技企业孵化器", level="市级")
    for org in (TJU, TUT, INST):
        cs.add_relationship(
            R.IN_INDUSTRY, (_label(org), org), (L.INDUSTRY, industries["LED"][0]), {"basis": "fixture"}
        )

    for pid, name, org, title in (
        (WANG, "王建国", TJU, "教授"),
        (LI, "李敏", TUT, "研究员"),
        (ZHANG, "张伟", FIRM_ID, "总工程师"),
    ):
        _node(cs, L.PERSON, pid, name, title=title, roles=["inventor", "expert"])
        cs.add_relationship(R.AFFILIATED_WITH, (L.PERSON, pid), (_label(org), org), {"role": title})

    for pid, title, ipc, applicants, inventors, year in PATENTS:
        cs.add_node(
            L.PATENT,
            {
                "id": pid,
                "title": title,
                "number": pid.split(":")[1],
                "kind": "发明",
                "status": "有效",
                "ipcCodes": [f"{ipc}/00"],
                "applicationYear": year,
                **_PROV,
            },
        )
        cs.add_relationship(R.CLASSIFIED_AS, (L.PATENT, pid), (L.IPC, f"ipc:{ipc}/00"), {"primary": True})
        for order, applicant in enumerate(applicants, start=1):
            cs.add_relationship(
                R.APPLIED_FOR, (_label(applicant), applicant), (L.PATENT, pid), {"order": order}
            )
        for order, person in enumerate(inventors, start=1):
            cs.add_relationship(R.INVENTED, (L.PERSON, person), (L.PATENT, pid), {"order": order})

    cs.add_relationship(R.INCUBATED_BY, (L.ENTERPRISE, _firm("0003")), incubator, {"from": "2015"})
    cs.add_relationship(
        R.TRANSFERRED_TO,
        (L.UNIVERSITY, TJU),
        (L.ENTERPRISE, FIRM_ID),
        {"year": 2019, "amount": 500000.0, "title": "LED倒装芯片工艺"},
    )

    cs.add_node(
        L.TECH_DEMAND,
        {
            "id": DEMAND_ID,
            "title": "大功率LED散热与封装可靠性提升",
            "status": "open",
            "mode": "合作开发",
            "description": "需要提升大功率LED灯具的散热效率与封装可靠性，寻求高校院所联合攻关。",
            "keywords": ["LED", "散热", "封装"],
            "ipcCodes": ["H01L33/00", "F21V29/00"],
            "budget": 800000.0,
            "postedDate": "2024-03-01",
            **_PROV,
        },
    )
    cs.add_relationship(R.POSTED, (L.ENTERPRISE, FIRM_ID), (L.TECH_DEMAND, DEMAND_ID), {"date": "2024-03-01"})
    cs.add_relationship(R.CLASSIFIED_AS, (L.TECH_DEMAND, DEMAND_ID), (L.IPC, "ipc:H01L33/00"))
    return cs
