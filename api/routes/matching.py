"""Matchmaking: partners for a firm, and the open demands a patent or achievement may answer.

Response shapes are documented in ``docs/MATCHMAKING.md``; the web page depends on them.
Every suggestion carries its score breakdown (``signals``) and evidence paths made of the
graph's own node ids and relationships; ``nodes`` lists every node those paths touch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.dependencies import StoreDep
from api.schemas import EntityPublic, entity_public
from api.security import PrincipalDep
from graph.errors import NotFoundError, ValidationError
from graph.model import NodeLabel
from match.cache import index_for
from match.demands import DemandResult, demands_for_work
from match.evidence import EvidencePath
from match.index import MatchIndex
from match.learn import learned_for
from match.partners import DEFAULT_TYPES, PartnerMatch, PartnerQuery, find_partners

router = APIRouter(tags=["matching"])


class NodeRef(BaseModel):
    id: str
    type: str
    name: str


class EvidenceRelPublic(BaseModel):
    type: str = Field(description="relationship type, e.g. APPLIED_FOR")
    start: str = Field(description="id of the node the relationship points from")
    end: str = Field(description="id of the node the relationship points to")


class EvidencePathPublic(BaseModel):
    signal: str = Field(description="the score component this path supports")
    summary: str = Field(description="one line a broker can read out")
    nodes: list[str] = Field(description="node ids along the path, in order")
    relationships: list[EvidenceRelPublic] = Field(description="relationships between consecutive nodes")


class PartnerPublic(BaseModel):
    candidate: EntityPublic
    score: float = Field(description="weighted sum of the signals, 0–1")
    signals: dict[str, float] = Field(
        description="technology, network, complementarity, track_record, "
        "geography (weighted) and ipc, text (parts of technology)"
    )
    existingPartner: bool = Field(description="already co-applied, transferred or worked with the firm")
    evidence: list[EvidencePathPublic]


class PartnersPublic(BaseModel):
    enterprise: EntityPublic
    total: int = Field(description="how many candidates passed the filters")
    offset: int
    limit: int
    weights: dict[str, float] = Field(description="the weights this ranking used")
    matches: list[PartnerPublic] = Field(
        description="new suggestions: not existing partners, not the own group"
    )
    existingPartners: list[PartnerPublic] = Field(
        default_factory=list, description="partners the firm already has, shown apart"
    )
    sameGroup: list[PartnerPublic] = Field(
        default_factory=list, description="the firm's parent, branches and subsidiaries, shown apart"
    )
    notices: list[str] = Field(default_factory=list, description="e.g. a cold start")
    nodes: list[NodeRef] = Field(description="every node on the evidence paths")


class MentionPublic(BaseModel):
    text: str
    kind: str = Field(description="ORG, IPC or INDUSTRY")
    entityId: str
    start: int
    end: int


class DemandMatchPublic(BaseModel):
    candidate: EntityPublic
    score: float
    signals: dict[str, float] = Field(description="text, ipc, industry, mode_fit, mentioned")
    matchedTerms: list[str] = Field(description="distinctive terms the two texts share")
    publications: list[str] = Field(
        default_factory=list, description="every publication of the same invention (CN…A, CN…B), when several"
    )
    evidence: list[EvidencePathPublic]


class DemandMatchesPublic(BaseModel):
    subject: EntityPublic = Field(description="the demand (or the patent / achievement) matched")
    total: int
    offset: int
    limit: int
    weights: dict[str, float] = Field(description="the weights this ranking used")
    notice: str | None = Field(default=None, description='why the list is empty, e.g. "no good match"')
    mentions: list[MentionPublic] = Field(description="organisations and technology terms found in the text")
    matches: list[DemandMatchPublic]
    nodes: list[NodeRef]


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


def evidence_public(path: EvidencePath) -> EvidencePathPublic:
    return EvidencePathPublic(
        signal=path.signal,
        summary=path.summary,
        nodes=list(path.nodes),
        relationships=[EvidenceRelPublic(type=r.type, start=r.start, end=r.end) for r in path.relationships],
    )


def node_refs(index: MatchIndex, paths: Iterable[EvidencePath]) -> list[NodeRef]:
    ids = sorted({n for p in paths for n in p.nodes})
    return [NodeRef(id=i, type=index.label[i].value, name=index.name(i)) for i in ids]


def demand_matches_public(
    index: MatchIndex, result: DemandResult, *, offset: int, limit: int, financials: bool
) -> DemandMatchesPublic:
    paths = [p for m in result.matches for p in m.evidence]
    return DemandMatchesPublic(
        subject=entity_public(index.node(result.subject), financials=financials),
        total=result.total,
        offset=offset,
        limit=limit,
        weights=result.weights,
        notice=result.notice,
        mentions=[
            MentionPublic(text=m.text, kind=m.kind, entityId=m.entity_id, start=m.start, end=m.end)
            for m in result.mentions
        ],
        matches=[
            DemandMatchPublic(
                candidate=entity_public(index.node(m.item), financials=financials),
                score=m.score,
                signals=m.signals,
                matchedTerms=m.matched_terms,
                publications=m.publications,
                evidence=[evidence_public(p) for p in m.evidence],
            )
            for m in result.matches
        ],
        nodes=node_refs(index, paths),
    )


Limit = Annotated[int, Query(ge=1, le=100, description="how many results")]
Offset = Annotated[int, Query(ge=0, le=10_000, description="results to skip (pagination)")]


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


def require_label(index: MatchIndex, node_id: str, label: NodeLabel) -> None:
    """404 unless ``node_id`` is a node of ``label`` (``/patents/{id}`` with a firm's id is unknown)."""
    if index.label.get(node_id) != label:
        raise NotFoundError(f"no {label.value} with id {node_id!r}")


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
