"""Partners for a firm, posting a demand and seeing its matches, the demands a patent answers,
the cluster view and the plan monitor — in headless Chromium against a real server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from match.partners import WEIGHTS
from tests.browser.conftest import Site, screenshot
from tests.browser.fixture_graph import DEMAND_ID, FIRM_ID, FIRM_NAME, UNIVERSITY_ID, UNIVERSITY_PATENT_ID

pytestmark = pytest.mark.browser


def _partners_in_three_clicks(page: Page, site: Site) -> None:
    """From ``/``: search (1), the firm (2), 寻找合作伙伴 (3) — the newcomer's path."""
    page.goto(site.url + "/")
    page.fill("#search-input", "晶辉光电")
    page.click("#search-button")  # 1
    page.locator(f'.hit[data-id="{FIRM_ID}"] .hit-name').click()  # 2
    page.click("#partners-button")  # 3
    expect(page.locator("#partners-title")).to_contain_text(FIRM_NAME)


def _check_partners(page: Page) -> None:
    expect(page.locator("#partner-list .candidate").first).to_be_visible()
    # 天津大学 co-applied with the firm: an existing partner, listed after the new suggestions
    # (issue #12: existing partners used to fill the top of the list).
    first = page.locator(f'#partner-list .candidate[data-id="{UNIVERSITY_ID}"]')
    expect(first).to_be_visible()
    assert page.locator("#partner-list .candidate").first.get_attribute("data-id") != UNIVERSITY_ID
    expect(first.locator(".candidate-name")).to_have_text("天津大学")
    # Score breakdown: one bar per weighted signal, with the weights shown.
    breakdown = first.locator('[data-role="breakdown"]')
    expect(breakdown).to_contain_text(f"技术相似度 ×{WEIGHTS['technology']:g}")
    expect(breakdown).to_contain_text("合作网络邻近")
    # Evidence paths drawn as chains from the firm through a patent to the university.
    path = first.locator('.path[data-signal="network"]').first
    expect(path).to_contain_text("一种大功率LED封装结构")
    expect(path.locator(".step")).to_have_count(3)
    # The network picture joins the firm to its candidates along the evidence relationships.
    network = page.locator("#partner-network svg.network-svg")
    expect(network.locator(f'.node.primary[data-id="{FIRM_ID}"]')).to_have_count(1)
    expect(network.locator(f'.node[data-id="{UNIVERSITY_ID}"]')).to_have_count(1)
    assert network.locator("line.edge.highlight").count() >= 3


def test_partners_for_a_firm_with_evidence(page: Page, site: Site) -> None:
    _partners_in_three_clicks(page, site)
    _check_partners(page)
    assert page.locator("#partner-list .candidate").count() >= 3
    screenshot(page, "partners")
    # 在图中查看 on the institute's card: the picture keeps only that candidate's evidence.
    third = page.locator('#partner-list .candidate[data-id="inst:tj-ssl"]')
    third_id = third.get_attribute("data-id")
    third.locator("button.focus").click()
    expect(page.locator("#partner-network-caption")).to_contain_text("天津市半导体照明研究所")
    network = page.locator("#partner-network svg.network-svg")
    expect(network.locator(f'.node[data-id="{third_id}"]')).to_have_count(1)
    expect(network.locator(f'.node[data-id="{UNIVERSITY_ID}"]')).to_have_count(0)
    page.click("#partner-network-all")
    expect(network.locator(f'.node[data-id="{UNIVERSITY_ID}"]')).to_have_count(1)
    # A click on the evidence opens the entity it names.
    page.locator(f'#partner-list .candidate[data-id="{UNIVERSITY_ID}"] .candidate-name').click()
    expect(page.locator("#entity-name")).to_have_text("天津大学")


def test_partners_on_neo4j(page: Page, neo4j_site: Site) -> None:
    """The same newcomer's path against the real Neo4j store: the page only talks to the API."""
    health = page.request.get(neo4j_site.url + "/healthz").json()
    assert health["store"] == "neo4j"
    _partners_in_three_clicks(page, neo4j_site)
    _check_partners(page)
    screenshot(page, "partners-neo4j")


def test_pick_an_open_demand_and_see_matches(page: Page, site: Site) -> None:
    page.goto(site.url + "/#/demands")
    item = page.locator(f'#demand-list li[data-id="{DEMAND_ID}"]')
    expect(item).to_contain_text("大功率LED散热与封装可靠性提升")
    item.locator(".btn").click()
    expect(page.locator("#matches-title")).to_contain_text("大功率LED散热与封装可靠性提升")
    first = page.locator("#match-list .candidate").first
    expect(first).to_be_visible()
    assert page.locator("#match-list .candidate").count() >= 3
    expect(page.locator("#match-list .candidate .path").first).to_be_visible()
    expect(page.locator('#match-list [data-role="breakdown"]').first).to_contain_text("文本相似度")
    expect(page.locator("#match-network svg .node.primary")).to_have_count(1)
    screenshot(page, "demand-matches")


def test_post_a_demand_with_an_editor_key_and_see_matches(page: Page, site: Site) -> None:
    page.goto(site.url + "/#/demands")
    # Without a key the page says so, and the API's refusal is shown as it came.
    expect(page.locator("#need-key")).to_be_visible()
    page.fill("#demand-title", "LED芯片倒装焊接工艺改进")
    page.fill("#demand-description", "寻求高校在LED芯片倒装焊接与封装方面的技术合作")
    page.fill("#demand-keywords", "LED, 倒装, 封装")
    page.fill("#demand-ipc", "H01L33/00")
    page.click("#demand-submit")
    expect(page.locator("#post-result .error-detail")).to_contain_text("API key")
    expect(page.locator("#post-result")).to_contain_text("401")

    # The key goes into the settings box (kept in memory only), then the post goes through.
    page.click("#settings-button")
    page.fill("#api-key-input", site.editor_key)
    page.click("#settings-save")
    stored = "JSON.stringify([Object.values(sessionStorage), Object.values(localStorage)])"
    assert site.editor_key not in page.evaluate(stored)
    page.locator("#demand-poster").press_sequentially("晶辉")
    page.locator(f'#poster-options li[data-id="{FIRM_ID}"]').click()
    expect(page.locator("#poster-chosen")).to_contain_text(FIRM_ID)
    page.click("#demand-submit")
    expect(page).to_have_url(re.compile(r"#/demands/demand%3A[0-9a-f]{16}$"))
    expect(page.locator("#posted-notice")).to_be_visible()
    expect(page.locator("#matches-title")).to_contain_text("LED芯片倒装焊接工艺改进")
    expect(page.locator("#match-list .candidate").first).to_be_visible()
    # 天津大学 holds the flip-chip patent and co-applied with the poster: it is among the matches.
    expect(page.locator(f'#match-list .candidate[data-id="{UNIVERSITY_ID}"]')).to_have_count(1)
    screenshot(page, "demand-posted-matches")

    # The new demand is written to the graph, posted by the firm.
    demand_id = page.url.rsplit("%3A", 1)[1]
    posted = page.request.get(f"{site.url}/api/v1/entities/demand:{demand_id}/neighbors").json()
    assert [(n["relationship"]["type"], n["node"]["id"]) for n in posted if n["node"]["id"] == FIRM_ID] == [
        ("POSTED", FIRM_ID)
    ]


def test_demands_a_patent_may_answer(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/#/entity/{UNIVERSITY_PATENT_ID}")
    page.click("#patent-demands-button")
    expect(page.locator("#patent-demands-title")).to_contain_text("LED芯片倒装焊接方法")
    expect(page.locator(f'#match-list .candidate[data-id="{DEMAND_ID}"]')).to_be_visible()
    screenshot(page, "patent-demands")


def test_cluster_view_and_one_cluster(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    page.click('[data-nav="clusters"]')
    picture = page.locator("#cluster-network svg.network-svg")
    expect(picture).to_be_visible()
    # Two technology groups in the fixture: LED lighting and laser processing.
    expect(picture.locator(".node")).to_have_count(2)
    rows = page.locator("#cluster-metrics tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#cluster-metrics")).to_contain_text("半导体照明")
    screenshot(page, "clusters")

    page.click("#view-firms")
    expect(page.locator("#cluster-network svg .node")).to_have_count(7)
    screenshot(page, "clusters-firms")

    page.goto(site.url + "/#/clusters")
    page.locator("#cluster-network .node").first.click()
    expect(page.locator("#cluster-name")).to_be_visible()
    expect(page.locator("#member-network svg .node").first).to_be_visible()
    assert page.locator("#member-network svg .node").count() >= 3
    expect(page.locator("#core-ipc")).to_be_visible()
    screenshot(page, "cluster-detail")


def test_plan_monitor_table_and_charts(page: Page, site: Site) -> None:
    page.goto(site.url + "/#/monitor")
    table = page.locator("#targets")
    expect(table).to_be_visible()
    # The plan's 2015 target of 2,000 tech SMEs against the fixture's seven.
    row = table.locator('tr[data-id="tech_smes"]')
    expect(row).to_contain_text("科技型中小企业数量")
    expect(row).to_contain_text("2,000")
    expect(row.locator("td").nth(3)).to_have_text("7 家")
    expect(page.locator("#monitor-chart svg rect").first).to_be_visible()
    expect(page.locator("#band-chart svg")).to_have_count(2)
    screenshot(page, "monitor")
