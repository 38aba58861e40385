"""Shapes every area shares: the page of a list, the health answer."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    store: str
    detail: dict[str, Any] = Field(default_factory=dict)
