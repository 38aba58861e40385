"""The partners response built from a match index, without the web framework's routing.

``GET /api/v1/enterprises/{id}/partners`` (``api/routes/matching.py``) and ``innograph partners``
both answer with it; the CLI answers from the index saved on disk and must not pay for importing
the API's routes and security (issue #12: warm CLI calls under a second).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from api.schemas import (
    PartnerPublic,
    PartnersPublic,
    entity_public,
    evidence_public,
    node_refs,
    parse_types,
    require_label,
    shown_nodes,
)
from graph.model import NodeLabel
from match.index import MatchIndex
from match.partners import DEFAULT_TYPES, PartnerMatch, PartnerQuery, find_partners

if TYPE_CHECKING:
    import networkx as nx

    from api.schemas.matching import EntityReader


def partners_response(
    index: MatchIndex,
    enterprise_id: str,
    *,
    financials: bool = False,
    limit: int = 10,
    offset: int = 0,
    type: list[str] | None = None,
    region: str | None = None,
    industry: str | None = None,
    exclude_existing: bool = False,
    weights: Literal["hand", "learned"] = "hand",
    entities: EntityReader | None = None,
    projection: Callable[[], nx.MultiDiGraph] | None = None,
) -> PartnersPublic:
    """The partners response from an index (the route's, and the CLI's from the index on disk).

    ``entities`` reads the shown nodes whole (``match.cache.stored_nodes``; without it they show
    the properties the index keeps); ``projection`` reads the graph to learn weights from
    (``weights="learned"``, first call per index version; the index keeps no graph)."""
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
    learned = None
    if weights == "learned":
        from match.learn import learned_for  # scikit-learn: only when asked for

        if projection is None:
            raise ValueError("learned weights need the graph: pass projection")
        learned = learned_for(index, projection)
    result = find_partners(index, query, learned=learned)
    if weights == "learned" and learned is None:
        result.notices.append(
            "no dated firm–institution co-applications to learn from: hand-set weights used"
        )

    every = [*result.matches, *result.existing, *result.same_group]
    shown = shown_nodes(index, [enterprise_id, *(m.candidate for m in every)], entities)

    def public(matches: list[PartnerMatch]) -> list[PartnerPublic]:
        return [
            PartnerPublic(
                candidate=entity_public(shown[m.candidate], financials=financials),
                score=m.score,
                signals=m.signals,
                existingPartner=m.existing_partner,
                evidence=[evidence_public(p) for p in m.evidence],
            )
            for m in matches
        ]

    return PartnersPublic(
        enterprise=entity_public(shown[enterprise_id], financials=financials),
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
