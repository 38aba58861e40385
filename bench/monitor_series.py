"""Monitor series (every plan indicator for 2010–2015 plus the projection) on the ×N demo graph.

    .venv/bin/python -m bench.monitor_series [--scales 1 10] [--store DIR] [--runs 5] [--before DIR]

Builds the ×N demo graph (``innograph demo build``: generator, reference data, ingest of every
file including the 2011–2015 tech-SME lists) into an embedded store under ``--store`` (reused
when it is already there), then times, with ``perf_counter``:

- *cold*: what the first ``GET /api/v1/monitor/series`` after a write to its inputs pays
  (``analytics.service.monitor_series``) — the small projection (incubators, parks, centres,
  alliances, industry tree), the firms' columns (``GraphStore.node_rows``), the one-pass read of
  the dated facts, the series;
- *warm*: the series alone, from the projection, dated and undated facts the service caches per
  store version (what every later request before the next write pays, minus the cache lookup);
- *dated read*: ``analytics.timeline.read_dated`` alone (the store history reads plus the
  properties of the incubators on yearly lists).

Median of ``--runs`` (wall time, and the CPU time of this process for the cold path: on a shared
machine the wall time mostly measures the other jobs); the target in issue #13 is < 2 s at ×10.
Prints a Markdown table with the ratio of each wall time to the target, and the load average.

``--before DIR``: a checkout of earlier code (``git archive REF | tar -x -C DIR``) whose own
``bench/monitor_series.py`` is run on the same stores, alternating with this one scale by scale
(same machine state), adding a *before* row per scale and the after / before ratios.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.plan import Plan, load_plan  # noqa: E402
from analytics.timeline import monitor_series, read_dated, series_facts, series_projection  # noqa: E402
from demo.build import build_demo  # noqa: E402
from graph.collector import collector_paused  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402

TARGET_S = 2.0


def _median(fn: Callable[[], object], runs: int, cpu: list[float] | None = None) -> float:
    """Median wall time of ``runs`` calls; the median CPU time of this process goes to ``cpu``
    (on a shared machine the wall time mostly measures the other jobs)."""
    times, cpu_times = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - started_cpu)
    if cpu is not None:
        cpu.append(statistics.median(cpu_times))
    return statistics.median(times)


def _store(scale: int, root: Path) -> tuple[EmbeddedStore, float | None]:
    folder = root / f"x{scale}"
    folder.mkdir(parents=True, exist_ok=True)
    store = EmbeddedStore(folder / "graph.innograph")
    if store.counts().labels.get("ListEdition", 0) == 0:
        started = time.perf_counter()
        shared = Path(os.environ.get("INNOGRAPH_SHARED_DATA", ROOT.parent / "shared" / "data"))
        build_demo(store, folder / "demo", scale=scale, shared_data=shared)
        return store, time.perf_counter() - started
    return store, None


def _figures(scale: int, root: Path, runs: int, plan: Plan) -> dict[str, str]:
    store, built = _store(scale, root)
    counts = store.counts()

    def cold() -> object:
        # As analytics.service.monitor_series computes it: the collector paused (graph.collector)
        # — and the collection that the pause defers is paid here too, not after the clock stops.
        with collector_paused():
            graph = series_projection(store)
            series = monitor_series(store, graph, plan, read_dated(store, graph), series_facts(store, graph))
        gc.collect(1)
        return series

    graph = series_projection(store)
    dated, base = read_dated(store, graph), series_facts(store, graph)
    cold_cpu: list[float] = []
    cold_s = _median(cold, runs, cold_cpu)
    warm_s = _median(lambda: monitor_series(store, graph, plan, dated, base), runs)
    dated_s = _median(lambda: read_dated(store), runs)
    series = monitor_series(store, graph, plan, dated, base)
    assert series.years == [2010, 2011, 2012, 2013, 2014, 2015], series.years
    store.close()
    firms, rows = counts.labels.get("Enterprise", 0), counts.relationships.get("LISTED_IN", 0)
    build = "reused" if built is None else f"{built:.0f}"
    return {
        "scale": f"×{scale}",
        "firms": f"{firms:,}",
        "list rows": f"{rows:,}",
        "build s": build,
        "cold s": f"{cold_s:.2f}",
        "cold CPU s": f"{cold_cpu[0]:.2f}",
        "warm s": f"{warm_s:.2f}",
        "dated read s": f"{dated_s:.2f}",
        "cold / 2 s": f"{cold_s / TARGET_S:.2f}",
        "warm / 2 s": f"{warm_s / TARGET_S:.2f}",
    }


_COLUMNS = [
    "scale",
    "firms",
    "list rows",
    "build s",
    "cold s",
    "cold CPU s",
    "warm s",
    "dated read s",
    "cold / 2 s",
    "warm / 2 s",
]
#: The columns compared with ``--before`` (after / before).
_COMPARED = ("cold s", "cold CPU s", "warm s", "dated read s")


def _before(checkout: Path, scale: int, root: Path, runs: int) -> dict[str, str]:
    """The figures of the earlier code in ``checkout`` for one scale, from its own bench's table."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.monitor_series",
            "--scales",
            str(scale),
            "--runs",
            str(runs),
            "--store",
            str(root),
        ],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    values = [c.strip() for c in lines[2].strip("|").split("|")]
    return dict(zip(header, values, strict=True))


def _line(figures: dict[str, str], run: str) -> str:
    return "| " + " | ".join([run, *(figures.get(c, "—") for c in _COLUMNS)]) + " |"


def _ratios(before: dict[str, str], after: dict[str, str]) -> str:
    parts = []
    for column in _COMPARED:
        try:
            parts.append(f"{column} {float(after[column]) / float(before[column]):.2f}")
        except (KeyError, ValueError, ZeroDivisionError):
            parts.append(f"{column} —")
    return f"{after['scale']} after / before: " + ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--store", type=Path, default=Path("/tmp/innograph-bench-monitor"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="a checkout of earlier code to compare with")
    args = parser.parse_args(argv)
    plan = load_plan()
    load = os.getloadavg()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · load "
        f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()}"
    )
    print("\n| run | " + " | ".join(_COLUMNS) + " |")
    print("|---" * (len(_COLUMNS) + 1) + "|")
    ratios = []
    for scale in args.scales:
        after = _figures(scale, args.store, args.runs, plan)  # builds the store when it is missing
        if args.before is not None:
            before = _before(args.before, scale, args.store, args.runs)
            print(_line(before, "before"), flush=True)
            ratios.append(_ratios(before, after))
        print(_line(after, "after" if args.before is not None else "this code"), flush=True)
    load = os.getloadavg()
    print(f"\nload at the end {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")
    for line in ratios:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
