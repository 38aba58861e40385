"""Matchmaking answers: partners for a firm, matches for a demand, and their evidence paths.

Shapes documented in ``docs/MATCHMAKING.md``; the web page depends on them. Field names are
the wire's camelCase as written (these models predate :class:`api.schemas.base.ApiModel` and
keep their Python names equal to the JSON ones).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from pydantic import BaseModel, Field

from api.schemas.entities import EntityPublic, entity_public
from graph.records import Node
from match.demands import DemandResult
from match.evidence import EvidencePath
from match.index import MatchIndex


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


def evidence_public(path: EvidencePath) -> EvidencePathPublic:
    return EvidencePathPublic(
        signal=path.signal,
        summary=path.summary,
        nodes=list(path.nodes),
        relationships=[EvidenceRelPublic(type=r.type, start=r.start, end=r.end) for r in path.relationships],
    )


#: Reads whole nodes by id (``match.cache.stored_nodes(store)``): what a response shows of an
#: entity. The match index keeps only the properties matchmaking reads (``match/node_fields.py``).
EntityReader = Callable[[Sequence[str]], Mapping[str, Node]]


def shown_nodes(index: MatchIndex, node_ids: Sequence[str], entities: EntityReader | None) -> dict[str, Node]:
    """The nodes a response shows, whole from ``entities`` (one read for the page); a node it
    no longer has (deleted since the index was built), or no reader, falls back to the index's."""
    found = dict(entities(node_ids)) if entities is not None and node_ids else {}
    return {i: found.get(i) or index.node(i) for i in node_ids}


def node_refs(index: MatchIndex, paths: Iterable[EvidencePath]) -> list[NodeRef]:
    ids = sorted({n for p in paths for n in p.nodes})
    return [NodeRef(id=i, type=index.label[i].value, name=index.name(i)) for i in ids]


def demand_matches_public(
    index: MatchIndex,
    result: DemandResult,
    *,
    offset: int,
    limit: int,
    financials: bool,
    entities: EntityReader | None = None,
) -> DemandMatchesPublic:
    paths = [p for m in result.matches for p in m.evidence]
    shown = shown_nodes(index, [result.subject, *(m.item for m in result.matches)], entities)
    return DemandMatchesPublic(
        subject=entity_public(shown[result.subject], financials=financials),
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
                candidate=entity_public(shown[m.item], financials=financials),
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
