"""Branches and subsidiaries are their own nodes, linked to the parent, on both stores
(issue #11: 海航航空技术(天津)有限责任公司 was merged into 海航航空技术有限公司)."""

from __future__ import annotations

from pathlib import Path

from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from ingest.hierarchy import parent_link
from ingest.pipeline import ingest_specs
from tests.ingest.conftest import PATENT_COLUMNS, SpecWriter

APPLICANTS = [
    "海航航空技术有限公司",
    "海航航空技术(天津)有限责任公司",
    "国网湖北省电力有限公司宜昌供电公司",  # arrives before its parent: the edge waits for it
    "国网湖北省电力有限公司",
    "哈尔滨工业大学",
    "哈尔滨工业大学(威海)",
]


def test_parent_link_reads_branches_subsidiaries_and_campuses() -> None:
    got = {n: (link.rel, link.parent_normal) if (link := parent_link(n)) else None for n in APPLICANTS}
    assert got == {
        "海航航空技术有限公司": None,
        "海航航空技术(天津)有限责任公司": (RelType.SUBSIDIARY_OF, "海航航空技术"),
        "国网湖北省电力有限公司宜昌供电公司": (RelType.BRANCH_OF, "国网湖北省电力"),
        "国网湖北省电力有限公司": None,
        "哈尔滨工业大学": None,
        "哈尔滨工业大学(威海)": (RelType.BRANCH_OF, "哈尔滨工业大学"),
    }


def test_ingest_links_branches_and_subsidiaries_to_their_parents(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    rows = "".join(f"CN 32000{i:02d} A,发明{i},2020-01-01,{n},,B64C 1/00\n" for i, n in enumerate(APPLICANTS))
    spec = write_source("公开号,发明名称,申请日,申请人,发明人,IPC分类号\n" + rows, "p.csv", PATENT_COLUMNS)
    ingest_specs(store, [spec], data_dir=tmp_path)
    names = {
        n.id: str(n.props["name"])
        for label in (NodeLabel.ENTERPRISE, NodeLabel.UNIVERSITY)
        for n in store.nodes(label)
    }
    assert sorted(names.values()) == sorted(APPLICANTS)  # six organisations, none merged
    edges = {
        (
            rel_type.value,
            names[r.start],
            names[r.end],
            r.props.get("rule"),
            tuple(r.props.get("sources") or ()),
        )
        for rel_type in (RelType.BRANCH_OF, RelType.SUBSIDIARY_OF)
        for r in store.relationships(rel_type)
    }
    assert edges == {
        (
            "SUBSIDIARY_OF",
            "海航航空技术(天津)有限责任公司",
            "海航航空技术有限公司",
            "place_in_brackets",
            ("test_source",),
        ),
        (
            "BRANCH_OF",
            "国网湖北省电力有限公司宜昌供电公司",
            "国网湖北省电力有限公司",
            "branch_name",
            ("test_source",),
        ),
        ("BRANCH_OF", "哈尔滨工业大学(威海)", "哈尔滨工业大学", "campus_in_brackets", ("test_source",)),
    }
