"""The offline first load's Python half (docs/SCALING.md point 1): the demo files read, linked and
built into an in-memory embedded store, as ``bench.scale --first-load offline`` does before it
writes the ``neo4j-admin import`` CSVs — timed, and fingerprinted so two code versions can be
shown to build the same graph.

    .venv/bin/python -m bench.first_load_build --scale 10 [--demo-dir DIR] [--ref CHECKOUT] [--runs 1]

Each build runs in a fresh child process (cold caches, its own peak RSS). ``--ref CHECKOUT``
builds the same files with the code of another checkout first (e.g. ``git worktree add
/tmp/base <commit>``), then with this one, and prints both and their ratios: the before/after
comparison in one run, under the same machine load. Reported per build: input rows, wall and CPU
seconds, rows/s by each, the CPU seconds the cyclic garbage collector took, peak RSS, and two
SHA-256 fingerprints — of the graph (every node and relationship with every property, lists in
their order) and of the ingest reports (counts, links, review, quarantine, warnings; not the
timings). Equal fingerprints: the same output, node for node and property for property.

On a shared machine the wall seconds follow the load average (printed beside them); the CPU
seconds are the figure to compare.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = 20101231


def graph_digest(store: Any) -> str:
    """SHA-256 of every node and relationship of ``store`` (``iter_all`` order: sorted), with
    every property; list properties keep their order (an alias order that changed is a change)."""
    digest = hashlib.sha256()
    for item in store.iter_all():
        if hasattr(item, "label"):
            record: list[Any] = ["n", item.id, item.label.value, item.props]
        else:
            record = ["r", item.type.value, item.start, item.end, item.props]
        digest.update(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def report_digest(reports: list[Any]) -> str:
    """SHA-256 of what the ingest calls reported, without their timings."""
    digest = hashlib.sha256()
    for report in reports:
        summary = report.summary()
        summary.pop("seconds", None)
        for part in (
            summary,
            [vars(r) for r in report.links],
            [vars(r) for r in report.review],
            [vars(q) for q in report.quarantine],
            [vars(w) for w in report.row_warnings],
        ):
            digest.update(json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def csv_digest(directory: Path) -> str:
    """SHA-256 of the import CSVs, file by file in name order."""
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build(root: Path, demo: Path, csv: bool = False) -> dict[str, Any]:
    """One build with the code under ``root`` (run in a child whose sys.path starts there)."""
    import gc

    from demo.build import spec_phases
    from graph.embedded import EmbeddedStore
    from ingest.pipeline import ingest_specs

    gc_cpu = [0.0, 0.0]

    def on_gc(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            gc_cpu[1] = time.process_time()
        else:
            gc_cpu[0] += time.process_time() - gc_cpu[1]

    import ingest.resolve

    if not Path(ingest.resolve.__file__).resolve().is_relative_to(root.resolve()):
        raise RuntimeError(f"the code under test is {ingest.resolve.__file__}, not under {root}")
    gc.callbacks.append(on_gc)
    phases = spec_phases(sorted((demo / "specs").glob("*.toml")))
    store = EmbeddedStore()
    reports = []
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as runs:
        for phase in phases:
            reports.append(ingest_specs(store, phase, data_dir=Path(runs), save=False))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    gc.callbacks.remove(on_gc)
    rows = sum(r.rows_read for r in reports)
    out: dict[str, Any] = {}
    if csv:  # what bench.scale's offline first load does next, in the same process
        from bench.neo4j_admin_import import write_import_csv

        out["build_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with tempfile.TemporaryDirectory() as where:
            csv_wall, csv_cpu = time.perf_counter(), time.process_time()
            _, out["csv_records"] = write_import_csv(store.iter_all(), Path(where))
            out["csv_wall_s"], out["csv_cpu_s"] = (
                time.perf_counter() - csv_wall,
                time.process_time() - csv_cpu,
            )
            out["csv"] = csv_digest(Path(where))
    return out | {
        "root": str(root),
        "rows": rows,
        "wall_s": wall,
        "cpu_s": cpu,
        "gc_cpu_s": gc_cpu[0],
        "apply_s": sum(r.seconds["apply"] for r in reports),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load": (load + os.getloadavg()[0]) / 2,
        "graph": graph_digest(store),
        "reports": report_digest(reports),
    }


def run_child(root: Path, demo: Path, csv: bool) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            "--root",
            str(root),
            "--demo-dir",
            str(demo),
            *(["--csv"] if csv else []),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def show(name: str, r: dict[str, Any]) -> None:
    print(
        f"{name:6} rows {r['rows']:,}  wall {r['wall_s']:.1f} s ({r['rows'] / r['wall_s']:,.0f} rows/s)  "
        f"cpu {r['cpu_s']:.1f} s ({r['rows'] / r['cpu_s']:,.0f} rows/s)  gc cpu {r['gc_cpu_s']:.1f} s  "
        f"apply {r['apply_s']:.1f} s  peak {r['peak_mib']:,.0f} MiB  load {r['load']:.1f}\n"
        f"       graph {r['graph'][:16]}  reports {r['reports'][:16]}",
        flush=True,
    )
    if "csv" in r:
        print(
            f"       CSVs: {r['csv_records']:,} records, wall {r['csv_wall_s']:.1f} s, "
            f"cpu {r['csv_cpu_s']:.1f} s, peak {r['build_peak_mib']:,.0f} → {r['peak_mib']:,.0f} MiB, "
            f"files {r['csv'][:16]}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--demo-dir", type=Path, help="demo files already generated (else generated here)")
    parser.add_argument("--ref", type=Path, help="another checkout to build with first (before/after)")
    parser.add_argument("--runs", type=int, default=1, help="builds per code version")
    parser.add_argument("--csv", action="store_true", help="also write the neo4j-admin import CSVs (timed)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.path[:0] = [str(args.root), str(args.root / "scripts")]
        print(json.dumps(build(args.root, args.demo_dir, csv=args.csv)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        demo = args.demo_dir
        if demo is None:
            sys.path.insert(0, str(ROOT))
            from demo.generate import generate

            demo = Path(tmp) / "demo"
            generate(demo, scale=args.scale, seed=SEED)
        results: dict[str, list[dict[str, Any]]] = {}
        versions = ([("before", args.ref.resolve())] if args.ref else []) + [
            ("after" if args.ref else "build", ROOT)
        ]
        for _ in range(args.runs):
            for name, root in versions:
                result = run_child(root, demo, args.csv)
                results.setdefault(name, []).append(result)
                show(name, result)
    if args.ref:
        before, after = results["before"], results["after"]
        best = {k: min(r["cpu_s"] for r in v) for k, v in results.items()}
        peak = {k: max(r["peak_mib"] for r in v) for k, v in results.items()}
        same = {r["graph"] for r in before + after}, {r["reports"] for r in before + after}
        if args.csv:
            csv_same = len({r["csv"] for r in before + after}) == 1
            ratio = min(r["csv_cpu_s"] for r in after) / min(r["csv_cpu_s"] for r in before)
            print(f"CSVs: cpu after/before {ratio:.2f}×, files {'identical' if csv_same else 'DIFFER'}")
            if not csv_same:
                return 1
        print(
            f"after/before: cpu {best['after'] / best['before']:.2f}× (best of {args.runs}), "
            f"speed-up {best['before'] / best['after']:.2f}×, "
            f"peak RSS {peak['after'] / peak['before']:.2f}×; "
            f"graph {'identical' if len(same[0]) == 1 else 'DIFFERS'}, "
            f"reports {'identical' if len(same[1]) == 1 else 'DIFFER'}"
        )
        return 0 if len(same[0]) == 1 and len(same[1]) == 1 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
