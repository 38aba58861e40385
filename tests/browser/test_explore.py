"""Searching, opening an entity and its neighbourhood, the language switch and error messages —
driven in the system's headless Chromium against a real server over the fixture graph."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, screenshot
from tests.browser.fixture_graph import FIRM_ID, FIRM_NAME, UNIVERSITY_ID

pytestmark = pytest.mark.browser


def test_search_a_firm_and_open_it(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    expect(page.locator("#stats .figure").first).to_be_visible()
    page.fill("#search-input", "晶辉")
    page.click("#search-button")
    hit = page.locator(f'.hit[data-id="{FIRM_ID}"]')
    expect(hit).to_be_visible()
    expect(page.locator("#result-count")).to_contain_text("1")
    screenshot(page, "search-results")

    hit.locator(".hit-name").click()
    expect(page.locator("#entity-name")).to_have_text(FIRM_NAME)
    expect(page.locator("#properties")).to_contain_text("Tianjin Jinghui Optoelectronics")
    expect(page.locator("#provenance")).to_contain_text("fixture.csv#1")
    # The neighbourhood is drawn: the firm in the middle, its patents, park, people around it.
    network = page.locator("#neighborhood svg.network-svg")
    expect(network).to_be_visible()
    expect(network.locator(f'.node.primary[data-id="{FIRM_ID}"]')).to_have_count(1)
    assert network.locator(".node").count() >= 6
    assert network.locator("line.edge").count() >= 6
    expect(page.locator("#partners-button")).to_be_visible()
    screenshot(page, "entity-firm")


def test_click_a_node_in_the_network_opens_it(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/#/entity/{FIRM_ID}")
    node = page.locator(f'#neighborhood .node[data-id="{UNIVERSITY_ID}"]')
    expect(node).to_be_visible()
    node.click()
    expect(page).to_have_url(re.compile(r"#/entity/uni%3A4112010056$"))
    expect(page.locator("#entity-name")).to_have_text("天津大学")
    screenshot(page, "entity-university")


def test_search_by_pinyin_and_english_with_type_filter(page: Page, site: Site) -> None:
    page.goto(site.url + "/#/search?q=tianjindaxue")
    expect(page.locator(f'.hit[data-id="{UNIVERSITY_ID}"]')).to_be_visible()
    page.goto(site.url + "/#/search?q=Tianjin%20University&type=University")
    expect(page.locator(".hit").first).to_be_visible()
    types = page.locator(".hit").evaluate_all("els => els.map(e => e.dataset.type)")
    assert types and set(types) == {"University"}
    page.goto(site.url + "/#/search?q=LED&type=Patent")
    expect(page.locator(".hit").first).to_be_visible()
    assert set(page.locator(".hit").evaluate_all("els => els.map(e => e.dataset.type)")) == {"Patent"}
    screenshot(page, "search-patents")


def test_language_switch(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    expect(page.locator('[data-nav="search"]')).to_have_text("搜索")
    page.click("#lang-switch")
    expect(page.locator('[data-nav="search"]')).to_have_text("Search")
    expect(page.locator("#search-button")).to_have_text("Search")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{site.url}/#/entity/{FIRM_ID}")
    expect(page.locator("#partners-button")).to_have_text("Find research partners")
    screenshot(page, "entity-firm-english")
    # The choice survives a reload, and switching back restores Chinese.
    page.reload()
    expect(page.locator("#partners-button")).to_have_text("Find research partners")
    page.click("#lang-switch")
    expect(page.locator("#partners-button")).to_have_text("寻找合作伙伴")


def test_api_error_is_shown_with_its_detail(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/#/entity/ent:does-not-exist")
    box = page.locator(".error-box")
    expect(box).to_be_visible()
    # The problem+json detail from the API, word for word, and the status.
    expect(box.locator(".error-detail")).to_have_text("no entity with id 'ent:does-not-exist'")
    expect(box).to_contain_text("404")
    screenshot(page, "error-not-found")


def test_unknown_search_says_nothing_matched(page: Page, site: Site) -> None:
    page.goto(site.url + "/#/search?q=量子引力")
    expect(page.locator("#no-results")).to_contain_text("量子引力")


def test_missing_endpoint_says_not_available(page: Page, site: Site) -> None:
    """An older server without the monitor: the page says so instead of drawing anything made up."""
    page.route(
        "**/api/v1/monitor",
        lambda route: route.fulfill(
            status=404,
            content_type="application/problem+json",
            body='{"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found"}',
        ),
    )
    page.goto(site.url + "/#/monitor")
    box = page.locator(".unavailable")
    expect(box).to_contain_text("此功能暂不可用")
    expect(box).to_contain_text("/api/v1/monitor")
    expect(page.locator("#targets")).to_have_count(0)
    screenshot(page, "not-available")
