"""The partners response built from a match index, without the web framework's routing.

``GET /api/v1/enterprises/{id}/partners`` (``api/routes/matching.py``) and ``innograph partners``
both answer with it; the CLI answers from the index saved on disk and must not pay for importing
the API's routes and security (issue #12: warm CLI calls under a second).
"""

from __future__ import annotations

from typing import Literal

from api.schemas import (
    PartnerPublic,
    PartnersPublic,
    entity_public,
    evidence_public,
    node_refs,
    parse_types,
    require_label,
)
from graph.model import NodeLabel
from match.index import MatchIndex
from match.partners import DEFAULT_TYPES, PartnerMatch, PartnerQuery, find_partners


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
) -> PartnersPublic:
    """The partners response from an index (the route's, and the CLI's from the index on disk)."""
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

        learned = learned_for(index)
    result = find_partners(index, query, learned=learned)
    if weights == "learned" and learned is None:
        result.notices.append(
            "no dated firm–institution co-applications to learn from: hand-set weights used"
        )

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
