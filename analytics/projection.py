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


def analysis_projection(store: GraphStore) -> nx.MultiDiGraph:
    """Firms, their patents, technology codes, industries, partners and places."""
    return store.projection(labels=ANALYSIS_LABELS, rel_types=ANALYSIS_RELS)
