"""Checks on node labels that routes and the CLI share: a bad one is a 404 / 422.

Apart from :mod:`api.schemas.params` because they need no FastAPI: a warm ``innograph
match-demand`` call uses them, and importing FastAPI was a tenth of that call.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.errors import NotFoundError, ValidationError
from graph.model import NodeLabel
from match.index import MatchIndex


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
