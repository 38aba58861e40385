"""The plan over time (``docs/PLAN_OVER_TIME.md``):

- ``GET /api/v1/monitor/series`` — every indicator for every year with data, its projection to
  the target year and an on-track flag. Only aggregates (counts, shares, district totals), so
  readers see it whole.
- ``GET /api/v1/roadmap?industry=DONGLI:AERO`` — 产业技术路线图: filings by IPC main group and
  year, fastest-growing areas, local leaders, gaps and local university strengths (patents and
  organisations only, no money). ``GET /api/v1/roadmap/industries`` lists the industries.
- ``GET /api/v1/enterprises/{id}/growth`` — 企业成长诊断. One firm's revenue (and its peers'
  revenue) is financial: readers get the stages, patents and peers' non-money facts, with the
  money fields and the revenue-derived years to the threshold null (``Principal.sees_financials``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from analytics import service
from api.dependencies import StoreDep
from api.schemas import (
    GrowthPublic,
    IndustryChoice,
    MonitorSeriesPublic,
    RoadmapPublic,
    growth_public,
    roadmap_public,
    series_public,
)
from api.security import PrincipalDep

router = APIRouter(tags=["plan"])


@router.get(
    "/api/v1/monitor/series",
    summary="Each plan indicator for every year with data, projected to the target year",
)
def get_monitor_series(store: StoreDep, principal: PrincipalDep) -> MonitorSeriesPublic:
    return series_public(service.monitor_series(store), version=store.version())


@router.get(
    "/api/v1/enterprises/{entity_id}/growth", summary="Growth diagnosis of one enterprise (企业成长诊断)"
)
def get_growth(
    store: StoreDep,
    principal: PrincipalDep,
    entity_id: Annotated[str, Path(max_length=200, description="an enterprise id, e.g. ent:9112…")],
) -> GrowthPublic:
    diagnosis = service.growth_diagnosis(store, entity_id)
    return growth_public(diagnosis, version=store.version(), financials=principal.sees_financials)


@router.get("/api/v1/roadmap/industries", summary="The strategic industries a roadmap can be drawn for")
def get_roadmap_industries(store: StoreDep, principal: PrincipalDep) -> list[IndustryChoice]:
    return [IndustryChoice(code=c, name=n) for c, n in service.roadmap_industries(store)]


@router.get(
    "/api/v1/roadmap", summary="Industry technology roadmap (产业技术路线图) for one strategic industry"
)
def get_roadmap(
    store: StoreDep,
    principal: PrincipalDep,
    industry: Annotated[
        str,
        Query(max_length=40, description="plan industry (DONGLI:AERO), SEI code (2.2) or * for all patents"),
    ] = "DONGLI:AERO",
) -> RoadmapPublic:
    return roadmap_public(service.roadmap(store, industry), version=store.version())
