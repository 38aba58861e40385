"""The plan's baseline and targets, read from a TOML data file (``analytics/data/dongli_plan.toml``).

The numbers live in data, not code, so a new plan period is a new file. :func:`load_plan`
checks every field it uses and names the file and entry when one is missing or wrong.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from analytics.errors import PlanDataError

DEFAULT_PLAN = "dongli_plan.toml"
IndicatorKind = Literal["count", "share", "sum"]
INDICATOR_KINDS: tuple[IndicatorKind, ...] = ("count", "share", "sum")


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    name_en: str
    unit: str
    kind: IndicatorKind
    baseline: float | None = None
    target: float | None = None


@dataclass(frozen=True)
class RevenueBand:
    id: str
    name: str
    lower: float | None
    upper: float | None
    baseline: int | None

    def contains(self, revenue: float) -> bool:
        return (self.lower is None or revenue >= self.lower) and (self.upper is None or revenue < self.upper)


@dataclass(frozen=True)
class ReferenceRegion:
    """Totals of the region location quotients compare against, by SEI first-level category."""

    name: str
    level: str
    measure: str
    total: float
    categories: dict[str, float]
    illustrative: bool = False


@dataclass(frozen=True)
class CandidateRules:
    near_share: float
    min_growth: float
    horizon_years: float
    min_inventions: int
    min_revenue: float
    limit: int


@dataclass(frozen=True)
class Plan:
    name: str
    name_en: str
    baseline_year: int
    target_year: int
    startup_revenue: float
    little_giant_revenue: float
    large_revenue: float
    billion_revenue: float
    candidates: CandidateRules
    indicators: tuple[Indicator, ...]
    revenue_bands: tuple[RevenueBand, ...]
    reference: ReferenceRegion
    local_region_prefixes: tuple[str, ...] = ()
    local_cities: tuple[str, ...] = ()
    source: str = field(default="")


def plan_figure(value: float | None, kind: str, unit: str) -> str:
    """One plan figure as text, the same in the HTML report and the CLI table: a share in %,
    money in 亿元, a count as a whole number; "—" where there is no value.

    >>> plan_figure(0.125, "share", "%"), plan_figure(1.2e9, "sum", "元"), plan_figure(1234, "count", "家")
    ('12.5%', '12.0亿元', '1,234')
    >>> plan_figure(None, "count", "家")
    '—'
    """
    if value is None:
        return "—"
    if kind == "share":
        return f"{value * 100:.1f}%"
    if unit == "元":
        return f"{value / 1e8:,.1f}亿元"
    return f"{value:,.0f}"


def _get(table: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in table:
        raise PlanDataError(f"{where}: missing field {key!r}")
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise PlanDataError(f"{where}: field {key!r} should be {kind}, got {value!r}")
    return value


def _opt_number(table: dict[str, Any], key: str, where: str) -> float | None:
    return float(_get(table, key, where, (int, float))) if key in table else None


def _kind(row: dict[str, Any], where: str) -> IndicatorKind:
    kind = _get(row, "kind", where, str)
    if kind not in INDICATOR_KINDS:
        raise PlanDataError(f"{where}: field 'kind' should be one of {INDICATOR_KINDS}, got {kind!r}")
    return cast(IndicatorKind, kind)


def parse_plan(data: dict[str, Any], source: str) -> Plan:
    """A :class:`Plan` from the parsed TOML ``data``; ``source`` names the file in errors."""
    num = (int, float)
    head = _get(data, "plan", source, dict)
    thresholds = _get(data, "thresholds", source, dict)
    cand = _get(data, "candidates", source, dict)
    ref = _get(data, "reference", source, dict)
    local = data.get("local", {})
    indicators = []
    for i, row in enumerate(_get(data, "indicators", source, list)):
        where = f"{source} [[indicators]] #{i + 1}"
        indicators.append(
            Indicator(
                id=_get(row, "id", where, str),
                name=_get(row, "name", where, str),
                name_en=_get(row, "name_en", where, str),
                unit=_get(row, "unit", where, str),
                kind=_get(row, "kind", where, str),
                baseline=_opt_number(row, "baseline", where),
                target=_opt_number(row, "target", where),
            )
        )
    bands = []
    for i, row in enumerate(_get(data, "revenue_bands", source, list)):
        where = f"{source} [[revenue_bands]] #{i + 1}"
        baseline = row.get("baseline")
        bands.append(
            RevenueBand(
                _get(row, "id", where, str),
                _get(row, "name", where, str),
                _opt_number(row, "lower", where),
                _opt_number(row, "upper", where),
                int(baseline) if baseline is not None else None,
            )
        )
    where = f"{source} [reference]"
    categories = {str(k): float(v) for k, v in _get(ref, "categories", where, dict).items()}
    return Plan(
        name=_get(head, "name", f"{source} [plan]", str),
        name_en=_get(head, "name_en", f"{source} [plan]", str),
        baseline_year=_get(head, "baseline_year", f"{source} [plan]", int),
        target_year=_get(head, "target_year", f"{source} [plan]", int),
        startup_revenue=float(_get(thresholds, "startup_revenue", f"{source} [thresholds]", num)),
        little_giant_revenue=float(_get(thresholds, "little_giant_revenue", f"{source} [thresholds]", num)),
        large_revenue=float(_get(thresholds, "large_revenue", f"{source} [thresholds]", num)),
        billion_revenue=float(_get(thresholds, "billion_revenue", f"{source} [thresholds]", num)),
        candidates=CandidateRules(
            near_share=float(_get(cand, "near_share", f"{source} [candidates]", num)),
            min_growth=float(_get(cand, "min_growth", f"{source} [candidates]", num)),
            horizon_years=float(_get(cand, "horizon_years", f"{source} [candidates]", num)),
            min_inventions=int(_get(cand, "min_inventions", f"{source} [candidates]", int)),
            min_revenue=float(_get(cand, "min_revenue", f"{source} [candidates]", num)),
            limit=int(_get(cand, "limit", f"{source} [candidates]", int)),
        ),
        indicators=tuple(indicators),
        revenue_bands=tuple(bands),
        reference=ReferenceRegion(
            name=_get(ref, "name", where, str),
            level=_get(ref, "level", where, str),
            measure=_get(ref, "measure", where, str),
            total=float(_get(ref, "total", where, num)),
            categories=categories,
            illustrative=bool(ref.get("illustrative", False)),
        ),
        local_region_prefixes=tuple(str(p) for p in local.get("region_prefixes", [])),
        local_cities=tuple(str(c) for c in local.get("cities", [])),
        source=source,
    )


def load_plan(path: Path | str | None = None) -> Plan:
    """The plan in ``path``, or the packaged Dongli 2011–2015 plan.

    >>> load_plan().target_year
    2015
    """
    if path is None:
        text = resources.files("analytics.data").joinpath(DEFAULT_PLAN).read_text(encoding="utf-8")
        source = f"analytics/data/{DEFAULT_PLAN}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise PlanDataError(f"{path}: cannot read the plan file ({e})") from e
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PlanDataError(f"{source}: not valid TOML ({e})") from e
    return parse_plan(data, source)
