"""Request parameters several routes share, and the checks that turn a bad one into a 404 / 422."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import Query

from graph.errors import NotFoundError, ValidationError
from graph.model import NodeLabel
from match.index import MatchIndex

Limit = Annotated[int, Query(ge=1, le=100, description="how many results")]
Offset = Annotated[int, Query(ge=0, le=10_000, description="results to skip (pagination)")]


def parse_types(values: Iterable[str] | None, default: Iterable[NodeLabel]) -> list[NodeLabel]:
    """``type=University&type=Person`` or ``type=University,Person``; unknown names are a 422."""
    names = [part.strip() for value in values or [] for part in value.split(",") if part.strip()]
    if not names:
        return list(default)
    out = []
    for name in names:
        try:
            out.append(NodeLabel(name))
        except ValueError:
            raise ValidationError(f"type {name!r} is not a node label", field="type") from None
    return out


def require_label(index: MatchIndex, node_id: str, label: NodeLabel) -> None:
    """404 unless ``node_id`` is a node of ``label`` (``/patents/{id}`` with a firm's id is unknown)."""
    if index.label.get(node_id) != label:
        raise NotFoundError(f"no {label.value} with id {node_id!r}")
