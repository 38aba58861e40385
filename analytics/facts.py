"""What the plan monitor counts, read once from a projection: firms, their flags and places."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from analytics.industries import classified_strategic
from analytics.metrics import cagr
from analytics.portfolio import firm_patents, is_invention, number, out_targets
from graph.model import NodeLabel, RelType

#: Levels the plan calls "city level or above" (市级以上).
CITY_LEVEL_OR_ABOVE = frozenset({"国家级", "市级", "省级", "national", "city", "provincial"})


@dataclass
class Facts:
    firms: list[str]
    attrs: dict[str, dict[str, Any]]
    tech_smes: list[str]
    in_park: set[str]
    strategic: set[str]
    inventions: dict[str, int]
    patents: dict[str, int]
    incubators: list[dict[str, Any]] = field(default_factory=list)
    productivity_centres: int = 0
    parks: list[dict[str, Any]] = field(default_factory=list)
    alliances: list[dict[str, Any]] = field(default_factory=list)
    #: Members of the yearly little-giant list (科技小巨人企业名单) as of the year, when one is
    #: loaded: the recognition itself, which the little-giant count then reads.
    little_giant_list: set[str] | None = None

    @functools.cached_property
    def firm_set(self) -> frozenset[str]:
        """``firms`` as a set, made once (``firms`` is not changed after the facts are made)."""
        return frozenset(self.firms)

    @functools.cached_property
    def high_tech_flagged(self) -> set[str]:
        """The firms whose snapshot flag says high-tech (a missing flag reads as False): read
        once, not once per year of the series. ``attrs`` is not changed after the facts are made."""
        return {f for f, a in self.attrs.items() if a.get("highTech") is True}

    def revenue(self, firm: str) -> float | None:
        return number(self.attrs[firm], "revenue")

    @functools.cached_property
    def tech_sme_revenues(self) -> list[float | None]:
        """:meth:`revenue` of each tech SME, in ``tech_smes`` order: read once for the four
        indicators that add or count them (×10: 8,000 SMEs × 6 years × 4 was 200,000 calls)."""
        return [self.revenue(f) for f in self.tech_smes]

    def revenue_history(self, firm: str) -> list[tuple[int, float]]:
        """(year, revenue) pairs known for ``firm``, by year (the snapshot's revenue series)."""
        attrs = self.attrs[firm]
        years = list(attrs.get("revenueYears") or [])
        values = list(attrs.get("revenueSeries") or [])
        return sorted((int(y), float(v)) for y, v in zip(years, values, strict=False))

    def growth(self, firm: str) -> float | None:
        """Revenue CAGR between the first and last year of the firm's history."""
        pairs = self.revenue_history(firm)
        if len(pairs) < 2 or pairs[-1][0] == pairs[0][0]:
            return None
        return cagr(pairs[0][1], pairs[-1][1], pairs[-1][0] - pairs[0][0])


def gather_facts(graph: nx.MultiDiGraph, *, with_patents: bool = True, share_attrs: bool = False) -> Facts:
    """The counts behind every indicator, from ``analytics.projection.analysis_projection``.

    ``with_patents = False`` skips the per-firm patent counts, which no indicator reads (only the
    little-giant candidates do): the monitor series leaves them out. ``share_attrs = True`` lets
    ``attrs`` hold the projection's own node dicts instead of copies — for a projection made for
    these facts alone (the series'), which nothing else reads: copying 47,000 firms' properties
    was the largest single cost of the series' facts at ×10. Nothing here writes to them.
    """
    by_label = _ids_by_label(graph)
    firms = by_label.get(NodeLabel.ENTERPRISE, [])
    node_attrs = graph._node  # the raw dict: no view lookup per firm (×10: 47,000 firms)
    attrs = {f: node_attrs[f] for f in firms} if share_attrs else {f: dict(node_attrs[f]) for f in firms}
    patents = firm_patents(graph, firms) if with_patents else {f: [] for f in firms}
    in_park = {f for f in firms if any(out_targets(graph, f, RelType.LOCATED_IN))}
    return Facts(
        firms=firms,
        attrs=attrs,
        tech_smes=[f for f in firms if attrs[f].get("techSme") is True],
        in_park=in_park,
        strategic=classified_strategic(graph, firms),
        inventions={f: sum(is_invention(graph.nodes[p]) for p in patents[f]) for f in firms},
        patents={f: len(patents[f]) for f in firms},
        incubators=[dict(node_attrs[n]) for n in by_label.get(NodeLabel.INCUBATOR, [])],
        productivity_centres=len(by_label.get(NodeLabel.PRODUCTIVITY_CENTER, [])),
        parks=[dict(node_attrs[n]) for n in by_label.get(NodeLabel.PARK, [])],
        alliances=[dict(node_attrs[n]) for n in by_label.get(NodeLabel.ALLIANCE, [])],
    )


def _ids_by_label(graph: nx.MultiDiGraph) -> dict[Any, list[str]]:
    """label → its node ids, sorted (``nodes_with_label`` for every label in one pass)."""
    out: dict[Any, list[str]] = {}
    for node, attrs in graph._node.items():
        out.setdefault(attrs.get("label"), []).append(node)
    for ids in out.values():
        ids.sort()
    return out
