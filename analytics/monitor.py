"""The plan monitor: each target with its baseline, current value and gap; growth stages;
little-giant candidates with the reasons they were picked."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from analytics.errors import PlanDataError
from analytics.facts import Facts, gather_facts
from analytics.indicators import INDICATORS
from analytics.metrics import cagr
from analytics.plan import IndicatorKind, Plan, load_plan

STAGES = ("初创期", "成长期", "壮大期")
UNKNOWN_STAGE = "未知"


@dataclass(frozen=True)
class PlanIndicator:
    """What the plan says of one indicator: the fields a status and a series share."""

    id: str
    name: str
    name_en: str
    unit: str
    kind: IndicatorKind
    baseline: float | None
    target: float | None


@dataclass(frozen=True)
class IndicatorStatus(PlanIndicator):
    current: float | None
    gap: float | None  # target − current (≤ 0 when met)
    met: bool | None
    progress: float | None  # (current − baseline) / (target − baseline)


@dataclass(frozen=True)
class BandCount:
    id: str
    name: str
    baseline: int | None
    current: int


ReasonCode = Literal["near_threshold", "fast_growth", "reaches_threshold", "inventions", "high_tech"]


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    text: str


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    revenue: float
    growth: float | None
    years_to_threshold: float | None
    inventions: int
    reasons: list[Reason]


@dataclass(frozen=True)
class MonitorReport:
    plan: str
    plan_en: str
    baseline_year: int
    target_year: int
    indicators: list[IndicatorStatus]
    revenue_bands: list[BandCount]
    stages: dict[str, int]
    candidates: list[Candidate]
    firms: int
    tech_smes: int
    year: int | None = None  # the year the "current" values are as of (None: undated snapshot)


def growth_stage(revenue: float | None, plan: Plan) -> str:
    """初创期 below the start-up threshold, 壮大期 from the little-giant threshold, else 成长期.

    >>> p = load_plan()
    >>> [growth_stage(r, p) for r in (4.9e6, 5e6, 9.9e7, 1e8, None)]
    ['初创期', '成长期', '成长期', '壮大期', '未知']
    """
    if revenue is None:
        return UNKNOWN_STAGE
    if revenue < plan.startup_revenue:
        return STAGES[0]
    if revenue >= plan.little_giant_revenue:
        return STAGES[2]
    return STAGES[1]


def firm_growth(attrs: dict[str, object]) -> float | None:
    """A firm's revenue CAGR between the first and last year of its revenue series."""
    years = list(attrs.get("revenueYears") or [])  # type: ignore[call-overload]
    values = list(attrs.get("revenueSeries") or [])  # type: ignore[call-overload]
    pairs = sorted((int(y), float(v)) for y, v in zip(years, values, strict=False))
    if len(pairs) < 2 or pairs[-1][0] == pairs[0][0]:
        return None
    return cagr(pairs[0][1], pairs[-1][1], pairs[-1][0] - pairs[0][0])


def _yuan(amount: float) -> str:
    return f"{amount / 1e4:,.0f}万元"


def little_giant_candidates(facts: Facts, plan: Plan) -> list[Candidate]:
    """Tech SMEs below the little-giant threshold that are near it, growing towards it fast
    enough, or rich in invention patents — each with the reasons (小巨人后备企业)."""
    rules, threshold = plan.candidates, plan.little_giant_revenue
    found = []
    for firm in facts.tech_smes:
        revenue = facts.revenue(firm)
        if revenue is None or revenue <= 0 or revenue >= threshold:
            continue
        attrs = facts.attrs[firm]
        growth = facts.growth(firm)
        years = math.log(threshold / revenue) / math.log1p(growth) if growth and growth > 0 else None
        inventions = facts.inventions.get(firm, 0)
        reasons = []
        if revenue >= rules.near_share * threshold:
            reasons.append(
                Reason(
                    "near_threshold", f"营业收入{_yuan(revenue)}，已达1亿元门槛的{revenue / threshold:.0%}"
                )
            )
        if growth is not None and growth >= rules.min_growth and revenue >= rules.min_revenue:
            reasons.append(Reason("fast_growth", f"营业收入年均增长{growth:.0%}"))
        if years is not None and years <= rules.horizon_years and revenue >= rules.min_revenue:
            reasons.append(Reason("reaches_threshold", f"按现有增速约{years:.1f}年可达1亿元"))
        if inventions >= rules.min_inventions and revenue >= rules.min_revenue:
            reasons.append(Reason("inventions", f"拥有发明专利{inventions}件"))
        if not reasons:
            continue
        if attrs.get("highTech") is True:
            reasons.append(Reason("high_tech", "高新技术企业"))
        found.append(
            Candidate(
                firm,
                str(attrs.get("name") or firm),
                revenue,
                round(growth, 6) if growth is not None else None,
                round(years, 3) if years is not None else None,
                inventions,
                reasons,
            )
        )
    found.sort(
        key=lambda c: (
            -len([r for r in c.reasons if r.code != "high_tech"]),
            c.years_to_threshold if c.years_to_threshold is not None else math.inf,
            -c.revenue,
            c.id,
        )
    )
    return found[: rules.limit]


def monitor_plan(
    graph: nx.MultiDiGraph, *, plan: Plan | None = None, facts: Facts | None = None, year: int | None = None
) -> MonitorReport:
    """The plan's indicators computed from a projection (``analysis_projection(store)``), or from
    ``facts`` as of ``year`` when given (``analytics.timeline.facts_as_of``).

    >>> report = monitor_plan(nx.MultiDiGraph())
    >>> next(i for i in report.indicators if i.id == "tech_smes").gap
    2000.0
    """
    plan = plan or load_plan()
    facts = facts if facts is not None else gather_facts(graph)
    statuses = []
    for ind in plan.indicators:
        try:
            compute = INDICATORS[ind.id]
        except KeyError:
            raise PlanDataError(
                f"{plan.source}: indicator {ind.id!r} has no computation; known: {sorted(INDICATORS)}"
            ) from None
        current = compute(facts, plan)
        gap = met = progress = None
        if ind.target is not None and current is not None:
            gap = round(ind.target - current, 6)
            met = current >= ind.target
            if ind.baseline is not None and ind.target != ind.baseline:
                progress = round((current - ind.baseline) / (ind.target - ind.baseline), 6)
        statuses.append(
            IndicatorStatus(
                ind.id,
                ind.name,
                ind.name_en,
                ind.unit,
                ind.kind,
                ind.baseline,
                ind.target,
                round(current, 6) if current is not None else None,
                gap,
                met,
                progress,
            )
        )
    bands = []
    revenues = [facts.revenue(f) for f in facts.tech_smes]
    for band in plan.revenue_bands:
        bands.append(
            BandCount(
                band.id,
                band.name,
                band.baseline,
                sum(1 for r in revenues if r is not None and band.contains(r)),
            )
        )
    stage_counts = Counter(growth_stage(r, plan) for r in revenues)
    stages = {s: stage_counts.get(s, 0) for s in (*STAGES, UNKNOWN_STAGE)}
    return MonitorReport(
        plan.name,
        plan.name_en,
        plan.baseline_year,
        plan.target_year,
        statuses,
        bands,
        stages,
        little_giant_candidates(facts, plan),
        len(facts.firms),
        len(facts.tech_smes),
        year,
    )
