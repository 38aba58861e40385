"""Industry technology roadmap and foresight (产业技术路线图, 技术预见) for one strategic industry.

Computed from what the graph holds (``docs/PLAN_OVER_TIME.md``, *Roadmaps*):

1. The industry's patents: patents whose IPC codes map (CNIPA's IPC→SEI concordance, or a
   patent's own IN_INDUSTRY edge) to the industry's SEI codes; for a plan industry
   (``DONGLI:AERO``) the SEI industries it is a SUBCLASS_OF. ``industry = "*"`` takes every patent.
2. Filings by IPC main group and application year.
3. Growth of each main group: filings in the recent window (``window`` years ending ``lag``
   years before the last year with data — the latest year is incomplete because applications are
   published up to 18 months after filing) against the window before it, as
   (recent + 1) / (prior + 1); only groups with at least ``min_volume`` recent filings qualify.
4. Leaders: local organisations (firms, universities, institutes) with the most filings in a
   group. *Local* = regionCode starting with the plan's region prefixes, or a city / a name that
   contains one of the plan's cities (天津); an organisation without any of these is not local.
5. Gaps: fast-growing groups where the local share of filings is below half the local share of
   the industry as a whole (or zero).
6. For each gap, local universities and institutes with patents in the same IPC subclass
   anywhere in the graph: the strengths the district could draw on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Final

import networkx as nx

from analytics.industries import (
    Industry,
    _patent_sei,
    _sei_of_industry,
    ipc_concordance,
    plan_industries,
    sei_industries,
)
from analytics.plan import Plan
from analytics.portfolio import (
    display_name,
    in_sources,
    ipc_main_group,
    ipc_subclass,
    nodes_with_label,
    patent_ipc_codes,
)
from analytics.roles import KNOWLEDGE_LABELS
from graph.errors import NotFoundError
from graph.model import ORGANIZATION_LABELS, NodeLabel, RelType

ALL: Final = "*"
WINDOW: Final = 3
LAG: Final = 1
MIN_VOLUME: Final = 5
TOP_AREAS: Final = 10
TOP_LEADERS: Final = 3
GAP_FACTOR: Final = 0.5


@dataclass(frozen=True)
class Leader:
    id: str
    name: str
    label: str
    patents: int


@dataclass(frozen=True)
class Area:
    group: str  # IPC main group, e.g. B64D27/00
    name: str
    total: int
    recent: int
    prior: int
    growth: float  # (recent + 1) / (prior + 1)
    by_year: dict[int, int]
    local: int
    local_share: float
    leaders: list[Leader]  # local
    gap: bool
    strengths: list[Leader]  # local universities / institutes in the same subclass (gaps only)


@dataclass(frozen=True)
class Roadmap:
    industry: str
    name: str
    patents: int
    local_patents: int
    local_share: float
    years: list[int]
    recent: tuple[int, int]
    prior: tuple[int, int]
    method: str
    groups: list[Area]  # the largest groups, filings by year
    growing: list[Area]  # fastest-growing with the minimum volume
    leaders: list[Leader]  # local leaders in the industry overall
    gaps: list[Area]


def is_local_org(attrs: dict[str, Any], *, prefixes: Collection[str], cities: Collection[str]) -> bool:
    """Strict locality for the roadmap (an organisation with no location is *not* local).

    >>> is_local_org({"name": "中国民航大学", "city": "天津"}, prefixes=["12"], cities=["天津"])
    True
    >>> is_local_org({"name": "AIRBUS SAS"}, prefixes=["12"], cities=["天津"])
    False
    """
    region = str(attrs.get("regionCode") or "")
    place = f"{attrs.get('city') or ''} {attrs.get('name') or ''} {attrs.get('address') or ''}"
    return any(region.startswith(p) for p in prefixes) or any(c and c in place for c in cities)


def _industry(graph: nx.MultiDiGraph, code: str) -> tuple[str, set[str] | None]:
    """(name, SEI node ids) of ``code``; None for every patent."""
    if code == ALL:
        return "全部专利", None
    sei = sei_industries(graph)
    for node, ind in {**plan_industries(graph), **sei}.items():
        if code in (ind.code, node, node.removeprefix("industry:")):
            targets = {node} if node in sei else set(_sei_of_industry(graph, node, sei))
            return ind.name, targets
    known = sorted({i.code for i in plan_industries(graph).values()})
    raise NotFoundError(f"no strategic industry {code!r}; plan industries: {', '.join(known) or 'none'}")


def strategic_industries(graph: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """(code, name) of the plan's strategic industries in the graph, by code."""
    # The node id names the plan industry unambiguously (industry:DONGLI:AERO → DONGLI:AERO).
    return sorted((node.removeprefix("industry:"), ind.name) for node, ind in plan_industries(graph).items())


def industry_patents(graph: nx.MultiDiGraph, code: str) -> tuple[str, list[str]]:
    name, targets = _industry(graph, code)
    patents = nodes_with_label(graph, NodeLabel.PATENT)
    if targets is None:
        return name, patents
    sei: dict[str, Industry] = sei_industries(graph)
    table = ipc_concordance(graph, sei)
    return name, [p for p in patents if targets & set(_patent_sei(graph, p, sei, table))]


def _year(attrs: dict[str, Any]) -> int | None:
    year = attrs.get("applicationYear") or attrs.get("year")
    return year if isinstance(year, int) else None


def build_roadmap(
    graph: nx.MultiDiGraph,
    plan: Plan,
    industry: str,
    *,
    window: int = WINDOW,
    lag: int = LAG,
    min_volume: int = MIN_VOLUME,
) -> Roadmap:
    name, patents = industry_patents(graph, industry)
    prefixes, cities = plan.local_region_prefixes, plan.local_cities
    local_cache: dict[str, bool] = {}

    def local(org: str) -> bool:
        if org not in local_cache:
            attrs = graph.nodes[org]
            local_cache[org] = attrs.get("label") in ORGANIZATION_LABELS and is_local_org(
                attrs, prefixes=prefixes, cities=cities
            )
        return local_cache[org]

    by_group: dict[str, Counter[int]] = defaultdict(Counter)
    group_orgs: dict[str, Counter[str]] = defaultdict(Counter)
    local_in_group: Counter[str] = Counter()
    overall_local: Counter[str] = Counter()
    years: set[int] = set()
    local_patents = 0
    for patent in patents:
        attrs = graph.nodes[patent]
        year = _year(attrs)
        groups = {ipc_main_group(c) for c in patent_ipc_codes(graph, patent)}
        applicants = [
            o
            for o in in_sources(graph, patent, RelType.APPLIED_FOR)
            if graph.nodes[o].get("label") in ORGANIZATION_LABELS
        ]
        local_orgs = [o for o in applicants if local(o)]
        local_patents += bool(local_orgs)
        overall_local.update(local_orgs)
        if year is not None:
            years.add(year)
        for group in groups:
            if year is not None:
                by_group[group][year] += 1
            group_orgs[group].update(local_orgs)
            local_in_group[group] += bool(local_orgs)
    share = local_patents / len(patents) if patents else 0.0
    last = max(years) - lag if years else 0
    recent = (last - window + 1, last)
    prior = (last - 2 * window + 1, last - window)

    def in_range(counts: Counter[int], span: tuple[int, int]) -> int:
        return sum(n for y, n in counts.items() if span[0] <= y <= span[1])

    ipc_names = {
        str(a.get("code")): str(a.get("name") or "")
        for _, a in graph.nodes(data=True)
        if a.get("label") == NodeLabel.IPC and a.get("code")
    }
    strengths_by_subclass = _local_strengths(graph, local)

    def area(group: str) -> Area:
        counts = by_group[group]
        total = sum(counts.values())
        r, p = in_range(counts, recent), in_range(counts, prior)
        local_share = local_in_group[group] / total if total else 0.0
        growth = round((r + 1) / (p + 1), 4)
        leaders = [
            Leader(o, display_name(graph, o), str(graph.nodes[o].get("label")), n)
            for o, n in sorted(group_orgs[group].items(), key=lambda x: (-x[1], x[0]))[:TOP_LEADERS]
        ]
        gap = local_share < GAP_FACTOR * share or local_in_group[group] == 0
        return Area(
            group,
            ipc_names.get(group, ""),
            total,
            r,
            p,
            growth,
            dict(sorted(counts.items())),
            local_in_group[group],
            round(local_share, 4),
            leaders,
            gap,
            strengths_by_subclass.get(ipc_subclass(group), [])[:TOP_LEADERS] if gap else [],
        )

    areas = {g: area(g) for g in by_group}
    largest = sorted(areas.values(), key=lambda a: (-a.total, a.group))[:TOP_AREAS]
    growing = sorted(
        (a for a in areas.values() if a.recent >= min_volume and a.growth > 1.0),
        key=lambda a: (-a.growth, -a.recent, a.group),
    )[:TOP_AREAS]
    leaders = [
        Leader(o, display_name(graph, o), str(graph.nodes[o].get("label")), n)
        for o, n in sorted(overall_local.items(), key=lambda x: (-x[1], x[0]))[:TOP_AREAS]
    ]
    method = (
        f"growth = (filings {recent[0]}–{recent[1]} + 1) / (filings {prior[0]}–{prior[1]} + 1) per IPC main "
        f"group, ≥ {min_volume} recent filings; the last {lag} year(s) left out (publication lag); "
        f"gap = local share < {GAP_FACTOR:g} × the industry's local share ({share:.1%}) or no local filing"
    )
    return Roadmap(
        industry,
        name,
        len(patents),
        local_patents,
        round(share, 4),
        sorted(years),
        recent,
        prior,
        method,
        largest,
        growing,
        leaders,
        [a for a in growing if a.gap],
    )


def _local_strengths(graph: nx.MultiDiGraph, local: Any) -> dict[str, list[Leader]]:
    """IPC subclass → local universities and institutes by their patents in it (whole graph)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for org, attrs in graph.nodes(data=True):
        if attrs.get("label") not in KNOWLEDGE_LABELS or not local(org):
            continue
        for _, patent, key in graph.out_edges(org, keys=True):
            if key == RelType.APPLIED_FOR:
                for sub in {ipc_subclass(c) for c in patent_ipc_codes(graph, patent)}:
                    counts[sub][org] += 1
    return {
        sub: [
            Leader(o, display_name(graph, o), str(graph.nodes[o].get("label")), n)
            for o, n in sorted(c.items(), key=lambda x: (-x[1], x[0]))
        ]
        for sub, c in counts.items()
    }
