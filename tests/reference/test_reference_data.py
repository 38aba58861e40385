"""Reference data built from the real files in ../shared/data (no store needed)."""

from __future__ import annotations

from collections import Counter

import pytest

from graph.changeset import ChangeSet
from graph.model import NodeLabel, RelType, make_id
from ingest.reference import (
    SEI_CATEGORIES,
    dongli_industries,
    industry_id,
    ipc_to_sei,
    reference_changes,
    region_id,
)
from tests.conftest import SHARED_DATA


@pytest.fixture(scope="module")
def changes() -> ChangeSet:
    return reference_changes(SHARED_DATA)


def _node(cs: ChangeSet, label: NodeLabel, node_id: str) -> dict[str, object]:
    return cs.nodes[label][node_id]


def _parents(cs: ChangeSet, rel: RelType, start: str) -> set[str]:
    return {r.end for r in cs.rels.values() if r.type is rel and r.start == start}


def test_every_moe_institution_is_a_university_with_its_code(changes: ChangeSet) -> None:
    universities = changes.nodes[NodeLabel.UNIVERSITY]
    assert len(universities) == 3167  # 2,919 regular + 248 adult HEIs (PROVENANCE.md)
    tju = _node(changes, NodeLabel.UNIVERSITY, "uni:4112010056")
    assert tju["name"] == "天津大学" and tju["moeCode"] == "4112010056" and tju["schoolLevel"] == "本科"
    assert tju["nameEn"] == "Tianjin University" and "天大" in tju["aliases"]  # type: ignore[operator]
    levels = Counter(u.get("schoolLevel") for u in universities.values())
    assert levels["本科"] == 1365 and levels["专科"] == 1554
    tianjin = [u for u in universities.values() if u.get("regionCode") == "120000"]
    assert len(tianjin) == 68
    assert _parents(changes, RelType.IN_REGION, "uni:4112010056") == {"region:120000"}


def test_dongli_sits_under_tianjin_and_has_its_streets(changes: ChangeSet) -> None:
    dongli = _node(changes, NodeLabel.REGION, region_id("120110"))
    assert dongli["name"] == "东丽区" and dongli["level"] == "district"
    assert _parents(changes, RelType.PART_OF, "region:120110") == {"region:120100"}
    assert _parents(changes, RelType.PART_OF, "region:120100") == {"region:120000"}
    assert _node(changes, NodeLabel.REGION, "region:120000")["name"] == "天津市"
    assert _node(changes, NodeLabel.REGION, "region:120100")["name"] == "天津市市辖区"
    assert _node(changes, NodeLabel.REGION, "region:120110001")["name"] == "张贵庄街道"
    assert _parents(changes, RelType.PART_OF, "region:120110001") == {"region:120110"}
    levels = Counter(r["level"] for r in changes.nodes[NodeLabel.REGION].values())
    # 2,978 area rows less 东莞, 中山, 儋州, which repeat their city's own code
    assert (levels["province"], levels["city"], levels["district"]) == (31, 342, 2975)
    streets = [c for c, r in changes.nodes[NodeLabel.REGION].items() if r["level"] == "street"]
    assert streets and all(c.startswith("region:12") for c in streets)  # Tianjin only by default
    assert sum(1 for c in streets if c.startswith("region:120110")) == 19


def test_gbt4754_hierarchy(changes: ChangeSet) -> None:
    gbt = {k: v for k, v in changes.nodes[NodeLabel.INDUSTRY].items() if v["scheme"] == "GBT4754"}
    assert len(gbt) == 1772
    assert Counter(v["level"] for v in gbt.values()) == {"门类": 20, "大类": 97, "中类": 274, "小类": 1381}
    assert gbt[industry_id("GBT4754", "3975")]["name"] == "半导体照明器件制造"
    assert _parents(changes, RelType.SUBCLASS_OF, industry_id("GBT4754", "3975")) == {
        industry_id("GBT4754", "397")
    }
    assert _parents(changes, RelType.SUBCLASS_OF, industry_id("GBT4754", "39")) == {
        industry_id("GBT4754", "C")
    }


def test_sei_codes_categories_and_the_dongli_strategic_industries(changes: ChangeSet) -> None:
    sei = {v["code"]: v for v in changes.nodes[NodeLabel.INDUSTRY].values() if v["scheme"] == "SEI"}
    assert len([c for c in sei if "." in c]) == 40 and set(SEI_CATEGORIES) <= set(sei)
    assert sei["5.4"]["name"] == "新能源汽车相关服务"  # truncated in the source, fixed here
    assert _parents(changes, RelType.SUBCLASS_OF, industry_id("SEI", "1.2")) == {industry_id("SEI", "1")}
    dongli = dongli_industries()
    assert [d.name for d in dongli] == [
        "航空航天",
        "半导体照明",
        "先进装备制造",
        "生物医药",
        "新能源新材料",
        "节能环保",
        "新一代信息技术",
        "高技术服务业",
    ]
    for d in dongli:
        parents = _parents(changes, RelType.SUBCLASS_OF, d.id)
        assert parents == {industry_id("SEI", c) for c in d.sei_codes} and all(
            p in changes.nodes[NodeLabel.INDUSTRY] for p in parents
        )


def test_ipc_hierarchy_and_industries(changes: ChangeSet) -> None:
    ipc = changes.nodes[NodeLabel.IPC]
    assert 3000 < len(ipc) < 3500  # sections, classes, subclasses and main groups only
    assert _parents(changes, RelType.SUBCLASS_OF, "ipc:H01L33/00") == {"ipc:H01L"}
    assert _parents(changes, RelType.SUBCLASS_OF, "ipc:H01L") == {"ipc:H01"}
    assert _parents(changes, RelType.SUBCLASS_OF, "ipc:H01") == {"ipc:H"}
    assert ipc["ipc:H01L33/00"]["level"] == "group" and ipc["ipc:H"]["level"] == "section"
    assert _parents(changes, RelType.IN_INDUSTRY, "ipc:H01L33/00") == {industry_id("SEI", "1.2")}
    assert _parents(changes, RelType.IN_INDUSTRY, "ipc:B64C39/00") == {industry_id("SEI", "2.2")}
    weights = [
        r.props["weight"]
        for r in changes.rels.values()
        if r.type is RelType.IN_INDUSTRY and r.start == "ipc:G06F16/00"
    ]
    assert weights and abs(sum(weights) - 1.0) < 1e-3


@pytest.mark.parametrize(
    ("code", "sei"),
    [
        ("H01L 33/48", ["1.2"]),  # semiconductor lighting (documented supplement)
        ("H01L0033000000", ["1.2"]),
        ("F21V29/00", ["7.1"]),
        ("B64C39/02", ["2.2"]),  # UAVs
        ("G05D1/10", ["2.3"]),
        ("A61K31/00", ["4.1"]),
        ("C08", ["3.6"]),  # a class-level entry (rule 182, 前沿新材料)
        ("A47B13/00", []),  # furniture: no strategic industry
        ("not a code", []),
    ],
)
def test_ipc_to_sei(code: str, sei: list[str]) -> None:
    assert ipc_to_sei(code, SHARED_DATA) == sei


def test_reference_ids_are_the_ones_ingest_uses() -> None:
    assert make_id(NodeLabel.IPC, "H01L33/00") == "ipc:H01L33/00"
    assert region_id("120110") == "region:120110"
