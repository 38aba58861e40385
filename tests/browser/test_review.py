"""The review page: the pending pair is listed; without a key the refusal is shown; with the
editor key, accepting merges the pair and the list empties."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from graph.changeset import ChangeSet
from graph.model import NodeLabel, RelType
from ingest.review import review_id
from tests.browser.conftest import Site, screenshot

pytestmark = pytest.mark.browser

LEFT, RIGHT = "ent:nbrowserleft", "ent:nbrowserright"


def _seed(site: Site) -> str:
    rid = review_id(LEFT, RIGHT)
    changes = ChangeSet()
    changes.add_node(NodeLabel.ENTERPRISE, {"id": LEFT, "name": "海卓艾尔公司"})
    changes.add_node(NodeLabel.ENTERPRISE, {"id": RIGHT, "name": "海卓艾尔航天公司"})
    changes.add_node(
        NodeLabel.PATENT, {"id": "patent:ES2642580T3", "number": "ES2642580T3", "title": "飞行器"}
    )
    changes.add_relationship(
        RelType.APPLIED_FOR,
        (NodeLabel.ENTERPRISE, LEFT),
        (NodeLabel.PATENT, "patent:ES2642580T3"),
        {"order": 1},
    )
    changes.add_node(
        NodeLabel.REVIEW_DECISION,
        {
            "id": rid,
            "status": "pending",
            "leftId": LEFT,
            "leftName": "海卓艾尔公司",
            "rightId": RIGHT,
            "rightName": "海卓艾尔航天公司",
            "targetLabel": "Enterprise",
            "score": 88.0,
            "records": ["patsnap_green_aviation_20240401085613950.xlsx#222"],
        },
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
