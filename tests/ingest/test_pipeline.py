"""The pipeline end to end: linking, provenance, idempotent re-runs, atomic failure, dry runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.changeset import ChangeSet
from graph.model import NodeLabel, RelType
from graph.records import ApplyResult
from graph.store import GraphStore
from ingest.pipeline import ingest_specs
from tests.ingest.conftest import ENTERPRISE_COLUMNS, PATENT_COLUMNS, SpecWriter, credit_code

CODE_A = credit_code("91120110MA05ABCD1")
PATENTS = (
    "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
    "CN 1000001 A,一种无人机,2020-01-02,天津大学；天津市华明科技有限公司,张伟;李强,H01L 33/02;B64C39/02\n"
    "CN 1000002 A,一种传感器,2021年5月6日,天大,张伟;王芳,H01L0033000000\n"
    "CN 1000003 A,一种电池,2021/7/8,华明科技,李强,H01M 10/05\n"
)
ENTERPRISES = (
    f"企业名称,统一社会信用代码,营业收入(万元),成立日期,简介\n天津华明科技有限公司,{CODE_A},120,2015-03-02,\n"
)


def _seed_university(store: GraphStore) -> None:
    changes = ChangeSet()
    changes.add_node(NodeLabel.UNIVERSITY, {"id": "uni:10056", "name": "天津大学", "aliases": ["天大"]})
    store.apply(changes)


def test_patents_link_to_canonical_organisations_with_provenance(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    _seed_university(store)
    enterprises = write_source(ENTERPRISES, "enterprises.csv", ENTERPRISE_COLUMNS, source_name="registry")
    patents = write_source(PATENTS, "patents.csv", PATENT_COLUMNS, source_name="cnipa")

    report = ingest_specs(store, [enterprises, patents], data_dir=tmp_path)

    assert [(f.rows_read, f.loaded, f.merged, f.quarantined) for f in report.files] == [
        (1, 1, 0, 0),
        (3, 3, 0, 0),
    ]
    applied = {(r.start, r.end) for r in store.relationships(RelType.APPLIED_FOR)}
    firm = f"ent:{CODE_A}"
    assert applied == {
        ("uni:10056", "patent:CN1000001A"),
        (firm, "patent:CN1000001A"),
        ("uni:10056", "patent:CN1000002A"),
        (firm, "patent:CN1000003A"),
    }
    university = store.get_node("uni:10056")
    assert university is not None and university.props["name"] == "天津大学"  # an existing name is kept
    assert university.props["sources"] == ["cnipa"]
    rel = next(r for r in store.relationships(RelType.APPLIED_FOR) if r.end == "patent:CN1000002A")
    assert rel.props["records"] == ["patents.csv#3"]
    assert rel.props["linkStatus"] in {"exact", "linked"} and rel.props["linkScore"] >= 90
    assert json.loads(rel.props["linkEvidence"])
    # IPC codes in three written forms become one hierarchy
    classified = {
        (r.start, r.end, r.props.get("primary")) for r in store.relationships(RelType.CLASSIFIED_AS)
    }
    assert ("patent:CN1000002A", "ipc:H01L33/00", True) in classified
    assert ("patent:CN1000001A", "ipc:H01L33/02", True) in classified
    parents = {(r.start, r.end) for r in store.relationships(RelType.SUBCLASS_OF)}
    assert {
        ("ipc:H01L33/02", "ipc:H01L33/00"),
        ("ipc:H01L33/00", "ipc:H01L"),
        ("ipc:H01L", "ipc:H01"),
        ("ipc:H01", "ipc:H"),
    } <= parents
    # 张伟 on two patents of the same applicant is one person; 李强 has two different applicants' patents
    inventors = {(r.start, r.end) for r in store.relationships(RelType.INVENTED)}
    zhang = {
        start
        for start, end in inventors
        if end in {"patent:CN1000001A", "patent:CN1000002A"}
        and (node := store.get_node(start)) is not None
        and node.props["name"] == "张伟"
    }
    assert len(zhang) == 1
    # one decision per mention: the enterprise row's name, 4 applicants, 5 inventors
    assert len(report.links) == 10
    saved = tmp_path / "ingest-runs" / report.run_id / "links.jsonl"
    assert len(saved.read_text(encoding="utf-8").splitlines()) == len(report.links)


def test_reingesting_identical_input_changes_nothing(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    _seed_university(store)
    specs = [
        write_source(ENTERPRISES, "enterprises.csv", ENTERPRISE_COLUMNS),
        write_source(PATENTS, "patents.csv", PATENT_COLUMNS),
    ]
    first = ingest_specs(store, specs, data_dir=tmp_path)
    snapshot, counts, version = list(store.iter_all()), store.counts(), store.version()

    second = ingest_specs(store, specs, data_dir=tmp_path)

    assert second.run_id == first.run_id
    assert store.counts() == counts
    assert list(store.iter_all()) == snapshot
    assert store.version() == version  # nothing to write: not even the version counter moves
    assert (second.rows_read, second.loaded, second.merged, second.quarantined) == (4, 0, 4, 0)


class FailingStore:
    """A store whose apply fails part-way *inside* the real transaction: the batch gets one
    relationship to a node that does not exist, which the store finds after merging every node."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.kind = inner.kind

    def apply(self, changes: ChangeSet) -> ApplyResult:
        changes.add_relationship(
            RelType.APPLIED_FOR,
            (NodeLabel.ENTERPRISE, "ent:missing-node"),
            (NodeLabel.PATENT, "patent:CN1000001A"),
        )
        return self.inner.apply(changes)

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_an_ingest_that_fails_midway_leaves_nothing_and_a_rerun_equals_a_clean_run(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    specs = [
        write_source(ENTERPRISES, "enterprises.csv", ENTERPRISE_COLUMNS),
        write_source(PATENTS, "patents.csv", PATENT_COLUMNS),
    ]
    _seed_university(store)
    ingest_specs(store, specs, data_dir=tmp_path)
    clean = list(store.iter_all())
    store.clear()
    _seed_university(store)
    before = list(store.iter_all())

    with pytest.raises(Exception, match="ent:missing-node"):
        ingest_specs(FailingStore(store), specs, data_dir=tmp_path)  # type: ignore[arg-type]
    assert list(store.iter_all()) == before

    ingest_specs(store, specs, data_dir=tmp_path)
    assert list(store.iter_all()) == clean


def test_dry_run_reports_but_writes_nothing(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    spec = write_source(PATENTS, "patents.csv", PATENT_COLUMNS)
    report = ingest_specs(store, [spec], dry_run=True, data_dir=tmp_path)
    assert (report.rows_read, report.loaded) == (3, 3)
    assert report.nodes_written > 0
    assert store.counts().nodes == 0
    assert (tmp_path / "ingest-runs" / f"{report.run_id}-dry-run" / "reconciliation.json").exists()
