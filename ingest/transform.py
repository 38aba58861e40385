"""Transform: a read :class:`Table` + its spec → one dict of normalised field values per row.

Pure: no store, no resolver. Header matching lives here (a missing required column is a
file-level :class:`IngestError`), and each cell goes through the converter for its spec type;
a value that does not convert becomes a :class:`CellProblem` and the row is quarantined.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from ingest import normalize as nz
from ingest.errors import IngestError, ValueRejected, ValueUnplaced
from ingest.readers import RawRow, Table
from ingest.spec import ColumnSpec, SourceSpec, header_key

_CONVERTERS: Final[dict[str, Callable[[Any], Any]]] = {
    "str": nz.clean_text,
    "text": nz.clean_long_text,
    "int": nz.parse_int,
    "float": nz.parse_float,
    "bool": nz.parse_bool,
    "date": nz.parse_date,
    "year": nz.parse_year,
    "credit_code": nz.parse_credit_code,
    "ipc": nz.parse_ipc,
    "org_name": nz.clean_text,
    "person_name": nz.clean_text,
    "region": nz.parse_region,
    "url": nz.clean_text,
    "id": nz.clean_text,
}


@dataclass(frozen=True)
class BoundColumn:
    """A spec column bound to the file: which cell index, under which header."""

    spec: ColumnSpec
    index: int | None  # None: the header is absent (optional column)
    header: str | None
    unit: str  # money: header unit, else spec unit, else 元


@dataclass(frozen=True)
class CellProblem:
    column: str | None  # the file's header (or the field when absent)
    value: Any
    reason: str


def bind_columns(spec: SourceSpec, table: Table) -> dict[str, BoundColumn]:
    """Match every spec column to a file header, or raise naming the file and the column."""
    by_key: dict[str, list[int]] = {}
    for index, header in enumerate(table.headers):
        by_key.setdefault(header_key(header), []).append(index)
    bound: dict[str, BoundColumn] = {}
    name = table.path.name
    for column in spec.columns.values():
        matches = sorted({i for h in column.headers for i in by_key.get(header_key(h), [])})
        distinct = {table.headers[i] for i in matches}
        if len(distinct) > 1:
            raise IngestError(
                f"{name}: column {column.field!r} is named by more than one header: "
                f"{', '.join(sorted(distinct))} (keep one, or narrow its headers in the spec)",
                file=name,
            )
        if not matches:
            if column.required:
                found = ", ".join(h for h in table.headers if h) or "(none)"
                raise IngestError(
                    f"{name}: missing required column {column.field!r} "
                    f"(any of: {', '.join(column.headers)}); headers found: {found}",
                    file=name,
                )
            bound[column.field] = BoundColumn(column, None, None, column.unit or "元")
            continue
        index = matches[0]
        header = table.headers[index]
        unit = nz.unit_from_header(header) if column.type == "money" else None
        bound[column.field] = BoundColumn(column, index, header, unit or column.unit or "元")
    return bound


def _split(value: Any, separators: tuple[str, ...]) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    parts = [str(value)]
    for sep in separators:
        parts = [piece for part in parts for piece in part.split(sep)]
    return parts


def _convert_one(column: BoundColumn, raw: Any) -> Any:
    spec = column.spec
    if isinstance(raw, str) and len(raw) > spec.max_length:
        raise ValueRejected(f"oversized field: {len(raw)} characters; the limit is {spec.max_length}")
    if isinstance(raw, dict | list) and spec.type not in ("str", "text"):
        raise ValueRejected(f"expected a single value, got {type(raw).__name__}")
    value = nz.parse_money(raw, column.unit) if spec.type == "money" else _CONVERTERS[spec.type](raw)
    if spec.value_map and isinstance(value, str):
        value = spec.value_map.get(header_key(value), value)
    return value


def convert_row(
    row: RawRow, columns: dict[str, BoundColumn], warnings: list[CellProblem] | None = None
) -> tuple[dict[str, Any], CellProblem | None]:
    """The row's field values (absent/empty fields omitted), or the first problem found.

    A cell that is kept as unknown rather than rejected (an address no division can be found
    for) is left out of the values and, when ``warnings`` is given, appended to it.
    """
    values: dict[str, Any] = {}
    for field, column in columns.items():
        spec = column.spec
        raw = None if column.index is None else row.cells[column.index]
        label = column.header or field
        try:
            if spec.multi:
                items = [] if nz.is_empty(raw) else _split(raw, spec.multi)
                converted = [_convert_one(column, item) for item in items if not nz.is_empty(item)]
                # Order kept (the first applicant is the first applicant); repeats dropped.
                value: Any = list(dict.fromkeys(converted)) or None
            else:
                value = None if nz.is_empty(raw) else _convert_one(column, raw)
        except ValueUnplaced as e:
            # The row is still worth loading: only where it is stays unknown.
            if warnings is not None:
                warnings.append(CellProblem(label, raw, f"{e}; loaded with the region unknown"))
            value = None
        except ValueRejected as e:
            return values, CellProblem(label, raw, str(e))
        if value is None:
            if spec.required:
                return values, CellProblem(label, raw, f"required value {field!r} is empty")
            continue
        values[field] = value
    return values, None
