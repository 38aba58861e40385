"""Matchmaking: partners for a firm, and the open demands a patent or achievement may answer.

Response shapes are documented in ``docs/MATCHMAKING.md``; the web page depends on them.
Every suggestion carries its score breakdown (``signals``) and evidence paths made of the
graph's own node ids and relationships; ``nodes`` lists every node those paths touch.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.dependencies import StoreDep
from api.match_responses import partners_response
from api.schemas import (
    DemandMatchesPublic,
    Limit,
    Offset,
    PartnersPublic,
    demand_matches_public,
    require_label,
)
from api.security import PrincipalDep
from graph.model import NodeLabel
from match.cache import index_for, projection, stored_nodes
from match.demands import demands_for_work

router = APIRouter(tags=["matching"])


@router.get(
    "/api/v1/enterprises/{enterprise_id}/partners",
    summary="Rank research partners (universities, institutes, experts) for an enterprise",
)
def get_partners(
    store: StoreDep,
    principal: PrincipalDep,
    enterprise_id: str,
    limit: Limit = 10,
    offset: Offset = 0,
    type: Annotated[
        list[str] | None,
        Query(
            description="candidate types: University, ResearchInstitute, "
            "Person, Enterprise (repeat or comma-separate)"
        ),
    ] = None,
    region: Annotated[
        str | None,
        Query(
            max_length=100,
            description="region id, region code (12, 1201 or 120110: everything inside it) or city",
        ),
    ] = None,
    industry: Annotated[str | None, Query(max_length=100, description="industry id or code prefix")] = None,
    exclude_existing: Annotated[bool, Query(description="leave out existing partners")] = False,
    weights: Annotated[
        Literal["hand", "learned"],
        Query(
            description="hand: the documented weights; learned: weights learned from the graph's own "
            "history (fitted on first use per graph version, which takes seconds to minutes)"
        ),
    ] = "hand",
) -> PartnersPublic:
    index = index_for(store, wait=False, require=[enterprise_id])
    return partners_response(
        index,
        enterprise_id,
        financials=principal.sees_financials,
        limit=limit,
        offset=offset,
        type=type,
        region=region,
        industry=industry,
        exclude_existing=exclude_existing,
        weights=weights,
        entities=stored_nodes(store),
        projection=lambda: projection(store),
    )


def _work_demands(
    store: Any, principal: Any, work_id: str, label: NodeLabel, limit: int, offset: int
) -> DemandMatchesPublic:
    index = index_for(store, wait=False, require=[work_id])
    require_label(index, work_id, label)
    result = demands_for_work(index, work_id, limit=limit, offset=offset)
    return demand_matches_public(
        index,
        result,
        offset=offset,
        limit=limit,
        financials=principal.sees_financials,
        entities=stored_nodes(store),
    )


@router.get("/api/v1/patents/{patent_id}/demands", summary="Open technology demands a patent may answer")
def get_patent_demands(
    store: StoreDep, principal: PrincipalDep, patent_id: str, limit: Limit = 10, offset: Offset = 0
) -> DemandMatchesPublic:
    return _work_demands(store, principal, patent_id, NodeLabel.PATENT, limit, offset)


@router.get(
    "/api/v1/achievements/{achievement_id}/demands",
    summary="Open technology demands an achievement (科技成果) may answer",
)
def get_achievement_demands(
    store: StoreDep, principal: PrincipalDep, achievement_id: str, limit: Limit = 10, offset: Offset = 0
) -> DemandMatchesPublic:
    return _work_demands(store, principal, achievement_id, NodeLabel.TECH_ACHIEVEMENT, limit, offset)
