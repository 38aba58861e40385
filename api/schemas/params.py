"""Request parameters several routes share, and the checks that turn a bad one into a 404 / 422."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.schemas.labels import parse_types, require_label

__all__ = ["Limit", "Offset", "parse_types", "require_label"]

Limit = Annotated[int, Query(ge=1, le=100, description="how many results")]
Offset = Annotated[int, Query(ge=0, le=10_000, description="results to skip (pagination)")]
