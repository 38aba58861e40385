"""Every bad-input class: the exact error or quarantine reason, and the reconciliation counts.

File-level problems raise and leave the graph as it was; row-level problems quarantine the row
with file, row, column and reason, and ``rows read = loaded + merged + quarantined`` holds.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from graph.changeset import ChangeSet
from graph.model import NodeLabel
from graph.store import GraphStore
from ingest.errors import IngestError
from ingest.pipeline import ingest_specs
from ingest.reconcile import IngestReport
from tests.ingest.conftest import ENTERPRISE_COLUMNS, PATENT_COLUMNS, SpecWriter, credit_code

CODE_A = credit_code("91120110MA05ABCD1")
CODE_B = credit_code("91120110MA05ABCE1")
HEADER = "企业名称,统一社会信用代码,营业收入(万元),成立日期,简介\n"


def _counts(report: IngestReport) -> tuple[int, int, int, int]:
    f = report.files[0]
    return f.rows_read, f.loaded, f.merged, f.quarantined


def _reasons(report: IngestReport) -> list[tuple[int, str | None, str]]:
    return [(q.row, q.column, q.reason) for q in report.quarantine]


def _seed(store: GraphStore) -> list[object]:
    """Put one node in the store so 'left as it was' is checked against a non-empty graph."""
    changes = ChangeSet()
    changes.add_node(NodeLabel.UNIVERSITY, {"id": "uni:10056", "name": "天津大学", "aliases": ["天大"]})
    store.apply(changes)
    return list(store.iter_all())


def test_valid_list_with_a_bad_credit_code_and_a_duplicate(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    spec = write_source(
        HEADER
        + f"天津华明科技有限公司,{CODE_A},120,2015年3月2日,做传感器\n"
        + f"天津东丽精工股份有限公司,{CODE_B},3.5万元,2018/1/9,\n"
        + "天津坏码科技有限公司,911201100000000000,10,,\n"
        + f"天津华明科技有限公司,{CODE_A},120,2015年3月2日,做传感器\n",
        "list.csv",
        ENTERPRISE_COLUMNS,
        encoding="gbk",
    )
    report = ingest_specs(store, [spec], data_dir=tmp_path)

    assert _counts(report) == (4, 2, 1, 1)
    assert report.files[0].encoding == "gb18030"
    # 9·1 + 1·3 + 1·9 + 2·27 + 0·19 + 1·26 + 1·16 = 117; 117 mod 31 = 24; 31 − 24 = 7.
    assert _reasons(report) == [
        (
            4,
            "统一社会信用代码",
            "credit code '911201100000000000': check character is '0', GB 32100-2015 gives '7'",
        ),
    ]
    node = store.get_node(f"ent:{CODE_A}")
    assert node is not None
    assert node.props["revenue"] == pytest.approx(1_200_000.0)  # 120 万元 in yuan
    assert node.props["founded"] == "2015-03-02"
    assert node.props["records"] == ["list.csv#2", "list.csv#5"]
    assert node.props["sources"] == ["test_source"]
    assert node.props["ingestRuns"] == [report.run_id]
    other = store.get_node(f"ent:{CODE_B}")
    assert other is not None and other.props["revenue"] == pytest.approx(35_000.0)
    # the reconciliation and the quarantine are saved for people to act on
    saved = json.loads((tmp_path / "ingest-runs" / report.run_id / "reconciliation.json").read_text())
    assert (saved["rowsRead"], saved["loaded"], saved["merged"], saved["quarantined"]) == (4, 2, 1, 1)
    with (tmp_path / "ingest-runs" / report.run_id / "quarantine.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["file"], r["row"], r["column"]) for r in rows] == [("list.csv", "4", "统一社会信用代码")]


@pytest.mark.parametrize(
    ("data", "file_name", "options", "message"),
    [
        (
            HEADER + f"天津华明科技有限公司,{CODE_A},120,,\n",
            "gbk.csv",
            {"encoding": "gbk", "extra_source": 'encoding = "utf-8"'},
            r"^gbk\.csv: not valid utf-8: undecodable bytes on line 1 \(the file looks like gb18030\)$",
        ),
        (
            (HEADER + f"天津华明科技有限公司,{CODE_A},120,,\n").encode()
            + f"天津东丽精工股份有限公司,{CODE_B},3,,\n".encode("gbk"),
            "mixed.csv",
            {},
            r"^mixed\.csv: mixed encodings: line 1 is UTF-8 but line 3 is not",
        ),
        ("", "empty.csv", {}, r"^empty\.csv: the file is empty$"),
        (
            b"PK\x03\x04" + b"\x00" * 64,
            "list.csv",
            {},
            r"^list\.csv: the extension says CSV but the content is a ZIP archive",
        ),
    ],
    ids=["wrong-encoding", "mixed-encoding", "empty-file", "not-what-its-extension-says"],
)
def test_an_unreadable_file_fails_naming_the_file_and_writes_nothing(
    store: GraphStore,
    write_source: SpecWriter,
    tmp_path: Path,
    data: str | bytes,
    file_name: str,
    options: dict[str, str],
    message: str,
) -> None:
    before = _seed(store)
    spec = write_source(data, file_name, ENTERPRISE_COLUMNS, **options)
    with pytest.raises(IngestError, match=message):
        ingest_specs(store, [spec], data_dir=tmp_path)
    assert list(store.iter_all()) == before


def test_missing_required_column_fails_the_whole_call(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    before = _seed(store)
    good = write_source(HEADER + f"天津华明科技有限公司,{CODE_A},120,,\n", "good.csv", ENTERPRISE_COLUMNS)
    bad = write_source("公司,营业收入\n天津华明科技有限公司,120\n", "bad.csv", ENTERPRISE_COLUMNS)
    with pytest.raises(IngestError) as caught:
        ingest_specs(store, [good, bad], data_dir=tmp_path)
    assert str(caught.value) == (
        "bad.csv: missing required column 'name' (any of: 企业名称, 单位名称, Company Name); "
        "headers found: 公司, 营业收入"
    )
    assert list(store.iter_all()) == before  # the good file of the same call is not written either


def test_bad_ipc_quarantines_the_row(store: GraphStore, write_source: SpecWriter, tmp_path: Path) -> None:
    spec = write_source(
        "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
        "CN 1000001 A,一种无人机,2020-01-02,天津华明科技有限公司,张伟;李强,H01L 33/00;B64C0039024000\n"
        "CN 1000002 A,一种传感器,2020-01-03,天津华明科技有限公司,张伟,H01L 33\n"
        "CN 1000003 A,一种电池,2020-13-03,天津华明科技有限公司,王芳,H01M\n",
        "patents.csv",
        PATENT_COLUMNS,
    )
    report = ingest_specs(store, [spec], data_dir=tmp_path)
    assert _counts(report) == (3, 1, 0, 2)
    assert _reasons(report) == [
        (3, "IPC分类号", "not an IPC code: 'H01L 33' (expected e.g. H01L33/00)"),
        (4, "申请日", "not a calendar date: '2020-13-03'"),
    ]
    patent = store.get_node("patent:CN1000001A")
    assert patent is not None and patent.props["ipcCodes"] == ["H01L33/00", "B64C39/024"]
    assert store.get_node("patent:CN1000002A") is None
    assert store.get_node("ipc:B64C39/00") is not None  # the hierarchy of the good code


def test_duplicate_rows_are_merged_not_doubled(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    row = "CN 1000001 A,一种无人机,2020-01-02,天津华明科技有限公司,张伟,B64C39/02\n"
    spec = write_source(
        "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n" + row * 3, "dups.csv", PATENT_COLUMNS
    )
    report = ingest_specs(store, [spec], data_dir=tmp_path)
    assert _counts(report) == (3, 1, 2, 0)
    assert store.counts().labels["Patent"] == 1
    assert store.counts().relationships["APPLIED_FOR"] == 1
    assert store.counts().labels["Person"] == 1


def test_conflicting_values_for_one_entity_quarantine_the_later_row(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    spec = write_source(
        HEADER
        + f"天津华明科技有限公司,{CODE_A},120,,\n"
        + f"天津市华明科技有限公司,{CODE_A},130,,\n"  # same code, a name variant: an alias, not a conflict
        + f"华明科技,{CODE_A},120,,\n",
        "conflict.csv",
        ENTERPRISE_COLUMNS,
    )
    report = ingest_specs(store, [spec], data_dir=tmp_path)
    assert _counts(report) == (3, 1, 1, 1)
    assert _reasons(report) == [
        (3, "营业收入(万元)", "conflicts with conflict.csv#2: revenue is 1200000.0 there and 1300000.0 here"),
    ]
    node = store.get_node(f"ent:{CODE_A}")
    assert node is not None
    assert node.props["revenue"] == pytest.approx(1_200_000.0)
    assert node.props["name"] == "天津华明科技有限公司"
    assert node.props["aliases"] == ["华明科技"]
    # the same file again: the same row is quarantined for the same reason, nothing changes
    snapshot = list(store.iter_all())
    again = ingest_specs(store, [spec], data_dir=tmp_path)
    assert _counts(again) == (3, 0, 2, 1)
    assert _reasons(again) == _reasons(report)
    assert list(store.iter_all()) == snapshot


def test_a_header_only_file_is_zero_rows(store: GraphStore, write_source: SpecWriter, tmp_path: Path) -> None:
    header_only = write_source(HEADER, "header.csv", ENTERPRISE_COLUMNS)
    report = ingest_specs(store, [header_only], data_dir=tmp_path)
    assert _counts(report) == (0, 0, 0, 0)
    assert report.files[0].warnings == ["the file has a header but no rows"]


def test_oversized_field_quarantines_the_row(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    spec = write_source(
        HEADER
        + f"天津华明科技有限公司,{CODE_A},120,,{'长' * 600}\n"
        + f"天津东丽精工股份有限公司,{CODE_B},3,,短\n",
        "big.csv",
        ENTERPRISE_COLUMNS,
    )
    report = ingest_specs(store, [spec], data_dir=tmp_path)
    assert _counts(report) == (2, 1, 0, 1)
    assert _reasons(report) == [(2, "简介", "oversized field: 600 characters; the limit is 500")]
    assert report.quarantine[0].value is not None and report.quarantine[0].value.endswith("(600 characters)")


def test_missing_name_value_and_short_row(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    spec = write_source(
        HEADER + f",{CODE_A},120,,\n" + "天津华明科技有限公司,,120,,,多余\n", "gaps.csv", ENTERPRISE_COLUMNS
    )
    report = ingest_specs(store, [spec], data_dir=tmp_path)
    assert _counts(report) == (2, 0, 0, 2)
    assert _reasons(report) == [
        (2, "企业名称", "required value 'name' is empty"),
        (3, None, "row has 6 cells but the header has 5"),
    ]
