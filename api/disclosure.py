"""Statistical disclosure control for the aggregates readers see (cluster and group sums).

Two defences, both needed:

* **Fixed partitions.** Readers (anonymous and ``reader`` keys) see cluster figures only for the
  default partition (:data:`READER_OPTIONS`). If they could choose the seed, resolution or
  method, two clusters differing by one firm would give that firm's revenue by subtraction
  (issue #16: 7 such pairs from 6 seeds × 2 resolutions). Analysts see firms' figures anyway, so
  they may choose.
* **Threshold and dominance.** A sum is shown only when at least ``min_firms`` firms *report*
  the figure (have a value; members without one do not count) and no single firm contributes
  more than ``max_share`` of the total — the (n, k) dominance rule statistical offices use, so a
  large firm's figure cannot be estimated from the sum either.

Settings: ``INNOGRAPH_DISCLOSURE_MIN_FIRMS`` (default 3, never below 3) and
``INNOGRAPH_DISCLOSURE_MAX_SHARE`` (default 0.5, in (0, 1]).
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from analytics import service
from analytics.cache import cached
from analytics.clusters import ClusterOptions
from analytics.portfolio import number
from graph.errors import ConfigError
from graph.store import GraphStore

#: The one partition readers see: the server's defaults, computed at warm-up and cached.
READER_OPTIONS = ClusterOptions()

DEFAULT_MIN_FIRMS = 3
DEFAULT_MAX_SHARE = 0.5


@dataclass(frozen=True)
class DisclosureRule:
    min_firms: int = DEFAULT_MIN_FIRMS
    max_share: float = DEFAULT_MAX_SHARE

    def __post_init__(self) -> None:
        if self.min_firms < DEFAULT_MIN_FIRMS:
            raise ConfigError(
                f"the disclosure threshold must be at least 3 reporting firms, not {self.min_firms}"
            )
        if not (0 < self.max_share <= 1) or not math.isfinite(self.max_share):
            raise ConfigError(f"the dominance share must be in (0, 1], not {self.max_share}")

    @classmethod
    def from_env(cls) -> DisclosureRule:
        k_raw = os.environ.get("INNOGRAPH_DISCLOSURE_MIN_FIRMS", "").strip()
        share_raw = os.environ.get("INNOGRAPH_DISCLOSURE_MAX_SHARE", "").strip()
        try:
            k = int(k_raw) if k_raw else DEFAULT_MIN_FIRMS
            share = float(share_raw) if share_raw else DEFAULT_MAX_SHARE
        except ValueError:
            raise ConfigError(
                "INNOGRAPH_DISCLOSURE_MIN_FIRMS must be an integer and INNOGRAPH_DISCLOSURE_MAX_SHARE "
                f"a number, not {k_raw!r} / {share_raw!r}"
            ) from None
        return cls(k, share)

    def allows(self, values: Iterable[float | None]) -> bool:
        """May a sum over these firms' values (None: the firm does not report it) be published?"""
        reported = [abs(v) for v in values if v is not None]
        if len(reported) < self.min_firms:
            return False
        total = sum(reported)
        # All zeros: nothing dominates; the count rule alone decides.
        return total == 0 or max(reported) <= self.max_share * total


#: A figure summed over firms: a firm property, or a year of the revenue series.
Figure = str | int
FIRM_FIGURES: tuple[str, ...] = ("revenue", "employees", "rdStaff")


def firm_value(attrs: dict[str, object], figure: Figure) -> float | None:
    """One firm's value of ``figure`` (None when the firm does not report it)."""
    if isinstance(figure, str):
        return number(attrs, figure)
    years, series = attrs.get("revenueYears") or [], attrs.get("revenueSeries") or []
    if not isinstance(years, list) or not isinstance(series, list):
        return None
    for year, value in zip(years, series, strict=False):
        if year == figure and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def figures(graph: nx.MultiDiGraph, members: Iterable[str], figure: Figure) -> list[float | None]:
    return [firm_value(graph.nodes[f], figure) if f in graph else None for f in members]


def publishable(
    graph: nx.MultiDiGraph, groups: Iterable[Sequence[str]], rule: DisclosureRule
) -> frozenset[tuple[frozenset[str], Figure]]:
    """Which (firm set, figure) sums readers may see, among all the sums they can ask for.

    Primary suppression: the rule on each sum. Secondary suppression: when one published set
    contains another, their difference is a sum too, over the firms in one and not the other;
    if that difference fails the rule, the smaller sum is withheld as well (repeated until
    stable). Differences of more than two sums (linear combinations) are not searched — see
    docs/SECURITY.md, *What readers can learn*.
    """
    sets = sorted({frozenset(g) for g in groups if g}, key=lambda s: (len(s), sorted(s)))
    years = {
        int(y)
        for s in sets
        for f in s
        if f in graph
        for y in (graph.nodes[f].get("revenueYears") or [])
        if isinstance(y, int)
    }
    allowed: set[tuple[frozenset[str], Figure]] = set()
    every: list[Figure] = [*FIRM_FIGURES, *sorted(years)]
    for figure in every:
        ok = [s for s in sets if rule.allows(figures(graph, s, figure))]
        changed = True
        while changed:
            changed = False
            for small, large in itertools.combinations(list(ok), 2):
                if small < large and not rule.allows(figures(graph, large - small, figure)):
                    ok.remove(small)
                    changed = True
                    break
        allowed |= {(s, figure) for s in ok}
    return frozenset(allowed)


@dataclass(frozen=True)
class Disclosure:
    """What one caller may see of sums over firms: everything (analysts) or the sums of the
    default partition and groups that :func:`publishable` lets through."""

    financials: bool
    published: frozenset[tuple[frozenset[str], Figure]] = frozenset()

    def allows(self, members: Sequence[str], figure: Figure) -> bool:
        return self.financials or (frozenset(members), figure) in self.published

    def by_year(self, members: Sequence[str], totals: dict[int, float]) -> dict[int, float]:
        return {y: v for y, v in totals.items() if self.allows(members, y)}


def published_sums(store: GraphStore, rule: DisclosureRule) -> frozenset[tuple[frozenset[str], Figure]]:
    """Every sum readers can ask for (default clusters, industry and park groups), checked
    together so that no two of them can be differenced; once per store version."""

    def compute() -> frozenset[tuple[frozenset[str], Figure]]:
        analysis = service.clusters(store, READER_OPTIONS)
        views = service.views(store, READER_OPTIONS)
        groups: list[Sequence[str]] = [c.members for c in analysis.clusters]
        groups += [v.members for v in (*views.industries, *views.parks)]
        # The clusters' own projection: the figures it sums (FIRM_FIGURES, the revenue series)
        # are among CLUSTER_PROPERTIES, and it is the graph the published sums came from.
        return publishable(service.clusters_projection(store), groups, rule)

    return cached(store, ("disclosure", rule), compute, pinned=True)
