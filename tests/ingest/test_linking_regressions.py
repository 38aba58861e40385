"""Regressions in how the builder links within one ingest call.

- Organisation rows keyed by a column (``key = "code"``) used to stay unknown to the resolver for
  the rest of the call: a later file naming them by 简称 or in English created a second entity.
- A resolver decision with status ``review`` used to be taken as a link (``status != "new"``):
  every uncertain pair was merged without a person ever looking at it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from ingest.pipeline import ingest_specs
from tests.ingest.conftest import ENTERPRISE_COLUMNS, PATENT_COLUMNS, SpecWriter, credit_code

CODE_HX = credit_code("91120110MA05HXKJ1")
INSTITUTE_COLUMNS = """
[row]
label = "ResearchInstitute"
key = "code"

[columns.code]
headers = ["院所编号"]
type = "id"
required = true

[columns.name]
headers = ["机构名称"]
type = "org_name"
required = true

[columns.nameEn]
headers = ["英文名称"]

[columns.aliases]
headers = ["简称"]
type = "org_name"
multi = ["、"]
"""
INSTITUTES = (
    "院所编号,机构名称,英文名称,简称\n"
    "TIB,中国科学院天津工业生物技术研究所,Tianjin Institute of Industrial Biotechnology CAS,"
    "中科院天津工业生物所、天津工业生物所\n"
)
INSTITUTE_PATENTS = (
    "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
    "CN 2000001 A,一种酶,2020-01-02,中科院天津工业生物所,,C12N 9/00\n"
    "CN 2000002 A,一种菌株,2020-02-03,TIANJIN INST IND BIOTECHNOLOGY CAS,,C12N 1/20\n"
    "CN 2000003 A,一种发酵方法,2020-03-04,天津工业生物所,,C12P 7/00\n"
)


@pytest.mark.parametrize("resolver_built_first", [False, True], ids=["lazy-resolver", "built-resolver"])
def test_org_rows_keyed_by_a_column_are_linkable_in_the_same_call(
    embedded_store: EmbeddedStore, write_source: SpecWriter, tmp_path: Path, resolver_built_first: bool
) -> None:
    """An institute keyed by its code, then patents naming it by 简称 and in English, in one call:
    one institute, every patent linked to it (not "中科院天津工业生物所" as a second institute)."""
    specs = []
    if resolver_built_first:  # an enterprise row needs the resolver before the institutes arrive
        registry = f"企业名称,统一社会信用代码\n天津华信科技有限公司,{CODE_HX}\n"
        specs.append(write_source(registry, "registry.csv", ENTERPRISE_COLUMNS, source_name="registry"))
    specs.append(write_source(INSTITUTES, "institutes.csv", INSTITUTE_COLUMNS, source_name="institutes"))
    specs.append(write_source(INSTITUTE_PATENTS, "patents.csv", PATENT_COLUMNS, source_name="cnipa"))

    report = ingest_specs(embedded_store, specs, data_dir=tmp_path)

    institutes = embedded_store.nodes(NodeLabel.RESEARCH_INSTITUTE)
    assert [n.id for n in institutes] == ["inst:TIB"]
    applied = sorted((r.start, r.end) for r in embedded_store.relationships(RelType.APPLIED_FOR))
    assert applied == [
        ("inst:TIB", "patent:CN2000001A"),
        ("inst:TIB", "patent:CN2000002A"),
        ("inst:TIB", "patent:CN2000003A"),
    ]
    decisions = {r.mention: (r.status, r.entity_id) for r in report.links if r.file == "patents.csv"}
    assert decisions == {
        "中科院天津工业生物所": ("exact", "inst:TIB"),
        "TIANJIN INST IND BIOTECHNOLOGY CAS": ("exact", "inst:TIB"),
        "天津工业生物所": ("exact", "inst:TIB"),
    }
    institute = institutes[0].props
    assert institute["name"] == "中国科学院天津工业生物技术研究所"  # the row's name, not a mention
    assert "TIANJIN INST IND BIOTECHNOLOGY CAS" in institute["aliases"]
    assert "中国科学院天津工业生物技术研究所" not in institute["aliases"]
    assert all(f.balanced for f in report.files)


def test_review_decision_is_not_merged_but_listed_for_review(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    """天津华鑫科技 vs the registered 天津华信科技 (same sound, other characters) is a review pair:
    the mention becomes its own enterprise and the pair goes on the review list."""
    registry = write_source(
        f"企业名称,统一社会信用代码\n天津华信科技有限公司,{CODE_HX}\n",
        "registry.csv",
        ENTERPRISE_COLUMNS,
        source_name="registry",
    )
    patents = write_source(
        "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
        "CN 3000001 A,一种无人机,2020-01-02,天津华鑫科技有限公司,,B64C 39/02\n"
        "CN 3000002 A,一种电机,2020-02-03,华鑫科技,,H02K 1/00\n"
        "CN 3000003 A,一种电路,2020-03-04,天津华信科技,,H05K 1/00\n",
        "patents.csv",
        PATENT_COLUMNS,
        source_name="cnipa",
    )

    report = ingest_specs(store, [registry, patents], data_dir=tmp_path)

    firms = {n.id: n for n in store.nodes(NodeLabel.ENTERPRISE)}
    huaxin = f"ent:{CODE_HX}"
    assert len(firms) == 2 and huaxin in firms
    (huaxin2,) = set(firms) - {huaxin}
    assert firms[huaxin2].props["name"] == "天津华鑫科技有限公司"
    assert "天津华鑫科技有限公司" not in (firms[huaxin].props.get("aliases") or [])
    assert "华鑫科技" not in (firms[huaxin].props.get("aliases") or [])
    applied = {(r.start, r.end) for r in store.relationships(RelType.APPLIED_FOR)}
    assert applied == {
        (huaxin2, "patent:CN3000001A"),
        (huaxin2, "patent:CN3000002A"),  # the same spelling again links to the new entity
        (huaxin, "patent:CN3000003A"),
    }
    # One pair to review, with what a reviewer needs to merge it later.
    assert len(report.review) == 1
    pair = report.review[0]
    assert (pair.file, pair.row, pair.column, pair.mention) == (
        "patents.csv",
        2,
        "申请人",
        "天津华鑫科技有限公司",
    )
    assert (pair.status, pair.entity_id, pair.label) == ("review", huaxin, "Enterprise")
    assert 75 <= pair.score < 90
    assert pair.evidence["candidateName"] == "天津华信科技有限公司"
    assert pair.evidence["createdAs"] == huaxin2
    assert "homophone" in pair.evidence["caps"]
    saved = (tmp_path / "ingest-runs" / report.run_id / "review.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["mention"] for line in saved.splitlines()] == ["天津华鑫科技有限公司"]
    rel = next(r for r in store.relationships(RelType.APPLIED_FOR) if r.end == "patent:CN3000001A")
    assert rel.props["linkStatus"] == "review"
    assert [(f.rows_read, f.loaded, f.merged, f.quarantined) for f in report.files] == [
        (1, 1, 0, 0),
        (3, 3, 0, 0),
    ]


def test_review_decision_on_a_resolved_row_loads_it_as_its_own_entity(
    embedded_store: EmbeddedStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    """A registry row whose name is only a review pair for an earlier row is loaded, not merged."""
    registry = write_source(
        f"企业名称,统一社会信用代码\n天津华信科技有限公司,{CODE_HX}\n天津华鑫科技有限公司,\n",
        "registry.csv",
        ENTERPRISE_COLUMNS,
        source_name="registry",
    )

    report = ingest_specs(embedded_store, [registry], data_dir=tmp_path)

    (file,) = report.files
    assert (file.rows_read, file.loaded, file.merged, file.quarantined) == (2, 2, 0, 0)
    assert sorted(n.props["name"] for n in embedded_store.nodes(NodeLabel.ENTERPRISE)) == [
        "天津华信科技有限公司",
        "天津华鑫科技有限公司",
    ]
    assert [(r.row, r.mention, r.entity_id) for r in report.review] == [
        (3, "天津华鑫科技有限公司", f"ent:{CODE_HX}")
    ]
    # Re-running the same input writes nothing and lists the same counts.
    again = ingest_specs(embedded_store, [registry], data_dir=tmp_path)
    assert (again.files[0].loaded, again.files[0].merged) == (0, 2)
    assert len(embedded_store.nodes(NodeLabel.ENTERPRISE)) == 2


def test_person_review_decision_is_not_merged(
    embedded_store: EmbeddedStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    """张伟 at 天津大学 and 张伟 at 南开大学 sharing only a technology field: two persons, one pair
    to review — never one person by name and field alone."""
    patents = write_source(
        "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
        "CN 4000001 A,一种芯片,2020-01-02,天津大学,张伟,H01L 33/02\n"
        "CN 4000002 A,一种外延片,2020-02-03,南开大学,张伟,H01L 33/00\n",
        "patents.csv",
        PATENT_COLUMNS,
        source_name="cnipa",
    )

    report = ingest_specs(embedded_store, [patents], data_dir=tmp_path)

    people = embedded_store.nodes(NodeLabel.PERSON)
    assert [p.props["name"] for p in people] == ["张伟", "张伟"]
    inventors = {r.end: r.start for r in embedded_store.relationships(RelType.INVENTED)}
    assert inventors["patent:CN4000001A"] != inventors["patent:CN4000002A"]
    (pair,) = report.review
    assert (pair.mention, pair.label, pair.row) == ("张伟", "Person", 3)
    assert pair.entity_id == inventors["patent:CN4000001A"]  # the candidate a person should look at
    assert pair.evidence["createdAs"] == inventors["patent:CN4000002A"]
    assert pair.evidence["candidateName"] == "张伟"
