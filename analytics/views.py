"""The ecosystem seen by strategic emerging industry and by park."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from analytics.clusters import ClusterAnalysis
from analytics.industries import dominant, firm_industry_profiles, sei_industries
from analytics.portfolio import (
    display_name,
    firm_patents,
    is_invention,
    nodes_with_label,
    number,
    out_targets,
)
from graph.model import NodeLabel, RelType

UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class GroupView:
    """Firms grouped by one key (an SEI industry or a park) and what they add up to."""

    id: str
    code: str
    name: str
    firms: int
    tech_smes: int
    revenue: float
    employees: int
    patents: int
    inventions: int
    clusters: dict[str, int]  # cluster id → firms of this group in it
    top_industry: str | None = None
    #: The firms summed, so a caller can apply disclosure control to the sums (api.disclosure).
    members: tuple[str, ...] = ()


def _group(
    graph: nx.MultiDiGraph,
    key: str,
    code: str,
    name: str,
    members: list[str],
    analysis: ClusterAnalysis | None,
    top_industry: str | None = None,
) -> GroupView:
    patents = firm_patents(graph, members)
    distinct = {p for ps in patents.values() for p in ps}
    clusters = Counter(analysis.assignment[f] for f in members if analysis and f in analysis.assignment)
    return GroupView(
        id=key,
        code=code,
        name=name,
        firms=len(members),
        tech_smes=sum(1 for f in members if graph.nodes[f].get("techSme") is True),
        revenue=float(sum(number(graph.nodes[f], "revenue") or 0.0 for f in members)),
        employees=int(sum(number(graph.nodes[f], "employees") or 0 for f in members)),
        patents=len(distinct),
        inventions=sum(is_invention(graph.nodes[p]) for p in distinct),
        clusters=dict(sorted(clusters.items(), key=lambda i: (-i[1], i[0]))),
        top_industry=top_industry,
        members=tuple(members),
    )


def by_industry(graph: nx.MultiDiGraph, analysis: ClusterAnalysis | None = None) -> list[GroupView]:
    """Firms grouped by their dominant SEI industry (unclassified last), largest first."""
    sei = sei_industries(graph)
    groups: dict[str, list[str]] = defaultdict(list)
    for firm, profile in firm_industry_profiles(graph).items():
        groups[dominant(profile) or UNCLASSIFIED].append(firm)
    views = []
    for key, members in groups.items():
        industry = sei.get(key)
        views.append(
            _group(
                graph,
                key,
                industry.code if industry else "",
                industry.name if industry else "未分类",
                sorted(members),
                analysis,
            )
        )
    return sorted(views, key=lambda v: (v.id == UNCLASSIFIED, -v.firms, v.code, v.id))


def by_park(graph: nx.MultiDiGraph, analysis: ClusterAnalysis | None = None) -> list[GroupView]:
    """Firms grouped by the park they are LOCATED_IN (firms outside parks under "none")."""
    sei = sei_industries(graph)
    profiles = firm_industry_profiles(graph)
    groups: dict[str, list[str]] = defaultdict(list)
    for firm in nodes_with_label(graph, NodeLabel.ENTERPRISE):
        parks = sorted(out_targets(graph, firm, RelType.LOCATED_IN))
        for park in parks or ["none"]:
            groups[park].append(firm)
    views = []
    for key, members in groups.items():
        weight: Counter[str] = Counter()
        for firm in members:
            top = dominant(profiles[firm])
            if top:
                weight[top] += 1
        top_id = dominant(weight)
        name = display_name(graph, key) if key != "none" else "园区外"
        code = str(graph.nodes[key].get("regionCode") or "") if key != "none" else ""
        views.append(
            _group(
                graph, key, code, name, sorted(members), analysis, sei[top_id].name if top_id in sei else None
            )
        )
    return sorted(views, key=lambda v: (v.id == "none", -v.firms, v.id))
