"""Industry clusters: communities of the firm network, labelled and measured.

:func:`analyse_clusters` runs the whole analysis on a projection: the firm network
(:mod:`analytics.firm_network`), communities (:mod:`analytics.communities`), each community's
dominant strategic emerging industry and technology terms (:mod:`analytics.industries`), its
size, growth and location quotient (:mod:`analytics.metrics`) and its key players, brokers,
knowledge ties and gaps (:mod:`analytics.roles`).
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx

from analytics.communities import detect_communities, modularity
from analytics.firm_network import TieWeights, firm_network
from analytics.industries import (
    Industry,
    dominant,
    firm_industry_profiles,
    firm_plan_industries,
    plan_industries,
    sei_industries,
)
from analytics.metrics import count_growth, invention_share, location_quotient, panel_growth, strong_clusters
from analytics.plan import Plan, load_plan
from analytics.portfolio import (
    display_name,
    firm_parks,
    firm_patents,
    ipc_main_group,
    is_invention,
    nodes_with_label,
    number,
    out_targets,
    patent_ipc_codes,
)
from analytics.roles import (
    betweenness,
    brokers,
    core_ipc_areas,
    isolated_firms,
    key_players,
    knowledge_ties,
    local_knowledge_areas,
)
from graph.collector import collector_paused
from graph.model import NodeLabel, RelType

MIN_TERM_SHARE = 0.05


@dataclass(frozen=True)
class ClusterOptions:
    method: str = "louvain"
    seed: int = 42
    resolution: float = 1.0
    min_size: int = 3
    top_k: int = 15
    min_weight: float = 0.05
    weights: TieWeights = field(default_factory=TieWeights)


@dataclass(frozen=True)
class Named:
    id: str
    name: str
    value: float


@dataclass(frozen=True)
class Term:
    term: str
    name: str
    share: float


@dataclass(frozen=True)
class IpcArea:
    code: str
    share: float
    local_holders: list[str]


@dataclass(frozen=True)
class ClusterMetrics:
    firms: int
    tech_smes: int
    revenue: float
    employees: int
    rd_staff: int
    patents: int
    inventions: int
    invention_share: float | None
    revenue_growth: float | None
    revenue_first_year: int | None
    revenue_last_year: int | None
    revenue_by_year: dict[int, float]
    patent_growth: float | None
    patents_by_year: dict[int, int]
    location_quotient: float | None
    strong: bool


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str
    members: list[str]
    industry: Industry | None
    industry_share: float
    plan_industry: Industry | None
    terms: list[Term]
    metrics: ClusterMetrics
    key_players: list[Named]
    brokers: list[Named]
    knowledge_partners: list[Named]
    core_ipc: list[IpcArea]
    gaps: list[str]
    isolated_firms: list[str]
    parks: list[Named]


@dataclass(frozen=True)
class _Draft:
    id: str
    members: list[str]
    industry: Industry | None
    share: float
    patents: list[str]
    metrics: ClusterMetrics
    label_id: str | None


@dataclass
class ClusterAnalysis:
    clusters: list[Cluster]
    network: nx.Graph
    assignment: dict[str, str]  # firm → cluster id
    unclustered: list[str]
    modularity: float | None
    options: ClusterOptions
    reference: str
    reference_illustrative: bool
    names: dict[str, str] = field(default_factory=dict)  # node id → display name

    def cluster(self, cluster_id: str) -> Cluster | None:
        return next((c for c in self.clusters if c.id == cluster_id), None)


def _ipc_names(graph: nx.MultiDiGraph) -> dict[str, str]:
    """IPC code → its name, from the projection's IPC nodes."""
    return {
        str(a.get("code")): str(a.get("name") or "")
        for _, a in graph.nodes(data=True)
        if a.get("label") == NodeLabel.IPC
    }


def _terms(
    graph: nx.MultiDiGraph,
    patents: list[str],
    overall: Counter[str],
    total: int,
    ipc_names: Mapping[str, str],
    top: int = 8,
) -> list[Term]:
    """Technology terms: patents' keywords, or else IPC main groups, ranked by count × rarity."""
    keywords: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    for patent in patents:
        keywords.update({str(k) for k in graph.nodes[patent].get("keywords") or []})
        groups.update({ipc_main_group(c) for c in patent_ipc_codes(graph, patent)})
    counts, use_keywords = (keywords, True) if keywords else (groups, False)
    if not patents or not counts:
        return []
    scored = sorted(
        counts.items(),
        key=lambda item: (
            -item[1] * math.log(1 + total / max(overall[("k:" if use_keywords else "g:") + item[0]], 1)),
            item[0],
        ),
    )
    # A term on under 5% of the cluster's patents is noise from a few firms, not what it does.
    return [
        Term(t, ipc_names.get(t, "") if not use_keywords else t, round(n / len(patents), 6))
        for t, n in scored
        if n / len(patents) >= MIN_TERM_SHARE
    ][:top]


def analyse_clusters(
    graph: nx.MultiDiGraph, *, options: ClusterOptions | None = None, plan: Plan | None = None
) -> ClusterAnalysis:
    """Find, label and measure the industry clusters of a graph projection.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        ``analytics.projection.analysis_projection(store)`` or a hand-built equivalent.
    options : ClusterOptions
        Community method (``"louvain"`` or ``"leiden"``), ``seed``, ``resolution``, minimum
        cluster size and the network's tie weights.
    plan : Plan
        Supplies the reference region for location quotients and what counts as local.

    Returns
    -------
    ClusterAnalysis
        Clusters largest first, ids ``C1``, ``C2``, … in that order.

    Examples
    --------
    >>> analysis = analyse_clusters(nx.MultiDiGraph())
    >>> analysis.clusters
    []

    References
    ----------
    Delgado, Porter & Stern (2016), "Defining clusters of related industries", *J. Econ. Geogr.*;
    Blondel et al. (2008) (Louvain); Traag et al. (2019) (Leiden).
    """
    # The analysis builds the firm network, Louvain's working graphs and the clusters' figures
    # beside a projection of millions of objects; with the cyclic collector on, each of its
    # full collections rescanned all of them: half the CPU of a cold analysis at ×10
    # (docs/benchmarks/clusters.md). Reference counting still frees the temporaries as it goes.
    with collector_paused():
        return _analyse(graph, options or ClusterOptions(), plan or load_plan())


def _analyse(graph: nx.MultiDiGraph, opts: ClusterOptions, plan: Plan) -> ClusterAnalysis:
    firms = nodes_with_label(graph, NodeLabel.ENTERPRISE)
    # Read once and handed to each step that walks them (three walks of every firm's patents before).
    patents = firm_patents(graph, firms)
    places = firm_parks(graph, firms)
    network = firm_network(
        graph,
        weights=opts.weights,
        top_k=opts.top_k,
        min_weight=opts.min_weight,
        patents=patents,
        places=places,
    )
    communities = detect_communities(
        network, method=opts.method, seed=opts.seed, resolution=opts.resolution, min_size=opts.min_size
    )
    sei = sei_industries(graph)
    plan_inds = plan_industries(graph, sei)
    firm_plan = firm_plan_industries(graph, firms, plan_inds)
    profiles = firm_industry_profiles(graph, firms, patents=patents, sei=sei)
    firm_sei = {f: dominant(p) for f, p in profiles.items()}
    between = betweenness(network, seed=opts.seed)
    local_areas = local_knowledge_areas(graph, prefixes=plan.local_region_prefixes, cities=plan.local_cities)
    district_employees = sum(number(graph.nodes[f], "employees") or 0.0 for f in firms)
    overall: Counter[str] = Counter()
    all_patents = nodes_with_label(graph, NodeLabel.PATENT)
    for patent in all_patents:
        overall.update({"k:" + str(k) for k in graph.nodes[patent].get("keywords") or []})
        overall.update({"g:" + ipc_main_group(c) for c in patent_ipc_codes(graph, patent)})

    drafts: list[_Draft] = []
    for rank, members_set in enumerate(communities, start=1):
        members = sorted(str(m) for m in members_set)
        cid = f"C{rank}"
        weight: dict[str, float] = defaultdict(float)
        for firm in members:
            total = sum(profiles[firm].values())
            for code, w in profiles[firm].items():
                weight[code] += w / total  # each firm has one vote, split by its evidence
        label_id = dominant(weight)
        industry = sei.get(label_id) if label_id else None
        share = round(weight[label_id] / len(members), 6) if label_id else 0.0
        cluster_patents = sorted({p for f in members for p in patents[f]})
        metrics = _metrics(graph, members, cluster_patents, industry, district_employees, plan)
        drafts.append(_Draft(cid, members, industry, share, cluster_patents, metrics, label_id))

    strong = strong_clusters(
        {d.id: d.metrics.location_quotient for d in drafts},
        {d.id: float(d.metrics.employees) for d in drafts},
    )
    # Once for all clusters, not per cluster: each pass walks every node or firm of the graph.
    ipc_names = _ipc_names(graph)
    by_industry: dict[str, list[str]] = defaultdict(list)
    for firm in firms:  # sorted, so each industry's firms stay in firm order
        label = firm_sei[firm]
        if label:
            by_industry[label].append(firm)
    clusters = []
    for draft in drafts:
        cid, members, industry, share = draft.id, draft.members, draft.industry, draft.share
        cluster_patents, metrics, label_id = draft.patents, draft.metrics, draft.label_id
        same_industry = by_industry.get(label_id, []) if label_id else []
        core = core_ipc_areas(graph, cluster_patents)
        ties = knowledge_ties(graph, members)
        park_counts = Counter(p for f in members for p in places[f])
        plan_industry = _plan_industry(graph, members, firm_plan, plan_inds, label_id)
        label_names = [x.name for x in (plan_industry, industry) if x is not None]
        name = " · ".join(dict.fromkeys(label_names)) or "未分类 (unclassified)"
        clusters.append(
            Cluster(
                id=cid,
                name=f"{cid} {name}",
                members=members,
                industry=industry,
                industry_share=share,
                plan_industry=plan_industry,
                terms=_terms(graph, cluster_patents, overall, len(all_patents), ipc_names),
                metrics=dataclasses.replace(metrics, strong=cid in strong),
                key_players=[
                    Named(c.firm, display_name(graph, c.firm), c.eigenvector)
                    for c in key_players(network, members)
                ],
                brokers=[Named(f, display_name(graph, f), s) for f, s in brokers(between, members)],
                knowledge_partners=[
                    Named(o, display_name(graph, o), float(n))
                    for o, n in sorted(ties.items(), key=lambda i: (-i[1], i[0]))[:10]
                ],
                core_ipc=[IpcArea(code, s, sorted(local_areas.get(code, set()))) for code, s in core],
                gaps=[code for code, _ in core if not local_areas.get(code)],
                isolated_firms=isolated_firms(network, members, same_industry),
                parks=[
                    Named(p, display_name(graph, p), float(n))
                    for p, n in sorted(park_counts.items(), key=lambda i: (-i[1], i[0]))[:10]
                ],
            )
        )
    assignment = {m: c.id for c in clusters for m in c.members}
    quality = None
    if clusters and network.number_of_edges():
        parts = [c.members for c in clusters] + [[f] for f in firms if f not in assignment]
        quality = round(modularity(network, parts, weight="weight"), 6)
    names = {n: display_name(graph, n) for n in firms}
    return ClusterAnalysis(
        clusters=clusters,
        network=network,
        assignment=assignment,
        unclustered=[f for f in firms if f not in assignment],
        modularity=quality,
        options=opts,
        reference=plan.reference.name,
        reference_illustrative=plan.reference.illustrative,
        names=names,
    )


def _plan_industry(
    graph: nx.MultiDiGraph,
    members: list[str],
    firm_plan: dict[str, list[str]],
    plan_inds: dict[str, Industry],
    sei_label: str | None,
) -> Industry | None:
    """The plan industry most members are registered in; else the one plan industry that covers
    the cluster's SEI label (None when several do, e.g. 电子核心产业 is in both LED and IT)."""
    votes: dict[str, float] = defaultdict(float)
    for firm in members:
        for ind in firm_plan.get(firm, []):
            votes[ind] += 1.0 / len(firm_plan[firm])
    top = dominant(votes)
    if top is not None:
        return plan_inds[top]
    covering = [p for p in plan_inds if sei_label in set(out_targets(graph, p, RelType.SUBCLASS_OF))]
    return plan_inds[covering[0]] if len(covering) == 1 else None


def _metrics(
    graph: nx.MultiDiGraph,
    members: list[str],
    cluster_patents: list[str],
    industry: Industry | None,
    district_employees: float,
    plan: Plan,
) -> ClusterMetrics:
    attrs = [graph.nodes[f] for f in members]
    employees = int(sum(number(a, "employees") or 0 for a in attrs))
    series = [(list(a.get("revenueYears") or []), list(a.get("revenueSeries") or [])) for a in attrs]
    growth, first, last = panel_growth(series)
    by_year: Counter[int] = Counter()
    for patent in cluster_patents:
        year = graph.nodes[patent].get("applicationYear")
        if isinstance(year, int):
            by_year[year] += 1
    inventions = [is_invention(graph.nodes[p]) for p in cluster_patents]
    revenue_by_year: dict[int, float] = {}
    for years, values in series:
        for y, v in zip(years, values, strict=False):
            revenue_by_year[int(y)] = revenue_by_year.get(int(y), 0.0) + float(v)
    ref = plan.reference
    lq = None
    if industry is not None and industry.category in ref.categories:
        lq = location_quotient(employees, district_employees, ref.categories[industry.category], ref.total)
    share = invention_share(inventions)
    patent_growth = count_growth(by_year)
    return ClusterMetrics(
        firms=len(members),
        tech_smes=sum(1 for a in attrs if a.get("techSme") is True),
        revenue=float(sum(number(a, "revenue") or 0.0 for a in attrs)),
        employees=employees,
        rd_staff=int(sum(number(a, "rdStaff") or 0 for a in attrs)),
        patents=len(cluster_patents),
        inventions=sum(inventions),
        invention_share=round(share, 6) if share is not None else None,
        revenue_growth=growth,
        revenue_first_year=first,
        revenue_last_year=last,
        revenue_by_year=dict(sorted(revenue_by_year.items())),
        patent_growth=round(patent_growth, 6) if patent_growth is not None else None,
        patents_by_year=dict(sorted(by_year.items())),
        location_quotient=round(lq, 6) if lq is not None else None,
        strong=False,  # decided across all clusters (quartiles) by analyse_clusters
    )
