"""How long the page's force layout (api/web/js/network.js) takes in the real browser.

The layout is O(n²) per step, with fewer steps for big pictures (300 up to 120 nodes, 200 up to
300, 120 above). This times ``layout()`` in headless Chromium (Debian's ``/usr/bin/chromium``)
on random graphs with three edges per node, the median of five runs each, and prints the time
per size with its ratio to the previous size.

    .venv/bin/python -m bench.web_layout [--sizes 25 50 100 200 400 800]
"""

from __future__ import annotations

import argparse
import socket
import threading
import time

import uvicorn
from playwright.sync_api import sync_playwright

from api.app import create_app
from graph.embedded import EmbeddedStore

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200, 400, 800])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(store=EmbeddedStore(None)), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{sock.getsockname()[1]}/")
            print(f"| nodes | edges | steps | median ms (of {args.runs}) | × previous size's time |")
            print("|---:|---:|---:|---:|---:|")
            previous = None
            for n in args.sizes:
                steps, ms = page.evaluate(TIMING_JS, [n, args.runs])
                ratio = f"{ms / previous:.2f}" if previous else "—"
                print(f"| {n} | {3 * n} | {steps} | {ms:.1f} | {ratio} |")
                previous = ms
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


if __name__ == "__main__":
    main()
