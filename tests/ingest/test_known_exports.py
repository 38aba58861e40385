"""No spec needed for known exports; spec guess; .xls; spec errors (issue #11, finding 9).

Header strings are quoted from the real files in ../shared/data (PatSnap 智慧芽 export, the
Tianjin registry, the Lens drones export, the MoE list, the Taiwan academic patents); the tests
that read the files themselves use ``INNOGRAPH_SHARED_DATA``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from ingest.errors import IngestError, SpecError
from ingest.known_exports import recognise, resolve_inputs, spec_for_file, templates
from ingest.pipeline import ingest_specs
from ingest.review import list_reviews
from ingest.spec import load_spec
from ingest.spec_guess import guess_spec
from innograph_cli.main import app
from tests.conftest import SHARED_DATA

PATSNAP_HEADERS = [
    "序号",
    "公开(公告)号",
    "法律状态/事件",
    "[标]当前申请(专利权)人",
    "申请日",
    "公开(公告)日",
    "非专利引用文献数量",
    "被引用专利数量",
    "引用专利数量",
    "发明人数量",
    "标题(译)(简体中文)",
    "标题(译)(English)",
    "摘要(译)(简体中文)",
    "摘要(译)(English)",
    "优先权国家/地区",
    "简单同族专利申请数量",
    "简单同族被引用专利总数",
    "3年内被引用次数",
    "5年内被引用次数",
    "INPADOC同族专利申请数量",
    "INPADOC同族被引用专利总数",
    "INPADOC法律状态",
    "PatSnap同族被引用专利总数",
    "Patsnap同族专利申请数量",
    "专利类型",
    "当前申请(专利权)人数量",
    "诉讼案件数",
    "受理局",
    "[标]原始申请(专利权)人",
    "SEP信息",
    "IPC分类号",
    "IPC主分类号",
    "UPC分类号",
]
REGISTRY_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "注册日期",
    "企业类型",
    "法人代表",
    "注册资金",
    "经营范围",
    "所在省份",
    "地区",
    "注册地址",
]
LENS_HEADERS = [
    "#",
    "Jurisdiction",
    "Kind",
    "Publication Number",
    "Lens ID",
    "Publication Date",
    "Publication Year",
    "Application Number",
    "Application Date",
    "Priority Numbers",
    "Title",
    "Applicants",
    "Inventors",
    "URL",
    "Type",
    "Full Text",
    "Cited Count",
    "Simple Family Size",
    "Extended Family Size",
    "Sequence Count",
    "CPC Classifications",
    "IPCR Classifications",
    "US Classifications",
    "PubMed Id(s)",
    "DOI(s)",
    "Non-Patent Citations",
]
MOE_HEADERS = [
    "moe_code",
    "name",
    "category",
    "department",
    "location",
    "level",
    "remark",
    "province_code",
    "province_name",
]
# Documented export field names (no real file in ../shared/data): full-width brackets as exported.
INCOPAT_HEADERS = [
    "序号",
    "标题",
    "申请号",
    "申请日",
    "公开（公告）号",
    "公开（公告）日",
    "申请人",
    "发明人",
    "IPC",
    "摘要",
    "专利类型",
]
CNIPA_HEADERS = [
    "申请号",
    "申请日",
    "公开（公告）号",
    "公开（公告）日",
    "发明名称",
    "IPC分类号",
    "申请（专利权）人",
    "发明人",
    "摘要",
]

PATSNAP_FILE = SHARED_DATA / "real-patsnap-green-aviation" / "patsnap_green_aviation_20240401085613950.xlsx"
REGISTRY_FILE = SHARED_DATA / "real-tianjin-registry-2002" / "tianjin_registry_2002.csv"
LENS_FILE = SHARED_DATA / "patents-lens-drones" / "drones_fulltext_families_5884.csv.gz"
TW_FILE = SHARED_DATA / "real-tw-academic-patents" / "tw_academic_patents_2011_2019.csv.gz"
MOE_FILE = SHARED_DATA / "cn-universities-moe-2025" / "universities_moe_2025.csv"


@pytest.mark.parametrize(
    ("headers", "template"),
    [
        (PATSNAP_HEADERS, "patsnap"),
        (REGISTRY_HEADERS, "registry"),
        (LENS_HEADERS, "lens"),
        (MOE_HEADERS, "moe_universities"),
        (["index", "name", "code", "department", "location", "level", "remark"], "moe_universities_json"),
        (INCOPAT_HEADERS, "incopat"),
        (CNIPA_HEADERS, "cnipa"),
    ],
)
def test_known_exports_are_recognised_by_their_headers(headers: list[str], template: str) -> None:
    found = recognise(headers)
    assert found is not None and found.key == template
    # Every template is a valid spec once it has a file.
    assert found.spec_for(Path("x.csv")).name == found.doc["source"]["name"]


def test_every_shipped_template_loads_and_untested_ones_say_so() -> None:
    keys = {t.key: t for t in templates()}
    assert set(keys) >= {"patsnap", "incopat", "cnipa", "lens", "registry", "moe_universities"}
    assert not keys["incopat"].tested and not keys["cnipa"].tested
    assert keys["patsnap"].tested and keys["registry"].tested
    for t in keys.values():
        t.spec_for(Path("x.csv"))


def test_an_unknown_file_says_how_to_get_a_spec(tmp_path: Path) -> None:
    data = tmp_path / "mystery.csv"
    data.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"not a known export.*innograph spec guess mystery.csv"):
        spec_for_file(data)


def test_xlsx_given_as_a_spec_is_not_called_non_utf8(tmp_path: Path) -> None:
    """Issue #11: ``innograph ingest file.xlsx`` said "a spec must be UTF-8"."""
    book = tmp_path / "export.xlsx"
    wb = Workbook()
    wb.active.append(["甲", "乙"])
    wb.save(book)
    with pytest.raises(SpecError) as caught:
        load_spec(book)
    message = str(caught.value)
    assert "UTF-8" not in message
    assert "data file, not a spec" in message and "innograph spec guess export.xlsx" in message


def test_xls_is_answered_with_how_to_convert(tmp_path: Path) -> None:
    old = tmp_path / "专利.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(IngestError, match=r"save it as \.xlsx .* or CSV"):
        resolve_inputs([old])
    disguised = tmp_path / "专利.xlsx"  # an .xls renamed: the content says what it is
    disguised.write_bytes(old.read_bytes())
    with pytest.raises(IngestError, match=r"save it as \.xlsx"):
        spec_for_file(disguised)


def test_spec_errors_name_file_table_and_column(tmp_path: Path) -> None:
    """Issue #11: ``x.toml: : not a property of Patent`` named no column."""
    spec = tmp_path / "x.toml"
    spec.write_text(
        '[source]\nname = "x"\nfile = "x.csv"\n[row]\nlabel = "Patent"\nkey = "number"\n'
        '[columns.number]\nheaders = ["公开号"]\ntype = "id"\n'
        '[columns.titel]\nheaders = ["标题"]\nproperty = "titel"\n',
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    message = str(caught.value)
    assert message.startswith(
        "x.toml: [columns.titel] (header 标题): property 'titel' is not a property of Patent"
    )
    assert "title" in message  # the properties it could have meant
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("[columns.titel]", '[columns.""]'), encoding="utf-8"
    )
    with pytest.raises(SpecError, match=r'x\.toml: \[columns\.""\]: a column needs a name'):
        load_spec(spec)


def _patsnap_like(tmp_path: Path) -> Path:
    """Three rows in the PatSnap export's shape, with strings from the real file."""
    book = tmp_path / "patsnap_export.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(PATSNAP_HEADERS)
    blank = dict.fromkeys(PATSNAP_HEADERS, "-")
    rows = [
        {
            "公开(公告)号": "CN103104575A",
            "[标]当前申请(专利权)人": "南京航空航天大学",
            "标题(译)(简体中文)": "电弧式放电等离子体涡流发生器",
            "申请日": "2013-01-21",
            "专利类型": "发明申请",
            "IPC分类号": "F15D1/00 | B64C23/06",
            "受理局": "中国",
        },
        {
            "公开(公告)号": "PL2631174T3",
            "[标]当前申请(专利权)人": "欧洲直升机公司",
            "标题(译)(简体中文)": "具有后旋翼的旋翼飞机",
            "申请日": "2013-01-21",
            "专利类型": "授权发明",
            "IPC分类号": "B64C27/12 | B64C27/82",
            "受理局": "波兰",
        },
        {
            "公开(公告)号": "CN203000001U",
            "[标]当前申请(专利权)人": "南京航空航天大学 | 欧洲直升机公司",
            "标题(译)(简体中文)": "一种旋翼",
            "申请日": "2013-02-01",
            "专利类型": "实用新型",
            "IPC分类号": "B64C27/12",
        },
    ]
    for row in rows:
        ws.append([{**blank, **row}[h] for h in PATSNAP_HEADERS])
    wb.save(book)
    return book


def test_ingest_a_patsnap_export_with_no_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _patsnap_like(tmp_path)
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
    dry = CliRunner().invoke(app, ["ingest", str(book), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    flat = " ".join(dry.output.split())
    assert "recognised as a known export (template patsnap)" in flat
    assert "unused columns (22)" in flat and "[标]原始申请(专利权)人" in flat
    done = CliRunner().invoke(app, ["ingest", str(book)])
    assert done.exit_code == 0, done.output
    store = EmbeddedStore(tmp_path / "var" / "graph.innograph")
    try:
        patents = {n.id: n.props for n in store.nodes(NodeLabel.PATENT)}
        assert set(patents) == {"patent:CN103104575A", "patent:PL2631174T3", "patent:CN203000001U"}
        assert (
            patents["patent:PL2631174T3"]["kind"] == "发明"
            and patents["patent:PL2631174T3"]["jurisdiction"] == "波兰"
        )
        assert "status" not in patents["patent:PL2631174T3"]  # "-" is no value
        applied = {(r.start, r.end) for r in store.relationships(RelType.APPLIED_FOR)}
        assert len(applied) == 4
        assert {n.props["code"] for n in store.nodes(NodeLabel.IPC)} >= {"B64C27/12", "B64C27/82", "F15D1/00"}
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize("data_file", [PATSNAP_FILE, REGISTRY_FILE], ids=["patsnap", "tianjin-registry"])
def test_real_exports_load_with_no_spec_and_reconcile(
    data_file: Path, store: GraphStore, tmp_path: Path
) -> None:
    """Done-when of issue #11, on both stores: both real files load with no spec; read = loaded +
    merged + quarantined; no registry row is quarantined for its address; every review pair of
    the run is stored as a pending decision."""
    report = ingest_specs(store, resolve_inputs([data_file]), data_dir=tmp_path)
    (f,) = report.files
    assert f.spec.startswith("<template ")
    assert f.rows_read == f.loaded + f.merged + f.quarantined
    if data_file == PATSNAP_FILE:
        assert (f.rows_read, f.quarantined) == (1999, 0)
        assert "[标]原始申请(专利权)人" in f.unused_columns
        assert len(store.nodes(NodeLabel.PATENT)) == 1999 - f.merged
    else:
        assert f.rows_read == 3267
        # Only the rows with real damage: mojibake credit codes and shifted columns, never an address.
        reasons = [q.reason for q in report.quarantine]
        assert all("credit code" in r or "cells but the header" in r for r in reasons), reasons
        assert f.quarantined <= 18
        assert f.unused_columns == ["法人代表", "注册资金", "所在省份", "地区"]
    pairs = {(r.evidence["createdAs"], r.entity_id) for r in report.review}
    stored = {(r.left_id, r.right_id) for r in list_reviews(store, "pending")}
    assert stored == pairs


@pytest.mark.parametrize(
    ("data_file", "label", "key"),
    [
        (PATSNAP_FILE, NodeLabel.PATENT, "number"),
        (REGISTRY_FILE, NodeLabel.ENTERPRISE, "resolve"),
        (LENS_FILE, NodeLabel.PATENT, "number"),
        (TW_FILE, NodeLabel.PATENT, "recordId"),
        (MOE_FILE, NodeLabel.UNIVERSITY, "moeCode"),
    ],
    ids=["patsnap", "registry", "lens", "tw-academic", "moe"],
)
def test_spec_guess_maps_or_lists_every_column(
    data_file: Path, label: NodeLabel, key: str, tmp_path: Path
) -> None:
    target = tmp_path / "draft.toml"
    guess = guess_spec(data_file, target)
    assert (guess.label, guess.key) == (label, key)
    mapped = {header for _, header in guess.mapped.values()}
    from ingest.readers import read_headers

    headers = [h for h in read_headers(data_file) if h]
    assert mapped | set(guess.unused) == set(headers) and not mapped & set(guess.unused)
    doc = tomllib.loads(guess.toml)
    assert doc["row"] == {"label": label.value, "key": key}
    for header in guess.unused:
        assert f"#   {header}\n" in guess.toml
    target.write_text(guess.toml, encoding="utf-8")
    assert load_spec(target).file == data_file.resolve()


def test_spec_guess_cli_dry_run_writes_nothing(tmp_path: Path) -> None:
    book = _patsnap_like(tmp_path)
    out = tmp_path / "draft.toml"
    result = CliRunner().invoke(app, ["spec", "guess", str(book), "-o", str(out), "--dry-run"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "unused columns (22)" in flat and "known export" in flat
    assert not out.exists()
    written = CliRunner().invoke(app, ["spec", "guess", str(book), "-o", str(out)])
    assert written.exit_code == 0 and out.exists()
    assert load_spec(out).label is NodeLabel.PATENT
