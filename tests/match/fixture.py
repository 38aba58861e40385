"""A hand-built matchmaking graph whose right answers are known.

The LED firm ``ent:led`` (Dongli, park ``park:dongli``) holds LED-packaging patents
(H01L33), already co-applied with the lighting institute ``inst:semi`` and has an open demand
for high-power LED heat dissipation (F21V29), where it holds nothing. Tianjin University
(``uni:tju``) holds LED-packaging *and* heat-dissipation patents, shares an alliance with the
firm, co-applied with the firm's park neighbour ``ent:lamp`` and transferred technology to it:
so it is the best *new* partner, and its heat-sink patent ``patent:tju-heat`` is the best
solver of the demand. ``uni:far`` (beekeeping, another province) is irrelevant.
"""

from __future__ import annotations

from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R

FIRM = "ent:led"
NEW_PARTNER = "uni:tju"
EXISTING_PARTNER = "inst:semi"
DEMAND = "demand:heat"
HEAT_PATENT = "patent:tju-heat"
EXPERT = "person:wang"


def _patent(
    cs: ChangeSet,
    pid: str,
    title: str,
    ipc: list[str],
    year: int,
    holders: list[tuple[L, str]],
    inventors: tuple[str, ...] = (),
) -> None:
    cs.add_node(
        L.PATENT,
        {
            "id": pid,
            "number": pid.split(":")[1],
            "title": title,
            "ipcCodes": ipc,
            "applicationYear": year,
            "kind": "发明",
        },
    )
    for order, (label, holder) in enumerate(holders, 1):
        cs.add_relationship(R.APPLIED_FOR, (label, holder), (L.PATENT, pid), {"order": order})
    for person in inventors:
        cs.add_relationship(R.INVENTED, (L.PERSON, person), (L.PATENT, pid))
    for code in ipc:
        group = code.split("/")[0] + "/00"  # ingest links a patent to its main group node
        cs.add_relationship(R.CLASSIFIED_AS, (L.PATENT, pid), (L.IPC, f"ipc:{group}"))


def matching_changes() -> ChangeSet:
    cs = ChangeSet()
    cs.add_node(L.REGION, {"id": "region:120110", "name": "东丽区", "code": "120110", "level": "district"})
    cs.add_node(L.REGION, {"id": "region:120104", "name": "南开区", "code": "120104", "level": "district"})
    cs.add_node(L.REGION, {"id": "region:330100", "name": "杭州市", "code": "330100", "level": "city"})
    cs.add_node(L.PARK, {"id": "park:dongli", "name": "东丽经济技术开发区"})
    for code, name in (
        ("H01L33/00", "半导体发光器件"),
        ("F21V29/00", "照明装置的冷却散热"),
        ("A01K47/00", "蜂箱"),
    ):
        cs.add_node(L.IPC, {"id": f"ipc:{code}", "code": code, "level": "group", "name": name})
    cs.add_node(
        L.INDUSTRY,
        {
            "id": "industry:sei-led",
            "code": "SEI-LED",
            "scheme": "SEI",
            "name": "半导体照明",
            "keywords": ["LED照明"],
        },
    )
    cs.add_node(L.ALLIANCE, {"id": "alliance:led", "name": "天津市半导体照明产业技术创新战略联盟"})

    cs.add_node(
        L.ENTERPRISE,
        {
            "id": FIRM,
            "name": "天津晶辉光电科技有限公司",
            "aliases": ["晶辉光电"],
            "regionCode": "120110",
            "techSme": True,
            "revenue": 1.2e8,
            "employees": 180,
            "description": "LED封装与照明模组",
        },
    )
    cs.add_node(
        L.ENTERPRISE,
        {"id": "ent:lamp", "name": "天津明灯照明有限公司", "regionCode": "120110", "techSme": True},
    )
    cs.add_node(
        L.UNIVERSITY,
        {
            "id": NEW_PARTNER,
            "name": "天津大学",
            "aliases": ["天大"],
            "nameEn": "Tianjin University",
            "regionCode": "120104",
        },
    )
    cs.add_node(
        L.RESEARCH_INSTITUTE,
        {"id": EXISTING_PARTNER, "name": "天津市半导体照明研究所", "regionCode": "120110"},
    )
    cs.add_node(L.UNIVERSITY, {"id": "uni:far", "name": "远方农业大学", "regionCode": "330100"})
    cs.add_node(
        L.PERSON,
        {"id": EXPERT, "name": "王建国", "roles": ["expert", "inventor"], "expertise": "大功率LED散热与封装"},
    )
    cs.add_node(L.PERSON, {"id": "person:li", "name": "李工", "roles": ["inventor"]})

    for label, node in (
        (L.ENTERPRISE, FIRM),
        (L.ENTERPRISE, "ent:lamp"),
        (L.RESEARCH_INSTITUTE, EXISTING_PARTNER),
    ):
        cs.add_relationship(R.IN_REGION, (label, node), (L.REGION, "region:120110"))
    cs.add_relationship(R.IN_REGION, (L.UNIVERSITY, NEW_PARTNER), (L.REGION, "region:120104"))
    cs.add_relationship(R.IN_REGION, (L.UNIVERSITY, "uni:far"), (L.REGION, "region:330100"))
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, FIRM), (L.PARK, "park:dongli"))
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, "ent:lamp"), (L.PARK, "park:dongli"))
    cs.add_relationship(R.MEMBER_OF, (L.ENTERPRISE, FIRM), (L.ALLIANCE, "alliance:led"))
    cs.add_relationship(R.MEMBER_OF, (L.UNIVERSITY, NEW_PARTNER), (L.ALLIANCE, "alliance:led"))
    cs.add_relationship(R.AFFILIATED_WITH, (L.PERSON, EXPERT), (L.UNIVERSITY, NEW_PARTNER), {"role": "教授"})
    cs.add_relationship(R.AFFILIATED_WITH, (L.PERSON, "person:li"), (L.ENTERPRISE, FIRM))
    cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, FIRM), (L.INDUSTRY, "industry:sei-led"))
    cs.add_relationship(R.IN_INDUSTRY, (L.UNIVERSITY, NEW_PARTNER), (L.INDUSTRY, "industry:sei-led"))

    _patent(
        cs, "patent:led-1", "一种LED封装结构", ["H01L33/48"], 2012, [(L.ENTERPRISE, FIRM)], ("person:li",)
    )
    _patent(
        cs,
        "patent:led-2",
        "LED芯片封装方法",
        ["H01L33/52"],
        2013,
        [(L.ENTERPRISE, FIRM), (L.RESEARCH_INSTITUTE, EXISTING_PARTNER)],
        ("person:li",),
    )
    _patent(
        cs,
        "patent:semi-1",
        "LED荧光粉涂覆工艺",
        ["H01L33/50"],
        2011,
        [(L.RESEARCH_INSTITUTE, EXISTING_PARTNER)],
    )
    _patent(
        cs,
        "patent:tju-pack",
        "LED倒装芯片封装结构",
        ["H01L33/62"],
        2012,
        [(L.UNIVERSITY, NEW_PARTNER)],
        (EXPERT,),
    )
    _patent(
        cs, HEAT_PATENT, "一种大功率LED散热器", ["F21V29/51"], 2014, [(L.UNIVERSITY, NEW_PARTNER)], (EXPERT,)
    )
    _patent(
        cs,
        "patent:tju-lamp",
        "LED路灯散热模组",
        ["F21V29/70", "H01L33/64"],
        2013,
        [(L.UNIVERSITY, NEW_PARTNER), (L.ENTERPRISE, "ent:lamp")],
        (EXPERT,),
    )
    _patent(cs, "patent:far-1", "一种蜂箱", ["A01K47/00"], 2012, [(L.UNIVERSITY, "uni:far")])
    cs.add_relationship(
        R.TRANSFERRED_TO,
        (L.UNIVERSITY, NEW_PARTNER),
        (L.ENTERPRISE, "ent:lamp"),
        {"year": 2014, "title": "LED路灯散热技术"},
    )

    cs.add_node(
        L.TECH_DEMAND,
        {
            "id": DEMAND,
            "title": "大功率LED散热技术需求",
            "description": "我司LED照明模组功率提升后散热不足，寻求高校合作开发散热器与热管理方案",
            "ipcCodes": ["F21V29/00"],
            "mode": "合作开发",
            "status": "open",
            "budget": 500000.0,
        },
    )
    cs.add_relationship(R.POSTED, (L.ENTERPRISE, FIRM), (L.TECH_DEMAND, DEMAND), {"date": "2015-03-01"})
    cs.add_relationship(R.CLASSIFIED_AS, (L.TECH_DEMAND, DEMAND), (L.IPC, "ipc:F21V29/00"))
    cs.add_node(
        L.TECH_DEMAND,
        {
            "id": "demand:bee",
            "title": "蜂箱自动化改造",
            "description": "寻求蜂箱温控方案",
            "ipcCodes": ["A01K47/00"],
            "mode": "技术转让",
            "status": "open",
        },
    )
    cs.add_relationship(R.POSTED, (L.ENTERPRISE, "ent:lamp"), (L.TECH_DEMAND, "demand:bee"))
    cs.add_node(L.TECH_DEMAND, {"id": "demand:closed", "title": "LED散热器采购", "status": "closed"})
    cs.add_relationship(R.POSTED, (L.ENTERPRISE, "ent:lamp"), (L.TECH_DEMAND, "demand:closed"))
    return cs
