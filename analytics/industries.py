"""Which strategic emerging industry (战略性新兴产业, SEI 2018) each firm works in.

Evidence, strongest first: the firm's own IN_INDUSTRY edges to SEI industry nodes (or to an
industry that is a SUBCLASS_OF one); then its patents, through the patent's IN_INDUSTRY edges
or CNIPA's IPC→SEI concordance (IPC nodes with IN_INDUSTRY edges to SEI industries, as the
reference-data loader writes them). When none of that reference data is in the graph every firm
is simply unclassified — nothing fails.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from analytics.portfolio import (
    firm_patents,
    ipc_main_group,
    ipc_subclass,
    nodes_with_label,
    out_targets,
    patent_ipc_codes,
)
from graph.model import NodeLabel, RelType

#: A firm's own industry classification outweighs what one patent says.
DIRECT_WEIGHT = 3.0


@dataclass(frozen=True)
class Industry:
    code: str  # SEI code, e.g. "1.2"
    name: str
    node_id: str | None = None

    @property
    def category(self) -> str:
        """The first-level SEI category: "1.2" → "1"."""
        return self.code.split(".")[0]


def _is_sei(attrs: dict[str, object], node_id: str) -> bool:
    scheme = str(attrs.get("scheme") or "").upper()
    return (
        scheme.startswith("SEI") or scheme == "战略性新兴产业" or node_id.lower().startswith("industry:sei")
    )


def sei_industries(graph: nx.MultiDiGraph) -> dict[str, Industry]:
    """SEI industry nodes of the projection, by node id."""
    found = {}
    for node in nodes_with_label(graph, NodeLabel.INDUSTRY):
        attrs = graph.nodes[node]
        if _is_sei(attrs, node):
            code = str(attrs.get("code") or node.split(":")[-1])
            found[node] = Industry(code, str(attrs.get("name") or code), node)
    return found


def _sei_of_industry(graph: nx.MultiDiGraph, node: str, sei: dict[str, Industry]) -> list[str]:
    """``node`` if it is SEI, else the SEI industries it is (transitively) a SUBCLASS_OF."""
    seen, frontier, hits = {node}, [node], []
    while frontier:
        current = frontier.pop()
        if current in sei:
            hits.append(current)
            continue
        for parent in out_targets(graph, current, RelType.SUBCLASS_OF):
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    return sorted(hits)


def ipc_concordance(graph: nx.MultiDiGraph, sei: dict[str, Industry]) -> dict[str, list[str]]:
    """IPC code → SEI industry node ids, from IPC nodes' IN_INDUSTRY edges."""
    table: dict[str, list[str]] = {}
    for ipc in nodes_with_label(graph, NodeLabel.IPC):
        targets = [t for t in out_targets(graph, ipc, RelType.IN_INDUSTRY) if t in sei]
        if targets:
            code = str(graph.nodes[ipc].get("code") or ipc.split(":", 1)[-1]).replace(" ", "").upper()
            table[code] = sorted(set(targets))
    return table


def _patent_sei(
    graph: nx.MultiDiGraph, patent: str, sei: dict[str, Industry], table: dict[str, list[str]]
) -> list[str]:
    direct = [t for t in out_targets(graph, patent, RelType.IN_INDUSTRY) if t in sei]
    if direct:
        return sorted(set(direct))
    hits: set[str] = set()
    for code in patent_ipc_codes(graph, patent):
        # The concordance lists subgroups, main groups and a few subclasses: most specific wins.
        for key in (code, ipc_main_group(code), ipc_subclass(code)):
            if key in table:
                hits.update(table[key])
                break
    return sorted(hits)


def firm_industry_profiles(
    graph: nx.MultiDiGraph,
    firms: Iterable[str] | None = None,
    *,
    patents: Mapping[str, list[str]] | None = None,
    sei: dict[str, Industry] | None = None,
) -> dict[str, dict[str, float]]:
    """Each firm's SEI evidence: industry node id → weight (own classification counts 3, each
    patent 1 split over the industries it maps to). Firms without evidence get an empty mapping.
    ``patents``, ``sei``: each firm's patents (``portfolio.firm_patents``) and the SEI industries
    (:func:`sei_industries`) when the caller has them (each is a walk of the whole projection).

    >>> profiles = firm_industry_profiles(nx.MultiDiGraph())
    >>> profiles
    {}
    """
    sei = sei if sei is not None else sei_industries(graph)
    firm_list = sorted(firms) if firms is not None else nodes_with_label(graph, NodeLabel.ENTERPRISE)
    profiles: dict[str, dict[str, float]] = {firm: defaultdict(float) for firm in firm_list}
    if not sei:
        return profiles
    table = ipc_concordance(graph, sei)
    patents = patents if patents is not None else firm_patents(graph, firm_list)
    patent_hits: dict[str, list[str]] = {}  # a co-applied patent says the same for each applicant
    for firm in firm_list:
        for industry in out_targets(graph, firm, RelType.IN_INDUSTRY):
            # A plan industry (e.g. 新一代信息技术) covers several SEI industries: split the vote.
            hits = _sei_of_industry(graph, industry, sei)
            for hit in hits:
                profiles[firm][hit] += DIRECT_WEIGHT / len(hits)
        for patent in patents[firm]:
            said = patent_hits.get(patent)
            if said is None:
                said = patent_hits[patent] = _patent_sei(graph, patent, sei, table)
            for hit in said:
                profiles[firm][hit] += 1.0 / len(said)
    return profiles


def dominant(profile: Mapping[str, float]) -> str | None:
    """The industry with the most weight (ties: smallest id), or None."""
    if not any(profile.values()):
        return None
    return min(profile.items(), key=lambda item: (-item[1], item[0]))[0]


def plan_industries(graph: nx.MultiDiGraph, sei: dict[str, Industry] | None = None) -> dict[str, Industry]:
    """The plan's own strategic industries (the Dongli plan's eight, ``scheme`` DONGLI): industry
    nodes that are not SEI but are a SUBCLASS_OF SEI industries, by node id (``sei``: the SEI
    industries, when the caller has them)."""
    sei = sei if sei is not None else sei_industries(graph)
    found = {}
    for node in nodes_with_label(graph, NodeLabel.INDUSTRY):
        if node in sei:
            continue
        if any(parent in sei for parent in out_targets(graph, node, RelType.SUBCLASS_OF)):
            attrs = graph.nodes[node]
            code = str(attrs.get("code") or node.split(":")[-1])
            found[node] = Industry(code, str(attrs.get("name") or code), node)
    return found


def firm_plan_industries(
    graph: nx.MultiDiGraph, firms: Iterable[str], plan: Mapping[str, Industry] | None = None
) -> dict[str, list[str]]:
    """Each firm's plan industries (direct IN_INDUSTRY edges), as node ids (``plan``: the plan
    industries, when the caller has them)."""
    plan = plan if plan is not None else plan_industries(graph)
    return {f: sorted(t for t in out_targets(graph, f, RelType.IN_INDUSTRY) if t in plan) for f in firms}


def classified_strategic(graph: nx.MultiDiGraph, firms: Iterable[str]) -> set[str]:
    """Firms the register classifies in a strategic emerging industry: a direct IN_INDUSTRY edge
    to an SEI or plan industry. When no firm in the graph has one, the patent evidence of
    :func:`firm_industry_profiles` decides instead (so the count still means something)."""
    firm_list = list(firms)
    sei, plan = sei_industries(graph), plan_industries(graph)
    direct = {
        f for f in firm_list if any(t in sei or t in plan for t in out_targets(graph, f, RelType.IN_INDUSTRY))
    }
    if direct:
        return direct
    return {f for f, p in firm_industry_profiles(graph, firm_list).items() if p}
