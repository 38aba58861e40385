"""Declarative source specs (TOML): which file, which header is which field, what a row is.

The format is documented in ``docs/INGESTION.md``. Loading is strict — an unknown key, label,
relationship type or value type, or a field that nothing uses, is a :class:`SpecError` — so a
typo in a spec cannot quietly drop a column.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from graph.model import NODE_PROPERTIES, ORGANIZATION_LABELS, REL_SPECS, NodeLabel, RelType
from ingest.editions import EditionSpec, parse_edition
from ingest.errors import SpecError
from ingest.normalize import MONEY_UNITS
from ingest.readers import FORMAT_BY_SUFFIX, FileFormat

ValueType = Literal[
    "str", "text", "int", "float", "bool", "date", "year", "money",
    "credit_code", "ipc", "org_name", "person_name", "region", "url", "id",
]  # fmt: skip
VALUE_TYPES: Final[frozenset[str]] = frozenset(ValueType.__args__)  # type: ignore[attr-defined]

LinkTarget = Literal["organization", "person", "ipc", "region", "node"]
LINK_TARGETS: Final[frozenset[str]] = frozenset(LinkTarget.__args__)  # type: ignore[attr-defined]

#: Which model type each value type produces, to check a field fits the property it fills.
_PRODUCES: Final[dict[str, str]] = {
    "int": "int", "year": "int", "float": "float", "money": "float", "bool": "bool",
}  # fmt: skip

DEFAULT_MAX_LENGTH: Final = 20_000


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    headers: tuple[str, ...]
    type: str = "str"
    required: bool = False
    multi: tuple[str, ...] = ()
    unit: str | None = None
    max_length: int = DEFAULT_MAX_LENGTH
    value_map: Mapping[str, str] = dataclasses.field(default_factory=dict)
    property: str | None = None  # model property written, None = not written


@dataclass(frozen=True)
class LinkSpec:
    column: str
    target: str
    rel: RelType
    direction: Literal["out", "in"] = "out"
    label: NodeLabel | None = None  # None = classify (organisations)
    order: bool = False
    primary: bool = False
    props: Mapping[str, str] = dataclasses.field(default_factory=dict)  # rel property -> field
    affiliation: str | None = None
    affiliate: bool = False
    create: bool = True


@dataclass(frozen=True)
class SourceSpec:
    path: Path  # the spec file
    name: str
    file: Path
    format: FileFormat | None
    encoding: str
    delimiter: str | None
    sheet: str | None
    header_row: int
    records: str | None
    label: NodeLabel
    key: str | tuple[str, ...]  # "resolve", one field, or several
    columns: dict[str, ColumnSpec]
    links: tuple[LinkSpec, ...]
    row_affiliation: str | None
    digest: str  # sha256 of the spec file's bytes
    edition: EditionSpec | None = None  # dated facts: yearly list membership and figures


def header_key(header: str) -> str:
    """What header matching compares: NFKC, case-folded, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", header).casefold().split())


def _take(table: Mapping[str, Any], where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(table, Mapping):
        raise SpecError(f"{where} must be a table")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise SpecError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
    return dict(table)


def _label(value: Any, where: str) -> NodeLabel:
    try:
        return NodeLabel(value)
    except ValueError:
        allowed = ", ".join(label.value for label in NodeLabel)
        raise SpecError(f"{where}: unknown label {value!r}; allowed: {allowed}") from None


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise SpecError(f"{where} must be a string or a non-empty list of strings")


def _column(name: str, raw: Any, label: NodeLabel, where: str) -> ColumnSpec:
    spec = _take(
        raw, where, {"headers", "type", "required", "multi", "unit", "max_length", "map", "property"}
    )
    value_type = spec.get("type", "str")
    if value_type not in VALUE_TYPES:
        raise SpecError(f"{where}: unknown type {value_type!r}; allowed: {', '.join(sorted(VALUE_TYPES))}")
    unit = spec.get("unit")
    if unit is not None and (value_type != "money" or unit not in MONEY_UNITS):
        raise SpecError(f"{where}: unit applies to type money and must be one of 元, 万元, 亿元")
    allowed = NODE_PROPERTIES[label]
    prop = spec.get("property", name if name in allowed else None)
    if prop is False:
        prop = None
    if prop is not None:
        if not isinstance(prop, str) or prop not in allowed or prop == "id":
            known = ", ".join(sorted(p for p in allowed if p != "id"))
            raise SpecError(
                f"{where}: property {prop!r} is not a property of {label.value} "
                f"(properties of {label.value}: {known}; see docs/MODEL.md)"
            )
        multi = bool(spec.get("multi"))
        kind = allowed[prop]
        if multi != kind.endswith("[]"):
            raise SpecError(f"{where}: property {prop!r} is {kind}; set multi exactly when it is a list")
        produced = _PRODUCES.get(value_type, "str")
        if kind.removesuffix("[]") != produced:
            raise SpecError(f"{where}: type {value_type} gives {produced} but {prop!r} is {kind}")
    value_map = spec.get("map", {})
    if not isinstance(value_map, Mapping) or not all(isinstance(v, str) for v in value_map.values()):
        raise SpecError(f"{where}: map must be a table of strings")
    max_length = spec.get("max_length", DEFAULT_MAX_LENGTH)
    if not isinstance(max_length, int) or max_length < 1:
        raise SpecError(f"{where}: max_length must be a positive integer")
    return ColumnSpec(
        field=name,
        headers=_strings(spec.get("headers", [name]), f"{where}.headers"),
        type=value_type,
        required=bool(spec.get("required", False)),
        multi=_strings(spec["multi"], f"{where}.multi") if "multi" in spec else (),
        unit=unit,
        max_length=max_length,
        value_map={header_key(k): v for k, v in value_map.items()},
        property=prop,
    )


def _column_where(name: str, raw: Any) -> str:
    """``[columns.title] (header 标题)``: the table and the column a spec error is about."""
    if not name.strip():
        raise SpecError('[columns.""]: a column needs a name (the field after "columns.")')
    where = f"[columns.{name}]"
    headers = raw.get("headers") if isinstance(raw, Mapping) else None
    if isinstance(headers, str):
        headers = [headers]
    if isinstance(headers, list) and headers and all(isinstance(h, str) for h in headers):
        where += f" (header {' / '.join(headers)})"
    return where


def _link(raw: Any, index: int, label: NodeLabel, columns: dict[str, ColumnSpec]) -> LinkSpec:
    where = f"[[links]] #{index}"
    spec = _take(
        raw,
        where,
        {
            "column",
            "target",
            "rel",
            "direction",
            "label",
            "order",
            "primary",
            "props",
            "affiliation",
            "affiliate",
            "create",
        },
    )
    for key in ("column", "target", "rel"):
        if key not in spec:
            raise SpecError(f"{where}: missing {key!r}")
    column = spec["column"]
    where = f"[[links]] #{index} (column {column})"
    if column not in columns:
        raise SpecError(f"{where}: column {column!r} is not defined in [columns]")
    target = spec["target"]
    if target not in LINK_TARGETS:
        raise SpecError(f"{where}: unknown target {target!r}; allowed: {', '.join(sorted(LINK_TARGETS))}")
    try:
        rel = RelType(spec["rel"])
    except ValueError:
        raise SpecError(f"{where}: unknown relationship type {spec['rel']!r}") from None
    direction = spec.get("direction", "out")
    if direction not in ("out", "in"):
        raise SpecError(f"{where}: direction must be 'out' or 'in'")
    raw_label = spec.get("label", "auto")
    target_label: NodeLabel | None
    if target == "node":
        if raw_label == "auto":
            raise SpecError(f"{where}: target 'node' needs a label")
        target_label = _label(raw_label, where)
    elif target == "organization":
        target_label = None if raw_label == "auto" else _label(raw_label, where)
        if target_label is not None and target_label not in ORGANIZATION_LABELS:
            raise SpecError(f"{where}: {target_label.value} is not an organisation label")
    else:
        target_label = {"person": NodeLabel.PERSON, "ipc": NodeLabel.IPC, "region": NodeLabel.REGION}[target]
    rel_spec = REL_SPECS[rel]
    ends = [label] + ([target_label] if target_label else sorted(ORGANIZATION_LABELS))
    for other in ends[1:]:
        start, end = (label, other) if direction == "out" else (other, label)
        if start not in rel_spec.start or end not in rel_spec.end:
            raise SpecError(
                f"{where}: {rel.value} cannot connect {start.value} to {end.value} "
                f"(check direction = {direction!r})"
            )
    props = spec.get("props", {})
    if not isinstance(props, Mapping):
        raise SpecError(f"{where}: props must be a table of relationship property = field")
    for prop, source_field in props.items():
        if prop not in rel_spec.properties:
            raise SpecError(f"{where}: {rel.value} has no property {prop!r}")
        if source_field not in columns:
            raise SpecError(f"{where}: props.{prop} names field {source_field!r}, which is not in [columns]")
    if (spec.get("affiliation") or spec.get("affiliate")) and target != "person":
        raise SpecError(f"{where}: affiliation/affiliate apply to target 'person' only")
    return LinkSpec(
        column=column,
        target=target,
        rel=rel,
        direction=direction,
        label=target_label,
        order=bool(spec.get("order", False)),
        primary=bool(spec.get("primary", False)),
        props=dict(props),
        affiliation=spec.get("affiliation"),
        affiliate=bool(spec.get("affiliate", False)),
        create=bool(spec.get("create", True)),
    )


def load_spec(path: Path) -> SourceSpec:
    """Parse and check the spec at ``path``; errors name the spec file."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SpecError(f"{path}: cannot read the spec: {e.strerror or e}", file=path.name) from e
    not_a_spec = _data_file_instead(path, data)
    if not_a_spec is not None:
        raise SpecError(not_a_spec, file=path.name)
    try:
        return parse_spec(tomllib.loads(data.decode("utf-8")), path, hashlib.sha256(data).hexdigest())
    except tomllib.TOMLDecodeError as e:
        raise SpecError(f"{path.name}: not valid TOML: {e}", file=path.name) from e
    except UnicodeDecodeError as e:
        raise SpecError(f"{path.name}: a spec must be UTF-8", file=path.name) from e
    except SpecError as e:
        if e.file is None:
            raise SpecError(f"{path.name}: {e}", file=path.name) from e
        raise


def _data_file_instead(path: Path, data: bytes) -> str | None:
    """The message for a data file given where a spec was expected (issue #11: an .xlsx got
    "a spec must be UTF-8"), or None when it may be a spec."""
    suffix = path.suffix.lower()
    if (
        data.startswith(b"PK\x03\x04")
        or data.startswith(b"\xd0\xcf\x11\xe0")
        or (suffix != ".toml" and suffix in {*FORMAT_BY_SUFFIX, ".gz", ".xls"})
    ):
        return (
            f"{path.name}: this is a data file, not a spec (a spec is a .toml file). "
            f"Ingest it directly with `innograph ingest {path.name}` (known exports need no spec), "
            f"or write a draft spec with `innograph spec guess {path.name}`"
        )
    return None


def parse_spec(doc: Mapping[str, Any], path: Path, digest: str = "") -> SourceSpec:
    # [detect] is read by ingest/templates.py: the headers that identify a known export.
    top = _take(doc, "spec", {"source", "row", "columns", "links", "detect", "edition"})
    for section in ("source", "row", "columns"):
        if section not in top:
            raise SpecError(f"missing [{section}]")
    source = _take(
        top["source"],
        "[source]",
        {"name", "file", "format", "encoding", "delimiter", "sheet", "header_row", "records"},
    )
    for key in ("name", "file"):
        if not isinstance(source.get(key), str) or not source[key]:
            raise SpecError(f"[source]: missing {key!r}")
    fmt = source.get("format")
    if fmt is not None and fmt not in set(FORMAT_BY_SUFFIX.values()):
        raise SpecError(f"[source]: unknown format {fmt!r}; allowed: csv, xlsx, json, jsonl")
    row = _take(top["row"], "[row]", {"label", "key", "affiliation"})
    if "label" not in row or "key" not in row:
        raise SpecError("[row]: needs label and key")
    label = _label(row["label"], "[row]")
    raw_columns = top["columns"]
    if not isinstance(raw_columns, Mapping) or not raw_columns:
        raise SpecError("[columns]: define at least one column")
    columns = {name: _column(name, raw, label, _column_where(name, raw)) for name, raw in raw_columns.items()}
    raw_links = top.get("links", [])
    if not isinstance(raw_links, list):
        raise SpecError("links must be an array of tables: [[links]]")
    links = tuple(_link(raw, i, label, columns) for i, raw in enumerate(raw_links, start=1))
    link_columns = {link.column for link in links}
    for link in links:
        if link.affiliation is not None and link.affiliation not in {
            x.column for x in links if x.target == "organization"
        }:
            raise SpecError(
                f"[[links]] {link.column}: affiliation {link.affiliation!r} is not an organisation link"
            )
    key = row["key"]
    if key == "resolve":
        if label not in ORGANIZATION_LABELS | {NodeLabel.PERSON}:
            raise SpecError(f"[row]: key = 'resolve' applies to organisations and persons, not {label.value}")
        if "name" not in columns:
            raise SpecError("[row]: key = 'resolve' needs a [columns.name]")
        key_fields: tuple[str, ...] = ()
    else:
        key_fields = _strings(key, "[row].key")
        for name in key_fields:
            if name not in columns:
                raise SpecError(f"[row]: key field {name!r} is not in [columns]")
            if columns[name].multi:
                raise SpecError(f"[row]: key field {name!r} cannot be multi-valued")
    key_spec: str | tuple[str, ...] = (
        key if key == "resolve" else (key_fields[0] if len(key_fields) == 1 else key_fields)
    )
    row_affiliation = row.get("affiliation")
    if row_affiliation is not None and row_affiliation not in link_columns:
        raise SpecError(f"[row]: affiliation {row_affiliation!r} is not a [[links]] column")
    used = link_columns | set(key_fields) | {f for link in links for f in link.props.values()}
    used |= {"name", "creditCode"} if key == "resolve" else set()
    edition = parse_edition(top["edition"], label, columns) if "edition" in top else None
    used |= edition.fields if edition is not None else set()
    for column in columns.values():
        if column.property is None and column.field not in used:
            raise SpecError(
                f"[columns.{column.field}] (header {' / '.join(column.headers)}): not a property of "
                f"{label.value} and not used by the key or "
                "a link (set property = '...' or remove it)"
            )
    return SourceSpec(
        path=path,
        name=source["name"],
        file=(path.parent / source["file"]).resolve(),
        format=fmt,
        encoding=str(source.get("encoding", "auto")),
        delimiter=source.get("delimiter"),
        sheet=source.get("sheet"),
        header_row=int(source.get("header_row", 1)),
        records=source.get("records"),
        label=label,
        key=key_spec,
        columns=columns,
        links=links,
        row_affiliation=row_affiliation,
        digest=digest,
        edition=edition,
    )
