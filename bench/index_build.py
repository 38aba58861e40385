"""Match index build time and memory: the build before issue #14's speed-up against today's.

    .venv/bin/python -m bench.index_build GRAPH_FILE [GRAPH_FILE …] [--runs 2] [--json OUT]

GRAPH_FILE is an embedded store's file (the demo ×1 / ×10 that ``bench.scale`` or
``demo.build`` writes). "before" is the reference build kept for the equivalence tests
(tests/match/reference_index.py: networkx ties, BM25 and TF-IDF over concatenated token lists),
"after" is ``match.index.MatchIndex``. Each build runs in a fresh child process (the tokeniser's
cache and the region hierarchy would otherwise favour the second), alternating before / after;
the store is read and projected before the clock starts, so the figure is ``from_graph``
(``consume=True``, as ``match.cache.build_index``) alone. Per build: wall seconds, CPU seconds
(user + system: less sensitive than wall time to a shared machine), peak RSS above the RSS
before the build, RSS kept after it (and a collection), and the 1-minute load average. Prints
one table and the after / before ratios of the medians.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * _PAGE / 2**20


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(which: str, path: Path) -> dict[str, Any]:
    """One build in this process: the figures of :func:`main`'s table."""
    from graph.embedded import EmbeddedStore
    from match.cache import projection
    from match.index import MatchIndex
    from tests.match.reference_index import ReferenceIndex

    store = EmbeddedStore(path)
    graph = projection(store)
    store.close()
    gc.collect()
    before = _rss_mib()
    cpu = _cpu_s()
    started = time.perf_counter()
    cls: Any = ReferenceIndex if which == "before" else MatchIndex
    index = cls.from_graph(graph, None, consume=True)
    wall = time.perf_counter() - started
    cpu = _cpu_s() - cpu
    del graph
    gc.collect()
    return {
        "which": which,
        "nodes": len(index.label),
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before,
        "kept_mib": _rss_mib() - before,
        "load": os.getloadavg()[0],
    }


def _run(which: str, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.index_build", "--child", which, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("graphs", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", choices=["before", "after"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.graphs[0])))
        return 0
    rows: list[dict[str, Any]] = []
    for path in args.graphs:
        for _ in range(args.runs):
            for which in ("before", "after"):
                row = {"graph": str(path), **_run(which, path)}
                rows.append(row)
                print(
                    f"{path}: {which} {row['wall_s']:.1f} s wall, {row['cpu_s']:.1f} s CPU, "
                    f"peak +{row['peak_mib']:.0f} MiB, kept +{row['kept_mib']:.0f} MiB @{row['load']:.1f}",
                    flush=True,
                )
    print()
    print("| graph (nodes) | | wall s (load) | CPU s | peak MiB | kept MiB |")
    print("|---|---|---|---:|---:|---:|")
    for path in args.graphs:
        med: dict[str, dict[str, float]] = {}
        for which in ("before", "after"):
            mine = [r for r in rows if r["graph"] == str(path) and r["which"] == which]
            med[which] = {
                k: statistics.median(r[k] for r in mine) for k in ("wall_s", "cpu_s", "peak_mib", "kept_mib")
            }
            walls = ", ".join(f"{r['wall_s']:.1f} ({r['load']:.1f})" for r in mine)
            m = med[which]
            print(
                f"| {path.parent.name} ({mine[0]['nodes']:,}) | {which} | {walls} | {m['cpu_s']:.1f} | "
                f"{m['peak_mib']:.0f} | {m['kept_mib']:.0f} |"
            )
        ratio = {
            k: med["after"][k] / med["before"][k] if med["before"][k] else float("nan") for k in med["after"]
        }
        print(
            f"| | **after / before** | **{ratio['wall_s']:.2f}×** | **{ratio['cpu_s']:.2f}×** | "
            f"{ratio['peak_mib']:.2f}× | {ratio['kept_mib']:.2f}× |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
