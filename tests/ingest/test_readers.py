"""Readers: encodings, formats, and files that are not what their extension says."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from ingest.errors import IngestError
from ingest.readers import read_table

CSV_TEXT = "企业名称,营业收入(万元)\n天津华明科技有限公司,120\n天津东丽精工股份有限公司,3.5\n"
ROWS = [("天津华明科技有限公司", "120"), ("天津东丽精工股份有限公司", "3.5")]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, detected: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    table = read_table(path)
    assert table.encoding == detected
    assert table.headers == ["企业名称", "营业收入(万元)"]
    assert [r.cells for r in table.rows] == ROWS
    assert [r.number for r in table.rows] == [2, 3]  # the header is row 1, as in a spreadsheet


def test_a_gb18030_only_character_is_read(tmp_path: Path) -> None:
    # 㐀 (U+3400) is outside GBK; GB18030 encodes it in four bytes.
    path = tmp_path / "list.csv"
    path.write_bytes("name\n天津㐀科技有限公司\n".encode("gb18030"))
    assert read_table(path).rows[0].cells == ("天津㐀科技有限公司",)


def test_mixed_encoding_names_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("企业名称\n天津华明科技有限公司\n".encode() + "天津东丽精工股份有限公司\n".encode("gbk"))
    with pytest.raises(IngestError, match=r"mixed\.csv: mixed encodings: line 1 is UTF-8 but line 3 is not"):
        read_table(path)


def test_wrong_declared_encoding_names_the_line_and_the_likely_one(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(CSV_TEXT.encode("gbk"))
    with pytest.raises(
        IngestError,
        match=r"gbk\.csv: not valid utf-8: undecodable bytes on line 1 "
        r"\(the file looks like gb18030\)",
    ):
        read_table(path, encoding="utf-8")


def _xlsx_bytes(rows: list[tuple[object, ...]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_is_read_with_its_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(
        _xlsx_bytes(
            [
                ("企业名称", "营业收入(万元)"),
                ("天津华明科技有限公司", 120),
                (None, None),
                ("天津东丽精工股份有限公司", 3.5),
            ]
        )
    )
    table = read_table(path)
    assert table.format == "xlsx"
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, ("天津华明科技有限公司", 120)),
        (4, ("天津东丽精工股份有限公司", 3.5)),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "list.csv",
            _xlsx_bytes([("企业名称",), ("天津华明科技有限公司",)]),
            r"list\.csv: the extension says CSV but the content is a ZIP archive",
        ),
        (
            "list.xlsx",
            CSV_TEXT.encode(),
            r"list\.xlsx: the extension says Excel workbook but the content is text",
        ),
        (
            "list.json",
            b"%PDF-1.7\n...",
            r"list\.json: the extension says JSON but the content is a PDF document",
        ),
    ],
    ids=["xlsx-saved-as-csv", "csv-saved-as-xlsx", "pdf-named-json"],
)
def test_a_file_whose_content_is_not_its_extension_is_named(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        read_table(path)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=r"empty\.csv: the file is empty"):
        read_table(path)


def test_gzipped_csv_is_read_and_fake_gzip_is_named(tmp_path: Path) -> None:
    path = tmp_path / "list.csv.gz"
    path.write_bytes(gzip.compress(CSV_TEXT.encode()))
    assert read_table(path).format == "csv"
    fake = tmp_path / "fake.csv.gz"
    fake.write_bytes(CSV_TEXT.encode())
    with pytest.raises(
        IngestError, match=r"fake\.csv\.gz: the name ends in \.gz but the content is not gzip"
    ):
        read_table(fake)


def test_json_and_jsonl_records(tmp_path: Path) -> None:
    doc = tmp_path / "list.json"
    doc.write_text(json.dumps({"data": {"items": [{"name": "甲", "n": 1}, {"name": "乙", "extra": True}]}}))
    table = read_table(doc, records="data.items")
    assert table.headers == ["name", "n", "extra"]
    assert [r.cells for r in table.rows] == [("甲", 1, None), ("乙", None, True)]
    lines = tmp_path / "list.jsonl"
    lines.write_text('{"name": "甲"}\n\n{"name": \n["not an object"]\n')
    rows = read_table(lines).rows
    assert [(r.number, r.problem is not None) for r in rows] == [(1, False), (3, True), (4, True)]
    assert rows[2].problem == "record is list, not an object"


def test_row_longer_than_the_header_is_flagged_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("a,b\n1,2\n3,4,5\n6\n")
    rows = read_table(path).rows
    assert [(r.cells, r.problem) for r in rows] == [
        (("1", "2"), None),
        (("3", "4"), "row has 3 cells but the header has 2"),
        (("6", None), None),
    ]


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "list.doc"
    path.write_text("x")
    with pytest.raises(IngestError, match=r"list\.doc: cannot tell the format"):
        read_table(path)
