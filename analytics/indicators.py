"""How each plan indicator's current value is computed, registered under its ``id`` in the
plan file. A new indicator is a new function here and a new ``[[indicators]]`` entry there."""

from __future__ import annotations

from collections.abc import Callable

from analytics.facts import CITY_LEVEL_OR_ABOVE, Facts
from analytics.plan import Plan
from analytics.registry import registrar

CONSORTIUM = "产学研联合体"
INDUSTRIALISATION_BASE = "产业化基地"

IndicatorFn = Callable[[Facts, Plan], float | None]
INDICATORS: dict[str, IndicatorFn] = {}


indicator = registrar(INDICATORS)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _revenue_count(facts: Facts, above: float, *, inclusive: bool) -> int:
    revenues = [r for r in facts.tech_sme_revenues if r is not None]
    return sum(1 for r in revenues if r >= above) if inclusive else sum(1 for r in revenues if r > above)


@indicator("tech_smes")
def tech_smes(facts: Facts, plan: Plan) -> float | None:
    return len(facts.tech_smes)


@indicator("tech_sme_share")
def tech_sme_share(facts: Facts, plan: Plan) -> float | None:
    # Denominator: every enterprise in the graph (the district's SME register when it is loaded).
    return _share(len(facts.tech_smes), len(facts.firms))


@indicator("tech_sme_revenue")
def tech_sme_revenue(facts: Facts, plan: Plan) -> float | None:
    return sum(r or 0.0 for r in facts.tech_sme_revenues)


@indicator("little_giants")
def little_giants(facts: Facts, plan: Plan) -> float | None:
    # A loaded little-giant list is the recognition itself; without one, the plan's criterion.
    if facts.little_giant_list is not None:
        return len(facts.little_giant_list)
    return _revenue_count(facts, plan.little_giant_revenue, inclusive=True)


@indicator("firms_over_300m")
def firms_over_300m(facts: Facts, plan: Plan) -> float | None:
    return _revenue_count(facts, plan.large_revenue, inclusive=False)


@indicator("firms_over_1bn")
def firms_over_1bn(facts: Facts, plan: Plan) -> float | None:
    return _revenue_count(facts, plan.billion_revenue, inclusive=False)


@indicator("strategic_firms")
def strategic_firms(facts: Facts, plan: Plan) -> float | None:
    return sum(1 for f in facts.tech_smes if f in facts.strategic)


@indicator("strategic_share")
def strategic_share(facts: Facts, plan: Plan) -> float | None:
    return _share(sum(1 for f in facts.tech_smes if f in facts.strategic), len(facts.tech_smes))


@indicator("incubators")
def incubators(facts: Facts, plan: Plan) -> float | None:
    return len(facts.incubators)


@indicator("incubators_city_level_share")
def incubators_city_level_share(facts: Facts, plan: Plan) -> float | None:
    high = sum(1 for i in facts.incubators if str(i.get("level") or "") in CITY_LEVEL_OR_ABOVE)
    return _share(high, len(facts.incubators))


@indicator("productivity_centres")
def productivity_centres(facts: Facts, plan: Plan) -> float | None:
    return facts.productivity_centres


@indicator("park_share")
def park_share(facts: Facts, plan: Plan) -> float | None:
    return _share(sum(1 for f in facts.tech_smes if f in facts.in_park), len(facts.tech_smes))


@indicator("city_level_parks")
def city_level_parks(facts: Facts, plan: Plan) -> float | None:
    # Industrialisation bases (产业化基地) are production bases, not parks firms settle in.
    return sum(
        1
        for p in facts.parks
        if str(p.get("level") or "") in CITY_LEVEL_OR_ABOVE and p.get("kind") != INDUSTRIALISATION_BASE
    )


@indicator("consortia")
def consortia(facts: Facts, plan: Plan) -> float | None:
    # 产学研联合体 when alliances say what they are; otherwise every alliance counts.
    if any(a.get("kind") for a in facts.alliances):
        return sum(1 for a in facts.alliances if a.get("kind") == CONSORTIUM)
    return len(facts.alliances)
