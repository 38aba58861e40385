"""The part of the graph the cluster analysis and the plan monitor read, in one projection."""

from __future__ import annotations

import networkx as nx

from graph.collector import collector_paused
from graph.model import NodeLabel, RelType
from graph.store import GraphStore

ANALYSIS_LABELS = (
    NodeLabel.ENTERPRISE,
    NodeLabel.UNIVERSITY,
    NodeLabel.RESEARCH_INSTITUTE,
    NodeLabel.INCUBATOR,
    NodeLabel.PRODUCTIVITY_CENTER,
    NodeLabel.PARK,
    NodeLabel.ALLIANCE,
    NodeLabel.PATENT,
    NodeLabel.IPC,
    NodeLabel.INDUSTRY,
    NodeLabel.PERSON,
    NodeLabel.PROJECT,
)
ANALYSIS_RELS = (
    RelType.APPLIED_FOR,
    RelType.CLASSIFIED_AS,
    RelType.IN_INDUSTRY,
    RelType.SUBCLASS_OF,
    RelType.LOCATED_IN,
    RelType.INCUBATED_BY,
    RelType.MEMBER_OF,
    RelType.AFFILIATED_WITH,
    RelType.UNDERTOOK,
    RelType.TRANSFERRED_TO,
)

#: The node properties the cluster analysis and its views read (``analytics.clusters``, ``roles``,
#: ``industries``, ``portfolio``, ``views``): names and codes, firms' size and revenue panel,
#: patents' codes, keywords, kind and year, organisations' region. A projection narrowed to these
#: gives the same clusters (``tests/analytics/test_fast_clusters.py``): :func:`cluster_projection`
#: reads only these. :func:`analysis_projection` also serves the monitor, the roadmap and the growth
#: diagnosis, which read more, so it still reads every property.
CLUSTER_PROPERTIES = frozenset(
    {
        "name",
        "title",
        "code",
        "scheme",
        "employees",
        "revenue",
        "rdStaff",
        "techSme",
        "revenueYears",
        "revenueSeries",
        "ipcCodes",
        "keywords",
        "kind",
        "applicationYear",
        "regionCode",
        "city",
    }
)


def analysis_projection(store: GraphStore) -> nx.MultiDiGraph:
    """Firms, their patents, technology codes, industries, partners and places."""
    return store.projection(labels=ANALYSIS_LABELS, rel_types=ANALYSIS_RELS)


def cluster_projection(store: GraphStore) -> nx.MultiDiGraph:
    """:func:`analysis_projection` narrowed to :data:`CLUSTER_PROPERTIES`: what the cluster
    analysis and its views read. On Neo4j at ×100 the whole analysis projection took 647 s to
    read (docs/benchmarks/scale.md); the provenance lists and texts it carried are most of it,
    on its nodes and on its relationships (of which the analysis reads none)."""
    # The projection is a long-lived result of ~2 objects per node and edge (kept pinned in the
    # cache): with the cyclic collector on, every allocation threshold they crossed started a
    # collection that rescanned them all — 40 % of the client's work folding the pages into
    # the graph at ×10 on Neo4j (docs/benchmarks/clusters.md). Reference counting still frees
    # the pages as they are folded in.
    with collector_paused():
        return store.projection(
            labels=ANALYSIS_LABELS, rel_types=ANALYSIS_RELS, properties=CLUSTER_PROPERTIES, rel_properties=()
        )
