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
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from analytics import service
from analytics.diagnosis import GrowthDiagnosis
from analytics.plan import IndicatorKind
from analytics.roadmap import Area, Leader, Roadmap
from analytics.timeline import MonitorSeries
from api.dependencies import StoreDep
from api.security import PrincipalDep

router = APIRouter(tags=["plan"])


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class YearValuePublic(ApiModel):
    year: int
    value: float | None


class IndicatorSeriesPublic(ApiModel):
    id: str
    name: str
    name_en: str
    unit: str
    kind: IndicatorKind
    baseline: float | None
    target: float | None
    dated: bool = Field(description="false: no dated source; only the latest year's value is shown")
    points: list[YearValuePublic]
    annual_growth: float | None = Field(description="from the log-linear fit; none for shares")
    projected: float | None = Field(description="value at the target year on the fitted trend")
    on_track: bool | None = Field(description="projected ≥ target")


class ListSeriesPublic(ApiModel):
    kind: str = Field(description="techSme, highTech, littleGiant, incubator or park")
    name: str
    points: list[YearValuePublic] = Field(description="members as of each year with an edition up to it")


class MonitorSeriesPublic(ApiModel):
    store_version: int
    plan: str
    plan_en: str
    baseline_year: int
    target_year: int
    years: list[int] = Field(description="years with a tech-SME list edition")
    method: str = Field(description="how the projection is computed")
    indicators: list[IndicatorSeriesPublic]
    lists: list[ListSeriesPublic] = Field(description="the yearly lists (名单) loaded, members by year")


def series_public(series: MonitorSeries, *, version: int) -> MonitorSeriesPublic:
    return MonitorSeriesPublic(
        store_version=version,
        plan=series.plan,
        plan_en=series.plan_en,
        baseline_year=series.baseline_year,
        target_year=series.target_year,
        years=series.years,
        method=series.method,
        indicators=[
            IndicatorSeriesPublic(
                id=i.id,
                name=i.name,
                name_en=i.name_en,
                unit=i.unit,
                kind=i.kind,
                baseline=i.baseline,
                target=i.target,
                dated=i.dated,
                points=[YearValuePublic(year=p.year, value=p.value) for p in i.points],
                annual_growth=i.annual_growth,
                projected=i.projected,
                on_track=i.on_track,
            )
            for i in series.indicators
        ],
        lists=[
            ListSeriesPublic(
                kind=ls.kind,
                name=ls.name,
                points=[YearValuePublic(year=p.year, value=p.value) for p in ls.points],
            )
            for ls in series.lists
        ],
    )


@router.get(
    "/api/v1/monitor/series",
    summary="Each plan indicator for every year with data, projected to the target year",
)
def get_monitor_series(store: StoreDep, principal: PrincipalDep) -> MonitorSeriesPublic:
    return series_public(service.monitor_series(store), version=store.version())


class YearRevenuePublic(ApiModel):
    year: int
    revenue: float | None = Field(description="yuan; null for readers")
    stage: str = Field(description="初创期 / 成长期 / 壮大期")


class YearPatentsPublic(ApiModel):
    year: int
    patents: int
    inventions: int


class PeerPublic(ApiModel):
    id: str
    name: str
    crossed_in: int = Field(description="first year at or above the little-giant threshold")
    revenue_before: float | None = Field(description="yuan, the year before; null for readers")
    growth: float | None = Field(description="revenue CAGR up to that year; null for readers")
    patents: int = Field(description="filed before crossing")
    inventions: int
    partners: int
    projects: int


class GrowthPublic(ApiModel):
    store_version: int
    id: str
    name: str
    industries: list[str]
    stage: str
    stages: list[YearRevenuePublic]
    patents: list[YearPatentsPublic]
    threshold: float
    gap: float | None = Field(description="threshold − latest revenue, yuan; null for readers")
    growth: float | None = Field(description="revenue CAGR so far; null for readers")
    years_to_threshold: float | None = Field(
        description="at the growth so far; 0 when already there; null for readers (it gives revenue back)"
    )
    peers: list[PeerPublic]
    support: list[str] = Field(description="the plan's measures for the current stage")


def growth_public(d: GrowthDiagnosis, *, version: int, financials: bool) -> GrowthPublic:
    def money(value: float | None) -> float | None:
        return value if financials else None

    return GrowthPublic(
        store_version=version,
        id=d.id,
        name=d.name,
        industries=d.industries,
        stage=d.stage,
        stages=[YearRevenuePublic(year=r.year, revenue=money(r.revenue), stage=r.stage) for r in d.revenue],
        patents=[
            YearPatentsPublic(year=p.year, patents=p.patents, inventions=p.inventions) for p in d.patents
        ],
        threshold=d.threshold,
        gap=money(d.gap),
        growth=money(d.growth),
        years_to_threshold=money(d.years_to_threshold),  # revenue-derived (graph.model policy)
        peers=[
            PeerPublic(
                id=p.id,
                name=p.name,
                crossed_in=p.crossed_in,
                revenue_before=money(p.revenue_before),
                growth=money(p.growth),
                patents=p.patents,
                inventions=p.inventions,
                partners=p.partners,
                projects=p.projects,
            )
            for p in d.peers
        ],
        support=d.support,
    )


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


class LeaderPublic(ApiModel):
    id: str
    name: str
    label: str
    patents: int


class AreaPublic(ApiModel):
    group: str = Field(description="IPC main group")
    name: str
    total: int
    recent: int
    prior: int
    growth: float = Field(description="(recent + 1) / (prior + 1)")
    by_year: dict[int, int]
    local: int
    local_share: float
    leaders: list[LeaderPublic]
    gap: bool
    strengths: list[LeaderPublic] = Field(description="local universities / institutes in the same subclass")


class RoadmapPublic(ApiModel):
    store_version: int
    industry: str
    name: str
    patents: int
    local_patents: int
    local_share: float
    years: list[int]
    recent: list[int]
    prior: list[int]
    method: str
    groups: list[AreaPublic]
    growing: list[AreaPublic]
    leaders: list[LeaderPublic]
    gaps: list[AreaPublic]


class IndustryChoice(ApiModel):
    code: str
    name: str


def _leader(x: Leader) -> LeaderPublic:
    return LeaderPublic(id=x.id, name=x.name, label=x.label, patents=x.patents)


def _area(a: Area) -> AreaPublic:
    return AreaPublic(
        group=a.group,
        name=a.name,
        total=a.total,
        recent=a.recent,
        prior=a.prior,
        growth=a.growth,
        by_year=a.by_year,
        local=a.local,
        local_share=a.local_share,
        leaders=[_leader(x) for x in a.leaders],
        gap=a.gap,
        strengths=[_leader(x) for x in a.strengths],
    )


def roadmap_public(r: Roadmap, *, version: int) -> RoadmapPublic:
    return RoadmapPublic(
        store_version=version,
        industry=r.industry,
        name=r.name,
        patents=r.patents,
        local_patents=r.local_patents,
        local_share=r.local_share,
        years=r.years,
        recent=list(r.recent),
        prior=list(r.prior),
        method=r.method,
        groups=[_area(a) for a in r.groups],
        growing=[_area(a) for a in r.growing],
        leaders=[_leader(x) for x in r.leaders],
        gaps=[_area(a) for a in r.gaps],
    )


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
