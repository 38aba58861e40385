"""The plan monitor on a hand-built district: each indicator, stage and candidate by hand."""

from __future__ import annotations

import math

import pytest

from analytics.errors import PlanDataError
from analytics.monitor import MonitorReport, growth_stage, monitor_plan
from analytics.plan import load_plan, parse_plan
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from tests.analytics.conftest import project

FIRMS = {  # id: (revenue, techSme, in park, years, series, inventions, SEI)
    "ent:tiny": (3e6, True, True, [], [], 0, None),
    "ent:rising": (6e7, True, True, [2011, 2013], [3e7, 6e7], 0, "1.2"),
    "ent:inventive": (2e7, True, False, [], [], 3, "4.1"),
    "ent:giant": (1.5e8, True, True, [], [], 0, "1.2"),
    "ent:large": (4e8, True, False, [], [], 0, None),
    "ent:huge": (2e9, True, False, [], [], 0, None),
    "ent:plain": (9e8, False, False, [], [], 0, None),
}


@pytest.fixture(scope="module")
def report() -> MonitorReport:
    cs = ChangeSet()
    for code in ("1.2", "4.1"):
        cs.add_node(L.INDUSTRY, {"id": f"industry:SEI-{code}", "code": code, "scheme": "SEI", "name": code})
    cs.add_node(L.PARK, {"id": "park:1", "name": "东丽经济技术开发区", "level": "国家级"})
    cs.add_node(L.PARK, {"id": "park:2", "name": "华明工业园", "level": "区级"})
    for firm, (revenue, tech, in_park, years, series, inventions, sei) in FIRMS.items():
        props: dict[str, object] = {"id": firm, "name": firm, "revenue": revenue, "techSme": tech}
        if years:
            props |= {"revenueYears": years, "revenueSeries": series}
        cs.add_node(L.ENTERPRISE, props)
        if in_park:
            cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, firm), (L.PARK, "park:1"))
        if sei:
            cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, firm), (L.INDUSTRY, f"industry:SEI-{sei}"))
        for i in range(inventions):
            cs.add_node(L.PATENT, {"id": f"patent:{firm}{i}", "title": "x", "kind": "发明"})
            cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, firm), (L.PATENT, f"patent:{firm}{i}"))
    cs.add_node(L.INCUBATOR, {"id": "incu:1", "name": "孵化器一", "level": "市级"})
    cs.add_node(L.INCUBATOR, {"id": "incu:2", "name": "孵化器二", "level": "区级"})
    cs.add_node(L.PRODUCTIVITY_CENTER, {"id": "ppc:1", "name": "东丽区生产力促进中心"})
    return monitor_plan(project(cs))


def _value(report: MonitorReport, indicator: str) -> float | None:
    return next(i.current for i in report.indicators if i.id == indicator)


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        ("tech_smes", 6),
        ("tech_sme_share", 6 / 7),
        ("tech_sme_revenue", 3e6 + 6e7 + 2e7 + 1.5e8 + 4e8 + 2e9),
        ("little_giants", 3),  # giant, large, huge (plain is not a tech SME)
        ("firms_over_300m", 2),
        ("firms_over_1bn", 1),
        ("strategic_firms", 3),
        ("strategic_share", 0.5),
        ("incubators", 2),
        ("incubators_city_level_share", 0.5),
        ("productivity_centres", 1),
        ("park_share", 0.5),
        ("city_level_parks", 1),
        ("consortia", 0),
    ],
)
def test_indicator_by_hand(report: MonitorReport, indicator: str, expected: float) -> None:
    assert _value(report, indicator) == pytest.approx(expected, abs=1e-6)


def test_gap_met_and_progress(report: MonitorReport) -> None:
    giants = next(i for i in report.indicators if i.id == "little_giants")
    assert (giants.baseline, giants.target, giants.gap, giants.met) == (48, 110, 107, False)
    assert giants.progress == pytest.approx((3 - 48) / (110 - 48), abs=1e-6)
    share = next(i for i in report.indicators if i.id == "tech_sme_share")
    assert share.met is True and share.gap == pytest.approx(0.3 - 6 / 7, abs=1e-6)


def test_growth_stages_and_bands(report: MonitorReport) -> None:
    assert report.stages == {"初创期": 1, "成长期": 2, "壮大期": 3, "未知": 0}
    assert {b.id: b.current for b in report.revenue_bands} == {
        "below_5m": 1,
        "5m_100m": 2,
        "100m_300m": 1,
        "300m_1bn": 1,
        "above_1bn": 1,
    }
    assert [b.baseline for b in report.revenue_bands] == [202, 270, 31, 14, 3]


def test_stage_thresholds() -> None:
    plan = load_plan()
    assert growth_stage(plan.startup_revenue - 1, plan) == "初创期"
    assert growth_stage(plan.startup_revenue, plan) == "成长期"
    assert growth_stage(plan.little_giant_revenue, plan) == "壮大期"


def test_little_giant_candidates_with_reasons(report: MonitorReport) -> None:
    assert [c.id for c in report.candidates] == ["ent:rising", "ent:inventive"]
    rising = report.candidates[0]
    # 3000万 → 6000万 over 2011–2013: CAGR √2 − 1 ≈ 41.4%; reaches 1亿 in ln(5/3)/ln(√2) ≈ 1.47 years.
    assert rising.growth == pytest.approx(math.sqrt(2) - 1, abs=1e-6)
    assert rising.years_to_threshold == pytest.approx(math.log(1e8 / 6e7) / math.log(math.sqrt(2)), abs=1e-3)
    assert [r.code for r in rising.reasons] == ["near_threshold", "fast_growth", "reaches_threshold"]
    assert [r.code for r in report.candidates[1].reasons] == ["inventions"]
    assert "3件" in report.candidates[1].reasons[0].text


def test_plan_file_errors_name_the_entry() -> None:
    with pytest.raises(PlanDataError, match=r"x\.toml \[\[indicators\]\] #1: missing field 'unit'"):
        parse_plan(
            {
                "plan": {"name": "p", "name_en": "p", "baseline_year": 2010, "target_year": 2015},
                "thresholds": {},
                "candidates": {},
                "reference": {"categories": {}},
                "indicators": [{"id": "tech_smes", "name": "n", "name_en": "n", "kind": "count"}],
                "revenue_bands": [],
            },
            "x.toml",
        )


def test_unknown_indicator_is_reported(tmp_path: object) -> None:
    import dataclasses

    from analytics.plan import Indicator

    plan = load_plan()
    plan = dataclasses.replace(
        plan, indicators=(Indicator("ready_to_list", "拟上市", "to list", "家", "count"),)
    )
    with pytest.raises(PlanDataError, match="ready_to_list"):
        monitor_plan(project(ChangeSet()), plan=plan)
