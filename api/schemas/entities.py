"""Entities and their neighbours as the API returns them, mapped explicitly from store records."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from graph.model import SENSITIVE_NODE_PROPERTIES, SENSITIVE_REL_PROPERTIES
from graph.records import Neighbor, Node, Relationship

#: Firms' financial figures, shown only to analysts and above (see api.security); the list is
#: the model's field policy (graph/model.py), so every route filters the same fields.
FINANCIAL_PROPERTIES = SENSITIVE_NODE_PROPERTIES
#: Internal fields never shown (``owner``: the id of the API key that posted a demand).
HIDDEN_PROPERTIES = frozenset({"searchText", "owner"})


class EntityPublic(BaseModel):
    id: str
    type: str = Field(description="the node label, e.g. Enterprise, University, Patent")
    name: str
    properties: dict[str, Any] = Field(default_factory=dict)


class EntityHit(EntityPublic):
    score: float


class RelationshipPublic(BaseModel):
    type: str
    start: str
    end: str
    properties: dict[str, Any] = Field(default_factory=dict)


class NeighborPublic(BaseModel):
    relationship: RelationshipPublic
    direction: Literal["out", "in"]
    node: EntityPublic


class NeighborGroupPublic(BaseModel):
    type: str = Field(description="relationship type")
    direction: Literal["out", "in"]
    label: str = Field(description="the neighbours' node label")
    count: int


class NeighborhoodPublic(BaseModel):
    """Counts per group for the whole neighbourhood, and one page of the neighbours that match."""

    total: int = Field(description="all neighbours of the entity, whatever the filters")
    groups: list[NeighborGroupPublic]
    items: list[NeighborPublic]
    next_cursor: str | None = Field(
        serialization_alias="nextCursor", description="pass as cursor for the next page; null on the last"
    )


def entity_public(node: Node, *, financials: bool = False) -> EntityPublic:
    hidden = HIDDEN_PROPERTIES if financials else HIDDEN_PROPERTIES | FINANCIAL_PROPERTIES
    props = {k: v for k, v in node.props.items() if k not in hidden and k != "id"}
    if isinstance(props.get("records"), list):
        # Demands posted before ownership recorded the poster's key id here; never show it.
        props["records"] = [r for r in props["records"] if not str(r).startswith("api#key:")]
    return EntityPublic(id=node.id, type=node.label.value, name=node.name, properties=props)


def relationship_props(rel: Relationship, *, financials: bool = False) -> dict[str, Any]:
    """A relationship's properties as a caller may see them (a transfer's amount: analysts+)."""
    hidden = frozenset() if financials else SENSITIVE_REL_PROPERTIES.get(rel.type, frozenset())
    return {k: v for k, v in rel.props.items() if k not in hidden}


def neighbor_public(neighbor: Neighbor, *, financials: bool = False) -> NeighborPublic:
    rel = neighbor.rel
    return NeighborPublic(
        relationship=RelationshipPublic(
            type=rel.type.value,
            start=rel.start,
            end=rel.end,
            properties=relationship_props(rel, financials=financials),
        ),
        direction=neighbor.direction,
        node=entity_public(neighbor.node, financials=financials),
    )
