"""Ingest throughput: records/s on both stores for the ×1 and ×10 demo sets, and for Neo4j what
batching buys over one transaction per record — measured in the same run.

    .venv/bin/python -m bench.ingest_throughput [--scales 1 10] [--per-record-limit 0]
        [--warm-runs 2] [--admin-import] [--markdown FILE]

A *record* is one input row (a line of a CSV, a row of a sheet, a JSON object). For each scale
the demo set is generated once (``demo.generate``) and ingested the way
``innograph demo build`` does it (master lists first, then the files that mention them), into a
fresh store of each kind. Reported per store and scale:

- **end to end**: rows / (read + transform + link + apply) seconds;
- **load**: rows / seconds inside ``store.apply`` (the one batched transaction per call), and
  the nodes + relationships written per second.

Neo4j batched vs per record: the same rows are built once more with each row's own ChangeSet
kept (:attr:`ingest.builder.GraphBuilder.row_changes`); the store is wiped and every row is
applied in its own transaction, in file order. Ratio = per-record seconds / batched apply seconds
for the same rows. ``--per-record-limit N`` replays only the first N rows of each phase (the
ratio is then computed on the same N rows' share of the batched time, pro rata).

``neo4j warm (median)`` (``--warm-runs N``, default 3): the same load repeated N more times on
the same server; the median load is in the table and every load's rate is printed. A fresh
server's first big load also pays for JIT compilation and query planning (about twice the time
on this machine); a long-running one does not.
``--admin-import``: Neo4j's offline bulk loader on the same graph, end to end, for comparison
(bench/neo4j_admin_import.py).

Neo4j is the one ``NEO4J_URI`` names, or a private server started with scripts/neo4j_local.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from demo.build import spec_phases  # noqa: E402
from demo.generate import generate  # noqa: E402
from graph.changeset import ChangeSet  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from ingest.builder import GraphBuilder  # noqa: E402
from ingest.pipeline import ingest_specs, read_source, run_id_for  # noqa: E402
from ingest.reconcile import FileReport, IngestReport  # noqa: E402
from ingest.spec import load_spec  # noqa: E402
from ingest.transform import bind_columns  # noqa: E402

SEED = 20101231


@dataclass
class Result:
    store: str
    scale: int
    rows: int
    seconds: float
    apply_seconds: float
    written: int

    @property
    def rate(self) -> float:
        return self.rows / self.seconds

    @property
    def load_rate(self) -> float:
        return self.rows / self.apply_seconds if self.apply_seconds else float("inf")


def ingest_all(store: GraphStore, phases: list[list[Path]], runs: Path) -> Result:
    rows = written = 0
    seconds = apply_seconds = 0.0
    for phase in phases:
        started = time.perf_counter()
        report = ingest_specs(store, phase, data_dir=runs, save=False)
        seconds += time.perf_counter() - started
        apply_seconds += report.seconds["apply"]
        rows += report.rows_read
        written += report.nodes_written + report.relationships_written
    return Result(store.kind, 0, rows, seconds, apply_seconds, written)


def build_phase(store: GraphStore, phase: Sequence[Path]) -> tuple[ChangeSet, list[ChangeSet]]:
    """What ``ingest_specs`` builds for one call, plus each row's own ChangeSet."""
    report = IngestReport(run_id="bench", dry_run=True, store=store.kind)
    builder = GraphBuilder(store, report)
    builder.row_changes = []
    for path in phase:
        spec = load_spec(path)
        table = read_source(spec)
        columns = bind_columns(spec, table)
        file_report = FileReport(spec.name, path.name, spec.file.name, run_id_for(spec, spec.digest))
        builder.ingest_table(spec, table, columns, file_report)
    return builder.finish(), builder.row_changes


def batched_vs_per_record(
    store: GraphStore, phases: list[list[Path]], limit: int
) -> tuple[int, float, float]:
    """(rows replayed, batched seconds for them, per-record seconds) on a wiped store each way."""
    store.clear()
    batched = 0.0
    row_sets: list[list[ChangeSet]] = []
    for phase in phases:
        changes, rows = build_phase(store, phase)
        row_sets.append(rows)
        started = time.perf_counter()
        store.apply(changes)
        elapsed = time.perf_counter() - started
        share = min(1.0, limit / len(rows)) if limit and rows else 1.0
        batched += elapsed * share
    store.clear()
    per_record = 0.0
    replayed = 0
    for phase in phases:
        # Built again against the store as the per-record replay left it, so links resolve alike.
        _, rows = build_phase(store, phase)
        chosen = rows[:limit] if limit else rows
        started = time.perf_counter()
        for changes in chosen:
            store.apply(changes)
        per_record += time.perf_counter() - started
        replayed += len(chosen)
    return replayed, batched, per_record


def open_neo4j() -> tuple[GraphStore, str | None]:
    import os

    from graph.neo4j_store import Neo4jStore

    uri = os.environ.get("NEO4J_URI")
    if uri:
        return Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")), None
    import neo4j_local

    name = "bench-ingest"
    state = neo4j_local.start(name, heap="2g", pagecache="512m")
    return Neo4jStore(str(state["uri"])), name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--per-record-limit", type=int, default=0, help="0 = every row of the ×1 set")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown to this file")
    parser.add_argument(
        "--warm-runs",
        type=int,
        default=3,
        help="load each scale into Neo4j this many more times and report the median as 'neo4j warm' "
        "(a fresh server's first big load also pays for JIT compilation and query planning)",
    )
    parser.add_argument(
        "--admin-import",
        action="store_true",
        help="also time neo4j-admin database import (offline, empty database) on the largest scale",
    )
    args = parser.parse_args(argv)
    from graph.neo4j_store import DRIVER_CODEC

    print(f"driver codec: {DRIVER_CODEC}", flush=True)

    neo4j, started_name = open_neo4j()
    results: list[Result] = []
    ratio_line = admin_line = ""
    warm_lines: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="innograph-bench-") as tmp:
            work = Path(tmp)
            for scale in args.scales:
                out = work / f"demo-x{scale}"
                generate(out, scale=scale, seed=SEED)
                phases = spec_phases(sorted((out / "specs").glob("*.toml")))
                embedded = EmbeddedStore(work / f"x{scale}.innograph")
                for store in (embedded, neo4j):
                    store.clear()
                    result = ingest_all(store, phases, work)
                    result.scale = scale
                    results.append(result)
                    print(f"×{scale} {store.kind}: {result.rows} rows in {result.seconds:.1f} s", flush=True)
                warm_runs: list[Result] = []
                for _ in range(args.warm_runs):
                    neo4j.clear()
                    warm_runs.append(ingest_all(neo4j, phases, work))
                if warm_runs:
                    # The table shows the median load (loads on two cores vary by ±10 %); the
                    # spread is printed, so the best is visible but not what is reported.
                    warm_runs.sort(key=lambda r: r.apply_seconds)
                    warm = warm_runs[(len(warm_runs) - 1) // 2]
                    warm.store, warm.scale = "neo4j warm (median)", scale
                    results.append(warm)
                    spread = ", ".join(f"{r.written / r.apply_seconds:,.0f}" for r in warm_runs)
                    warm_lines.append(
                        f"×{scale} neo4j warm, {len(warm_runs)} loads, nodes + relationships/s: {spread}"
                    )
                    print(warm_lines[-1], flush=True)
                if args.admin_import and scale == max(args.scales):
                    from bench.neo4j_admin_import import admin_import

                    records, steps = admin_import("bench-admin-import", embedded.iter_all(), work)
                    admin_line = (
                        f"neo4j-admin import ×{scale}, {records:,} nodes + relationships: "
                        + ", ".join(f"{step} {sec:.1f} s" for step, sec in steps.items())
                        + f" → {records / steps['total']:,.0f} records/s end to end"
                    )
                    print(admin_line, flush=True)
                embedded.close()
                if scale == min(args.scales):
                    rows, batched, per_record = batched_vs_per_record(neo4j, phases, args.per_record_limit)
                    ratio_line = (
                        f"Neo4j ×{scale}, {rows} records: one transaction per record {per_record:.1f} s "
                        f"({rows / per_record:,.0f} records/s) vs batched {batched:.2f} s "
                        f"({rows / batched:,.0f} records/s) → batched is {per_record / batched:.1f}× faster"
                    )
                    print(ratio_line, flush=True)
    finally:
        neo4j.close()
        import neo4j_local

        if started_name:
            neo4j_local.stop(started_name, remove=True)
        if args.admin_import:
            neo4j_local.stop("bench-admin-import", remove=True)

    header = (
        "| scale | store | records | end to end s | records/s end to end | apply s "
        "| records/s load | nodes+rels written/s |"
    )
    lines = [header, "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| ×{r.scale} | {r.store} | {r.rows:,} | {r.seconds:.1f} | {r.rate:,.0f} "
            f"| {r.apply_seconds:.2f} | {r.load_rate:,.0f} | {r.written / r.apply_seconds:,.0f} |"
        )
    table = "\n".join(lines) + "\n\n" + "\n".join([*warm_lines, "", ratio_line]) + "\n"
    table += f"\n{admin_line}\n" if admin_line else ""
    print(table)
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
