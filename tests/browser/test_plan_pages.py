"""The plan-over-time pages in a real browser: the monitor's line charts and table by year."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from ingest.editions import annual_report_id, edition_id
from tests.browser.conftest import Site, embedded_site, screenshot

#: firm → revenue (yuan) per list year; a missing year means the firm is not on that list.
PATHS = {
    "ent:T1": {2010: 1.2e8, 2011: 1.5e8, 2012: 2.0e8},
    "ent:T2": {2010: 4.0e7, 2011: 7.0e7, 2012: 1.1e8},
    "ent:T3": {2010: 3.0e6, 2011: 4.0e6},
    "ent:T4": {2011: 9.0e6, 2012: 2.0e7},
}


def _dated_changes() -> ChangeSet:
    cs = ChangeSet()
    cs.add_node(
        L.INDUSTRY, {"id": "industry:SEI-2", "code": "2", "scheme": "SEI", "name": "高端装备制造产业"}
    )
    aero = "industry:DONGLI:AERO"
    cs.add_node(L.INDUSTRY, {"id": aero, "code": "DONGLI:AERO", "scheme": "DONGLI", "name": "航空航天"})
    cs.add_relationship(R.SUBCLASS_OF, (L.INDUSTRY, aero), (L.INDUSTRY, "industry:SEI-2"))
    for firm, years in PATHS.items():
        cs.add_node(L.ENTERPRISE, {"id": firm, "name": f"天津走势{firm[-1]}科技有限公司"})
        cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, firm), (L.INDUSTRY, aero))
        for year, revenue in years.items():
            list_id = edition_id("techSme", year)
            cs.add_node(L.LIST_EDITION, {"id": list_id, "kind": "techSme", "year": year})
            cs.add_relationship(R.LISTED_IN, (L.ENTERPRISE, firm), (L.LIST_EDITION, list_id), {"year": year})
            rid = annual_report_id(firm, year)
            cs.add_node(L.ANNUAL_REPORT, {"id": rid, "year": year, "revenue": revenue})
            cs.add_relationship(R.REPORTED, (L.ENTERPRISE, firm), (L.ANNUAL_REPORT, rid), {"year": year})
    return cs


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from embedded_site(tmp_path_factory, "browser-dated", lambda store: store.apply(_dated_changes()))


def test_monitor_shows_a_line_chart_per_indicator_and_the_years(page: Page, dated_site: Site) -> None:
    page.goto(dated_site.url + "/#/monitor")
    charts = page.locator("#trend-charts .trend-card")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 8  # every dated indicator
    giants = page.locator('#trend-charts .trend-card[data-id="little_giants"]')
    expect(giants.locator(".series-line")).to_have_count(1)
    expect(giants.locator(".target-line")).to_have_count(1)
    expect(giants.locator(".trend-line")).to_have_count(1)
    expect(giants).to_contain_text("按趋势落后")  # 1 → 1 → 2 little giants is nowhere near 110
    header = page.locator("#series-table thead th")
    expect(header.nth(1)).to_have_text("2010")
    expect(header.nth(3)).to_have_text("2012")
    row = page.locator('#series-table tr[data-id="tech_smes"] td')
    assert [row.nth(i).inner_text() for i in (1, 2, 3)] == ["3 家", "4 家", "3 家"]
    expect(page.locator("#trend-method")).to_contain_text("ln(value)")
    # The yearly lists the graph holds, sized by year.
    lists = page.locator('#lists-table tr[data-kind="techSme"] td')
    assert [lists.nth(i).inner_text() for i in range(4)] == ["科技型中小企业", "3", "4", "3"]
    screenshot(page, "monitor-trajectory")
    page.locator("#lang-switch").click()
    expect(page.locator('#trend-charts .trend-card[data-id="little_giants"]')).to_contain_text("behind")
    screenshot(page, "monitor-trajectory-en")


def test_monitor_without_yearly_lists_says_so(page: Page, site: Site) -> None:
    page.goto(site.url + "/#/monitor")
    expect(page.locator("#monitor-trend")).to_contain_text("还没有逐年名单")
    expect(page.locator("#targets")).to_be_visible()


def test_firm_page_shows_the_growth_diagnosis(page: Page, dated_site: Site) -> None:
    page.goto(dated_site.url + "/#/entity/ent:T4")
    growth = page.locator("#growth")
    expect(growth.locator("#growth-stage")).to_have_text("成长期")
    expect(growth.locator('#growth-stages [data-year="2011"]')).to_have_text("2011 成长期")
    expect(growth.locator("#growth-peers")).to_contain_text("天津走势2科技有限公司")  # 7000万 → 1.1亿 in 2012
    expect(growth.locator("#growth-peers")).to_contain_text("2012")
    expect(growth.locator("#growth-support li").first).to_contain_text("创新基金")
    # A reader sees no firm's money: the revenue chart is replaced by the note, the gap is "—".
    expect(growth).to_contain_text("财务")
    expect(growth.locator("#growth-gap")).to_contain_text("差距: —")
    growth.scroll_into_view_if_needed()
    screenshot(page, "firm-growth-diagnosis")


@pytest.fixture(scope="module")
def roadmap_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from tests.analytics.test_roadmap import _load

    yield from embedded_site(tmp_path_factory, "browser-roadmap", _load)


def test_roadmap_page_lists_growth_areas_leaders_and_gaps(page: Page, roadmap_site: Site) -> None:
    page.goto(roadmap_site.url + "/#/roadmap")
    growing = page.locator("#roadmap-growing tbody tr")
    expect(growing).to_have_count(2)
    expect(growing.first).to_contain_text("B64D15/00")
    expect(growing.first).to_contain_text("×7.0")
    expect(growing.first).to_contain_text("本地薄弱")
    expect(growing.nth(1)).to_contain_text("天津翼动航空科技有限公司")
    expect(page.locator("#roadmap-gaps")).to_contain_text("中国民航大学")
    expect(page.locator("#roadmap-leaders")).to_contain_text("天津翼动航空科技有限公司")
    expect(page.locator('#roadmap-years tr[data-group="B64D27/00"] td').nth(1)).to_have_text("")  # 2014: none
    expect(page.locator("#roadmap-industry option")).to_have_count(2)  # 航空航天 + all patents
    screenshot(page, "roadmap")
    page.locator("#roadmap-industry").select_option("*")
    expect(page.locator("#roadmap-summary")).to_contain_text(
        "全部专利：图谱中专利 35 件"
    )  # + the site fixture
