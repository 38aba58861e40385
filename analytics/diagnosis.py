"""Growth diagnosis for one firm (企业成长诊断, ``GET /api/v1/enterprises/{id}/growth``).

From the graph's dated facts (``analytics.timeline.Dated``) and the analysis projection:

- revenue by year and the growth stage it puts the firm in each year (初创期 / 成长期 / 壮大期);
- patents filed by year (all kinds and inventions);
- the gap to the little-giant threshold and the years to reach it at the firm's growth so far
  (compound annual growth between its first and last reported year);
- peers: firms in the same strategic industry whose revenue crossed the threshold, with what
  they had when they crossed (patents and inventions filed before that year, partners, projects);
- the plan's support measures for its current stage.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise

import networkx as nx

from analytics.industries import plan_industries, sei_industries
from analytics.metrics import cagr
from analytics.monitor import growth_stage
from analytics.plan import DEFAULT_PLAN, Plan
from analytics.portfolio import firm_patents, in_sources, is_invention, out_targets
from analytics.timeline import Dated
from graph.errors import NotFoundError
from graph.model import NodeLabel, RelType

MAX_PEERS = 10


@dataclass(frozen=True)
class YearRevenue:
    year: int
    revenue: float
    stage: str


@dataclass(frozen=True)
class YearPatents:
    year: int
    patents: int
    inventions: int


@dataclass(frozen=True)
class Peer:
    id: str
    name: str
    crossed_in: int  # first year at or above the threshold after a year below it
    revenue_before: float  # the year before crossing
    growth: float | None  # CAGR up to the crossing year
    patents: int  # filed before the crossing year
    inventions: int
    partners: int  # distinct universities, institutes and firms it worked with
    projects: int


@dataclass(frozen=True)
class GrowthDiagnosis:
    id: str
    name: str
    industries: list[str]
    revenue: list[YearRevenue]
    patents: list[YearPatents]
    stage: str
    threshold: float
    gap: float | None  # threshold − latest revenue (≤ 0: already a little giant)
    growth: float | None
    years_to_threshold: float | None
    peers: list[Peer]
    support: list[str]


def stage_support(stage: str) -> list[str]:
    """The plan's measures for ``stage`` (``[stage_support]`` in the plan file).

    >>> stage_support("初创期")[0]
    '天使资金、种子基金'
    """
    text = resources.files("analytics.data").joinpath(DEFAULT_PLAN).read_text(encoding="utf-8")
    table = tomllib.loads(text).get("stage_support", {})
    return [str(s) for s in table.get(stage, [])]


def _history(dated: Dated, firm: str) -> list[tuple[int, float]]:
    return [
        (year, float(figures["revenue"]))
        for year, figures in dated.reports.get(firm, [])
        if isinstance(figures.get("revenue"), int | float)
    ]


def _patents_by_year(graph: nx.MultiDiGraph, firm: str) -> list[YearPatents]:
    counts: dict[int, list[int]] = {}
    for patent in firm_patents(graph, [firm])[firm]:
        attrs = graph.nodes[patent]
        year = attrs.get("applicationYear") or attrs.get("year")
        if isinstance(year, int):
            slot = counts.setdefault(year, [0, 0])
            slot[0] += 1
            slot[1] += int(is_invention(attrs))
    return [YearPatents(y, n, inv) for y, (n, inv) in sorted(counts.items())]


def _industries(graph: nx.MultiDiGraph, firm: str, known: set[str]) -> set[str]:
    return {t for t in out_targets(graph, firm, RelType.IN_INDUSTRY) if t in known}


def _partners(graph: nx.MultiDiGraph, firm: str) -> int:
    partners: set[str] = set()
    for patent in out_targets(graph, firm, RelType.APPLIED_FOR):
        partners |= set(in_sources(graph, patent, RelType.APPLIED_FOR))
    for project in out_targets(graph, firm, RelType.UNDERTOOK):
        partners |= set(in_sources(graph, project, RelType.UNDERTOOK))
    partners |= set(in_sources(graph, firm, RelType.TRANSFERRED_TO))
    partners.discard(firm)
    return len({p for p in partners if graph.nodes[p].get("label") != NodeLabel.PERSON})


def _crossing(history: list[tuple[int, float]], threshold: float) -> int | None:
    for (_, before), (year, after) in pairwise(history):
        if before < threshold <= after:
            return year
    return None


def _peer(graph: nx.MultiDiGraph, firm: str, history: list[tuple[int, float]], year: int) -> Peer:
    before = [(y, r) for y, r in history if y < year]
    at = next(r for y, r in history if y == year)
    growth = cagr(before[0][1], at, year - before[0][0]) if before else None
    filed = [p for p in _patents_by_year(graph, firm) if p.year < year]
    return Peer(
        firm,
        str(graph.nodes[firm].get("name") or firm),
        year,
        before[-1][1],
        round(growth, 6) if growth is not None else None,
        sum(p.patents for p in filed),
        sum(p.inventions for p in filed),
        _partners(graph, firm),
        sum(1 for _ in out_targets(graph, firm, RelType.UNDERTOOK)),
    )


def diagnose(graph: nx.MultiDiGraph, dated: Dated, plan: Plan, firm: str) -> GrowthDiagnosis:
    """The diagnosis of ``firm`` (an Enterprise id); NotFoundError when it is not one."""
    if firm not in graph or graph.nodes[firm].get("label") != NodeLabel.ENTERPRISE:
        raise NotFoundError(f"no enterprise {firm!r}")
    threshold = plan.little_giant_revenue
    history = _history(dated, firm)
    if not history and isinstance(graph.nodes[firm].get("revenue"), int | float):
        year = graph.nodes[firm].get("revenueYear")
        history = [
            (int(year) if isinstance(year, int) else plan.baseline_year, float(graph.nodes[firm]["revenue"]))
        ]
    revenue = [YearRevenue(y, r, growth_stage(r, plan)) for y, r in history]
    growth = cagr(history[0][1], history[-1][1], history[-1][0] - history[0][0]) if len(history) > 1 else None
    latest = history[-1][1] if history else None
    gap = threshold - latest if latest is not None else None
    years = None
    if latest is not None and 0 < latest < threshold and growth is not None and growth > 0:
        years = round(math.log(threshold / latest) / math.log1p(growth), 2)
    elif latest is not None and latest >= threshold:
        years = 0.0
    names = {**sei_industries(graph), **plan_industries(graph)}
    industries = _industries(graph, firm, set(names))
    peers = []
    for other in dated.reports:
        if other == firm or other not in graph or graph.nodes[other].get("label") != NodeLabel.ENTERPRISE:
            continue
        other_history = _history(dated, other)
        crossed = _crossing(other_history, threshold)
        if crossed is not None and industries & _industries(graph, other, set(names)):
            peers.append(_peer(graph, other, other_history, crossed))
    peers.sort(key=lambda p: (-p.patents, p.crossed_in, p.id))
    stage = revenue[-1].stage if revenue else growth_stage(None, plan)
    return GrowthDiagnosis(
        firm,
        str(graph.nodes[firm].get("name") or firm),
        sorted(names[i].name for i in industries),
        revenue,
        _patents_by_year(graph, firm),
        stage,
        threshold,
        round(gap, 2) if gap is not None else None,
        round(growth, 6) if growth is not None else None,
        years,
        peers[:MAX_PEERS],
        stage_support(stage),
    )
