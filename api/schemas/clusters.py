"""Industry clusters and the groups by industry and park, as ``/api/v1/clusters`` returns them.

Shapes documented in ``docs/CLUSTERS.md``. Sums over firms pass through a
:class:`~api.disclosure.Disclosure`: readers see only those the disclosure rule publishes.
"""

from __future__ import annotations

from pydantic import Field

from analytics.clusters import Cluster, ClusterAnalysis, Named
from analytics.industries import Industry
from analytics.views import GroupView
from api.disclosure import Disclosure
from api.schemas.base import ApiModel


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
    nodes: list[NetworkNode] = Field(description="firms of the strongest ties first, up to max_nodes")
    edges: list[NetworkEdge] = Field(
        description="strongest first, only between the firms sent, up to max_edges"
    )
    truncated: bool = Field(description="true when some firms or edges were left out")
    total_nodes: int = Field(description="firms in the whole network")
    total_edges: int = Field(description="edges in the whole network")


def _named(items: list[Named]) -> list[NamedValue]:
    return [NamedValue(id=n.id, name=n.name, value=n.value) for n in items]


def _industry(industry: Industry | None) -> IndustryPublic | None:
    if industry is None:
        return None
    return IndustryPublic(code=industry.code, name=industry.name, category=industry.category)


def cluster_summary(cluster: Cluster, *, shown: Disclosure) -> ClusterSummary:
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


def cluster_detail(
    cluster: Cluster, analysis: ClusterAnalysis, *, centrality: dict[str, float], shown: Disclosure
) -> ClusterDetail:
    """``centrality``: each member's eigenvector centrality in the cluster (members without one: 0)."""
    return ClusterDetail(
        **dict(cluster_summary(cluster, shown=shown)),
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


def group_public(view: GroupView, *, shown: Disclosure) -> GroupPublic:
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
