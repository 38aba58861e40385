"""Entity search, lookup and neighbourhood: ``/api/v1/entities``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.dependencies import StoreDep
from api.neighborhood import decode_cursor, encode_cursor
from api.schemas import (
    EntityHit,
    EntityPublic,
    NeighborGroupPublic,
    NeighborhoodPublic,
    NeighborPublic,
    Page,
    entity_public,
    neighbor_public,
)
from api.security import PrincipalDep
from graph.errors import NotFoundError
from graph.model import NodeLabel, RelType
from graph.search import search

router = APIRouter(prefix="/api/v1/entities", tags=["entities"])

MAX_QUERY_CHARS = 200


@router.get("", summary="Search entities by name or alias (Chinese, pinyin or English)")
def search_entities(
    store: StoreDep,
    principal: PrincipalDep,
    q: Annotated[
        str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="name, alias, pinyin or English")
    ],
    type: Annotated[list[NodeLabel] | None, Query(description="filter by node label")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> Page[EntityHit]:
    hits = search(store, q, labels=type, limit=offset + limit)
    items = [
        EntityHit(**entity_public(node, financials=principal.sees_financials).model_dump(), score=score)
        for node, score in hits[offset:]
    ]
    return Page[EntityHit](items=items, total=len(hits), offset=offset, limit=limit)


@router.get(
    "/{entity_id:path}/neighbors", summary="The entity's relationships and the nodes at their other end"
)
def get_neighbors(
    store: StoreDep,
    principal: PrincipalDep,
    entity_id: Annotated[str, Path(description="the entity's id; may hold '/' (ipc:H01L33/00)")],
    rel_type: Annotated[list[RelType] | None, Query(description="only these relationship types")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[NeighborPublic]:
    if store.get_node(entity_id) is None:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    around = store.neighbors(entity_id, rel_types=rel_type, limit=limit)
    return [neighbor_public(n, financials=principal.sees_financials) for n in around]


@router.get(
    "/{entity_id:path}/neighborhood",
    summary="The entity's neighbours counted per relationship type, direction and label; one page of them",
)
def get_neighborhood(
    store: StoreDep,
    principal: PrincipalDep,
    entity_id: Annotated[str, Path(description="the entity's id; may hold '/' (ipc:H01L33/00)")],
    rel_type: Annotated[list[RelType] | None, Query(description="only these relationship types")] = None,
    direction: Annotated[Literal["out", "in", "both"], Query(description="which way they point")] = "both",
    label: Annotated[list[NodeLabel] | None, Query(description="only neighbours with these labels")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[
        str | None, Query(max_length=1000, description="nextCursor of the previous page")
    ] = None,
) -> NeighborhoodPublic:
    if store.get_node(entity_id) is None:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    after = None if cursor is None else decode_cursor(cursor)
    groups = store.neighbor_groups(entity_id)
    # One row more than asked tells whether another page follows, without counting again.
    rows = store.neighbors(
        entity_id, rel_types=rel_type, direction=direction, labels=label, after=after, limit=limit + 1
    )
    page = rows[:limit]
    return NeighborhoodPublic(
        total=sum(g.count for g in groups),
        groups=[
            NeighborGroupPublic(type=g.type.value, direction=g.direction, label=g.label.value, count=g.count)
            for g in groups
        ],
        items=[neighbor_public(n, financials=principal.sees_financials) for n in page],
        next_cursor=encode_cursor(page[-1]) if len(rows) > limit else None,
    )


@router.get("/{entity_id:path}", summary="One entity with its properties and provenance")
def get_entity(
    store: StoreDep,
    principal: PrincipalDep,
    entity_id: Annotated[str, Path(description="the entity's id; may hold '/' (ipc:H01L33/00)")],
) -> EntityPublic:
    node = store.get_node(entity_id)
    if node is None:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    return entity_public(node, financials=principal.sees_financials)
