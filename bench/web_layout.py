"""How long the page's network pictures take in the real browser, hand-drawn and with libraries.

Two tables, in headless Chromium (Debian's ``/usr/bin/chromium``):

1. ``layout()`` of ``api/web/js/network.js`` on random graphs with three edges per node, the
   median of five runs per size, with the ratio to the previous size (each step is O(n²); the
   step count falls with size, see ``layoutSteps``).
2. The 5,000-neighbour firm (``tests/browser/hub_graph.py``, loaded through the store API into a
   temporary embedded store and read back through ``/neighborhood`` pages): time from data in
   hand to a painted picture, drawn every way the page could draw it — the hand-drawn SVG with
   the old step rule and no budget, with the budget, the page's grouped view (navigation to the
   picture, and opening the patent group), and the libraries weighed for it: cytoscape.js
   (its force layout ``cose``, and ``concentric``) and ECharts (graph series, force layout).
   The libraries are installed from npm at the pinned versions into ``build/web-bench``
   (npm must reach its registry); only for this bench — the page itself uses none.

    .venv/bin/python -m bench.web_layout [--sizes 25 50 100 200 400 800] [--hub 300 5000]
                                         [--only random|fixture] [--runs 5]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from api.app import create_app
from graph.embedded import EmbeddedStore
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.hub_graph import HUB_ID, hub_changes

ROOT = Path(__file__).resolve().parent.parent
#: The libraries weighed against the hand-drawn pictures, pinned (npm install, bench only).
LIBRARIES = {"cytoscape": "3.35.0", "echarts": "6.1.0"}
LIBRARY_DIR = ROOT / "build" / "web-bench"
#: A library run that has not painted by then is reported as "> limit".
LIBRARY_LIMIT_MS = 150_000

TIMING_JS = """
async ([n, runs]) => {
  const { layout } = await import("/static/js/network.js");
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}` }));
  const edges = Array.from({ length: 3 * n }, () => ({
    source: `n${Math.floor(rand() * n)}`, target: `n${Math.floor(rand() * n)}` }));
  const iterations = n > 300 ? 120 : n > 120 ? 200 : 300;
  const times = [];
  for (let r = 0; r < runs; r++) {
    const copy = nodes.map((x) => ({ ...x }));
    const t0 = performance.now();
    layout(copy, edges, { width: 1200, height: 520, iterations });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [iterations, times[Math.floor(runs / 2)]];
}
"""


FIXTURE_DATA_JS = """
async (id) => {
  const nodes = [{ id, name: "hub", type: "Enterprise", primary: true, fixed: true }];
  const edges = [];
  let cursor = null;
  do {
    const params = new URLSearchParams({ limit: "500" });
    if (cursor) params.set("cursor", cursor);
    const path = `/api/v1/entities/${encodeURIComponent(id)}/neighborhood?${params}`;
    const body = await (await fetch(path)).json();
    for (const n of body.items) {
      nodes.push({ id: n.node.id, name: n.node.name, type: n.node.type });
      edges.push({ source: n.relationship.start, target: n.relationship.end });
    }
    cursor = body.nextCursor;
  } while (cursor);
  window.__hub = { nodes, edges };
  return [nodes.length, edges.length];
}
"""

# Each renderer draws window.__hub into a fresh 1200×520 box and resolves once the browser has
# painted (two animation frames after the drawing call returned or the library said it is done).
HAND_JS = """
async (opts) => {
  const { drawNetwork } = await import("/static/js/network.js");
  const box = document.createElement("div");
  box.style.cssText = "width:1200px";
  document.body.replaceChildren(box);
  const { nodes, edges } = window.__hub;
  const t0 = performance.now();
  drawNetwork(box, nodes, edges, { height: 520, legend: false, ...(opts.full
    ? { maxNodes: Infinity, steps: nodes.length > 300 ? 120 : 200, budgetMs: Infinity } : {}) });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const wrap = box.querySelector(".network");
  return [performance.now() - t0, Number(wrap.dataset.nodes), Number(wrap.dataset.steps)];
}
"""

CYTOSCAPE_JS = """
async (layoutName) => {
  const box = document.createElement("div");
  box.style.cssText = "width:1200px;height:520px";
  document.body.replaceChildren(box);
  const { nodes, edges } = window.__hub;
  const t0 = performance.now();
  const cy = window.cytoscape({ container: box, elements: [
      ...nodes.map((n) => ({ data: { id: n.id, label: n.name } })),
      ...edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target } }))],
    style: [{ selector: "node", style: { width: 8, height: 8 } }], layout: { name: "preset" } });
  await new Promise((resolve) => {
    const layout = cy.layout(layoutName === "cose"
      ? { name: "cose", animate: false, randomize: true, numIter: 120 }
      : { name: "concentric", animate: false, levelWidth: () => 1,
          concentric: (n) => (n.degree() > 1 ? 2 : 1) });
    layout.one("layoutstop", resolve);
    layout.run();
  });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const ms = performance.now() - t0;
  cy.destroy();
  return [ms, nodes.length];
}
"""

ECHARTS_JS = """
async () => {
  const box = document.createElement("div");
  box.style.cssText = "width:1200px;height:520px";
  document.body.replaceChildren(box);
  const { nodes, edges } = window.__hub;
  const t0 = performance.now();
  const chart = window.echarts.init(box, null, { renderer: "canvas" });
  await new Promise((resolve) => {
    chart.on("finished", resolve);
    chart.setOption({ animation: false, series: [{ type: "graph", layout: "force", roam: true,
      force: { layoutAnimation: false, repulsion: 30, edgeLength: 40 }, symbolSize: 6,
      data: nodes.map((n) => ({ id: n.id, name: n.name })),
      links: edges.map((e) => ({ source: e.source, target: e.target })) }] });
  });
  const ms = performance.now() - t0;
  chart.dispose();
  return [ms, nodes.length];
}
"""


def _libraries() -> dict[str, Path]:
    """The UMD builds of the weighed libraries, installed from npm once into build/web-bench."""
    files = {
        "cytoscape": LIBRARY_DIR / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js",
        "echarts": LIBRARY_DIR / "node_modules" / "echarts" / "dist" / "echarts.min.js",
    }
    if not all(f.exists() for f in files.values()):
        LIBRARY_DIR.mkdir(parents=True, exist_ok=True)
        specs = [f"{name}@{version}" for name, version in LIBRARIES.items()]
        subprocess.run(
            ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(LIBRARY_DIR), *specs],
            check=True,
        )
    return files


def _serve(store: EmbeddedStore) -> tuple[uvicorn.Server, threading.Thread, socket.socket]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(store=store), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread, sock


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def random_table(page: Any, sizes: list[int], runs: int) -> None:
    print(f"| nodes | edges | steps | median ms (of {runs}) | × previous size's time |")
    print("|---:|---:|---:|---:|---:|")
    previous = None
    for n in sizes:
        steps, ms = page.evaluate(TIMING_JS, [n, runs])
        ratio = f"{ms / previous:.2f}" if previous else "—"
        print(f"| {n} | {3 * n} | {steps} | {ms:.1f} | {ratio} |")
        previous = ms


def _library_tab(browser: Any, url: str, libraries: dict[str, Path]) -> Any:
    """A tab over the fixture with the libraries loaded. They are injected as inline scripts,
    which the page's CSP refuses: this bench tab alone bypasses it (the page never loads them)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(url + "/")
    page.evaluate(FIXTURE_DATA_JS, HUB_ID)
    for path in libraries.values():
        page.add_script_tag(content=path.read_text(encoding="utf-8"))
    return page


def _timed(
    browser: Any, url: str, libraries: dict[str, Path], script: str, arg: object, runs: int
) -> list[Any]:
    """Median time of ``script`` and its other results, or None once a run passes the limit
    (its tab is closed: a layout cannot be interrupted from outside)."""
    page = _library_tab(browser, url, libraries)
    started = f"async (arg) => {{ const run = {script}; window.__done = null; "
    started += "setTimeout(() => run(arg).then((r) => { window.__done = r; }), 0); }"
    results = []
    try:
        for _ in range(runs):
            page.evaluate(started, arg)
            try:
                page.wait_for_function("() => window.__done", timeout=LIBRARY_LIMIT_MS, polling=200)
            except PlaywrightTimeout:
                return [None]
            results.append(page.evaluate("window.__done"))
    finally:
        page.context.close()
    return [_median([r[0] for r in results]), *results[0][1:]]


def fixture_table(browser: Any, url: str, runs: int, patents: int) -> None:
    libraries = _libraries()
    n_nodes, n_edges = patents + 6, patents + 5
    rows: list[tuple[str, str, str]] = []

    def row(name: str, picture: str, ms: float | None) -> None:
        text = f"{ms:.0f}" if ms is not None else f"> {LIBRARY_LIMIT_MS // 1000} s (stopped)"
        print(f"  {name}: {text}", flush=True)
        rows.append((name, picture, text))

    ms, drawn, steps = _timed(browser, url, libraries, HAND_JS, {"full": True}, 1)
    row("hand-drawn SVG, old rule (all nodes, 120 steps, no cap)", f"{drawn} nodes, {steps} steps", ms)
    ms, drawn, steps = _timed(browser, url, libraries, HAND_JS, {"full": False}, runs)
    row("hand-drawn SVG with the budget (drawNetwork default)", f"{drawn} nodes, {steps} steps", ms)
    ms, *_ = _timed(browser, url, libraries, CYTOSCAPE_JS, "concentric", runs)
    row(f"cytoscape.js {LIBRARIES['cytoscape']} canvas, `concentric` layout", f"{n_nodes} nodes", ms)
    ms, *_ = _timed(browser, url, libraries, CYTOSCAPE_JS, "cose", 1)
    row(
        f"cytoscape.js {LIBRARIES['cytoscape']} canvas, `cose` force layout, 120 iterations",
        f"{n_nodes} nodes",
        ms,
    )
    ms, *_ = _timed(browser, url, libraries, ECHARTS_JS, None, 1)
    row(f"ECharts {LIBRARIES['echarts']} graph series, force layout (canvas)", f"{n_nodes} nodes", ms)

    # The page as a user meets it: the grouped view, then opening the 5,000 patents' group.
    tab = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    opened, grouped = [], []
    for _ in range(runs):
        tab.goto(url + "/")
        tab.wait_for_selector("#stats .figure")
        t0 = time.perf_counter()
        tab.goto(f"{url}/#/entity/{HUB_ID}")
        tab.wait_for_selector("#neighborhood svg.network-svg")
        grouped.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        tab.click('#neighborhood .node[data-id="@group|APPLIED_FOR|out|Patent"] circle')
        tab.wait_for_selector('#neighborhood .node[data-id="@more|APPLIED_FOR|out|Patent"]')
        opened.append((time.perf_counter() - t0) * 1000)
    row("the page: open the firm (API + grouped picture + list)", "7 nodes", _median(grouped))
    row("the page: click the patent group (next 40 fetched and drawn)", "47 nodes", _median(opened))
    print(f"  ({patents:,} patents)", flush=True)
    tab.context.close()

    print(
        f"\n{n_edges:,}-neighbour firm: {n_nodes} nodes, {n_edges} edges; "
        f"median of {runs} runs (1 for the slow ones)"
    )
    print("| drawn by | picture | ms to painted picture |")
    print("|---|---|---:|")
    for name, picture, ms_text in rows:
        print(f"| {name} | {picture} | {ms_text} |")


def _served(patents: int | None) -> Any:
    """A temporary embedded store (with the hub firm of ``patents`` patents, if given), served."""
    tmp = tempfile.TemporaryDirectory()
    store = EmbeddedStore(Path(tmp.name) / "graph.innograph")
    if patents:
        store.apply(hub_changes(patents))
    server, thread, sock = _serve(store)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()
        tmp.cleanup()

    return f"http://127.0.0.1:{sock.getsockname()[1]}", stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200, 400, 800])
    parser.add_argument("--hub", type=int, nargs="+", default=[5000], help="patents of the fixture firm")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["random", "fixture"])
    args = parser.parse_args()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if args.only != "fixture":
            url, stop = _served(None)
            try:
                page = browser.new_page()
                page.goto(url + "/")
                random_table(page, args.sizes, args.runs)
                page.close()
            finally:
                stop()
        if args.only != "random":
            for patents in args.hub:
                url, stop = _served(patents)
                try:
                    fixture_table(browser, url, args.runs, patents)
                finally:
                    stop()
        browser.close()


if __name__ == "__main__":
    main()
