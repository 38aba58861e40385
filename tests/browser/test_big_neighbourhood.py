"""A firm with 5,000 neighbours stays usable in the browser: the entity view draws one counted
node per relationship group (the small groups member by member), opens a group a page at a
time from the picture or the list, and no picture draws more than the layout's budget."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from graph.embedded import EmbeddedStore
from tests.browser.conftest import Site, _Server, screenshot
from tests.browser.hub_graph import HUB_ID, HUB_NAME, PARK_ID, PEOPLE, UNIVERSITY_ID, hub_changes

pytestmark = pytest.mark.browser

PATENTS = 5000
GROUP = "@group|APPLIED_FOR|out|Patent"
MORE = "@more|APPLIED_FOR|out|Patent"


@pytest.fixture(scope="module")
def hub_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("hub-site")
    store = EmbeddedStore(tmp / "graph.innograph")
    store.apply(hub_changes(PATENTS))
    try:
        with _Server(store, tmp / "api-keys.json") as server:
            yield Site(f"http://127.0.0.1:{server.port}", server.editor_key, store)
    finally:
        store.close()


def _patents_drawn(page: Page) -> int:
    return page.locator('#neighborhood .node[data-type="Patent"]:not(.group)').count()


def test_a_5000_neighbour_firm_is_drawn_grouped(page: Page, hub_site: Site) -> None:
    page.goto(f"{hub_site.url}/#/entity/{HUB_ID}")
    expect(page.locator("#entity-name")).to_have_text(HUB_NAME)
    network = page.locator("#neighborhood svg.network-svg")
    expect(network).to_be_visible()
    expect(page.locator("#neighbor-total")).to_contain_text("5,005")
    expect(page.locator("#grouped-hint")).to_be_visible()
    # The 5,000 patents are one node with their count; the park, the university and the people
    # (small groups) are drawn one by one, so the picture holds a handful of nodes.
    group = network.locator(f'.node.group[data-id="{GROUP}"]')
    expect(group).to_have_count(1)
    expect(group).to_contain_text("5,000")
    for member in (PARK_ID, UNIVERSITY_ID, "person:hub0"):
        expect(network.locator(f'.node[data-id="{member}"]')).to_have_count(1)
    assert network.locator(".node").count() == 1 + 1 + 1 + 1 + PEOPLE
    assert _patents_drawn(page) == 0
    # The list counts every group and lists the small ones.
    relations = page.locator("#relations")
    expect(relations.locator('[data-group="APPLIED_FOR|out|Patent"] h4')).to_contain_text("5,000")
    expect(relations.locator('[data-group="AFFILIATED_WITH|in|Person"] li')).to_have_count(PEOPLE)
    screenshot(page, "entity-hub-grouped")


def test_open_the_group_a_page_at_a_time(page: Page, hub_site: Site) -> None:
    page.goto(f"{hub_site.url}/#/entity/{HUB_ID}")
    network = page.locator("#neighborhood svg.network-svg")
    network.locator(f'.node[data-id="{GROUP}"] circle').click()
    expect(network.locator(f'.node[data-id="{MORE}"]')).to_contain_text("4,960")
    assert _patents_drawn(page) == 40
    expect(network.locator('.node[data-id="patent:CNHUB000000A"]')).to_have_count(1)
    # The "more" node fetches the next page through the cursor.
    network.locator(f'.node[data-id="{MORE}"] circle').click()
    expect(network.locator(f'.node[data-id="{MORE}"]')).to_contain_text("4,920")
    assert _patents_drawn(page) == 80
    expect(network.locator('.node[data-id="patent:CNHUB000079A"]')).to_have_count(1)
    # The list shows what was loaded and pages on by itself.
    patents = page.locator('#relations [data-group="APPLIED_FOR|out|Patent"]')
    expect(patents.locator("li")).to_have_count(80)
    patents.locator("button.more").click()
    expect(patents.locator("li")).to_have_count(120)
    expect(patents.locator("button.more")).to_contain_text("4,880")
    screenshot(page, "entity-hub-opened")
    # A drawn patent opens as before.
    network.locator('.node[data-id="patent:CNHUB000001A"] circle').click()
    expect(page).to_have_url(re.compile(r"#/entity/patent%3ACNHUB000001A$"))


def test_a_group_opens_from_the_keyboard_in_english(page: Page, hub_site: Site) -> None:
    page.goto(f"{hub_site.url}/#/entity/{HUB_ID}")
    page.click("#lang-switch")
    group = page.locator(f'#neighborhood .node[data-id="{GROUP}"]')
    expect(group).to_contain_text("×5,000")
    expect(page.locator("#grouped-hint")).to_contain_text("grouped by relationship")
    group.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f'#neighborhood .node[data-id="{MORE}"]')).to_contain_text("4,960 more")


def test_no_picture_draws_more_than_the_budget(page: Page, hub_site: Site) -> None:
    """Any view that hands drawNetwork thousands of nodes gets the budget's first MAX_NODES
    (fixed and labelled nodes first), a bounded layout and a note saying what was left out."""
    page.goto(f"{hub_site.url}/")
    expect(page.locator("#stats .figure").first).to_be_visible()
    drawn = page.evaluate(
        """async () => {
          const { drawNetwork, MAX_NODES } = await import("/static/js/network.js");
          const box = document.createElement("div");
          box.id = "budget-test";
          document.querySelector("main").prepend(box);
          const nodes = [{ id: "hub", name: "hub", primary: true, fixed: true },
            ...Array.from({ length: 5000 }, (_, i) => ({ id: `n${i}`, name: `n${i}` })),
            { id: "star", name: "star", showLabel: true }];
          const edges = nodes.slice(1).map((n) => ({ source: "hub", target: n.id }));
          drawNetwork(box, nodes, edges, { legend: false });
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const wrap = box.querySelector(".network");
          return { max: MAX_NODES, nodes: box.querySelectorAll(".node").length,
                   edges: box.querySelectorAll("line.edge").length,
                   star: !!box.querySelector('[data-id="star"]'),
                   hub: !!box.querySelector('[data-id="hub"]'), steps: Number(wrap.dataset.steps),
                   note: box.querySelector(".network-omitted").textContent };
        }"""
    )
    assert drawn["nodes"] == drawn["max"] == 400
    assert drawn["edges"] == 399 and drawn["star"] and drawn["hub"]
    assert 0 < drawn["steps"] <= 120
    assert "400" in drawn["note"] and "5,002" in drawn["note"]
    screenshot(page, "budget-5000")


def test_the_old_neighbors_endpoint_is_unchanged(hub_site: Site) -> None:
    body = httpx.get(f"{hub_site.url}/api/v1/entities/{HUB_ID}/neighbors", params={"limit": 500}).json()
    assert len(body) == 500 and body[0]["node"]["id"] == "person:hub0"


def test_the_firm_view_keeps_the_best_tied_firms_when_over_budget(page: Page, hub_site: Site) -> None:
    """At city or province scale the clusters page hands thousands of firms to the picture; the
    budget keeps the first MAX_NODES, so firmGraph must put the best-tied firms first."""
    page.goto(f"{hub_site.url}/")
    expect(page.locator("#stats .figure").first).to_be_visible()
    kept = page.evaluate(
        """async () => {
          const { firmGraph } = await import("/static/js/views/clusters.js");
          const { budget } = await import("/static/js/network.js");
          const clusters = [{ id: "C1" }];
          const nodes = Array.from({ length: 2000 }, (_, i) => ({ id: `f${String(i).padStart(4, "0")}`,
            name: `f${i}`, cluster: "C1" }));
          // Firms 1950-1999 hold the heavy ties (and f0000, tied to f1999); the rest are faint.
          const edges = nodes.map((n, i) => ({ source: n.id, target: nodes[(i + 1) % 2000].id,
            weight: i >= 1950 ? 100 : 0.01 }));
          const graph = firmGraph(clusters, { nodes, edges });
          const drawn = budget(graph.nodes, graph.edges);
          return { total: graph.nodes.length, drawn: drawn.nodes.map((n) => n.id), omitted: drawn.omitted };
        }"""
    )
    assert kept["total"] == 2000 and kept["omitted"] == 1600 and len(kept["drawn"]) == 400
    best = {f"f{i:04d}" for i in range(1950, 2000)} | {"f0000"}  # f0000 is tied to f1999
    assert best <= set(kept["drawn"][:51])
