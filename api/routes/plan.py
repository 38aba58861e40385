"""The plan over time: ``GET /api/v1/monitor/series`` — every indicator for every year with
data, its projection to the target year and an on-track flag (``docs/PLAN_OVER_TIME.md``).

Only aggregates leave this route (counts, shares, district totals), so readers see it whole.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from analytics import service
from analytics.plan import IndicatorKind
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


class MonitorSeriesPublic(ApiModel):
    store_version: int
    plan: str
    plan_en: str
    baseline_year: int
    target_year: int
    years: list[int] = Field(description="years with a tech-SME list edition")
    method: str = Field(description="how the projection is computed")
    indicators: list[IndicatorSeriesPublic]


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
    )


@router.get(
    "/api/v1/monitor/series",
    summary="Each plan indicator for every year with data, projected to the target year",
)
def get_monitor_series(store: StoreDep, principal: PrincipalDep) -> MonitorSeriesPublic:
    return series_public(service.monitor_series(store), version=store.version())
