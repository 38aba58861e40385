"""Steady-state cost of the local Neo4j's JIT options (docs/NEO4J.md: the C1-only JIT makes a
restarted server's first query faster; what does it cost once warm?).

    .venv/bin/python -m bench.jit_cost --scales 1 10 --modes default c1 [c2late] [--rounds 300]

For each scale, a private Neo4j (``bench-watcher-jit-x<scale>``) is filled once with
``neo4j-admin database import`` from the CSVs an earlier ``bench.scale --first-load offline``
left in ``--cache`` (``work-x<scale>-neo4j/import-csv``), then, per mode, started with that
mode's JVM options (``NEO4J_LOCAL_JVM_OPTIONS``), warmed, and timed:

* the API's hot reads, one client, warm: ``get_node``, ``neighbors``, ``neighbor_groups`` and
  ``search_candidates`` on ``--sample`` real ids / names, ``--rounds`` calls each — p50 / p95;
* the match index's projection read (``match.cache``'s labels and types), ``--projections``
  times after one warm-up read — each run's seconds.

Modes alternate (default, c1, default, c1, … with ``--repeat``) so a change in the shared
machine's load hits both. Each figure is printed with the 1-minute load average at its end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import neo4j_local  # noqa: E402

from bench.neo4j_admin_import import bring_online, import_args_from, run_importer  # noqa: E402
from graph.model import NodeLabel, RelType  # noqa: E402
from graph.neo4j_store import Neo4jStore  # noqa: E402
from graph.records import Node  # noqa: E402

#: ``c2late``: C2 kept, but its tier-4 thresholds ×10 (Java 17's defaults 5000 / 600 / 15000 /
#: 40000), so a restarted server's first queries run on C1 code without C2 competing for the
#: cores — C1 only's cold speed with C2 at steady state, if it works (docs/NEO4J.md, *The JIT*).
MODES: dict[str, str] = {
    "default": "",
    "c1": "-XX:TieredStopAtLevel=1",
    "c2late": (
        "-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 "
        "-XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000"
    ),
}
HEAP = {1: ("1g", "512m"), 10: ("2g", "1g")}


def _load() -> float:
    return round(os.getloadavg()[0], 1)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def restore(name: str, scale: int, csv_dir: Path) -> None:
    """The scale's graph into instance ``name`` (stopped afterwards), once."""
    heap, pagecache = HEAP[scale]
    home = neo4j_local.configure(name, heap=heap, pagecache=pagecache)
    with tempfile.TemporaryDirectory(prefix="jit-cost-") as work:
        run_importer(home, import_args_from(csv_dir), Path(work), timeout_s=1200)
    state = neo4j_local.start(name, heap=heap, pagecache=pagecache)
    nodes, rels = bring_online(str(state["uri"]))
    print(f"x{scale}: {nodes:,} nodes, {rels:,} relationships imported", flush=True)
    neo4j_local.stop(name)


def _timed(call: Callable[[int], object], times: int) -> list[float]:
    """Milliseconds of each of ``times`` calls ``call(0)``, ``call(1)``, …"""
    out = []
    for i in range(times):
        started = time.perf_counter()
        call(i)
        out.append((time.perf_counter() - started) * 1000)
    return out


def measure(name: str, scale: int, mode: str, args: argparse.Namespace) -> dict[str, Any]:
    from match import cache

    heap, pagecache = HEAP[scale]
    os.environ["NEO4J_LOCAL_JVM_OPTIONS"] = MODES[mode]
    state = neo4j_local.start(name, heap=heap, pagecache=pagecache)
    store = Neo4jStore(str(state["uri"]), connection_timeout=10)
    try:
        rng = random.Random(args.seed)
        firms = [n for n in store.nodes(NodeLabel.ENTERPRISE, limit=5000) if isinstance(n, Node)]
        sample = rng.sample(firms, min(args.sample, len(firms)))
        names = [str(n.props.get("name") or n.id)[:4] for n in sample]
        hot: dict[str, Callable[[int], object]] = {
            "get_node": lambda i: store.get_node(sample[i % len(sample)].id),
            "neighbors": lambda i: store.neighbors(sample[i % len(sample)].id),
            "neighbor_groups": lambda i: store.neighbor_groups(sample[i % len(sample)].id),
            "search_candidates": lambda i: store.search_candidates(names[i % len(names)]),
        }
        labels = [label for label in NodeLabel if label not in cache.UNUSED_LABELS]
        types = [t for t in RelType if t not in cache.UNUSED_TYPES]

        def projection(_: int) -> object:
            return store.projection(labels=labels, rel_types=types)

        # Warm-up: every statement planned and run hot enough for the JIT to compile it.
        for call in hot.values():
            _timed(call, args.rounds)
        _timed(projection, 1)
        result: dict[str, Any] = {"scale": scale, "mode": mode, "jvm": MODES[mode] or "(default)"}
        for what, call in hot.items():
            ms = _timed(call, args.rounds)
            result[what] = {
                "p50_ms": round(statistics.median(ms), 2),
                "p95_ms": round(_pct(ms, 0.95), 2),
                "load": _load(),
            }
        runs = [t / 1000 for t in _timed(projection, args.projections)]
        result["projection_s"] = [round(t, 3) for t in runs]
        result["projection_load"] = _load()
        return result
    finally:
        store.close()
        neo4j_local.stop(name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10], choices=sorted(HEAP))
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every mode, alternating")
    parser.add_argument("--rounds", type=int, default=300, help="calls per hot read, after as many to warm")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--projections", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/work/.scalecache"))
    parser.add_argument("--name", default="bench-watcher-jit", help="instance name prefix")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: list[dict[str, Any]] = []
    for scale in args.scales:
        name = f"{args.name}-x{scale}"
        try:
            restore(name, scale, args.cache / f"work-x{scale}-neo4j" / "import-csv")
            for _ in range(args.repeat):
                for mode in args.modes:
                    result = measure(name, scale, mode, args)
                    results.append(result)
                    print(json.dumps(result, ensure_ascii=False), flush=True)
                    if args.json:
                        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
        finally:
            neo4j_local.stop(name, remove=True)
    for scale in args.scales:
        rows = [r for r in results if r["scale"] == scale]
        for what in ("get_node", "neighbors", "neighbor_groups", "search_candidates"):
            line = "  ".join(
                f"{r['mode']}: p50 {r[what]['p50_ms']:.2f} p95 {r[what]['p95_ms']:.2f} ms @{r[what]['load']}"
                for r in rows
            )
            print(f"x{scale} {what:18s} {line}")
        line = "  ".join(
            f"{r['mode']}: {', '.join(f'{s:.2f}' for s in r['projection_s'])} s @{r['projection_load']}"
            for r in rows
        )
        print(f"x{scale} {'projection':18s} {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
