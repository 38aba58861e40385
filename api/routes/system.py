"""Health and statistics."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response

from api.dependencies import StoreDep
from api.schemas import Health
from api.security import PrincipalDep, Role, open_without_key
from graph.counts import kept_counts

router = APIRouter(tags=["system"])
log = logging.getLogger(__name__)


@router.get(
    "/healthz",
    summary="Liveness: ok or not (the store's details for admins only)",
    responses={503: {"description": "the store is unavailable"}},
)
@open_without_key
def healthz(store: StoreDep, principal: PrincipalDep, response: Response) -> Health:
    admin = principal.role >= Role.ADMIN
    try:
        detail = store.health()
    except Exception as e:  # a probe answers "not ok", never the store's address or a trace
        log.warning("health check failed: %s", e)
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return Health(status="degraded", store=store.kind, detail={"error": str(e)} if admin else {})
    # Paths, URIs and server versions help an attacker more than a prober: admins only.
    return Health(status="ok", store=store.kind, detail=detail if admin else {})


@router.get("/api/v1/stats", summary="Node counts per label and relationship counts per type")
def stats(store: StoreDep) -> dict[str, dict[str, int]]:
    counts = kept_counts(store)
    return {"labels": counts.labels, "relationships": counts.relationships}
