"""Review items (待审核, 按人名合并): the pending pairs as a person acts on them — one item per
same-name person group, one per organisation pair. Accepting a group merges all its persons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.dependencies import StoreDep
from api.schemas import ReviewDecisionBody, ReviewGroupPage, ReviewGroupPublic
from api.security import Principal, PrincipalDep, Role, require_role
from ingest.review_groups import ReviewGroup, decide_group, pending_groups

router = APIRouter(prefix="/api/v1/review-groups", tags=["review"])


def _public(group: ReviewGroup) -> ReviewGroupPublic:
    body: dict[str, Any] = group.public()
    return ReviewGroupPublic.model_validate(body)


@router.get("", summary="Pending review items: same-name persons grouped, most likely first")
def get_review_groups(
    store: StoreDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ReviewGroupPage:
    groups = pending_groups(store)
    return ReviewGroupPage(
        total=len(groups),
        pairs=sum(len(g.reviews) for g in groups),
        items=[_public(g) for g in groups[offset : offset + limit]],
    )


@router.post(
    "/{group_id}",
    summary="Accept (merge all into one) or reject every pair of an item (editor key)",
    responses={
        401: {"description": "no API key"},
        403: {"description": "the key may not write"},
        404: {"description": "no such pending item"},
    },
)
def post_review_group(
    store: StoreDep,
    group_id: str,
    body: ReviewDecisionBody,
    principal: Annotated[Principal, require_role(Role.EDITOR)],
) -> ReviewGroupPublic:
    group = decide_group(
        store, group_id, accept=body.decision == "accept", by=f"api:key:{principal.key_id}", note=body.note
    )
    return _public(group)
