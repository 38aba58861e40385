"""Checks records against the model before anything is written.

Validation happens in Python, before a transaction opens, so a bad record can never be
half-written, and both stores reject exactly the same inputs with the same message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

from graph.errors import ValidationError
from graph.model import (
    MAX_ID_CHARS,
    MAX_LIST_ITEMS,
    MAX_STRING_CHARS,
    NODE_PROPERTIES,
    REL_SPECS,
    NodeLabel,
    PropType,
    RelType,
)

_SCALARS: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (float, int), "bool": (bool,)}


def parse_label(value: str) -> NodeLabel:
    try:
        return NodeLabel(value)
    except ValueError:
        allowed = ", ".join(label.value for label in NodeLabel)
        raise ValidationError(f"unknown label {value!r}; allowed: {allowed}", field="label") from None


def parse_rel_type(value: str) -> RelType:
    try:
        return RelType(value)
    except ValueError:
        allowed = ", ".join(t.value for t in RelType)
        raise ValidationError(
            f"unknown relationship type {value!r}; allowed: {allowed}", field="type"
        ) from None


def _check_scalar(kind: str, value: Any, where: str, key: str) -> Any:
    expected = _SCALARS[kind]
    # bool is an int subclass in Python; a True where a count belongs is a mistake.
    if isinstance(value, bool) and kind != "bool":
        raise ValidationError(f"{where}: property {key!r} must be {kind}, got bool", field=key)
    if not isinstance(value, expected):
        raise ValidationError(
            f"{where}: property {key!r} must be {kind}, got {type(value).__name__}", field=key
        )
    if kind == "float":
        value = float(cast(float, value))  # int → float, so both stores hold one type per property
        if not math.isfinite(value):
            raise ValidationError(f"{where}: property {key!r} must be a finite number", field=key)
    if kind == "int" and abs(value) >= 2**63:
        raise ValidationError(f"{where}: property {key!r} is out of the 64-bit range", field=key)
    if kind == "str" and len(value) > MAX_STRING_CHARS:
        raise ValidationError(
            f"{where}: property {key!r} is {len(value)} characters; the limit is {MAX_STRING_CHARS}",
            field=key,
        )
    if kind == "str" and not _encodable(value):
        raise ValidationError(f"{where}: property {key!r} is not valid Unicode (a lone surrogate)", field=key)
    return value


def check_value(kind: PropType, value: Any, where: str, key: str) -> Any:
    """Return ``value`` coerced to ``kind`` (int → float only) or raise naming ``key``."""
    if kind.endswith("[]"):
        if not isinstance(value, list | tuple):
            raise ValidationError(f"{where}: property {key!r} must be a list of {kind[:-2]}", field=key)
        if len(value) > MAX_LIST_ITEMS:
            raise ValidationError(
                f"{where}: property {key!r} has {len(value)} items; the limit is {MAX_LIST_ITEMS}", field=key
            )
        return [_check_scalar(kind[:-2], item, where, key) for item in value]
    return _check_scalar(kind, value, where, key)


def _encodable(text: str) -> bool:
    # JSON may carry lone surrogates ("\\ud800"); neither store can write them (UTF-8), so they
    # are refused here, before a transaction opens, rather than failing half-way in a store.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_id(value: Any, where: str, key: str = "id") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{where}: missing required key {key!r}", field=key)
    if len(value) > MAX_ID_CHARS:
        raise ValidationError(
            f"{where}: {key!r} is {len(value)} characters; the limit is {MAX_ID_CHARS}", field=key
        )
    if not _encodable(value):
        raise ValidationError(f"{where}: {key!r} is not valid Unicode (a lone surrogate)", field=key)
    return value


def check_properties(allowed: Mapping[str, PropType], props: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Validate a property map; ``None`` values are dropped (absent, not null)."""
    clean: dict[str, Any] = {}
    for key, value in props.items():
        if key not in allowed:
            raise ValidationError(f"{where}: unknown property {key!r}", field=key)
        if value is None:
            continue
        clean[key] = check_value(allowed[key], value, where, key)
    return clean


#: Neo4j refuses a value larger than its index allows (RANGE: ~8 KB, TEXT: 32 KB of UTF-8), so
#: both stores refuse such values up front: keys behind RANGE indexes/constraints, and the
#: fields that make up ``searchText`` (TEXT index) — see cypher/schema.cypher.
_RANGE_INDEXED: dict[str, int] = {
    "name": 2_000,
    "code": 2_000,
    "number": 2_000,
    "creditCode": 2_000,
    "status": 2_000,
}
_SEARCH_FIELDS = ("name", "title", "nameEn", "pinyin", "code", "number", "aliases")
_MAX_SEARCH_TEXT_BYTES = 30_000


def _check_index_limits(clean: Mapping[str, Any], where: str) -> None:
    for key, limit in _RANGE_INDEXED.items():
        value = clean.get(key)
        if isinstance(value, str) and len(value) > limit:
            raise ValidationError(
                f"{where}: property {key!r} is {len(value)} characters; an indexed key takes at most {limit}",
                field=key,
            )
    size = 0
    for key in _SEARCH_FIELDS:
        value = clean.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                size += len(item.encode("utf-8")) + 1
    if size > _MAX_SEARCH_TEXT_BYTES:
        raise ValidationError(
            f"{where}: names, title and aliases total {size} bytes; the search index takes at most "
            f"{_MAX_SEARCH_TEXT_BYTES}",
            field="aliases",
        )


def check_node(label: NodeLabel, props: Mapping[str, Any]) -> dict[str, Any]:
    where = f"{label.value} {props.get('id', '?')!s:.80}"
    check_id(props.get("id"), where)
    clean = check_properties(NODE_PROPERTIES[label], props, where)
    _check_index_limits(clean, where)
    return clean


def check_endpoints(rel_type: RelType, start: NodeLabel, end: NodeLabel, where: str) -> None:
    spec = REL_SPECS[rel_type]
    if start not in spec.start or end not in spec.end:
        raise ValidationError(
            f"{where}: {rel_type.value} cannot connect {start.value} to {end.value}", field="type"
        )


def check_relationship_props(rel_type: RelType, props: Mapping[str, Any], where: str) -> dict[str, Any]:
    return check_properties(REL_SPECS[rel_type].properties, props, where)
