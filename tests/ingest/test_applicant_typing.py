"""Issue #11 findings 3 and 8: people who file patents are Persons, not firms; Traditional Chinese
and Japanese 大學/學院 are universities. The strings are real applicants (file and record named)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.facts import gather_facts
from analytics.projection import analysis_projection
from graph.changeset import ChangeSet
from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from ingest.applicants import organization_label, type_applicant
from ingest.persons import person_name_key
from ingest.pipeline import ingest_specs
from tests.ingest.conftest import PATENT_COLUMNS, SpecWriter

PERSONS = [
    "羊丁",  # PatSnap CN106379528A
    "张琛",  # PatSnap
    "克里斯琴施米德",  # PatSnap: a transliterated foreign name
    "FLEMING ROBERT J",  # Lens: SURNAME GIVEN INITIAL
    "BARRETT, GEORGE M.",  # Lens
    "DR K C UDAIYAKUMAR",  # PatSnap
    "SUAREZ SANCHEZ MIGUEL ANGEL",  # PatSnap
    "КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ",  # PatSnap (issue #11 finding 1)
    "СТАРОВЕРОВ НИКОЛАЙ ЕВГЕНЬЕВИЧ (RU)",  # PatSnap
    "이정용",  # PatSnap
    "フアンクルスアヨロア",  # PatSnap
    "張秀雯",  # Taiwan file
]
ORGANISATIONS = [
    "リージェント クラフト インコーポレイテッド",  # PatSnap
    "UNIV BEI HANG",  # Lens
    "韩华系统株式会社",  # PatSnap
    "KALOR INZHINERING OOD",  # PatSnap
    "SERTPLAS OTO YAN SANVE TİC A Ş",  # PatSnap
    "AKTSIONERNOE OBSHCHESTVO OBEDINENNAYA DVIGATELESTROITELNAYA KORPORATSIYA (AO ODK)",  # PatSnap
    "HEAD",  # PatSnap: one word is no person's full name
    "328 SUPPORT SERVICES",  # PatSnap
    "中国人民解放军第五七二一工厂",  # PatSnap
    "独立行政法人 宇宙航空研究开发机构",  # PatSnap
    "國立大學法人德島大學",  # Taiwan file
    "美商高通公司",  # Taiwan file
]


@pytest.mark.parametrize("name", PERSONS)
def test_real_individual_applicants_are_persons(name: str) -> None:
    assert type_applicant(name).kind == "person"


@pytest.mark.parametrize("name", ORGANISATIONS)
def test_real_organisation_applicants_are_organisations(name: str) -> None:
    assert type_applicant(name).kind == "organization"


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("國立臺灣大學", NodeLabel.UNIVERSITY),  # Taiwan file
        ("學校法人東京工藝大學", NodeLabel.UNIVERSITY),
        ("國立大學法人德島大學", NodeLabel.UNIVERSITY),
        ("瑞士蘇黎世聯邦理工學院", NodeLabel.UNIVERSITY),
        ("中國科學院天津工業生物技術研究所", NodeLabel.RESEARCH_INSTITUTE),
        ("大學光學科技股份有限公司", NodeLabel.ENTERPRISE),  # a firm whose name starts with 大學
    ],
)
def test_traditional_and_japanese_type_words(name: str, label: NodeLabel) -> None:
    assert organization_label(name) is label


def test_names_in_other_scripts_keep_a_person_key_of_their_own() -> None:
    keys = {person_name_key(n) for n in ("КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ", "이정용", "フアンクルスアヨロア")}
    assert len(keys) == 3 and "" not in keys


PATENTS = (
    "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
    "CN106379528A,一种飞行器,2016-01-02,羊丁,羊丁,B64C39/02\n"
    "CN1000002A,一种旋翼,2017-01-02,张琛；北京航空航天大学,张琛;李强,B64C27/12\n"
    "TW1000003,一種無人機,2018-01-02,國立臺灣大學；FLEMING ROBERT J,FLEMING ROBERT J,B64C39/02\n"
    "RU1000004,ротор,2019-01-02,КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ；이정용,,B64C27/12\n"
)


def test_individual_applicants_become_persons_on_both_stores(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    columns = PATENT_COLUMNS.replace(
        'affiliation = "applicants"', 'affiliation = "applicants"\naffiliate = true'
    )
    spec = write_source(PATENTS, "patents.csv", columns, source_name="patsnap")
    report = ingest_specs(store, [spec], data_dir=tmp_path)
    assert report.quarantined == 0

    firms = {n.name for n in store.nodes(NodeLabel.ENTERPRISE)}
    assert firms == set()  # no individual is an Enterprise ...
    assert gather_facts(analysis_projection(store)).firms == []  # ... nor a firm in clusters/monitor
    universities = {n.name for n in store.nodes(NodeLabel.UNIVERSITY)}
    assert universities == {"北京航空航天大学", "國立臺灣大學"}
    persons = {n.id: n.name for n in store.nodes(NodeLabel.PERSON)}
    applicants = {
        (persons[r.start], r.end) for r in store.relationships(RelType.APPLIED_FOR) if r.start in persons
    }
    assert applicants == {
        ("羊丁", "patent:CN106379528A"),
        ("张琛", "patent:CN1000002A"),
        ("FLEMING ROBERT J", "patent:TW1000003"),
        ("КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ", "patent:RU1000004"),
        ("이정용", "patent:RU1000004"),
    }
    # An applicant who is also the patent's inventor is one Person, not two.
    assert sorted(persons.values()).count("羊丁") == 1 and sorted(persons.values()).count("张琛") == 1
    inventors = {(persons[r.start], r.end) for r in store.relationships(RelType.INVENTED)}
    assert ("羊丁", "patent:CN106379528A") in inventors and ("张琛", "patent:CN1000002A") in inventors
    # Inventors are affiliated with the organisation co-applicant, even when an individual is
    # named first (张琛；北京航空航天大学), never with an individual.
    names = {n.id: n.name for n in store.nodes(NodeLabel.UNIVERSITY)}
    affiliations = {
        (persons[r.start], names.get(r.end, r.end)) for r in store.relationships(RelType.AFFILIATED_WITH)
    }
    assert ("李强", "北京航空航天大学") in affiliations
    assert all(not end.startswith("person:") for _, end in affiliations)


def test_a_person_shaped_alias_of_a_known_organisation_stays_that_organisation(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    # 南开 is 南开大学's 简称 (ingest/data/university_aliases.csv); its shape is a personal name's.
    assert type_applicant("南开").kind == "person"
    seed = ChangeSet()
    seed.add_node(NodeLabel.UNIVERSITY, {"id": "uni:10055", "name": "南开大学", "aliases": ["南开"]})
    store.apply(seed)
    patents = (
        "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
        "CN1000005A,一种材料,2016-01-02,南开；羊丁,羊丁,C01B\n"
    )
    spec = write_source(patents, "patents.csv", PATENT_COLUMNS, source_name="cnipa")
    ingest_specs(store, [spec], data_dir=tmp_path)
    applicants = {r.start for r in store.relationships(RelType.APPLIED_FOR)}
    persons = {n.name for n in store.nodes(NodeLabel.PERSON)}
    assert "uni:10055" in applicants and "南开" not in persons and "羊丁" in persons
