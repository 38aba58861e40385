"""Industry clusters and the plan monitor: ``/api/v1/clusters``, ``/api/v1/monitor``.

Response shapes are documented in ``docs/CLUSTERS.md`` and kept stable for the web page.
Results are computed once per store version (``analytics.service``), so repeated calls are
cheap. Readers see sums over firms (a cluster's revenue) only for the default partition and only
where ``api.disclosure`` allows them; one firm's revenue, growth and revenue-derived projections
(in the little-giant candidates) are shown only to analysts and above, as in ``/entities``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from analytics import service
from analytics.cache import cached
from analytics.clusters import Cluster, ClusterAnalysis, ClusterOptions, Named
from analytics.industries import Industry
from analytics.monitor import MonitorReport, ReasonCode
from analytics.plan import IndicatorKind
from analytics.roles import key_players
from analytics.views import GroupView
from api.costly import Admission
from api.dependencies import StoreDep
from api.disclosure import READER_OPTIONS, DisclosureRule, Figure, publishable
from api.security import PrincipalDep
from graph.errors import NotFoundError
from graph.store import GraphStore

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
        description="yuan, latest year, summed over the cluster's firms; withheld (null) from readers "
        "unless the disclosure rule allows it (docs/SECURITY.md: ≥ 3 reporting firms, none over half)"
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
    revenue: float | None = Field(description="withheld from readers unless the disclosure rule allows it")
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
    years_to_threshold: float | None = Field(description="revenue-derived; analysts and above only")
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


def _rule(request: Request) -> DisclosureRule:
    rule: DisclosureRule | None = getattr(request.app.state, "disclosure", None)
    return rule or DisclosureRule()


@dataclass(frozen=True)
class Disclosure:
    """What one caller may see of sums over firms: everything (analysts) or the sums of the
    default partition and groups that ``api.disclosure.publishable`` lets through."""

    financials: bool
    published: frozenset[tuple[frozenset[str], Figure]] = frozenset()

    def allows(self, members: Sequence[str], figure: Figure) -> bool:
        return self.financials or (frozenset(members), figure) in self.published

    def by_year(self, members: Sequence[str], totals: dict[int, float]) -> dict[int, float]:
        return {y: v for y, v in totals.items() if self.allows(members, y)}


def published_sums(store: GraphStore, rule: DisclosureRule) -> frozenset[tuple[frozenset[str], Figure]]:
    """Every sum readers can ask for (default clusters, industry and park groups), checked
    together so that no two of them can be differenced; once per store version."""

    def compute() -> frozenset[tuple[frozenset[str], Figure]]:
        analysis = service.clusters(store, READER_OPTIONS)
        views = service.views(store, READER_OPTIONS)
        groups: list[Sequence[str]] = [c.members for c in analysis.clusters]
        groups += [v.members for v in (*views.industries, *views.parks)]
        return publishable(service.projection(store), groups, rule)

    return cached(store, ("disclosure", rule), compute, pinned=True)


def _admission(request: Request) -> Admission:
    admission: Admission | None = getattr(request.app.state, "admission", None)
    return admission or Admission()


AdmissionDep = Annotated[Admission, Depends(_admission)]


def _clusters(admission: Admission, store: GraphStore, options: ClusterOptions) -> ClusterAnalysis:
    return admission.run(store, ("clusters", options), lambda: service.clusters(store, options))


def _views(admission: Admission, store: GraphStore, options: ClusterOptions) -> service.Views:
    return admission.run(store, ("views", options), lambda: service.views(store, options))


def _disclosure(
    request: Request, store: StoreDep, principal: PrincipalDep, admission: AdmissionDep
) -> Disclosure:
    if principal.sees_financials:
        return Disclosure(True)
    rule = _rule(request)
    return Disclosure(False, admission.run(store, ("disclosure", rule), lambda: published_sums(store, rule)))


DisclosureDep = Annotated[Disclosure, Depends(_disclosure)]


def _summary(cluster: Cluster, *, shown: Disclosure) -> ClusterSummary:
    m = cluster.metrics
    members = cluster.members
    revenue = shown.allows(members, "revenue")
    employees = shown.allows(members, "employees")
    by_year = shown.by_year(members, m.revenue_by_year)
    growth_shown = revenue and m.revenue_first_year in by_year and m.revenue_last_year in by_year
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
            revenue=m.revenue if revenue else None,
            employees=m.employees if employees else None,
            rd_staff=m.rd_staff if shown.allows(members, "rdStaff") else None,
            patents=m.patents,
            inventions=m.inventions,
            invention_share=m.invention_share,
            revenue_growth=m.revenue_growth if growth_shown else None,
            revenue_first_year=m.revenue_first_year,
            revenue_last_year=m.revenue_last_year,
            patent_growth=m.patent_growth,
            # The quotient is the cluster's employees over public reference shares: it would
            # give the withheld employee sum back by multiplication.
            location_quotient=m.location_quotient if employees else None,
            strong=m.strong,
        ),
    )


def _detail(cluster: Cluster, analysis: ClusterAnalysis, *, shown: Disclosure) -> ClusterDetail:
    centrality = {n.id: n.value for n in cluster.key_players}
    for c in key_players(analysis.network, cluster.members, top=len(cluster.members)):
        centrality[c.firm] = c.eigenvector
    return ClusterDetail(
        **dict(_summary(cluster, shown=shown)),
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
        revenue_by_year=shown.by_year(cluster.members, cluster.metrics.revenue_by_year),
        patents_by_year=cluster.metrics.patents_by_year,
    )


def _group(view: GroupView, *, shown: Disclosure) -> GroupPublic:
    return GroupPublic(
        id=view.id,
        code=view.code,
        name=view.name,
        firms=view.firms,
        tech_smes=view.tech_smes,
        revenue=view.revenue if shown.allows(view.members, "revenue") else None,
        employees=view.employees if shown.allows(view.members, "employees") else None,
        patents=view.patents,
        inventions=view.inventions,
        clusters=view.clusters,
        top_industry=view.top_industry,
    )


def _options(
    principal: PrincipalDep,
    method: MethodQuery = "louvain",
    seed: SeedQuery = READER_OPTIONS.seed,
    resolution: ResolutionQuery = READER_OPTIONS.resolution,
) -> ClusterOptions:
    """The partition asked for. Readers get only the default one (see api.disclosure: choosing
    partitions lets sums be differenced, and each new one costs seconds of computation)."""
    options = ClusterOptions(method=method, seed=seed, resolution=resolution)
    if not principal.sees_financials and options != READER_OPTIONS:
        raise HTTPException(
            403,
            f"only analysts and above may choose the partition; readers see method "
            f"{READER_OPTIONS.method}, seed {READER_OPTIONS.seed}, resolution {READER_OPTIONS.resolution:g}",
        )
    return options


OptionsDep = Annotated[ClusterOptions, Depends(_options)]


@router.get("/api/v1/clusters", summary="Industry clusters of the firm network, labelled and measured")
def list_clusters(
    store: StoreDep, options: OptionsDep, shown: DisclosureDep, admission: AdmissionDep
) -> ClusterList:
    analysis = _clusters(admission, store, options)
    return ClusterList(
        store_version=store.version(),
        method=options.method,
        seed=options.seed,
        resolution=options.resolution,
        modularity=analysis.modularity,
        reference_region=analysis.reference,
        reference_illustrative=analysis.reference_illustrative,
        firms=analysis.network.number_of_nodes(),
        clustered_firms=len(analysis.assignment),
        clusters=[_summary(c, shown=shown) for c in analysis.clusters],
    )


@router.get("/api/v1/clusters/by-industry", summary="Firms by strategic emerging industry (SEI 2018)")
def clusters_by_industry(
    store: StoreDep,
    options: OptionsDep,
    shown: DisclosureDep,
    admission: AdmissionDep,
) -> list[GroupPublic]:
    views = _views(admission, store, options)
    return [_group(v, shown=shown) for v in views.industries]


@router.get("/api/v1/clusters/by-park", summary="Firms by park (园区), with their clusters")
def clusters_by_park(
    store: StoreDep,
    options: OptionsDep,
    shown: DisclosureDep,
    admission: AdmissionDep,
) -> list[GroupPublic]:
    views = _views(admission, store, options)
    return [_group(v, shown=shown) for v in views.parks]


@router.get(
    "/api/v1/clusters/network", summary="The firm network (nodes with their cluster, strongest edges)"
)
def cluster_network(
    store: StoreDep,
    options: OptionsDep,
    admission: AdmissionDep,
    max_edges: Annotated[int, Query(ge=1, le=20_000)] = 3000,
) -> ClusterNetwork:
    analysis = _clusters(admission, store, options)
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
    cluster_id: Annotated[str, Path(max_length=20, description="C1, C2, … (largest first)")],
    options: OptionsDep,
    shown: DisclosureDep,
    admission: AdmissionDep,
) -> ClusterDetail:
    analysis = _clusters(admission, store, options)
    cluster = analysis.cluster(cluster_id)
    if cluster is None:
        known = ", ".join(c.id for c in analysis.clusters[:10]) or "none"
        raise NotFoundError(
            f"no cluster {cluster_id!r} at store version {store.version()}; clusters: {known}"
        )
    return _detail(cluster, analysis, shown=shown)


#: What readers (who may not see one firm's revenue) read instead of a reason's figures.
PUBLIC_REASONS: dict[str, str] = {
    "near_threshold": "营业收入接近1亿元门槛",
    "fast_growth": "营业收入快速增长",
    "reaches_threshold": "按现有增速有望达到1亿元门槛",
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
                years_to_threshold=c.years_to_threshold if financials else None,
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
