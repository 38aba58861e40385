"""The plan monitor over time: every indicator for every year with a list edition, and a
projection to the target year (``docs/PLAN_OVER_TIME.md``).

A year's facts are the graph's "as of" reads (``GraphStore.list_members`` /
``GraphStore.annual_figures``): the tech SMEs of year Y are the members of the latest tech-SME
list edition up to Y, and a firm's revenue in Y is its latest reported revenue up to Y. Facts
without a date (productivity centres, city-level parks, consortia; incubators and park locations
when no yearly list of them is loaded) are shown for the latest year only, marked ``dated =
False``, because repeating today's count for 2010 would draw a history nobody recorded.

Projection (the stated method): an ordinary least-squares fit of ln(value) on the year over the
years with a positive value (log-linear trend, i.e. constant annual growth), evaluated at the
target year; shares are fitted linearly instead and clipped to [0, 1], since a constant growth
rate of a share is meaningless near 100 %. A series needs two or more years to be projected.
``on_track`` is projected ≥ target.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import operator
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx
import numpy as np

from analytics.facts import Facts, gather_facts
from analytics.indicators import INDICATORS
from analytics.industries import classified_strategic, plan_industries, sei_industries
from analytics.monitor import MonitorReport, PlanIndicator, monitor_plan
from analytics.plan import IndicatorKind, Plan
from analytics.projection import analysis_projection
from graph.errors import NotFoundError
from graph.model import LIST_KINDS, ORGANIZATION_LABELS, NodeLabel, RelType
from graph.records import NodeRow
from graph.store import GraphStore

METHOD: Final = (
    "OLS fit of ln(value) on year over the years with data (constant annual growth), evaluated at "
    "the target year; shares: linear OLS fit clipped to [0, 1]; needs ≥ 2 years"
)
#: Indicators that do not depend on the year unless a yearly list of their subject is loaded.
_DATED_BY_LIST: Final[dict[str, str]] = {
    "incubators": "incubator",
    "incubators_city_level_share": "incubator",
}
_UNDATED: Final[frozenset[str]] = frozenset({"productivity_centres", "city_level_parks", "consortia"})
#: The organisations (and parks) a yearly list or an annual report can name.
_LISTABLE: Final[tuple[NodeLabel, ...]] = (*sorted(ORGANIZATION_LABELS), NodeLabel.PARK)
#: The undated facts the series counts besides the firms, in one small projection: incubators,
#: parks, centres, alliances and the industry tree — a few thousand nodes even at ×10. The firms
#: come from one narrow store read (:data:`SERIES_FIRM_PROPS`, ``GraphStore.node_rows``) and the
#: dated facts from the store's own history reads (``GraphStore.list_history`` /
#: ``report_history``): no networkx node per firm, and no patents, people or projects, which make
#: up most of a large graph and which no indicator of the series reads.
SERIES_LABELS: Final[tuple[NodeLabel, ...]] = tuple(
    sorted(
        {
            NodeLabel.PARK,
            NodeLabel.INCUBATOR,
            NodeLabel.PRODUCTIVITY_CENTER,
            NodeLabel.ALLIANCE,
            NodeLabel.INDUSTRY,
        }
    )
)
SERIES_RELS: Final[tuple[RelType, ...]] = (RelType.SUBCLASS_OF,)
#: The firm properties the series reads: the founding date (which firms existed in a year), and
#: the snapshot flags and revenue the indicators fall back on when no yearly list is loaded.
SERIES_FIRM_PROPS: Final[tuple[str, ...]] = (
    "founded",
    "highTech",
    "techSme",
    "revenue",
    "revenueYears",
    "revenueSeries",
)
#: The firms' relationships the series reads: parks (park share), industries (strategic firms).
SERIES_FIRM_RELS: Final[tuple[RelType, ...]] = (RelType.LOCATED_IN, RelType.IN_INDUSTRY)
#: Everything the series reads (``graph.stamps.inputs_version``): the projection, the firms, the
#: yearly lists with whoever they name (any organisation or park) and the annual reports. A write
#: touching none of these (a demand, a patent, a person) keeps a cached series.
SERIES_INPUT_LABELS: Final[tuple[NodeLabel, ...]] = tuple(
    sorted({*SERIES_LABELS, *_LISTABLE, NodeLabel.LIST_EDITION, NodeLabel.ANNUAL_REPORT})
)
SERIES_INPUT_RELS: Final[tuple[RelType, ...]] = tuple(
    sorted({*SERIES_RELS, *SERIES_FIRM_RELS, RelType.LISTED_IN, RelType.REPORTED})
)


@dataclass
class YearFacts(Facts):
    """:class:`Facts` as of one year: revenue is the year's reported figure."""

    year: int = 0
    year_revenue: dict[str, float] = field(default_factory=dict)
    history: dict[str, list[tuple[int, float]]] = field(default_factory=dict)

    def revenue(self, firm: str) -> float | None:
        return self.year_revenue.get(firm)

    @functools.cached_property
    def tech_sme_revenues(self) -> list[float | None]:
        return list(map(self.year_revenue.get, self.tech_smes))  # no Python call per firm

    def revenue_history(self, firm: str) -> list[tuple[int, float]]:
        return [p for p in self.history.get(firm, []) if p[0] <= self.year]


@dataclass(frozen=True)
class YearValue:
    year: int
    value: float | None


@dataclass(frozen=True)
class IndicatorSeries(PlanIndicator):
    dated: bool
    points: list[YearValue]
    annual_growth: float | None  # from the fit (log-linear); None for shares and short series
    projected: float | None  # value at the target year on the fitted trend
    on_track: bool | None


@dataclass(frozen=True)
class ListSeries:
    """How many members a yearly list (名单) has as of each year of the series."""

    kind: str  # graph.model.LIST_KINDS
    name: str
    points: list[YearValue]


@dataclass(frozen=True)
class MonitorSeries:
    plan: str
    plan_en: str
    baseline_year: int
    target_year: int
    years: list[int]
    method: str
    indicators: list[IndicatorSeries]
    lists: list[ListSeries] = field(default_factory=list)


@dataclass(frozen=True)
class Dated:
    """The graph's dated facts, read once: list editions with their members, annual reports.

    Its ``members`` and ``figures`` answer exactly as ``GraphStore.list_members`` and
    ``GraphStore.annual_figures`` do (tests/analytics/test_monitor_series.py holds them to it);
    reading them once (``GraphStore.list_history`` / ``report_history``) keeps a six-year series
    to one pass over the store.
    """

    editions: dict[str, dict[int, list[tuple[str, str | None]]]]  # kind -> year -> (member, level)
    reports: dict[str, list[tuple[int, dict[str, Any]]]]  # organisation -> [(year, figures)] by year
    orgs: dict[str, dict[str, Any]]  # properties of every organisation on an incubator list

    @functools.cached_property
    def first_seen(self) -> dict[str, int]:
        """organisation → the first year a list or a report names it."""
        seen: dict[str, int] = {}
        # Latest year first: each update overwrites with an earlier year, so the earliest stays —
        # dict-level updates, not a Python step per membership (×10: 94,000).
        editions = sorted(
            ((year, members) for by_year in self.editions.values() for year, members in by_year.items()),
            key=_first_item,
            reverse=True,
        )
        for year, members in editions:
            seen.update(dict.fromkeys(map(_first_item, members), year))
        for org, reports in self.reports.items():
            if reports:
                seen[org] = min(reports[0][0], seen.get(org, reports[0][0]))
        return seen

    @property
    def kinds(self) -> dict[str, list[int]]:
        """List kind → the years that have an edition of it."""
        return {kind: sorted(by_year) for kind, by_year in sorted(self.editions.items())}

    def has_edition(self, kind: str, year: int) -> bool:
        """An edition of list ``kind`` up to ``year`` is loaded (its members may be none)."""
        return any(y <= year for y in self.editions.get(kind, {}))

    def members(self, kind: str, year: int) -> list[tuple[str, str | None]]:
        years = [y for y in self.editions.get(kind, {}) if y <= year]
        return sorted(self.editions[kind][max(years)]) if years else []

    def figures(self, year: int) -> dict[str, tuple[int, dict[str, Any]]]:
        """organisation → (year reported, figures) of its latest report up to ``year``."""
        out = {}
        for org, reports in self.reports.items():
            # reports are sorted by year: the last one not after ``year``
            latest = None
            for report in reports:
                if report[0] > year:
                    break
                latest = report
            if latest is not None:
                out[org] = latest
        return out


def series_projection(store: GraphStore) -> nx.MultiDiGraph:
    """The small projection the series reads (:data:`SERIES_LABELS`, :data:`SERIES_RELS`): the
    incubators, parks, centres, alliances and industry tree of :func:`series_facts`."""
    return store.projection(labels=SERIES_LABELS, rel_types=SERIES_RELS)


def series_facts(store: GraphStore, graph: nx.MultiDiGraph) -> Facts:
    """``gather_facts(analysis_projection(store), with_patents=False)`` narrowed to what the
    series reads: the same firms, parks, incubators, centres, alliances and strategic firms, the
    firms with :data:`SERIES_FIRM_PROPS` only. ``graph`` is :func:`series_projection`; the firms
    are one ``GraphStore.node_rows`` read. Only when no firm has an industry of its own does the
    strategic count fall back on patent evidence, which needs the analysis projection after all."""
    return with_patent_evidence(store, narrow_series_facts(store, graph))


def needs_patent_evidence(facts: Facts) -> bool:
    """No firm is classified strategic by its industries: the count falls back on patents."""
    return not facts.strategic and bool(facts.firms)


def with_patent_evidence(store: GraphStore, facts: Facts) -> Facts:
    """``facts``, or when :func:`needs_patent_evidence` a copy whose strategic firms are decided
    by patent evidence from the analysis projection (the series then reads every patent)."""
    if not needs_patent_evidence(facts):
        return facts
    return dataclasses.replace(facts, strategic=classified_strategic(analysis_projection(store), facts.firms))


def narrow_series_facts(store: GraphStore, graph: nx.MultiDiGraph) -> Facts:
    """:func:`series_facts` before the patent fallback: it reads :data:`SERIES_INPUT_LABELS` and
    :data:`SERIES_INPUT_RELS` only."""
    rows = store.node_rows(NodeLabel.ENTERPRISE, SERIES_FIRM_PROPS, SERIES_FIRM_RELS)
    firms = [r.id for r in rows]
    attrs = {r.id: r.props for r in rows}  # fresh dicts of the store's values: nothing writes to them
    by_label: dict[Any, list[str]] = {}
    for node, node_attrs in sorted(graph.nodes(data=True)):
        by_label.setdefault(node_attrs.get("label"), []).append(node)
    facts = Facts(
        firms=firms,
        attrs=attrs,
        tech_smes=[f for f in firms if attrs[f].get("techSme") is True],
        in_park={r.id for r in rows if RelType.LOCATED_IN in r.out},
        strategic=_strategic(graph, rows),
        inventions=dict.fromkeys(firms, 0),
        patents=dict.fromkeys(firms, 0),
        incubators=[dict(graph.nodes[n]) for n in by_label.get(NodeLabel.INCUBATOR, [])],
        productivity_centres=len(by_label.get(NodeLabel.PRODUCTIVITY_CENTER, [])),
        parks=[dict(graph.nodes[n]) for n in by_label.get(NodeLabel.PARK, [])],
        alliances=[dict(graph.nodes[n]) for n in by_label.get(NodeLabel.ALLIANCE, [])],
    )
    return facts


def _strategic(graph: nx.MultiDiGraph, rows: list[NodeRow]) -> set[str]:
    """``classified_strategic`` over the firms of ``rows`` and the industry tree in ``graph``: a
    direct IN_INDUSTRY edge to an SEI or plan industry. Without any, its fallback on the firms
    that have an industry at all (their edges put into a copy of ``graph``: the rare case)."""
    sei, plan = sei_industries(graph), plan_industries(graph)
    industry = RelType.IN_INDUSTRY
    direct = {r.id for r in rows if any(t in sei or t in plan for t in r.out.get(industry, ()))}
    if direct:
        return direct
    linked = [r for r in rows if industry in r.out]
    with_firms = graph.copy()
    for r in linked:
        with_firms.add_node(r.id, label=NodeLabel.ENTERPRISE, **r.props)
        with_firms.add_edges_from((r.id, t, industry) for t in r.out[industry] if t in with_firms)
    return classified_strategic(with_firms, [r.id for r in linked])


_LISTABLE_SET: Final = frozenset(_LISTABLE)


def read_dated(store: GraphStore, graph: nx.MultiDiGraph | None = None) -> Dated:
    """List editions with their members and annual reports from the store's history reads, and
    the properties of the organisations on incubator lists — from ``graph`` (a projection holding
    them, such as :func:`series_projection`) or the store."""
    # Both reads come grouped and ordered from the store: no per-row work here.
    editions: dict[str, dict[int, list[tuple[str, str | None]]]] = {}
    for edition in store.list_history():  # ordered by (kind, year); an edition may name nobody
        editions.setdefault(edition.kind, {})[edition.year] = edition.members
    reports = {series.id: series.reports for series in store.report_history()}  # by year
    # Only the incubators' own properties are read (their kind, level): not every organisation's.
    wanted = sorted({m for members in editions.get("incubator", {}).values() for m, _ in members})
    found = {} if graph is None else {n: dict(graph.nodes[n]) for n in wanted if n in graph}
    missing = [n for n in wanted if n not in found]  # organisations the projection leaves out
    if missing:
        found.update({n.id: {"label": n.label, **n.props} for n in store.get_nodes(missing)})
    orgs = {n: a for n, a in found.items() if a.get("label") in _LISTABLE_SET}
    return Dated(editions, reports, orgs)


_NUMBER: Final = (int, float)


def _revenues(dated: Dated, year: int) -> dict[str, tuple[int, float]]:
    """organisation → (year reported, revenue) of its latest report up to ``year``, when that
    report has a revenue: ``Dated.figures`` narrowed to revenue."""
    return _revenues_by_year(dated, [year])[year]


def _revenues_by_year(dated: Dated, years: list[int]) -> dict[int, dict[str, tuple[int, float]]]:
    """:func:`_revenues` for each of ``years`` in one pass over the reports: an organisation's
    reports and the years are both sorted, so each report is looked at once, not once a year."""
    ordered = sorted(set(years))
    out: dict[int, dict[str, tuple[int, float]]] = {y: {} for y in ordered}
    by_year = [(y, out[y]) for y in ordered]
    for org, reports in dated.reports.items():
        i, n, latest = 0, len(reports), None
        for year, into in by_year:
            while i < n and reports[i][0] <= year:
                latest = reports[i]
                i += 1
            if latest is not None:
                value = latest[1].get("revenue")
                if isinstance(value, _NUMBER):
                    into[org] = (latest[0], float(value))
    return out


def revenue_history(dated: Dated, years: list[int]) -> dict[str, list[tuple[int, float]]]:
    """firm → [(year, revenue)] over ``years``, counting only reports made for that very year."""
    history: dict[str, list[tuple[int, float]]] = {}
    for year in sorted(years):
        for firm, (reported, value) in _revenues(dated, year).items():
            if reported == year:
                history.setdefault(firm, []).append((year, value))
    return history


def birth_years(base: Facts, first_seen: dict[str, int]) -> dict[str, int | None]:
    """firm → the year it first existed: founded, or — without a founding date — first named by
    a list or report; None for a registry entry without any date (counted in every year).

    >>> attrs = {"a": {"founded": "2012-03-01"}, "b": {}, "c": {}}
    >>> birth_years(Facts(["a", "b", "c"], attrs, [], set(), set(), {}, {}), {"b": 2013})
    {'a': 2012, 'b': 2013, 'c': None}
    """
    out: dict[str, int | None] = {}
    attrs, seen = base.attrs, first_seen.get
    for firm in base.firms:
        founded = str(attrs[firm].get("founded") or "")[:4]
        out[firm] = int(founded) if founded.isdigit() else seen(firm)
    return out


def _unborn_by_year(births: dict[str, int | None], years: list[int]) -> dict[int, set[str]]:
    """year → the firms not yet founded in it, for each of ``years`` in one pass over the firms:
    at ×10 a few thousand a year of 47,000, so each year filters by a small set."""
    out: dict[int, set[str]] = {y: set() for y in years}
    first = min(years, default=0)
    for firm, born in births.items():
        if born is not None and born > first:
            for y in years:
                if born > y:
                    out[y].add(firm)
    return out


def facts_as_of(
    dated: Dated,
    base: Facts,
    year: int,
    history: dict[str, list[tuple[int, float]]] | None = None,
    revenues: dict[str, tuple[int, float]] | None = None,
    births: dict[str, int | None] | None = None,
    unborn: set[str] | None = None,
) -> YearFacts:
    """``base`` (undated facts from the analysis projection) with the dated facts of ``year``.

    ``history`` (firm → [(year, revenue)], for growth rates; later years are ignored) is built
    from the tech-SME list years up to ``year`` when not given; ``unborn`` (the firms founded
    after ``year``, :func:`_unborn_by_year`) from ``births`` when not given.
    """
    if history is None:
        years = [y for y in dated.kinds.get("techSme", []) if y <= year] or [year]
        history = revenue_history(dated, years)
    if unborn is None:
        births = birth_years(base, dated.first_seen) if births is None else births
        unborn = _unborn_by_year(births, [year])[year]
    # The SME-share denominator: the enterprises that existed in ``year`` (C-level filters: the
    # registry holds 47,000 firms at ×10, a few thousand of them founded later).
    firms = list(itertools.filterfalse(unborn.__contains__, base.firms))
    registered = base.firm_set
    tech_smes = [m for m, _ in dated.members("techSme", year) if m in registered and m not in unborn]
    attrs = base.attrs
    high_tech = {m for m, _ in dated.members("highTech", year)}
    if high_tech:  # the year's high-tech list, when one is loaded, beats the snapshot flag
        # A firm whose flag already says the same keeps its (read-only) attributes: copying
        # every firm's for every year was a large part of the series at ×10.
        # A missing flag reads as False everywhere (``attrs.get("highTech") is True``), so a
        # registry firm without one that is not on the list keeps its attributes too.
        # Only the firms whose flag and list disagree get new attributes; the rest of the dict
        # is one C-level copy instead of a Python step per firm and year.
        attrs = dict(base.attrs)
        for f in (base.high_tech_flagged ^ high_tech) & attrs.keys():
            attrs[f] = {**attrs[f], "highTech": f in high_tech}
    in_park = base.in_park
    park_list = dated.members("park", year)
    if park_list:
        in_park = {m for m, _ in park_list}
    giants = dated.members("littleGiant", year) if dated.has_edition("littleGiant", year) else None
    incubators = base.incubators
    incubator_list = dated.members("incubator", year)
    if incubator_list:
        incubators = [
            {**dated.orgs.get(m, {}), **({"level": level} if level else {})} for m, level in incubator_list
        ]
    return YearFacts(
        firms=firms,
        attrs=attrs,
        tech_smes=tech_smes,
        in_park=in_park,
        strategic=base.strategic,
        inventions=base.inventions,
        patents=base.patents,
        incubators=incubators,
        productivity_centres=base.productivity_centres,
        parks=base.parks,
        alliances=base.alliances,
        little_giant_list=None if giants is None else {m for m, _ in giants},
        year=year,
        year_revenue=_values(_revenues(dated, year) if revenues is None else revenues),
        history=history,
    )


def project(
    points: list[YearValue], target_year: int, kind: IndicatorKind
) -> tuple[float | None, float | None]:
    """(projected value at ``target_year``, annual growth) on the stated trend, or (None, None).

    >>> project([YearValue(2010, 100.0), YearValue(2011, 110.0)], 2015, "count")
    (161.051, 0.1)
    >>> project([YearValue(2010, 0.5), YearValue(2011, 0.6)], 2015, "share")
    (1.0, None)
    """
    if kind == "share":
        known = [(p.year, p.value) for p in points if p.value is not None]
        if len({y for y, _ in known}) < 2:
            return None, None
        slope, intercept = np.polyfit([y for y, _ in known], [v for _, v in known], 1)
        return round(min(1.0, max(0.0, float(slope * target_year + intercept))), 6), None
    known = [(p.year, p.value) for p in points if p.value is not None and p.value > 0]
    if len({y for y, _ in known}) < 2:
        return None, None
    slope, intercept = np.polyfit([y for y, _ in known], [math.log(v) for _, v in known], 1)
    return round(math.exp(slope * target_year + intercept), 6), round(math.expm1(slope), 6)


def monitor_series(
    store: GraphStore,
    graph: nx.MultiDiGraph,
    plan: Plan,
    dated: Dated | None = None,
    base: Facts | None = None,
) -> MonitorSeries:
    """Every plan indicator for every tech-SME list year, with its projection to the target year.

    ``graph`` is the analysis projection of ``store`` (undated facts: firms, strategic industry,
    incubators, parks, alliances); ``dated`` (:func:`read_dated`) and ``base`` (its undated facts,
    ``gather_facts(graph, with_patents=False)``) are computed when not given.
    """
    dated = read_dated(store) if dated is None else dated
    base = gather_facts(graph, with_patents=False) if base is None else base
    kinds = dated.kinds
    years = kinds.get("techSme", [])
    as_of = _revenues_by_year(dated, years)  # one pass over the reports for every year
    history: dict[str, list[tuple[int, float]]] = {}
    for y in years:
        for firm, (reported, value) in as_of[y].items():
            if reported == y:
                history.setdefault(firm, []).append((y, value))
    unborn = _unborn_by_year(birth_years(base, dated.first_seen), years)
    per_year = [(y, facts_as_of(dated, base, y, history, as_of[y], unborn=unborn[y])) for y in years]
    latest = years[-1] if years else plan.baseline_year
    series = []
    for ind in plan.indicators:
        compute = INDICATORS[ind.id]
        list_kind = _DATED_BY_LIST.get(ind.id)
        is_dated = ind.id not in _UNDATED and (list_kind is None or list_kind in kinds)
        if is_dated and per_year:
            points = [YearValue(y, _round(compute(facts, plan))) for y, facts in per_year]
        else:
            facts = per_year[-1][1] if per_year else base
            points = [YearValue(latest, _round(compute(facts, plan)))]
        projected, growth = project(points, plan.target_year, ind.kind) if is_dated else (None, None)
        on_track = None if projected is None or ind.target is None else projected >= ind.target
        series.append(
            IndicatorSeries(
                ind.id,
                ind.name,
                ind.name_en,
                ind.unit,
                ind.kind,
                ind.baseline,
                ind.target,
                is_dated,
                points,
                growth,
                projected,
                on_track,
            )
        )
    lists = [
        ListSeries(
            kind,
            LIST_KINDS.get(kind, kind),
            [YearValue(y, float(len(dated.members(kind, y)))) for y in years if dated.has_edition(kind, y)],
        )
        for kind in sorted(kinds, key=_list_order)
    ]
    return MonitorSeries(
        plan.name, plan.name_en, plan.baseline_year, plan.target_year, years, METHOD, series, lists
    )


def _list_order(kind: str) -> tuple[int, str]:
    order = list(LIST_KINDS)
    return (order.index(kind) if kind in order else len(order), kind)


def monitor_as_of(
    store: GraphStore,
    graph: nx.MultiDiGraph,
    plan: Plan,
    year: int | None = None,
    dated: Dated | None = None,
) -> MonitorReport:
    """The monitor with "current" values as of ``year`` (default: the latest tech-SME list year;
    the undated snapshot monitor when the graph holds no yearly list)."""
    dated = read_dated(store) if dated is None else dated
    years = dated.kinds.get("techSme", [])
    if year is None:
        if not years:
            return monitor_plan(graph, plan=plan)
        year = years[-1]
    elif not years or year < years[0]:
        known = ", ".join(map(str, years)) or "none loaded"
        raise NotFoundError(f"no tech-SME list up to {year}; list years: {known}")
    facts = facts_as_of(dated, gather_facts(graph), year)
    return monitor_plan(graph, plan=plan, facts=facts, year=year)


_first_item = operator.itemgetter(0)


def _values(revenues: dict[str, tuple[int, float]]) -> dict[str, float]:
    """organisation → revenue, from organisation → (year reported, revenue)."""
    return dict(zip(revenues, map(operator.itemgetter(1), revenues.values()), strict=True))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
