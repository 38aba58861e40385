"""Regressions of issue #11 built from the real strings (PatSnap export, Lens sample, Taiwan
academic patents): names in every script, places as identity, Latin/English, review noise.

Tests marked ``real_data`` read ``$INNOGRAPH_SHARED_DATA``; the others quote the issue's strings.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.model import NodeLabel
from ingest.builder import org_id
from ingest.names import normalize_org_name
from ingest.pipeline import ingest_specs
from ingest.reference import reference_changes
from ingest.resolve import Candidate, OrgResolver
from tests.conftest import SHARED_DATA
from tests.ingest.conftest import PATENT_COLUMNS, SpecWriter

PATSNAP = SHARED_DATA / "real-patsnap-green-aviation" / "patsnap_green_aviation_20240401085613950.xlsx"
OTHER_SCRIPTS = (
    "КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ",
    "이정용",
    "リージェント クラフト インコーポレイテッド",
)


# -- 1. names in every script ----------------------------------------------------------------


def test_names_in_other_scripts_keep_a_key_of_their_own() -> None:
    """They all normalised to "" and so got one id: 71 applicants collapsed into one Enterprise."""
    keys = [normalize_org_name(n) for n in OTHER_SCRIPTS]
    assert all(keys)
    ids = {org_id(NodeLabel.ENTERPRISE, n) for n in OTHER_SCRIPTS}
    assert len(ids) == len(OTHER_SCRIPTS)


def test_ingest_keeps_applicants_in_other_scripts_apart(
    embedded_store: EmbeddedStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    rows = "".join(
        f"CN 300000{i} A,发明{i},2020-01-0{i + 1},{name},,B64C 1/00\n" for i, name in enumerate(OTHER_SCRIPTS)
    )
    spec = write_source("公开号,发明名称,申请日,申请人,发明人,IPC分类号\n" + rows, "p.csv", PATENT_COLUMNS)
    ingest_specs(embedded_store, [spec], data_dir=tmp_path)
    # The Russian and Korean applicants are individuals (typed Person since #11), the Japanese one
    # a firm: either way each applicant is a node of its own, none collapsed into another.
    nodes = [n for label in (NodeLabel.ENTERPRISE, NodeLabel.PERSON) for n in embedded_store.nodes(label)]
    assert sorted(str(n.props["name"]) for n in nodes) == sorted(OTHER_SCRIPTS)
    assert len({n.id for n in nodes}) == len(OTHER_SCRIPTS)


@pytest.mark.skipif(not PATSNAP.exists(), reason="needs INNOGRAPH_SHARED_DATA")
def test_every_patsnap_applicant_has_a_non_empty_key_and_scripts_do_not_collide() -> None:
    import openpyxl

    wb = openpyxl.load_workbook(PATSNAP, read_only=True)
    sheet = wb.active
    assert sheet is not None
    rows = sheet.iter_rows(values_only=True)
    head = [str(h) for h in next(rows)]
    col = head.index("[标]当前申请(专利权)人")
    names = {n.strip() for r in rows for n in str(r[col] or "").split("|") if n.strip()}
    wb.close()
    other = {
        n
        for n in names
        if any("\u0400" <= c <= "\u04ff" or "\uac00" <= c <= "\ud7af" or "\u30a0" <= c <= "\u30ff" for c in n)
    }
    assert len(other) >= 20  # the export really has them
    assert all(normalize_org_name(n) for n in names)
    assert len({normalize_org_name(n) for n in other}) == len({n.upper() for n in other})


# -- 2. places are identity ------------------------------------------------------------------

PLACE_PAIRS = [
    ("哈尔滨飞机工业(集团)有限责任公司", "成都飞机工业(集团)有限责任公司"),
    ("成都飞机工业(集团)有限责任公司", "沈阳飞机工业(集团)有限公司"),
    ("陕西飞机工业有限责任公司", "石家庄飞机工业有限责任公司"),
    ("四川一电航空技术有限公司", "深圳一电航空技术有限公司"),
    ("海航航空技术(天津)有限责任公司", "海航航空技术有限公司"),
    ("海航航空技术有限公司", "海航航空技术(天津)有限责任公司"),
    ("国网河南新安县供电公司", "国网河南栾川县供电公司"),
]


@pytest.mark.parametrize(("mention", "candidate"), PLACE_PAIRS)
def test_names_differing_in_a_place_are_not_linked(mention: str, candidate: str) -> None:
    resolver = OrgResolver([Candidate("ent:c", NodeLabel.ENTERPRISE, candidate)])
    decision = resolver.link(mention)
    assert decision.status not in ("exact", "linked"), decision
    assert normalize_org_name(mention) != normalize_org_name(candidate)


def test_place_pairs_that_are_two_firms_are_not_even_review() -> None:
    """30 of 33 review pairs of the PatSnap export were plainly two organisations."""
    resolver = OrgResolver([Candidate("ent:c", NodeLabel.ENTERPRISE, "国网河南栾川县供电公司")])
    assert resolver.link("国网河南新安县供电公司").status == "new"


@pytest.mark.parametrize(
    ("mention", "candidate"),
    [
        ("华信科技（天津）有限公司", "天津市华信科技有限公司"),
        ("天津华信科技有限公司", "天津市华信科技有限公司"),
    ],
)
def test_the_same_firm_with_its_place_written_elsewhere_still_links(mention: str, candidate: str) -> None:
    resolver = OrgResolver([Candidate("ent:c", NodeLabel.ENTERPRISE, candidate)])
    assert resolver.link(mention).status in ("exact", "linked")


def test_ingest_makes_two_nodes_for_firms_differing_in_a_place(
    embedded_store: EmbeddedStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    names = [a for pair in PLACE_PAIRS[:4] for a in pair] + [
        "海航航空技术(天津)有限责任公司",
        "海航航空技术有限公司",
    ]
    rows = "".join(f"CN 31000{i:02d} A,发明{i},2020-01-01,{n},,B64C 1/00\n" for i, n in enumerate(names))
    spec = write_source("公开号,发明名称,申请日,申请人,发明人,IPC分类号\n" + rows, "p.csv", PATENT_COLUMNS)
    ingest_specs(embedded_store, [spec], data_dir=tmp_path)
    got = {str(n.props["name"]) for n in embedded_store.nodes(NodeLabel.ENTERPRISE)}
    assert got == set(names)


# -- 8. Traditional Chinese and Japanese university names ------------------------------------

TW_UNIVERSITIES = [
    "國立大學法人京都大學", "國立大學法人東京大學", "國立大學法人東京工業大學", "國立大學法人東京農工大學",
    "國立大學法人東北大學", "國立大學法人大阪大學", "國立大學法人大分大學", "國立大學法人富山大學",
    "國立大學法人山口大學", "國立大學法人山形大學", "國立大學法人岡山大學", "國立大學法人九州大學",
    "國立大學法人九州工業大學", "國立大學法人信州大學",
]  # fmt: skip


def test_universities_differing_in_a_place_or_one_character_stay_apart() -> None:
    resolver = OrgResolver()
    clusters = []
    for n, name in enumerate(TW_UNIVERSITIES):
        decision = resolver.link(name)
        if decision.status in ("exact", "linked"):
            clusters.append(decision.entity_id)
        else:
            resolver.add(Candidate(f"u:{n}", NodeLabel.UNIVERSITY, name))
            clusters.append(f"u:{n}")
    assert len(set(clusters)) == len(TW_UNIVERSITIES)


def test_traditional_names_match_their_simplified_form() -> None:
    assert normalize_org_name("國立臺灣大學") == normalize_org_name("国立台湾大学")
    assert normalize_org_name("國立大學法人京都大學") == normalize_org_name("京都大学")


# -- 6. Latin script and English -------------------------------------------------------------


@pytest.mark.parametrize(
    ("mention", "candidate"),
    [
        ("UNIV MICHIGAN", "THE REGENTS OF THE UNIV OF MICHIGAN"),
        (
            "INST SUPERIEUR DE L AERONAUTIQUE ET DE L ESPACE",
            "INST SUPÉRIEUR DE L AÉRONAUTIQUE ET DE L ESPACE",
        ),
        ("UNIV WASHINGTON THROUGH ITS CT FOR COMMERICALIZATION", "UNIV WASHINGTON"),
        ("国防科技大学", "中国人民解放军国防科技大学"),
        ("UNIV COLORADO REGENTS", "UNIV COLORADO"),
        ("OOO PARAFARM", "PARAFARM LLC"),
    ],
)
def test_latin_spellings_of_one_organisation_link(mention: str, candidate: str) -> None:
    resolver = OrgResolver([Candidate("org:c", NodeLabel.UNIVERSITY, candidate)])
    assert resolver.link(mention).status in ("exact", "linked")


@pytest.mark.parametrize(
    ("mention", "candidate"),
    [("AIRBUS OPERATIONS GMBH", "AIRBUS OPERATIONS SAS"), ("경운대학교 산학협력단", "광운대학교 산학협력단")],
)
def test_latin_and_hangul_look_alikes_stay_apart(mention: str, candidate: str) -> None:
    resolver = OrgResolver([Candidate("org:c", NodeLabel.ENTERPRISE, candidate)])
    assert resolver.link(mention).status not in ("exact", "linked")


@pytest.mark.skipif(not (SHARED_DATA / "cn-institutions-en").exists(), reason="needs INNOGRAPH_SHARED_DATA")
def test_english_names_from_the_reference_data_link_to_chinese_universities() -> None:
    cs = reference_changes(SHARED_DATA, parts=("universities", "institutes"))
    resolver = OrgResolver()
    for label in (NodeLabel.UNIVERSITY, NodeLabel.RESEARCH_INSTITUTE):
        for p in cs.nodes[label].values():
            resolver.add(
                Candidate(
                    str(p["id"]),
                    label,
                    str(p["name"]),
                    tuple(p.get("aliases") or ()),
                    name_en=p.get("nameEn"),
                )  # type: ignore[arg-type]
            )
    by_name = {str(p["name"]): str(p["id"]) for p in cs.nodes[NodeLabel.UNIVERSITY].values()}
    expect = {
        "Harbin Engineering University": "哈尔滨工程大学",
        "UNIV TSINGHUA": "清华大学",
        "Peking University": "北京大学",
        "Beijing University of Posts and Telecommunications (BUPT)": "北京邮电大学",
        "中国石油大学（北京）": "中国石油大学（北京）",
    }
    for mention, name in expect.items():
        decision = resolver.link(mention)
        assert (decision.status, decision.entity_id) in (
            ("exact", by_name[name]),
            ("linked", by_name[name]),
        ), mention
    east = resolver.link("中国石油大学（华东）").entity_id
    assert east != by_name["中国石油大学（北京）"]


def test_label_files_reference_real_records() -> None:
    """The bench label file names file, row, column and the raw name of every labelled record."""
    path = Path(__file__).resolve().parents[2] / "bench" / "linking_real_labels.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and set(rows[0]) == {"file", "row", "column", "name", "group"}


def test_a_placeless_mention_links_to_the_registered_firm_with_its_place_in_brackets() -> None:
    """Without a credit code 海航航空技术 vs 海航航空技术(天津) is a question (two firms in PatSnap);
    a registry entry (credit code) is the district's authority on which firm it is."""
    registered = Candidate(
        "ent:c", NodeLabel.ENTERPRISE, "华信科技（天津）有限公司", credit_code="91120110MA05HXKJ1X"
    )
    assert OrgResolver([registered]).link("华信科技有限公司").status == "linked"
    unregistered = Candidate("ent:h", NodeLabel.ENTERPRISE, "海航航空技术(天津)有限责任公司")
    assert OrgResolver([unregistered]).link("海航航空技术有限公司").status == "review"


@pytest.mark.skipif(not (SHARED_DATA / "cn-institutions-en").exists(), reason="needs INNOGRAPH_SHARED_DATA")
@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("UNIV TSINGHUA", "清华大学"),
        ("AMOY UNIVERSITY", "厦门大学"),
        ("UNIV PEKING", "北京大学"),
        ("NANKING UNIVERSITY", "南京大学"),
    ],
)
def test_postal_romanisations_from_the_reference_tables_link(mention: str, name: str) -> None:
    resolver = OrgResolver([Candidate("uni:x", NodeLabel.UNIVERSITY, name)])
    assert resolver.link(mention).status in ("exact", "linked")
