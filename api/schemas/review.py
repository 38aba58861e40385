"""Review pairs (待审核链接) and the decision an editor posts on one."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ReviewEntity(BaseModel):
    id: str
    name: str


class ReviewPublic(BaseModel):
    """One pair: ``left`` is the entity the mention became, ``right`` the candidate it may be."""

    id: str
    status: Literal["pending", "accepted", "rejected"]
    left: ReviewEntity
    right: ReviewEntity
    label: str | None
    score: float
    evidence: dict[str, Any]
    records: list[str]
    decidedBy: str | None
    decidedAt: str | None
    note: str | None


class ReviewPage(BaseModel):
    total: int
    items: list[ReviewPublic]


class ReviewDecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "reject"] = Field(
        description="accept: merge left into right (with provenance); reject: keep them apart for good"
    )
    note: str | None = Field(None, max_length=500, description="why, for the record")


class ReviewGroupPublic(BaseModel):
    """``id`` is ``reviewgroup:…`` for a same-name person group, the review id for a single pair."""

    id: str
    label: str | None
    name: str
    score: float
    pairs: int
    entities: list[str]
    reviews: list[ReviewPublic]


class ReviewGroupPage(BaseModel):
    total: int
    pairs: int
    items: list[ReviewGroupPublic]
