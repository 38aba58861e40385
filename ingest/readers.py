"""Readers: CSV / XLSX / JSON / JSONL (optionally gzipped) into one plain table shape.

A reader only reads: it decodes the bytes (detecting UTF-8, UTF-8 with BOM and GBK/GB18030,
the usual encodings of Excel exports in China), checks the file is what its extension says,
and returns headers and raw cells. It never interprets values — that is the spec's job — and
raises :class:`ingest.errors.IngestError` naming the file for anything it cannot read.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from charset_normalizer import from_bytes

from ingest.errors import IngestError

FileFormat = Literal["csv", "xlsx", "json", "jsonl"]

FORMAT_BY_SUFFIX: Final[dict[str, FileFormat]] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

#: Leading bytes of formats people save by mistake under a text extension.
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls/.doc)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)

# Fields far beyond any spec's max_length still parse, so the row can be quarantined with a
# reason instead of the whole file failing inside the csv module.
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class RawRow:
    """One record: its row number as a person opening the file sees it, and its cells."""

    number: int
    cells: tuple[Any, ...]
    problem: str | None = None  # a structural problem found while reading (bad JSON line, …)


@dataclass
class Table:
    path: Path
    format: FileFormat
    headers: list[str]
    rows: list[RawRow] = field(default_factory=list)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


#: Said wherever an old binary Excel file (.xls, OLE2) turns up: openpyxl cannot read it, and
#: the one reader for it (xlrd) is only maintained for security fixes, so we ask for a re-save.
XLS_ADVICE: Final = (
    "old Excel format (.xls) is not read: open it in Excel, WPS or LibreOffice and "
    "save it as .xlsx (Excel workbook) or CSV (UTF-8), then ingest that file"
)


def detect_format(path: Path) -> FileFormat:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in (".xls", ".et"):
        raise IngestError(f"{path.name}: {XLS_ADVICE}", file=path.name)
    if not suffixes or suffixes[-1] not in FORMAT_BY_SUFFIX:
        known = ", ".join(sorted(FORMAT_BY_SUFFIX))
        raise IngestError(
            f"{path.name}: cannot tell the format from the extension (known: {known})", file=path.name
        )
    return FORMAT_BY_SUFFIX[suffixes[-1]]


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when the name ends in ``.gz``."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(f"{path}: cannot read the file: {e.strerror or e}", file=path.name) from e
    if path.suffix.lower() == ".gz":
        if not data.startswith(b"\x1f\x8b"):
            raise IngestError(
                f"{path.name}: the name ends in .gz but the content is not gzip", file=path.name
            )
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise IngestError(f"{path.name}: the gzip data is damaged: {e}", file=path.name) from e
    return data


def _what_it_is(data: bytes) -> str | None:
    for magic, description in _MAGIC:
        if data.startswith(magic):
            return description
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data"
    return None


def _is_cjk(char: str) -> bool:
    return "CJK" in unicodedata.name(char, "") or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


def _mixed_encoding_lines(data: bytes) -> tuple[int, int] | None:
    """(first UTF-8 line, first non-UTF-8 line) when both kinds of non-ASCII line occur."""
    first_utf8 = first_other = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_other = first_other or number
        else:
            first_utf8 = first_utf8 or number
        if first_utf8 and first_other:
            return first_utf8, first_other
    return None


def _first_bad_line(data: bytes, encoding: str) -> int:
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            return number
    return 0


def decode(data: bytes, encoding: str, name: str) -> tuple[str, str]:
    """Decode ``data``; ``encoding="auto"`` detects. Returns (text, encoding used)."""
    if encoding.lower() != "auto":
        try:
            return data.decode(encoding), encoding.lower()
        except LookupError:
            raise IngestError(f"{name}: unknown encoding {encoding!r} in the spec", file=name) from None
        except UnicodeDecodeError:
            line = _first_bad_line(data, encoding)
            guess = decode(data, "auto", name)[1] if _mixed_encoding_lines(data) is None else "mixed"
            raise IngestError(
                f"{name}: not valid {encoding}: undecodable bytes on line {line} "
                f"(the file looks like {guess})",
                file=name,
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _mixed_encoding_lines(data)
    if mixed is not None:
        raise IngestError(
            f"{name}: mixed encodings: line {mixed[0]} is UTF-8 but line {mixed[1]} is not "
            "(re-save the whole file in one encoding, e.g. UTF-8)",
            file=name,
        )
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    non_ascii = [c for c in text if not c.isascii()]
    # GB18030 decodes many byte strings; only trust it when the result reads as Chinese.
    if non_ascii and sum(_is_cjk(c) for c in non_ascii) >= 0.9 * len(non_ascii):
        return text, "gb18030"
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(f"{name}: cannot detect the text encoding (not UTF-8, GBK/GB18030)", file=name)
    return str(best), best.encoding


def read_table(
    path: Path,
    *,
    file_format: FileFormat | None = None,
    encoding: str = "auto",
    delimiter: str | None = None,
    sheet: str | None = None,
    header_row: int = 1,
    records: str | None = None,
) -> Table:
    """Read ``path`` into a :class:`Table`; raise :class:`IngestError` naming the file otherwise."""
    fmt = file_format or detect_format(path)
    data = read_bytes(path)
    name = path.name
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise IngestError(f"{name}: the file is empty", file=name)
    found = _what_it_is(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(f"{name}: the content is an old Office file; {XLS_ADVICE}", file=name)
    if fmt == "xlsx":
        if not data.startswith(b"PK\x03\x04"):
            described = found or "text (a CSV saved as .xlsx?)"
            raise IngestError(
                f"{name}: the extension says Excel workbook but the content is {described}", file=name
            )
        return _read_xlsx(path, data, sheet=sheet, header_row=header_row)
    if found is not None:
        raise IngestError(f"{name}: the extension says {fmt.upper()} but the content is {found}", file=name)
    text, used = decode(data, encoding, name)
    if fmt == "csv":
        sep = delimiter or ("\t" if ".tsv" in [s.lower() for s in path.suffixes] else ",")
        table = _read_csv(path, text, delimiter=sep, header_row=header_row)
    elif fmt == "json":
        table = _read_json(path, text, records=records)
    else:
        table = _read_jsonl(path, text)
    table.encoding = used
    return table


def _header_cells(cells: Sequence[Any], name: str) -> list[str]:
    headers = ["" if c is None else unicodedata.normalize("NFKC", str(c)).strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise IngestError(f"{name}: the header row is empty", file=name)
    return headers


def _row(number: int, cells: Sequence[Any], width: int) -> RawRow | None:
    values = tuple(cells)
    if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
        return None  # blank line: not a record
    if len(values) > width and any(v not in (None, "") for v in values[width:]):
        return RawRow(number, values[:width], f"row has {len(values)} cells but the header has {width}")
    return RawRow(number, values[:width] + (None,) * (width - len(values)))


def _read_csv(path: Path, text: str, *, delimiter: str, header_row: int) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
    try:
        for number, cells in enumerate(reader, start=1):
            if number < header_row:
                continue
            if table is None:
                table = Table(path, "csv", _header_cells(cells, path.name))
                continue
            row = _row(number, cells, len(table.headers))
            if row is not None:
                table.rows.append(row)
    except csv.Error as e:
        raise IngestError(
            f"{path.name}: not readable as CSV near line {reader.line_num}: {e}", file=path.name
        ) from e
    if table is None:
        raise IngestError(f"{path.name}: no header row (row {header_row})", file=path.name)
    return table


def _read_xlsx(path: Path, data: bytes, *, sheet: str | None, header_row: int) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as e:
        raise IngestError(f"{path.name}: not a readable Excel workbook: {e}", file=path.name) from e
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise IngestError(
                f"{path.name}: no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}", file=path.name
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        table: Table | None = None
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            if number < header_row:
                continue
            if table is None:
                if all(c is None for c in cells):
                    continue
                table = Table(path, "xlsx", _header_cells(cells, path.name))
                continue
            row = _row(number, cells, len(table.headers))
            if row is not None:
                table.rows.append(row)
    finally:
        book.close()
    if table is None:
        raise IngestError(f"{path.name}: the sheet is empty", file=path.name)
    return table


def _records_table(path: Path, fmt: FileFormat, items: list[tuple[int, Any, str | None]]) -> Table:
    headers: dict[str, None] = {}
    for _, item, _problem in items:
        if isinstance(item, dict):
            headers.update(dict.fromkeys(str(k) for k in item))
    keys = list(headers)
    table = Table(path, fmt, [unicodedata.normalize("NFKC", k).strip() for k in keys])
    for number, item, problem in items:
        if problem is not None:
            table.rows.append(RawRow(number, (None,) * len(keys), problem))
        elif not isinstance(item, dict):
            table.rows.append(
                RawRow(number, (None,) * len(keys), f"record is {type(item).__name__}, not an object")
            )
        else:
            item_keys = {str(k): v for k, v in item.items()}
            table.rows.append(RawRow(number, tuple(item_keys.get(k) for k in keys)))
    return table


def _read_json(path: Path, text: str, *, records: str | None) -> Table:
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as e:
        raise IngestError(
            f"{path.name}: not valid JSON (line {e.lineno}, column {e.colno}): {e.msg}", file=path.name
        ) from e
    for step in (records or "").split("."):
        if not step:
            continue
        if not isinstance(document, dict) or step not in document:
            raise IngestError(
                f"{path.name}: no {step!r} in the JSON document (records = {records!r})", file=path.name
            )
        document = document[step]
    if not isinstance(document, list):
        raise IngestError(
            f"{path.name}: the JSON records must be a list (set records = 'path.to.list')", file=path.name
        )
    return _records_table(path, "json", [(i, item, None) for i, item in enumerate(document, start=1)])


def _read_jsonl(path: Path, text: str) -> Table:
    items: list[tuple[int, Any, str | None]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append((number, json.loads(line), None))
        except json.JSONDecodeError as e:
            items.append((number, None, f"invalid JSON: {e.msg} (column {e.colno})"))
    return _records_table(path, "jsonl", items)


def read_headers(path: Path, *, sheet: str | None = None) -> list[str]:
    """The header row only, as :func:`read_table` would see it; a workbook is not read whole
    (recognising a known export must not cost a second full read of a large XLSX)."""
    fmt = detect_format(path)
    if fmt != "xlsx":
        return read_table(path, file_format=fmt).headers
    data = read_bytes(path)
    if not data.startswith(b"PK\x03\x04"):
        return read_table(path, file_format=fmt).headers  # raises the same error a read would
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a damaged workbook
        raise IngestError(f"{path.name}: not a readable Excel workbook: {e}", file=path.name) from e
    try:
        ws = book[sheet] if sheet is not None and sheet in book.sheetnames else book.worksheets[0]
        for cells in ws.iter_rows(values_only=True):
            if any(c is not None for c in cells):
                return _header_cells(cells, path.name)
    finally:
        book.close()
    raise IngestError(f"{path.name}: the sheet is empty", file=path.name)
