"""Review (待审核链接): the pairs an ingest was unsure about; an editor accepts or rejects them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.dependencies import StoreDep
from api.schemas import ReviewDecisionBody, ReviewPage, ReviewPublic
from api.security import Principal, PrincipalDep, Role, require_role
from ingest.review import Review, decide, list_reviews

router = APIRouter(prefix="/api/v1/review", tags=["review"])


def _public(review: Review) -> ReviewPublic:
    return ReviewPublic.model_validate(review.public())


@router.get("", summary="Pairs to review (pending by default), most likely first")
def get_reviews(
    store: StoreDep,
    principal: PrincipalDep,
    status: Annotated[Literal["pending", "accepted", "rejected", "all"], Query()] = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ReviewPage:
    reviews = list_reviews(store, None if status == "all" else status)
    return ReviewPage(total=len(reviews), items=[_public(r) for r in reviews[offset : offset + limit]])


@router.post(
    "/{review_id}",
    summary="Accept or reject a pair (editor key)",
    responses={
        401: {"description": "no API key"},
        403: {"description": "the key may not write"},
        404: {"description": "no such review"},
    },
)
def post_review(
    store: StoreDep,
    review_id: str,
    body: ReviewDecisionBody,
    principal: Annotated[Principal, require_role(Role.EDITOR)],
) -> ReviewPublic:
    review = decide(
        store,
        review_id,
        accept=body.decision == "accept",
        by=f"api:key:{principal.key_id}",
        note=body.note,
    )
    return _public(review)
