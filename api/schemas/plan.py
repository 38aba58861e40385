"""The plan (规划) as the API shows it: the monitor, the indicators over time, one firm's growth
diagnosis and the industry technology roadmap.

Shapes documented in ``docs/CLUSTERS.md`` and ``docs/PLAN_OVER_TIME.md``. One firm's money
(revenue, growth, the revenue-derived years to the threshold) is for analysts and above:
readers get null and reasons without figures.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import Field

from analytics.diagnosis import GrowthDiagnosis
from analytics.monitor import Candidate, MonitorReport, ReasonCode
from analytics.plan import IndicatorKind
from analytics.roadmap import Roadmap
from analytics.timeline import MonitorSeries
from api.schemas.base import ApiModel

M = TypeVar("M", bound=ApiModel)


class IndicatorBase(ApiModel):
    """What every view of a plan indicator says about it (the monitor, the series)."""

    id: str
    name: str
    name_en: str
    unit: str
    kind: IndicatorKind
    baseline: float | None
    target: float | None


class PlanBase(ApiModel):
    store_version: int
    plan: str
    plan_en: str
    baseline_year: int
    target_year: int


def mapped(model: type[M], source: object, **changes: object) -> M:
    """``model`` from the same-named attributes of ``source`` (an ``analytics`` dataclass), with
    ``changes`` on top: the mapping spells out only what the API adds or withholds. Nested models
    are read from the nested dataclasses the same way (``from_attributes``)."""
    data = {name: changes[name] if name in changes else getattr(source, name) for name in model.model_fields}
    return model.model_validate(data)


class IndicatorPublic(IndicatorBase):
    current: float | None
    gap: float | None = Field(description="target − current; ≤ 0 when met")
    met: bool | None
    progress: float | None = Field(description="(current − baseline) / (target − baseline)")


class BandPublic(ApiModel):
    id: str
    name: str
    baseline: int | None
    current: int


class ReasonPublic(ApiModel):
    code: ReasonCode
    text: str


class CandidatePublic(ApiModel):
    id: str
    name: str
    revenue: float | None = Field(description="yuan; analysts and above only")
    growth: float | None = Field(description="revenue CAGR; analysts and above only")
    years_to_threshold: float | None = Field(description="revenue-derived; analysts and above only")
    inventions: int
    reasons: list[ReasonPublic]


class MonitorPublic(PlanBase):
    year: int | None = Field(default=None, description="the year the current values are as of (yearly lists)")
    firms: int
    tech_smes: int
    indicators: list[IndicatorPublic]
    revenue_bands: list[BandPublic]
    stages: dict[str, int] = Field(description="tech SMEs per growth stage: 初创期 / 成长期 / 壮大期 / 未知")
    candidates: list[CandidatePublic]


#: What readers (who may not see one firm's revenue) read instead of a reason's figures.
PUBLIC_REASONS: dict[str, str] = {
    "near_threshold": "营业收入接近1亿元门槛",
    "fast_growth": "营业收入快速增长",
    "reaches_threshold": "按现有增速有望达到1亿元门槛",
}


def monitor_public(report: MonitorReport, *, version: int, financials: bool) -> MonitorPublic:
    def candidate(c: Candidate) -> CandidatePublic:
        if financials:
            return mapped(CandidatePublic, c)
        reasons = [ReasonPublic(code=r.code, text=PUBLIC_REASONS.get(r.code, r.text)) for r in c.reasons]
        return mapped(CandidatePublic, c, revenue=None, growth=None, years_to_threshold=None, reasons=reasons)

    return mapped(
        MonitorPublic, report, store_version=version, candidates=[candidate(c) for c in report.candidates]
    )


class YearValuePublic(ApiModel):
    year: int
    value: float | None


class IndicatorSeriesPublic(IndicatorBase):
    dated: bool = Field(description="false: no dated source; only the latest year's value is shown")
    points: list[YearValuePublic]
    annual_growth: float | None = Field(description="from the log-linear fit; none for shares")
    projected: float | None = Field(description="value at the target year on the fitted trend")
    on_track: bool | None = Field(description="projected ≥ target")


class ListSeriesPublic(ApiModel):
    kind: str = Field(description="techSme, highTech, littleGiant, incubator or park")
    name: str
    points: list[YearValuePublic] = Field(description="members as of each year with an edition up to it")


class MonitorSeriesPublic(PlanBase):
    years: list[int] = Field(description="years with a tech-SME list edition")
    method: str = Field(description="how the projection is computed")
    indicators: list[IndicatorSeriesPublic]
    lists: list[ListSeriesPublic] = Field(description="the yearly lists (名单) loaded, members by year")


def series_public(series: MonitorSeries, *, version: int) -> MonitorSeriesPublic:
    return mapped(MonitorSeriesPublic, series, store_version=version)


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
    if financials:
        return mapped(GrowthPublic, d, store_version=version, stages=d.revenue)
    return mapped(
        GrowthPublic,
        d,
        store_version=version,
        stages=[mapped(YearRevenuePublic, r, revenue=None) for r in d.revenue],
        gap=None,
        growth=None,
        years_to_threshold=None,  # revenue-derived (graph.model policy)
        peers=[mapped(PeerPublic, p, revenue_before=None, growth=None) for p in d.peers],
    )


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


def roadmap_public(r: Roadmap, *, version: int) -> RoadmapPublic:
    return mapped(RoadmapPublic, r, store_version=version)
