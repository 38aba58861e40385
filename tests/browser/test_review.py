"""The review page: the pending pair is listed; without a key the refusal is shown; with the
editor key, accepting merges the pair and the list empties."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, screenshot
from tests.ingest.review_pairs import pending_pair

pytestmark = pytest.mark.browser

LEFT, RIGHT = "ent:nbrowserleft", "ent:nbrowserright"


def _seed(site: Site) -> str:
    rid, changes = pending_pair(
        (LEFT, "海卓艾尔公司"),
        (RIGHT, "海卓艾尔航天公司"),
        ("ES2642580T3", "飞行器"),
        88.0,
        records=["patsnap_green_aviation_20240401085613950.xlsx#222"],
    )
    site.store.apply(changes)
    return rid


def test_review_page_accept_with_an_editor_key(page: Page, site: Site) -> None:
    rid = _seed(site)
    page.goto(site.url + "/#/review")
    row = page.locator(f'#review-table tr[data-id="{rid}"]')
    expect(row).to_contain_text("海卓艾尔公司")
    expect(row).to_contain_text("海卓艾尔航天公司")
    expect(page.locator('[data-nav="review"]')).to_have_class("nav-link active")
    screenshot(page, "review-pending")

    row.locator('[data-action="accept"]').click()  # no key: the API's 401 is shown in the row
    expect(row.locator(".error-detail")).to_contain_text("API key")

    page.click("#settings-button")
    page.fill("#api-key-input", site.editor_key)
    page.click("#settings-save")
    page.locator(f'#review-table tr[data-id="{rid}"] [data-action="accept"]').click()
    expect(page.locator("#review-empty")).to_be_visible()
    assert site.store.get_node(LEFT) is None
    page.click("#review-tabs >> text=已接受")
    expect(page.locator(f'#review-table tr[data-id="{rid}"]')).to_contain_text("已接受")
    screenshot(page, "review-accepted")
