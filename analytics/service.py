"""The analyses the API, the CLI and the report ask for, computed once per store version."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import networkx as nx

from analytics.cache import cached
from analytics.clusters import ClusterAnalysis, ClusterOptions, analyse_clusters
from analytics.monitor import MonitorReport, monitor_plan
from analytics.plan import Plan, load_plan
from analytics.projection import analysis_projection
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


def monitor(store: GraphStore) -> MonitorReport:
    return cached(store, "monitor", lambda: monitor_plan(projection(store), plan=cached_plan()), pinned=True)
