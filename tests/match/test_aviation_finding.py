"""Issue #12's Tianjin aviation finding, on the real PatSnap export loaded by the normal ingest.

For 安胜(天津)飞行模拟系统有限公司 (two eVTOL patents), 中国民航大学 — the Tianjin civil-aviation
university with 11 patents in the same export — ranked 31st: the export gives firms no address,
so geography scored 0, and a one-patent applicant sharing an IPC group outranked a university
with a body of work. Before the fix (no city from the name, technology not scaled by the
candidate's number of works) this test fails with the university at rank 31.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from match.index import MatchIndex
from match.partners import PartnerQuery, find_partners
from match.places import city_from_name
from tests.conftest import green_aviation_store
from text.pipeline import get_nlp

FIRM_NAME = "安胜(天津)飞行模拟系统有限公司"
UNIVERSITY = "中国民航大学"


def test_city_from_name_reads_the_registration_place_only_when_unambiguous() -> None:
    assert city_from_name("骏驰航空科技(天津)有限公司") == "120000"  # bracketed place
    assert city_from_name("天津市东丽区华信科技有限公司") == "120000"  # district → its municipality
    assert city_from_name("吉林省长春市朝阳区某某科技有限公司") == "220100"  # not 北京市朝阳区
    assert city_from_name(UNIVERSITY) is None  # 中国 is no place
    assert city_from_name("上海天津科技有限公司") is None  # two places that disagree
    assert city_from_name("吉林某某有限公司") is None  # the province or the city 吉林市: unknown


@pytest.mark.slow
def test_tianjin_aviation_university_is_a_top_partner_for_a_tianjin_aviation_firm(tmp_path: Path) -> None:
    store, _ = green_aviation_store(tmp_path)
    graph = store.projection()
    index = MatchIndex.from_graph(graph, get_nlp())
    names = {a: str(index.props(a).get("name")) for a in index.actors}
    firm = next(a for a, n in names.items() if n == FIRM_NAME)
    university = next(a for a, n in names.items() if n == UNIVERSITY)
    assert not graph.nodes[firm].get("regionCode")  # the export gives the firm no address

    result = find_partners(index, PartnerQuery(firm, limit=100))
    ranked = [m.candidate for m in result.matches]
    assert university in ranked[:10], (
        f"{UNIVERSITY} ranks {ranked.index(university) + 1 if university in ranked else 'nowhere'}"
    )
    match = next(m for m in result.matches if m.candidate == university)
    assert match.signals["technology"] > 0 and match.signals["geography"] == 0.5  # city, never district
    geography = [e for e in match.evidence if e.signal == "geography"]
    assert geography and "名称" in geography[0].summary  # labelled as read from the name


def test_one_matching_patent_does_not_outrank_a_body_of_work_in_the_field() -> None:
    # Before: technology fit was a cosine of profiles, so an applicant whose one patent shares
    # the firm's IPC group (1.0) outranked a university with six patents in the field (~0.9).
    from graph.changeset import ChangeSet
    from graph.model import NodeLabel as L
    from tests.match.fixture import _patent

    cs = ChangeSet()
    for code in ("B64D27/00", "B64C29/00"):
        cs.add_node(L.IPC, {"id": f"ipc:{code}", "code": code, "level": "group", "name": code})
    cs.add_node(L.ENTERPRISE, {"id": "ent:evtol", "name": "某某飞行器有限公司"})
    cs.add_node(L.RESEARCH_INSTITUTE, {"id": "inst:oneoff", "name": "某某研究所"})
    cs.add_node(L.UNIVERSITY, {"id": "uni:aero", "name": "某某航空大学"})
    _patent(
        cs,
        "patent:f1",
        "一种电动垂直起降飞行器的推进装置",
        ["B64D27/24"],
        2020,
        [(L.ENTERPRISE, "ent:evtol")],
    )
    _patent(
        cs, "patent:o1", "一种飞行器推进装置", ["B64D27/24"], 2020, [(L.RESEARCH_INSTITUTE, "inst:oneoff")]
    )
    for k, code in enumerate(["B64D27/24"] * 4 + ["B64C29/00"] * 2):
        _patent(
            cs, f"patent:u{k}", f"一种垂直起降飞行器推进系统{k}", [code], 2019, [(L.UNIVERSITY, "uni:aero")]
        )
    store = EmbeddedStore(None)
    store.apply(cs)
    graph = store.projection()
    index = MatchIndex.from_graph(graph, get_nlp())
    ranked = [m.candidate for m in find_partners(index, PartnerQuery("ent:evtol")).matches]
    assert ranked.index("uni:aero") < ranked.index("inst:oneoff")


def test_a_list_led_by_place_says_so() -> None:
    # A Tianjin farm whose one patent is a mower head: the nearby aviation university is its
    # "best" partner on place alone, which the list must say rather than present as a match.
    from graph.changeset import ChangeSet
    from graph.model import NodeLabel as L
    from tests.match.fixture import _patent

    cs = ChangeSet()
    for code in ("A01D34/00", "B64D27/00"):
        cs.add_node(L.IPC, {"id": f"ipc:{code}", "code": code, "level": "group", "name": code})
    cs.add_node(L.ENTERPRISE, {"id": "ent:farm", "name": "天津绿野果蔬专业合作社", "regionCode": "120110"})
    cs.add_node(L.UNIVERSITY, {"id": "uni:aero", "name": "渤海航空大学", "regionCode": "120110"})
    cs.add_node(L.UNIVERSITY, {"id": "uni:agri", "name": "津南农业大学", "regionCode": "440100"})
    _patent(cs, "patent:f1", "一种割草机刀头装置", ["A01D34/73"], 2020, [(L.ENTERPRISE, "ent:farm")])
    for k in range(6):
        _patent(
            cs, f"patent:u{k}", f"一种飞行器推进装置{k}", ["B64D27/24"], 2019, [(L.UNIVERSITY, "uni:aero")]
        )
    # one faint overlap (a word), so the university is a candidate at all
    _patent(cs, "patent:u9", "一种旋翼刀头", ["B64D27/24"], 2019, [(L.UNIVERSITY, "uni:aero")])
    store = EmbeddedStore(None)
    store.apply(cs)
    graph = store.projection()
    index = MatchIndex.from_graph(graph, get_nlp())
    result = find_partners(index, PartnerQuery("ent:farm"))
    assert result.matches and result.matches[0].candidate == "uni:aero"
    assert any(n.startswith("weak match") for n in result.notices), result.notices

    # The same farm with a mower-making university nearby (four patents): a match, no such notice.
    for k in range(4):
        _patent(cs, f"patent:a{k}", f"一种割草机刀头{k}", ["A01D34/73"], 2019, [(L.UNIVERSITY, "uni:agri")])
    cs.add_node(L.UNIVERSITY, {"id": "uni:agri", "name": "津南农业大学", "regionCode": "120110"})
    store.apply(cs)
    graph = store.projection()
    index = MatchIndex.from_graph(graph, get_nlp())
    result = find_partners(index, PartnerQuery("ent:farm"))
    assert result.matches[0].candidate == "uni:agri"
    assert not any(n.startswith("weak match") for n in result.notices), result.notices
