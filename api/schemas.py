"""API models (``XPublic`` for what the API returns), mapped explicitly from store records."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from graph.records import Neighbor, Node

T = TypeVar("T")

#: Firms' financial figures, shown only to analysts and above (see api.security).
FINANCIAL_PROPERTIES = frozenset(
    {
        "revenue",
        "revenueYear",
        "revenueYears",
        "revenueSeries",
        "assets",
        "rdSpend",
        "taxes",
        "financing",
        "employees",
        "collegeStaff",
        "rdStaff",
    }
)
#: Internal fields never shown.
HIDDEN_PROPERTIES = frozenset({"searchText"})


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


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    store: str
    detail: dict[str, Any] = Field(default_factory=dict)


def entity_public(node: Node, *, financials: bool = False) -> EntityPublic:
    hidden = HIDDEN_PROPERTIES if financials else HIDDEN_PROPERTIES | FINANCIAL_PROPERTIES
    props = {k: v for k, v in node.props.items() if k not in hidden and k != "id"}
    return EntityPublic(id=node.id, type=node.label.value, name=node.name, properties=props)


def neighbor_public(neighbor: Neighbor, *, financials: bool = False) -> NeighborPublic:
    rel = neighbor.rel
    return NeighborPublic(
        relationship=RelationshipPublic(
            type=rel.type.value, start=rel.start, end=rel.end, properties=rel.props
        ),
        direction=neighbor.direction,
        node=entity_public(neighbor.node, financials=financials),
    )
