"""Industry clusters and the plan monitor: ``/api/v1/clusters``, ``/api/v1/monitor``.

Response shapes are documented in ``docs/CLUSTERS.md`` and kept stable for the web page.
Results are computed once per store version (``analytics.service``), so repeated calls are
cheap. Readers see sums over firms (a cluster's revenue) only for the default partition and only
where ``api.disclosure`` allows them; one firm's revenue, growth and revenue-derived projections
(in the little-giant candidates) are shown only to analysts and above, as in ``/entities``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from analytics import service
from analytics.clusters import ClusterAnalysis, ClusterOptions
from api.costly import Admission
from api.dependencies import StoreDep
from api.disclosure import READER_OPTIONS, Disclosure, DisclosureRule, published_sums
from api.schemas import (
    ClusterDetail,
    ClusterList,
    ClusterNetwork,
    GroupPublic,
    MonitorPublic,
    NetworkEdge,
    NetworkNode,
    cluster_detail,
    cluster_summary,
    group_public,
    monitor_public,
)
from api.security import PrincipalDep
from graph.errors import NotFoundError
from graph.store import GraphStore

router = APIRouter(tags=["clusters"])

Method = Literal["louvain", "leiden"]
MethodQuery = Annotated[Method, Query(description="community detection: igraph Louvain or leidenalg Leiden")]
ResolutionQuery = Annotated[float, Query(ge=0.1, le=5.0, description="above 1: smaller clusters")]
SeedQuery = Annotated[int, Query(ge=0, le=2**31 - 1, description="random seed; same seed, same clusters")]


def _rule(request: Request) -> DisclosureRule:
    rule: DisclosureRule | None = getattr(request.app.state, "disclosure", None)
    return rule or DisclosureRule()


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
        clusters=[cluster_summary(c, shown=shown) for c in analysis.clusters],
    )


@router.get("/api/v1/clusters/by-industry", summary="Firms by strategic emerging industry (SEI 2018)")
def clusters_by_industry(
    store: StoreDep,
    options: OptionsDep,
    shown: DisclosureDep,
    admission: AdmissionDep,
) -> list[GroupPublic]:
    views = _views(admission, store, options)
    return [group_public(v, shown=shown) for v in views.industries]


@router.get("/api/v1/clusters/by-park", summary="Firms by park (园区), with their clusters")
def clusters_by_park(
    store: StoreDep,
    options: OptionsDep,
    shown: DisclosureDep,
    admission: AdmissionDep,
) -> list[GroupPublic]:
    views = _views(admission, store, options)
    return [group_public(v, shown=shown) for v in views.parks]


@router.get(
    "/api/v1/clusters/network", summary="The firm network (nodes with their cluster, strongest edges)"
)
def cluster_network(
    store: StoreDep,
    options: OptionsDep,
    admission: AdmissionDep,
    max_edges: Annotated[int, Query(ge=1, le=20_000)] = 3000,
    max_nodes: Annotated[int, Query(ge=1, le=50_000)] = 2000,
) -> ClusterNetwork:
    analysis = _clusters(admission, store, options)
    edges = sorted(
        ((u, v, float(d["weight"])) for u, v, d in analysis.network.edges(data=True)),
        key=lambda e: (-e[2], min(e[0], e[1]), max(e[0], e[1])),
    )
    # A province has tens of thousands of firms and the page draws a few hundred: send the
    # firms of the strongest ties first (then the rest in id order) up to max_nodes, and only
    # the edges between firms sent, so the payload stays bounded whatever the graph's size.
    kept: dict[str, None] = {}
    for u, v, _ in edges:
        if len(kept) >= max_nodes:
            break
        for n in sorted((u, v)):
            if len(kept) < max_nodes:
                kept.setdefault(n)
    for n in sorted(analysis.network.nodes):
        if len(kept) >= max_nodes:
            break
        kept.setdefault(n)
    shown = [(u, v, w) for u, v, w in edges if u in kept and v in kept][:max_edges]
    return ClusterNetwork(
        store_version=store.version(),
        nodes=[
            NetworkNode(id=n, name=analysis.names.get(n, n), cluster=analysis.assignment.get(n))
            for n in sorted(kept)
        ],
        edges=[NetworkEdge(source=min(u, v), target=max(u, v), weight=round(w, 6)) for u, v, w in shown],
        truncated=len(shown) < len(edges) or len(kept) < analysis.network.number_of_nodes(),
        total_nodes=analysis.network.number_of_nodes(),
        total_edges=len(edges),
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
    centrality = service.cluster_centrality(store, options, cluster.id)
    return cluster_detail(cluster, analysis, centrality=centrality, shown=shown)


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
