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
from analytics.projection import analysis_projection, cluster_projection
from analytics.roadmap import Roadmap, build_roadmap, strategic_industries
from analytics.roles import key_players
from analytics.timeline import (
    SERIES_INPUT_LABELS,
    SERIES_INPUT_RELS,
    Dated,
    MonitorSeries,
    monitor_as_of,
    narrow_series_facts,
    needs_patent_evidence,
    read_dated,
    series_projection,
    with_patent_evidence,
)
from analytics.timeline import monitor_series as series_of
from analytics.views import GroupView, by_industry, by_park
from graph.collector import collector_paused
from graph.stamps import inputs_version
from graph.store import GraphStore


@dataclass(frozen=True)
class Views:
    industries: list[GroupView]
    parks: list[GroupView]


def projection(store: GraphStore) -> nx.MultiDiGraph:
    return cached(store, "projection", lambda: analysis_projection(store), pinned=True)


def clusters_projection(store: GraphStore) -> nx.MultiDiGraph:
    """The clusters' own, narrower projection: the default partition is computed in the
    background after every write (``api/warmup.py``), and it need not wait for the properties
    only the monitor and roadmap read."""
    return cached(store, "clusters-projection", lambda: cluster_projection(store), pinned=True)


@functools.cache
def cached_plan() -> Plan:
    """The packaged plan, read once per process."""
    return load_plan()


def clusters(store: GraphStore, options: ClusterOptions | None = None) -> ClusterAnalysis:
    opts = options or ClusterOptions()
    return cached(
        store,
        ("clusters", opts),
        lambda: analyse_clusters(clusters_projection(store), options=opts, plan=cached_plan()),
        pinned=opts == ClusterOptions(),  # the default partition: what readers and the page use
    )


def views(store: GraphStore, options: ClusterOptions | None = None) -> Views:
    opts = options or ClusterOptions()

    def compute() -> Views:
        graph, analysis = clusters_projection(store), clusters(store, opts)
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


def series_inputs_version(store: GraphStore) -> int:
    """The version of what the series reads (``graph.stamps``): a write that touches no list,
    report, firm or other indicator input (a demand, a patent) leaves it — and the series — as
    it was."""
    return inputs_version(store, SERIES_INPUT_LABELS, SERIES_INPUT_RELS)


def series_graph(store: GraphStore) -> nx.MultiDiGraph:
    """The small projection the series reads (incubators, parks, centres, alliances, industry
    tree), once per version of the series' inputs."""
    version = series_inputs_version(store)
    return cached(store, "series_graph", lambda: series_projection(store), version=version, carry=False)


def dated(store: GraphStore) -> Dated:
    """The graph's yearly lists and annual reports, read once per version of the series' inputs."""
    version = series_inputs_version(store)
    return cached(
        store, "dated", lambda: read_dated(store, series_graph(store)), version=version, carry=False
    )


def _narrow_facts(store: GraphStore) -> Facts:
    version = series_inputs_version(store)
    return cached(
        store,
        "series_facts_narrow",
        lambda: narrow_series_facts(store, series_graph(store)),
        version=version,
        carry=False,
    )


def _reads_patents(store: GraphStore, version: int | None = None) -> bool:
    """Whether the series needs patent evidence (no firm has a strategic industry of its own):
    then it reads the whole analysis projection and is kept per store version only. Known from
    the inputs alone, and kept (a bool) as long as they are. ``version``: the series' inputs
    version when the caller has read it already."""
    version = series_inputs_version(store) if version is None else version
    return cached(
        store,
        "series_reads_patents",
        lambda: needs_patent_evidence(_narrow_facts(store)),
        pinned=True,
        version=version,
        carry=False,
    )


def series_facts(store: GraphStore) -> Facts:
    """The undated facts the series reads (no per-firm patent counts)."""
    if not _reads_patents(store):
        return _narrow_facts(store)
    return cached(
        store, "series_facts", lambda: with_patent_evidence(store, _narrow_facts(store)), carry=False
    )


def monitor_series(store: GraphStore) -> MonitorSeries:
    """Every indicator for every list year, with its projection to the target year: computed once
    per version of its inputs (:func:`series_inputs_version`), kept across writes to anything
    else — or once per store version when it reads patents (:func:`_reads_patents`)."""
    # Paused for the whole cold path (the undated facts are read by _reads_patents already): at ×10
    # it keeps ~170,000 new containers, see graph.collector. A cache hit pauses it for a lookup.
    with collector_paused():
        inputs = series_inputs_version(store)  # one stamp read for a cache hit (Neo4j: a round trip)
        wide = _reads_patents(store, inputs)
        version = store.version() if wide else inputs
        return cached(
            store,
            ("monitor_series", wide),
            lambda: series_of(store, series_graph(store), cached_plan(), dated(store), series_facts(store)),
            pinned=True,  # small, and what the monitor page opens: not evicted by other analyses
            version=version,
            carry=False,
        )


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
    # Pinned (a short list), so that it is saved with the analyses (analytics.saved): the picker
    # must not read the whole projection in an API process at a province's size.
    return cached(store, "roadmap_industries", lambda: strategic_industries(projection(store)), pinned=True)


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


def series_key(store: GraphStore) -> tuple[tuple[str, bool], int, bool]:
    """The cache key of :func:`monitor_series`, the version it is kept by, and True: the cache is
    given that version (``cached(version=…)``), the store's when the series reads patents, so its
    file is named as an inputs version's — what ``innograph analyses`` names its file by."""
    inputs = series_inputs_version(store)
    wide = _reads_patents(store, inputs)
    return ("monitor_series", wide), (store.version() if wide else inputs), True
