"""Industry clusters and the plan monitor: ``/api/v1/clusters``, ``/api/v1/monitor``.

Response shapes are documented in ``docs/CLUSTERS.md`` and kept stable for the web page.
Results are computed once per store version (``analytics.service``), so repeated calls are
cheap. Aggregates (a cluster's revenue) are public statistics; one firm's revenue and growth
(in the little-giant candidates) are shown only to analysts and above, as in ``/entities``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from analytics import service
from analytics.clusters import Cluster, ClusterAnalysis, ClusterOptions, Named
from analytics.industries import Industry
from analytics.monitor import MonitorReport, ReasonCode
from analytics.plan import IndicatorKind
from analytics.roles import key_players
from analytics.views import GroupView
from api.dependencies import StoreDep
from api.security import PrincipalDep
from graph.errors import NotFoundError

router = APIRouter(tags=["clusters"])

Method = Literal["louvain", "leiden"]
MethodQuery = Annotated[
    Method, Query(description="community detection: networkx Louvain or leidenalg Leiden")
]
ResolutionQuery = Annotated[float, Query(ge=0.1, le=5.0, description="above 1: smaller clusters")]
SeedQuery = Annotated[int, Query(ge=0, le=2**31 - 1, description="random seed; same seed, same clusters")]


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class IndustryPublic(ApiModel):
    code: str = Field(description="SEI 2018 code, e.g. 1.2 (plan industries: a key, e.g. LED)")
    name: str
    category: str = Field(description="first-level SEI category, e.g. 1 (plan industries: the key)")


class NamedValue(ApiModel):
    id: str
    name: str
    value: float


class TermPublic(ApiModel):
    term: str
    name: str
    share: float = Field(description="share of the cluster's patents with this term")


class IpcAreaPublic(ApiModel):
    code: str = Field(description="IPC subclass, e.g. H01L")
    share: float
    local_holders: list[str] = Field(
        description="local universities / institutes with patents or experts here"
    )


class ClusterMetricsPublic(ApiModel):
    firms: int
    tech_smes: int
    revenue: float | None = Field(
        description="yuan, latest year, summed over the cluster's firms; withheld from readers when "
        "fewer than 3 firms contribute (it would disclose one firm's figures)"
    )
    employees: int | None
    rd_staff: int | None
    patents: int
    inventions: int
    invention_share: float | None
    revenue_growth: float | None = Field(description="CAGR of the firms reporting both first and last year")
    revenue_first_year: int | None
    revenue_last_year: int | None
    patent_growth: float | None
    location_quotient: float | None
    strong: bool


class ClusterSummary(ApiModel):
    id: str
    name: str
    industry: IndustryPublic | None
    industry_share: float = Field(description="share of the firms' industry evidence behind the label")
    plan_industry: IndustryPublic | None = Field(
        description="the plan's strategic industry (e.g. 半导体照明)"
    )
    terms: list[TermPublic]
    metrics: ClusterMetricsPublic


class ClusterList(ApiModel):
    store_version: int
    method: str
    seed: int
    resolution: float
    modularity: float | None
    reference_region: str
    reference_illustrative: bool = Field(description="reference totals are placeholders, not statistics")
    firms: int
    clustered_firms: int
    clusters: list[ClusterSummary]


class ClusterDetail(ClusterSummary):
    members: list[NamedValue] = Field(description="firms; value = eigenvector centrality in the cluster")
    key_players: list[NamedValue]
    brokers: list[NamedValue] = Field(description="value = betweenness centrality on the firm network")
    knowledge_partners: list[NamedValue] = Field(description="universities and institutes; value = ties")
    core_ipc: list[IpcAreaPublic]
    gaps: list[str] = Field(description="core IPC subclasses with no local university or institute")
    isolated_firms: list[NamedValue] = Field(description="firms of this industry with no tie to the cluster")
    parks: list[NamedValue] = Field(description="parks of the members; value = firms")
    revenue_by_year: dict[int, float]
    patents_by_year: dict[int, int]


class GroupPublic(ApiModel):
    id: str
    code: str
    name: str
    firms: int
    tech_smes: int
    revenue: float | None = Field(description="withheld from readers when fewer than 3 firms contribute")
    employees: int | None
    patents: int
    inventions: int
    clusters: dict[str, int]
    top_industry: str | None


class NetworkNode(ApiModel):
    id: str
    name: str
    cluster: str | None


class NetworkEdge(ApiModel):
    source: str
    target: str
    weight: float


class ClusterNetwork(ApiModel):
    store_version: int
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    truncated: bool


class IndicatorPublic(ApiModel):
    id: str
    name: str
    name_en: str
    unit: str
    kind: IndicatorKind
    baseline: float | None
    target: float | None
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
    years_to_threshold: float | None
    inventions: int
    reasons: list[ReasonPublic]


class MonitorPublic(ApiModel):
    store_version: int
    plan: str
    plan_en: str
    baseline_year: int
    target_year: int
    year: int | None = Field(default=None, description="the year the current values are as of (yearly lists)")
    firms: int
    tech_smes: int
    indicators: list[IndicatorPublic]
    revenue_bands: list[BandPublic]
    stages: dict[str, int] = Field(description="tech SMEs per growth stage: 初创期 / 成长期 / 壮大期 / 未知")
    candidates: list[CandidatePublic]


def _named(items: list[Named]) -> list[NamedValue]:
    return [NamedValue(id=n.id, name=n.name, value=n.value) for n in items]


def _industry(industry: Industry | None) -> IndustryPublic | None:
    if industry is None:
        return None
    return IndustryPublic(code=industry.code, name=industry.name, category=industry.category)


#: Statistical disclosure control: an aggregate over fewer firms than this would reveal a
#: single firm's confidential figures, so readers below analyst get it withheld (null).
MIN_FIRMS_FOR_PUBLIC_AGGREGATE = 3


def _disclosed(firms: int, financials: bool) -> bool:
    return financials or firms >= MIN_FIRMS_FOR_PUBLIC_AGGREGATE


def _summary(cluster: Cluster, *, financials: bool) -> ClusterSummary:
    m = cluster.metrics
    shown = _disclosed(m.firms, financials)
    return ClusterSummary(
        id=cluster.id,
        name=cluster.name,
        industry=_industry(cluster.industry),
        industry_share=cluster.industry_share,
        plan_industry=_industry(cluster.plan_industry),
        terms=[TermPublic(term=t.term, name=t.name, share=t.share) for t in cluster.terms],
        metrics=ClusterMetricsPublic(
            firms=m.firms,
            tech_smes=m.tech_smes,
            revenue=m.revenue if shown else None,
            employees=m.employees if shown else None,
            rd_staff=m.rd_staff if shown else None,
            patents=m.patents,
            inventions=m.inventions,
            invention_share=m.invention_share,
            revenue_growth=m.revenue_growth if shown else None,
            revenue_first_year=m.revenue_first_year,
            revenue_last_year=m.revenue_last_year,
            patent_growth=m.patent_growth,
            location_quotient=m.location_quotient,
            strong=m.strong,
        ),
    )


def _detail(cluster: Cluster, analysis: ClusterAnalysis, *, financials: bool) -> ClusterDetail:
    centrality = {n.id: n.value for n in cluster.key_players}
    for c in key_players(analysis.network, cluster.members, top=len(cluster.members)):
        centrality[c.firm] = c.eigenvector
    return ClusterDetail(
        **dict(_summary(cluster, financials=financials)),
        members=[
            NamedValue(id=f, name=analysis.names.get(f, f), value=centrality.get(f, 0.0))
            for f in cluster.members
        ],
        key_players=_named(cluster.key_players),
        brokers=_named(cluster.brokers),
        knowledge_partners=_named(cluster.knowledge_partners),
        core_ipc=[
            IpcAreaPublic(code=a.code, share=a.share, local_holders=a.local_holders) for a in cluster.core_ipc
        ],
        gaps=cluster.gaps,
        isolated_firms=[
            NamedValue(id=f, name=analysis.names.get(f, f), value=0.0) for f in cluster.isolated_firms
        ],
        parks=_named(cluster.parks),
        revenue_by_year=cluster.metrics.revenue_by_year
        if _disclosed(cluster.metrics.firms, financials)
        else {},
        patents_by_year=cluster.metrics.patents_by_year,
    )


def _group(view: GroupView, *, financials: bool) -> GroupPublic:
    shown = _disclosed(view.firms, financials)
    return GroupPublic(
        id=view.id,
        code=view.code,
        name=view.name,
        firms=view.firms,
        tech_smes=view.tech_smes,
        revenue=view.revenue if shown else None,
        employees=view.employees if shown else None,
        patents=view.patents,
        inventions=view.inventions,
        clusters=view.clusters,
        top_industry=view.top_industry,
    )


def _options(method: Method, seed: int, resolution: float) -> ClusterOptions:
    return ClusterOptions(method=method, seed=seed, resolution=resolution)


@router.get("/api/v1/clusters", summary="Industry clusters of the firm network, labelled and measured")
def list_clusters(
    store: StoreDep,
    principal: PrincipalDep,
    method: MethodQuery = "louvain",
    seed: SeedQuery = 42,
    resolution: ResolutionQuery = 1.0,
) -> ClusterList:
    analysis = service.clusters(store, _options(method, seed, resolution))
    return ClusterList(
        store_version=store.version(),
        method=method,
        seed=seed,
        resolution=resolution,
        modularity=analysis.modularity,
        reference_region=analysis.reference,
        reference_illustrative=analysis.reference_illustrative,
        firms=analysis.network.number_of_nodes(),
        clustered_firms=len(analysis.assignment),
        clusters=[_summary(c, financials=principal.sees_financials) for c in analysis.clusters],
    )


@router.get("/api/v1/clusters/by-industry", summary="Firms by strategic emerging industry (SEI 2018)")
def clusters_by_industry(
    store: StoreDep,
    principal: PrincipalDep,
    method: MethodQuery = "louvain",
    seed: SeedQuery = 42,
    resolution: ResolutionQuery = 1.0,
) -> list[GroupPublic]:
    views = service.views(store, _options(method, seed, resolution))
    return [_group(v, financials=principal.sees_financials) for v in views.industries]


@router.get("/api/v1/clusters/by-park", summary="Firms by park (园区), with their clusters")
def clusters_by_park(
    store: StoreDep,
    principal: PrincipalDep,
    method: MethodQuery = "louvain",
    seed: SeedQuery = 42,
    resolution: ResolutionQuery = 1.0,
) -> list[GroupPublic]:
    views = service.views(store, _options(method, seed, resolution))
    return [_group(v, financials=principal.sees_financials) for v in views.parks]


@router.get(
    "/api/v1/clusters/network", summary="The firm network (nodes with their cluster, strongest edges)"
)
def cluster_network(
    store: StoreDep,
    method: MethodQuery = "louvain",
    seed: SeedQuery = 42,
    resolution: ResolutionQuery = 1.0,
    max_edges: Annotated[int, Query(ge=1, le=20_000)] = 3000,
) -> ClusterNetwork:
    analysis = service.clusters(store, _options(method, seed, resolution))
    edges = sorted(
        ((u, v, float(d["weight"])) for u, v, d in analysis.network.edges(data=True)),
        key=lambda e: (-e[2], min(e[0], e[1]), max(e[0], e[1])),
    )
    return ClusterNetwork(
        store_version=store.version(),
        nodes=[
            NetworkNode(id=n, name=analysis.names.get(n, n), cluster=analysis.assignment.get(n))
            for n in sorted(analysis.network.nodes)
        ],
        edges=[
            NetworkEdge(source=min(u, v), target=max(u, v), weight=round(w, 6))
            for u, v, w in edges[:max_edges]
        ],
        truncated=len(edges) > max_edges,
    )


@router.get("/api/v1/clusters/{cluster_id}", summary="One cluster: members, key players, brokers, gaps")
def get_cluster(
    store: StoreDep,
    principal: PrincipalDep,
    cluster_id: Annotated[str, Path(max_length=20, description="C1, C2, … (largest first)")],
    method: MethodQuery = "louvain",
    seed: SeedQuery = 42,
    resolution: ResolutionQuery = 1.0,
) -> ClusterDetail:
    analysis = service.clusters(store, _options(method, seed, resolution))
    cluster = analysis.cluster(cluster_id)
    if cluster is None:
        known = ", ".join(c.id for c in analysis.clusters[:10]) or "none"
        raise NotFoundError(
            f"no cluster {cluster_id!r} at store version {store.version()}; clusters: {known}"
        )
    return _detail(cluster, analysis, financials=principal.sees_financials)


#: What readers (who may not see one firm's revenue) read instead of a reason's figures.
PUBLIC_REASONS: dict[str, str] = {
    "near_threshold": "营业收入接近1亿元门槛",
    "fast_growth": "营业收入快速增长",
}


def monitor_public(report: MonitorReport, *, version: int, financials: bool) -> MonitorPublic:
    return MonitorPublic(
        store_version=version,
        plan=report.plan,
        plan_en=report.plan_en,
        baseline_year=report.baseline_year,
        target_year=report.target_year,
        year=report.year,
        firms=report.firms,
        tech_smes=report.tech_smes,
        indicators=[
            IndicatorPublic(
                id=i.id,
                name=i.name,
                name_en=i.name_en,
                unit=i.unit,
                kind=i.kind,
                baseline=i.baseline,
                target=i.target,
                current=i.current,
                gap=i.gap,
                met=i.met,
                progress=i.progress,
            )
            for i in report.indicators
        ],
        revenue_bands=[
            BandPublic(id=b.id, name=b.name, baseline=b.baseline, current=b.current)
            for b in report.revenue_bands
        ],
        stages=report.stages,
        candidates=[
            CandidatePublic(
                id=c.id,
                name=c.name,
                revenue=c.revenue if financials else None,
                growth=c.growth if financials else None,
                years_to_threshold=c.years_to_threshold,
                inventions=c.inventions,
                reasons=[
                    ReasonPublic(
                        code=r.code, text=r.text if financials else PUBLIC_REASONS.get(r.code, r.text)
                    )
                    for r in c.reasons
                ],
            )
            for c in report.candidates
        ],
    )


@router.get("/api/v1/monitor", summary="The plan's 2015 targets: baseline, current value and gap")
def get_monitor(
    store: StoreDep,
    principal: PrincipalDep,
    year: Annotated[
        int | None, Query(ge=1949, le=2100, description="as of this year (default: the latest list year)")
    ] = None,
) -> MonitorPublic:
    return monitor_public(
        service.monitor(store, year), version=store.version(), financials=principal.sees_financials
    )
