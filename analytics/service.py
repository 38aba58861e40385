"""The analyses the API, the CLI and the report ask for, computed once per store version."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import networkx as nx

from analytics.cache import cached
from analytics.clusters import ClusterAnalysis, ClusterOptions, analyse_clusters
from analytics.diagnosis import GrowthDiagnosis, diagnose
from analytics.facts import Facts
from analytics.monitor import MonitorReport
from analytics.plan import Plan, load_plan
from analytics.projection import analysis_projection
from analytics.roadmap import Roadmap, build_roadmap, strategic_industries
from analytics.roles import key_players
from analytics.timeline import Dated, MonitorSeries, monitor_as_of, read_dated, series_projection
from analytics.timeline import monitor_series as series_of
from analytics.timeline import series_facts as narrow_series_facts
from analytics.views import GroupView, by_industry, by_park
from graph.store import GraphStore


@dataclass(frozen=True)
class Views:
    industries: list[GroupView]
    parks: list[GroupView]


def projection(store: GraphStore) -> nx.MultiDiGraph:
    return cached(store, "projection", lambda: analysis_projection(store), pinned=True)


@functools.cache
def cached_plan() -> Plan:
    """The packaged plan, read once per process."""
    return load_plan()


def clusters(store: GraphStore, options: ClusterOptions | None = None) -> ClusterAnalysis:
    opts = options or ClusterOptions()
    return cached(
        store,
        ("clusters", opts),
        lambda: analyse_clusters(projection(store), options=opts, plan=cached_plan()),
        pinned=opts == ClusterOptions(),  # the default partition: what readers and the page use
    )


def views(store: GraphStore, options: ClusterOptions | None = None) -> Views:
    opts = options or ClusterOptions()

    def compute() -> Views:
        graph, analysis = projection(store), clusters(store, opts)
        return Views(by_industry(graph, analysis), by_park(graph, analysis))

    return cached(store, ("views", opts), compute, pinned=opts == ClusterOptions())


def monitor(store: GraphStore, year: int | None = None) -> MonitorReport:
    """The monitor as of ``year`` (default: the latest yearly tech-SME list; the undated
    snapshot when no yearly list is loaded)."""
    return cached(
        store,
        ("monitor", year),
        lambda: monitor_as_of(store, projection(store), cached_plan(), year, dated(store)),
        pinned=year is None,  # the monitor every reader opens stays cached (api.costly)
    )


def series_graph(store: GraphStore) -> nx.MultiDiGraph:
    """The narrow projection the series and the dated facts read (no patents, people or
    projects), once per store version: the first series after a write need not wait for the
    whole analysis projection."""
    return cached(store, "series_graph", lambda: series_projection(store))


def dated(store: GraphStore) -> Dated:
    """The graph's yearly lists and annual reports, read once per store version."""
    return cached(store, "dated", lambda: read_dated(store, series_graph(store)))


def monitor_series(store: GraphStore) -> MonitorSeries:
    """Every indicator for every list year, with its projection to the target year."""
    return cached(
        store,
        "monitor_series",
        lambda: series_of(store, series_graph(store), cached_plan(), dated(store), series_facts(store)),
    )


def series_facts(store: GraphStore) -> Facts:
    """The undated facts the series reads (no per-firm patent counts), once per store version."""
    return cached(store, "series_facts", lambda: narrow_series_facts(store, series_graph(store)))


def growth_diagnosis(store: GraphStore, firm: str) -> GrowthDiagnosis:
    """企业成长诊断 for one enterprise (NotFoundError when it is not one)."""
    return cached(
        store, ("growth", firm), lambda: diagnose(projection(store), dated(store), cached_plan(), firm)
    )


def roadmap(store: GraphStore, industry: str) -> Roadmap:
    """产业技术路线图 for one strategic industry (code such as ``DONGLI:AERO`` or SEI ``2.2``)."""
    return cached(
        store, ("roadmap", industry), lambda: build_roadmap(projection(store), cached_plan(), industry)
    )


def roadmap_industries(store: GraphStore) -> list[tuple[str, str]]:
    """(code, name) of the plan's strategic industries the graph holds, for the roadmap picker."""
    return cached(store, "roadmap_industries", lambda: strategic_industries(projection(store)))


def cluster_centrality(store: GraphStore, options: ClusterOptions, cluster_id: str) -> dict[str, float]:
    """Each member's eigenvector centrality in cluster ``cluster_id`` of the partition ``options``
    (the cluster page's member list), once per store version: the eigenproblem of a large
    cluster takes longer than the rest of the page. Empty for an unknown cluster."""

    def compute() -> dict[str, float]:
        analysis = clusters(store, options)
        cluster = analysis.cluster(cluster_id)
        if cluster is None:
            return {}
        centrality = {n.id: n.value for n in cluster.key_players}
        for c in key_players(analysis.network, cluster.members, top=len(cluster.members)):
            centrality[c.firm] = c.eigenvector
        return centrality

    return cached(store, ("centrality", options, cluster_id), compute)
