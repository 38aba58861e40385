"""Health and statistics."""

from __future__ import annotations

from fastapi import APIRouter

from api.dependencies import StoreDep
from api.schemas import Health

router = APIRouter(tags=["system"])


@router.get("/healthz", summary="Liveness and the store in use")
def healthz(store: StoreDep) -> Health:
    detail = store.health()
    return Health(status="ok", store=store.kind, detail=detail)


@router.get("/api/v1/stats", summary="Node counts per label and relationship counts per type")
def stats(store: StoreDep) -> dict[str, dict[str, int]]:
    counts = store.counts()
    return {"labels": counts.labels, "relationships": counts.relationships}
