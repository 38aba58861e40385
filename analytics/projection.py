"""The part of the graph the cluster analysis and the plan monitor read, in one projection."""

from __future__ import annotations

import networkx as nx

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
#: gives the same clusters (``tests/analytics/test_fast_clusters.py``). FOR THE LEAD: once the store's
#: ``projection(properties=...)`` (issue #14, helper ``pages``) is merged, a clusters-only projection
#: can pass ``properties=CLUSTER_PROPERTIES``; :func:`analysis_projection` itself also serves the
#: monitor, the roadmap and the growth diagnosis, which read more, so it still reads every property.
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
