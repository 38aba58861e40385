"""Matchmaking: partners for a firm, and the open demands a patent or achievement may answer.

Response shapes are documented in ``docs/MATCHMAKING.md``; the web page depends on them.
Every suggestion carries its score breakdown (``signals``) and evidence paths made of the
graph's own node ids and relationships; ``nodes`` lists every node those paths touch.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.dependencies import StoreDep
from api.schemas import (
    DemandMatchesPublic,
    Limit,
    Offset,
    PartnerPublic,
    PartnersPublic,
    demand_matches_public,
    entity_public,
    evidence_public,
    node_refs,
    parse_types,
    require_label,
)
from api.security import PrincipalDep
from graph.model import NodeLabel
from match.cache import index_for
from match.demands import demands_for_work
from match.learn import learned_for
from match.partners import DEFAULT_TYPES, PartnerMatch, PartnerQuery, find_partners

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
    require_label(index, enterprise_id, NodeLabel.ENTERPRISE)
    query = PartnerQuery(
        enterprise_id,
        tuple(parse_types(type, DEFAULT_TYPES)),
        region or None,
        industry or None,
        exclude_existing,
        limit,
        offset,
    )
    learned = learned_for(index) if weights == "learned" else None
    result = find_partners(index, query, learned=learned)
    if weights == "learned" and learned is None:
        result.notices.append(
            "no dated firm–institution co-applications to learn from: hand-set weights used"
        )
    financials = principal.sees_financials

    def public(matches: list[PartnerMatch]) -> list[PartnerPublic]:
        return [
            PartnerPublic(
                candidate=entity_public(index.node(m.candidate), financials=financials),
                score=m.score,
                signals=m.signals,
                existingPartner=m.existing_partner,
                evidence=[evidence_public(p) for p in m.evidence],
            )
            for m in matches
        ]

    every = [*result.matches, *result.existing, *result.same_group]
    return PartnersPublic(
        enterprise=entity_public(index.node(enterprise_id), financials=financials),
        total=result.total,
        offset=offset,
        limit=limit,
        weights=result.weights,
        matches=public(result.matches),
        existingPartners=public(result.existing),
        sameGroup=public(result.same_group),
        notices=result.notices,
        nodes=node_refs(index, [p for m in every for p in m.evidence]),
    )


def _work_demands(
    store: Any, principal: Any, work_id: str, label: NodeLabel, limit: int, offset: int
) -> DemandMatchesPublic:
    index = index_for(store, wait=False, require=[work_id])
    require_label(index, work_id, label)
    result = demands_for_work(index, work_id, limit=limit, offset=offset)
    return demand_matches_public(
        index, result, offset=offset, limit=limit, financials=principal.sees_financials
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
