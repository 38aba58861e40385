"""API keys as admins create and list them (the token is shown once, at creation)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

RoleName = Literal["reader", "analyst", "editor", "admin"]


class KeyCreate(BaseModel):
    name: str = Field(
        min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$", description="who or what the key is for"
    )
    role: RoleName = "reader"


class KeyPublic(BaseModel):
    id: str
    name: str
    role: RoleName
    created: str
    revoked: str | None = None


class KeyCreated(KeyPublic):
    token: str = Field(description="the secret; shown only in this response")
