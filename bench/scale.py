"""Scale end to end: how every cost grows from district (×1) to city (×10) to province (×100).

    .venv/bin/python -m bench.scale --scales 1 10 100 [--stores neo4j embedded]
        [--clients 50] [--duration 60] [--requests 100] [--cache /work/.scalecache]
        [--embedded-max-scale 10] [--neo4j-heap 100=10g] [--json FILE] [--markdown FILE]
        [--first-load offline] [--stage-timeout 1200] [--stage-mem 7] [--build-mem 12]

For each scale the demo files are generated once into ``--cache`` (outside the repo; ×100 takes
minutes) and reused. Then, per store (Neo4j: a fresh private server per scale, started with
scripts/neo4j_local.py; embedded: a fresh file), in this order:

1. **first load**: the demo files ingested the way ``innograph demo build`` does it
   (``bench.ingest_throughput.ingest_all``): end-to-end seconds, input rows/s, and nodes +
   relationships written per second inside ``store.apply``;
2. **export / import**: ``graph.backup.export_graph`` to the cache, then ``import_graph(...,
   replace=True)`` back into the same store (a restore; the graph is the same afterwards);
3. **match index, clusters, monitor**, each cold in a fresh child process against the store
   (``match.cache.build_index``; ``analytics.service.clusters``; ``analytics.service.monitor``
   and ``monitor_series``): seconds and the child's peak RSS minus its RSS before the work;
4. **the API** (uvicorn, one worker, rate limits off): seconds from start until the first
   partner answer (the start-up warm-up builds the index meanwhile), then one client, warm:
   partners, demand matches, patent → demands, open demands (p50/p95 of ``--requests`` each);
   then ``--clients`` async clients for ``--duration`` s of reads (``bench.load.drive``):
   req/s, p95, errors; with ``--think S``, the same clients again as users waiting a mean S s
   (exponential) between an answer and their next request; the API's peak RSS (VmHWM) at the end;
5. Neo4j's peak RSS (VmHWM of the server's JVM) after the load and at the end.

Prints one table per store: a column per scale, each figure followed by ``@`` and the 1-minute
load average when it was taken (the machine is shared: read figures next to their load), then
the growth ratios between consecutive scales and, at ×100, the issue's targets.
``--report a.json b.json`` prints the tables of earlier runs merged (e.g. ×100 run separately).

``--first-load offline`` (Neo4j; docs/SCALING.md's design for a province) replaces step 1: the
files are ingested into an in-memory embedded store in a child process (timed, rows/s, its peak
RSS) which writes ``neo4j-admin import`` CSVs and exits; then ``neo4j-admin database import
full`` into the scale's empty database, the server's start, and the schema and indexes brought
online, each timed (``ingest_s`` is their sum). Every stage (first load, index, clusters,
monitor, API, export/import) runs under ``--stage-timeout`` seconds and, for its own process,
``--stage-mem`` GiB of RSS (``--build-timeout`` / ``--build-mem`` for the offline build, which
runs while Neo4j is still down): a stage that passes a limit is killed and recorded as "did not
finish within N s" or "over N GiB RSS after N s", and the run goes on. ``--json`` is rewritten
after every figure, so a crash loses nothing measured.
``--probe-index-parts GRAPH_FILE`` measures what the match index holds, part by part.
``--import-csv DIR`` (Neo4j) replaces the first load by ``neo4j-admin database import`` of the CSVs an
earlier ``--first-load offline`` left in DIR, then the schema (``restore_s``): a ×100 server in
minutes instead of an hour, for the stages after the load.
``--probe-projection URI [--page-sizes 0 5000] [--which index clusters]`` only times the match
index's and the clusters' projection reads from a running Neo4j, in pages and in one transaction,
each in a fresh child.
``--scales 1 --stores embedded --clients 2 --duration 1 --requests 3`` is the smoke run
(tests/bench/test_scale_smoke.py).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import json
import multiprocessing as mp
import os
import platform
import queue as queue_mod
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import load as load_bench  # noqa: E402
from bench.ingest_throughput import SEED, ingest_all  # noqa: E402
from bench.match_latency import ENDPOINTS, Server, api_env, pct, run_alone, sample_from, urls  # noqa: E402
from graph.model import RelType  # noqa: E402
from graph.store import GraphStore  # noqa: E402

#: The issue's targets at ×100 on Neo4j: metric → (bound, "≤" or "="); see docs/SCALING.md.
TARGETS: dict[str, tuple[float, str]] = {
    "ingest_s": (300.0, "≤"),
    "index_s": (60.0, "≤"),
    "index_mib": (4096.0, "≤"),
    "partners_p95_ms": (100.0, "≤"),
    "load_p95_ms": (1000.0, "≤"),
    "load_errors": (0.0, "="),
    "clusters_s": (30.0, "≤"),
}

#: (key, label, format) in table order.
METRICS: list[tuple[str, str, str]] = [
    ("input_rows", "input rows", ",.0f"),
    ("nodes", "nodes", ",.0f"),
    ("relationships", "relationships", ",.0f"),
    ("generate_s", "demo files generated s (cached: -)", ".1f"),
    ("ingest_s", "first load s (end to end)", ".1f"),
    ("ingest_rows_per_s", "first load input rows/s", ",.0f"),
    ("build_s", "offline: build on the embedded store s", ".1f"),
    ("build_rows_per_s", "offline: build input rows/s", ",.0f"),
    ("build_mib", "offline: build peak RSS MiB", ",.0f"),
    ("csv_s", "offline: write import CSVs s", ".1f"),
    ("build_csv_mib", "offline: build + CSV peak RSS MiB", ",.0f"),
    ("csv_records", "offline: records (nodes + rels)", ",.0f"),
    ("restore_s", "restored from import CSVs s (no build)", ".1f"),
    ("admin_import_s", "offline: neo4j-admin import s", ".1f"),
    ("admin_import_records_per_s", "offline: neo4j-admin records/s", ",.0f"),
    ("neo4j_start_s", "offline: Neo4j start s", ".1f"),
    ("schema_s", "offline: schema + indexes online s", ".1f"),
    ("apply_s", "of which store.apply s", ".1f"),
    ("writes_per_s", "nodes+rels written/s in apply", ",.0f"),
    ("neo4j_rss_load_mib", "Neo4j peak RSS after load MiB", ",.0f"),
    ("export_s", "export s", ".1f"),
    ("import_s", "import (replace) s", ".1f"),
    ("index_s", "match index build s", ".1f"),
    ("index_mib", "match index build peak MiB", ",.0f"),
    ("index_kept_mib", "match index held after build MiB", ",.0f"),
    ("index_job_s", "index job (innograph index build) s", ".1f"),
    ("index_job_mib", "index job peak RSS MiB", ",.0f"),
    ("index_file_mib", "index file MiB", ",.1f"),
    ("index_load_s", "index loaded from its file s", ".1f"),
    ("index_load_mib", "index held after load MiB", ",.0f"),
    ("analyses_job_s", "analyses job (innograph analyses build) s", ".1f"),
    ("analyses_job_mib", "analyses job peak RSS MiB", ",.0f"),
    ("analyses_file_mib", "analyses files MiB", ",.1f"),
    ("gazetteer_s", "gazetteer (first demand text) s", ".1f"),
    ("gazetteer_mib", "index + gazetteer peak MiB", ",.0f"),
    ("clusters_s", "clusters cold s", ".1f"),
    ("clusters_mib", "clusters peak MiB", ",.0f"),
    ("monitor_series_s", "monitor series cold s", ".1f"),
    ("monitor_s", "monitor (snapshot) cold s", ".1f"),
    ("monitor_mib", "monitor peak MiB", ",.0f"),
    ("api_ready_s", "API start → first partners s", ".1f"),
    ("api_ready_rss_mib", "API RSS at first partners MiB", ",.0f"),
    ("api_warm_rss_mib", "API RSS after its warm-up (clusters, series answered) MiB", ",.0f"),
    ("api_ready_built_s", "API start → first partners, no saved index s", ".1f"),
    ("api_ready_built_rss_mib", "API RSS at first partners, no saved index MiB", ",.0f"),
    ("partners_p50_ms", "partners p50 ms (1 client)", ".1f"),
    ("partners_p95_ms", "partners p95 ms (1 client)", ".1f"),
    ("demand_p50_ms", "demand matches p50 ms", ".1f"),
    ("demand_p95_ms", "demand matches p95 ms", ".1f"),
    ("patent_p95_ms", "patent → demands p95 ms", ".1f"),
    ("open_p95_ms", "open demands p95 ms", ".1f"),
    ("load_rps", "N readers req/s", ".1f"),
    ("load_p50_ms", "N readers p50 ms", ".0f"),
    ("load_p95_ms", "N readers p95 ms", ".0f"),
    ("load_errors", "N readers errors", ".0f"),
    ("users_rps", "N users with think time req/s", ".1f"),
    ("users_p50_ms", "N users with think time p50 ms", ".0f"),
    ("users_p95_ms", "N users with think time p95 ms", ".0f"),
    ("users_errors", "N users with think time errors", ".0f"),
    ("api_rss_mib", "API peak RSS MiB", ",.0f"),
    ("neo4j_rss_mib", "Neo4j peak RSS MiB (end)", ",.0f"),
]


@dataclass
class Run:
    store: str
    scale: int
    figures: dict[str, float] = field(default_factory=dict)
    #: 1-minute load average when each figure was taken.
    loads: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: stage → "ok (N s)", "did not finish within N s", "over N GiB after N s", "failed: …".
    stages: dict[str, str] = field(default_factory=dict)
    #: called after every figure and stage, so a long run's JSON keeps what it measured so far.
    sink: Callable[[], None] | None = None

    def put(self, key: str, value: float) -> None:
        self.figures[key] = value
        self.loads[key] = os.getloadavg()[0]
        print(f"  {self.store} ×{self.scale} {key} = {value:,.2f} (load {self.loads[key]:.1f})", flush=True)
        self.flush()

    def flush(self) -> None:
        if self.sink is not None:
            self.sink()


# -- memory ---------------------------------------------------------------------------------


def _status_kib(pid: int, field_name: str) -> int:
    """``VmRSS`` / ``VmHWM`` (peak) of a process, in KiB; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kib() -> int:
    return _status_kib(os.getpid(), "VmRSS")


# -- work in a fresh child process (cold caches; its own peak RSS) --------------------------


def _open_store(spec: dict[str, Any]) -> GraphStore:
    if spec["kind"] == "neo4j":
        if spec.get("tx_timeout"):
            # Every store read is one transaction bounded by TX_TIMEOUT_S (30 s: a request that
            # hangs is worse than a 503). A ×100 projection takes longer; to measure what the
            # analysis itself costs, its child may lift the bound (the API keeps it).
            from graph import neo4j_store

            neo4j_store.TX_TIMEOUT_S = float(spec["tx_timeout"])
        return _connect(spec["uri"])
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(Path(spec["path"]))


def _build_offline(spec: dict[str, Any]) -> dict[str, Any]:
    """The offline first load's first half: the demo files ingested into an in-memory embedded
    store (the same pipeline as a transactional load, without its one-transaction limit), then
    written out as ``neo4j-admin import`` CSVs. Runs in its own process, which exits before
    Neo4j starts, so the graph held in Python never sits beside the server and the API."""
    from bench.neo4j_admin_import import write_import_csv
    from graph.embedded import EmbeddedStore

    store = EmbeddedStore()  # in memory: the graph only passes through on its way to the CSVs
    phases = [[Path(path) for path in phase] for phase in spec["phases"]]
    result = ingest_all(store, phases, Path(spec["work"]))
    counts = store.counts()
    out: dict[str, Any] = {
        "input_rows": result.rows,
        "build_s": result.seconds,
        "apply_s": result.apply_seconds,
        "writes_per_s": result.written / result.apply_seconds if result.apply_seconds else 0.0,
        "build_nodes": counts.nodes,
        "build_relationships": sum(counts.relationships.values()),
        "build_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    started = time.perf_counter()
    args, records = write_import_csv(store.iter_all(), Path(spec["csv"]))
    out["csv_s"] = time.perf_counter() - started
    out["csv_records"] = records
    out["import_args"] = args
    out["build_csv_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _child(task: str, spec: dict[str, Any], queue: Any) -> None:
    try:
        _child_work(task, spec, queue)
    except BaseException as error:  # the parent records why, instead of only an exit code
        queue.put({"error": f"{type(error).__name__}: {error}"[:600]})
        raise


def _child_work(task: str, spec: dict[str, Any], queue: Any) -> None:
    if task == "build":
        queue.put(_build_offline(spec))
        return
    if task == "index-parts":
        queue.put(index_parts(spec))
        return
    if task == "projection":
        queue.put(projection_probe(spec))
        return
    store = _open_store(spec)
    version = store.version()  # opened (the embedded store reads its file here), not billed to the task
    out: dict[str, Any] = {}
    if task == "index-load":  # what an API process does with the index job's file
        from match import disk_cache

        before = _rss_kib()
        started = time.perf_counter()
        loaded = disk_cache.load_file(store, version, Path(spec["dir"]))
        if loaded is None:
            raise RuntimeError(f"no usable saved index of version {version} in {spec['dir']}")
        out["index_load_s"] = time.perf_counter() - started
        gc.collect()
        out["index_load_mib"] = max(_rss_kib() - before, 0) / 1024
        store.close()
        queue.put(out)
        return
    if task in ("index", "index-full"):
        from match import cache
        from text.pipeline import get_nlp

        nlp = get_nlp()  # the language model is loaded once per process, not per index
        if task == "index-full":  # the projection as it was before it left out unused labels
            cache.UNUSED_LABELS = frozenset()
            cache.UNUSED_TYPES = frozenset({RelType.SUBCLASS_OF, RelType.PART_OF, RelType.INCUBATED_BY})
        before = _rss_kib()
        started = time.perf_counter()
        index = cache.build_index(store, nlp)
        out["index_nodes"] = len(index.label)
        out["index_s"] = time.perf_counter() - started
        out["index_mib"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before, 0) / 1024
        gc.collect()
        out["index_kept_mib"] = max(_rss_kib() - before, 0) / 1024  # what stays once built
        started = time.perf_counter()
        _ = index.gazetteer  # built on first use (the first demand profile), not by the index build
        out["gazetteer_s"] = time.perf_counter() - started
    else:
        from analytics import service

        before = _rss_kib()
        started = time.perf_counter()
        if task == "clusters":
            service.clusters(store)
            out["clusters_s"] = time.perf_counter() - started
        else:
            service.monitor_series(store)
            out["monitor_series_s"] = time.perf_counter() - started
            started = time.perf_counter()
            service.monitor(store)
            out["monitor_s"] = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    out[f"{task}_mib" if not task.startswith("index") else "gazetteer_mib"] = max(peak_kib - before, 0) / 1024
    store.close()
    queue.put(out)


class StageLimit(Exception):
    """A stage passed its time or memory limit; the message is the result to record."""


class Watchdog:
    """Kills process ``pid`` when it runs longer than ``timeout_s`` or its RSS passes
    ``mem_gib`` (0: no bound), so one stage cannot hang the run or push the shared machine
    into the OOM killer. ``reason`` says which limit ended it; ``peak_kib`` is the largest RSS seen."""

    def __init__(self, pid: int, timeout_s: float, mem_gib: float, what: str) -> None:
        self.pid, self.timeout_s, self.mem_gib, self.what = pid, timeout_s, mem_gib, what
        self.reason: str | None = None
        self.peak_kib = 0
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            rss = _status_kib(self.pid, "VmRSS")
            self.peak_kib = max(self.peak_kib, rss)
            elapsed = time.monotonic() - self.started
            if self.mem_gib and rss > self.mem_gib * 1024 * 1024:
                self.reason = f"{self.what}: over {self.mem_gib:g} GiB RSS after {elapsed:.0f} s (killed)"
            elif elapsed > self.timeout_s:
                self.reason = f"{self.what}: did not finish within {self.timeout_s:.0f} s (killed)"
            if self.reason:
                with contextlib.suppress(OSError):  # already gone
                    os.kill(self.pid, signal.SIGKILL)
                return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def in_child(
    task: str, spec: dict[str, Any], timeout_s: float = 3600.0, mem_gib: float = 0.0
) -> dict[str, Any]:
    """Run ``task`` in a fresh spawned process, within ``timeout_s`` and ``mem_gib`` of RSS."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_child, args=(task, spec, queue))
    child.start()
    assert child.pid is not None
    watch = Watchdog(child.pid, timeout_s, mem_gib, task)
    try:
        while True:
            try:
                result: dict[str, Any] = queue.get(timeout=2)
                break
            except queue_mod.Empty:
                if not child.is_alive():
                    if watch.reason:
                        raise StageLimit(watch.reason) from None
                    raise RuntimeError(f"{task} child exited with {child.exitcode}") from None
    finally:
        watch.stop()
        child.join(60)
        if child.is_alive():
            child.kill()
    if "error" in result:
        raise RuntimeError(f"{task} child: {result['error']}")
    if child.exitcode not in (0, None):
        raise RuntimeError(f"{task} child exited with {child.exitcode}")
    return result


# -- the steps --------------------------------------------------------------------------------


def demo_files(cache: Path, scale: int, run: Run) -> list[list[Path]]:
    """The ×scale demo files, generated once into the cache and reused."""
    from demo.build import spec_phases
    from demo.generate import generate

    out = cache / f"demo-x{scale}"
    manifest = out / "manifest.json"
    fresh = False
    if manifest.exists():
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        fresh = meta.get("scale") == scale and meta.get("seed") == SEED
    if not fresh:
        started = time.perf_counter()
        generate(out, scale=scale, seed=SEED)
        run.put("generate_s", time.perf_counter() - started)
    return spec_phases(sorted((out / "specs").glob("*.toml")))


def first_load(store: GraphStore, phases: list[list[Path]], runs: Path, run: Run) -> None:
    store.clear()
    result = ingest_all(store, phases, runs)
    run.put("input_rows", result.rows)
    run.put("ingest_s", result.seconds)
    run.put("ingest_rows_per_s", result.rows / result.seconds)
    run.put("apply_s", result.apply_seconds)
    run.put("writes_per_s", result.written / result.apply_seconds if result.apply_seconds else 0.0)
    counts = store.counts()
    run.put("nodes", counts.nodes)
    run.put("relationships", sum(counts.relationships.values()))


def export_import(store: GraphStore, where: Path, run: Run) -> None:
    from graph.backup import export_graph, import_graph

    started = time.perf_counter()
    export_graph(store, where, overwrite=True)
    run.put("export_s", time.perf_counter() - started)
    started = time.perf_counter()
    import_graph(store, where, replace=True)
    run.put("import_s", time.perf_counter() - started)


def stage(run: Run, name: str, work: Callable[[], None]) -> bool:
    """Run one stage; whatever ends it (its limits, an error) is recorded as its result and the
    run goes on with the next stage. Returns whether it finished."""
    print(f"  stage {name} … (load {os.getloadavg()[0]:.1f})", flush=True)
    started = time.perf_counter()
    try:
        work()
    except StageLimit as limit:
        run.stages[name] = str(limit)
    except Exception as error:  # recorded, and the next stage still runs
        traceback.print_exc()
        message = " ".join(str(error).split())[:400]
        run.stages[name] = (
            f"failed after {time.perf_counter() - started:.0f} s: {type(error).__name__}: {message}"
        )
    else:
        run.stages[name] = f"ok ({time.perf_counter() - started:.0f} s)"
    print(f"  stage {name}: {run.stages[name]} (load {os.getloadavg()[0]:.1f})", flush=True)
    run.flush()
    return run.stages[name].startswith("ok")


def analyses(spec: dict[str, Any], args: argparse.Namespace, run: Run) -> None:
    for task in ("index", "clusters", "monitor"):

        def work(task: str = task) -> None:
            for key, value in in_child(task, spec, args.stage_timeout, args.stage_mem).items():
                if key != "index_nodes":
                    run.put(key, value)

        stage(run, task, work)


def _job(env: dict[str, str], args: argparse.Namespace, kind: str) -> dict[str, Any]:
    """``innograph <kind> build --json`` in a process of its own, under the stage's limits, its
    errors in ``<kind>-job.log`` of the data directory; its JSON answer."""
    log = Path(env["INNOGRAPH_DATA_DIR"]) / f"{kind}-job.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "innograph_cli.main", kind, "build", "--json"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=err,
        )
        watch = Watchdog(proc.pid, args.stage_timeout, args.stage_mem, f"{kind} job")
        try:
            stdout, _ = proc.communicate()
        finally:
            watch.stop()
    if watch.reason:
        raise StageLimit(watch.reason)
    if proc.returncode:
        raise RuntimeError(
            f"{kind} job exited with {proc.returncode}: {log.read_text(errors='replace')[-600:]}"
        )
    result: dict[str, Any] = json.loads(stdout.decode().strip().splitlines()[-1])
    return result


def index_job(env: dict[str, str], spec: dict[str, Any], args: argparse.Namespace, run: Run) -> None:
    """``innograph index build`` in a process of its own (as a deployment runs it after an
    ingest), into the API's data directory; then the file loaded in a fresh child, as an API
    process loads it. The API stage that follows starts with the saved file."""
    files = Path(env["INNOGRAPH_DATA_DIR"]) / "match-index"
    shutil.rmtree(files, ignore_errors=True)
    started = time.perf_counter()
    result = _job(env, args, "index")
    run.put("index_job_s", time.perf_counter() - started)
    run.put("index_job_mib", float(result["peakRssMiB"]))
    run.put("index_file_mib", result["bytes"] / 2**20)
    for key, value in in_child(
        "index-load", {**spec, "dir": str(files)}, args.stage_timeout, args.stage_mem
    ).items():
        run.put(key, value)


def analyses_job(env: dict[str, str], args: argparse.Namespace, run: Run) -> None:
    """``innograph analyses build`` in a process of its own (as a deployment runs it after an
    ingest, beside the index job), into the API's data directory: the API stage that follows
    loads the clusters, the disclosure's sums and the monitor from its files
    (``INNOGRAPH_ANALYSES=job``) instead of computing them in its warm-up."""
    shutil.rmtree(Path(env["INNOGRAPH_DATA_DIR"]) / "analyses", ignore_errors=True)
    started = time.perf_counter()
    result = _job(env, args, "analyses")
    run.put("analyses_job_s", time.perf_counter() - started)
    run.put("analyses_job_mib", float(result["peakRssMiB"]))
    run.put("analyses_file_mib", result["bytes"] / 2**20)
    steps = ", ".join(
        f"{r['name']} {r.get('seconds', 0):.1f} s {r['bytes'] / 2**20:.1f} MiB" for r in result["results"]
    )
    run.notes.append(f"analyses job: {steps}")


def jobs_env(env: dict[str, str], index_saved: bool, analyses_saved: bool) -> dict[str, str]:
    """The API's environment after the jobs: what a job saved is only loaded, never computed by
    the API's warm-up (``INNOGRAPH_INDEX`` / ``INNOGRAPH_ANALYSES=job``)."""
    return {
        **env,
        "INNOGRAPH_INDEX": "job" if index_saved else "api",
        "INNOGRAPH_ANALYSES": "job" if analyses_saved else "api",
    }


def first_partner(env: dict[str, str], url: str, args: argparse.Namespace) -> tuple[float, float]:
    """Seconds from the API's start to its first partner answer, and its RSS then (MiB)."""
    started = time.perf_counter()
    server = Server(env, log=Path(env["INNOGRAPH_DATA_DIR"]) / "uvicorn.log")
    watch = Watchdog(server.proc.pid, args.stage_timeout, args.stage_mem, "API")
    try:
        with httpx.Client(base_url=server.base, timeout=args.stage_timeout) as client:
            client.get(url).raise_for_status()
        return time.perf_counter() - started, _status_kib(server.proc.pid, "VmRSS") / 1024
    except Exception:
        if watch.reason:
            raise StageLimit(watch.reason) from None
        raise
    finally:
        watch.stop()
        server.stop()


def index_job_probe(uri: str, work: Path, args: argparse.Namespace) -> Run:
    """``--probe-index-job URI``: on a running Neo4j, the index built in memory (a fresh child),
    the index job and the load of its file, then the API's start → first partner answer with
    the saved file and without one."""
    store = _connect(uri)
    url = urls(sample_from(store, args.sample, seed=1))["partners"][0]
    nodes = store.counts().nodes
    store.close()
    run = Run("neo4j", max(1, round(nodes / 13_837)))
    run.sink = _sink(args, run)
    spec = {"kind": "neo4j", "uri": uri, "tx_timeout": args.tx_timeout}
    work.mkdir(parents=True, exist_ok=True)
    env = api_env("neo4j", work, uri)

    def built() -> None:
        for key, value in in_child("index", spec, args.stage_timeout, args.stage_mem).items():
            if key != "index_nodes":
                run.put(key, value)

    def saved() -> None:
        seconds, rss = first_partner(env, url, args)
        run.put("api_ready_s", seconds)
        run.put("api_ready_rss_mib", rss)

    def unsaved() -> None:
        shutil.rmtree(work / "match-index", ignore_errors=True)
        seconds, rss = first_partner(env, url, args)
        run.put("api_ready_built_s", seconds)
        run.put("api_ready_built_rss_mib", rss)

    stage(run, "index", built)
    if stage(run, "index job", lambda: index_job(env, spec, args, run)):
        if stage(run, "analyses job", lambda: analyses_job(env, args, run)):
            env = jobs_env(env, True, True)
        stage(run, "API with the saved index", saved)
        env = api_env("neo4j", work, uri)
    stage(run, "API without a saved index", unsaved)
    return run


def serve_and_read(store: GraphStore, env: dict[str, str], args: argparse.Namespace, run: Run) -> None:
    plan = urls(sample_from(store, args.sample, seed=1))
    samples = load_bench.pick_samples(store)
    started = time.perf_counter()
    server = Server(env, log=Path(env["INNOGRAPH_DATA_DIR"]) / "uvicorn.log", workers=args.workers)
    run.notes.append(f"API log: {server.log}")
    watch = Watchdog(server.proc.pid, args.stage_timeout, args.stage_mem, "API")
    try:
        with httpx.Client(base_url=server.base, timeout=args.stage_timeout) as client:
            answer = client.get(plan["partners"][0])
            answer.raise_for_status()
            run.put("api_ready_s", time.perf_counter() - started)
            for name in ENDPOINTS:  # the first call of each endpoint fills its own memos
                client.get(plan[name][0]).raise_for_status()
            # What the start-up warm-up also builds; waiting here keeps it out of the readers' run.
            client.get("/api/v1/clusters").raise_for_status()
            client.get("/api/v1/monitor/series").raise_for_status()
        if args.workers > 1:
            # The answers above came from whichever worker took them; the others warm up on
            # their own. Measured once every worker's memory has stopped growing.
            _until_steady(server.proc.pid, args.stage_timeout)
        run.put("api_warm_rss_mib", _tree_kib(server.proc.pid, "VmRSS") / 1024)
        alone = run_alone(server.base, plan, args.requests, args.time_limit)
        for name, key in (
            ("partners", "partners"),
            ("demand matches", "demand"),
            ("patent demands", "patent"),
            ("open demands", "open"),
        ):
            if key in ("partners", "demand"):
                run.put(f"{key}_p50_ms", pct(alone[name], 50))
            run.put(f"{key}_p95_ms", pct(alone[name], 95))
        readers = load_bench.drive(
            server.base, "", samples, args.clients, args.duration, writes=False, label=run.store
        )
        run.put("load_rps", readers["rps"])
        run.put("load_p50_ms", readers["p50"] * 1000)
        run.put("load_p95_ms", readers["p95"] * 1000)
        run.put("load_errors", readers["errors"])
        if readers["error_samples"]:
            run.notes.append(f"reader errors, first: {readers['error_samples'][0]}")
        slowest = max(readers["per_kind"].items(), key=lambda kv: kv[1]["p95"])
        run.notes.append(
            f"{args.clients} readers: slowest kind {slowest[0]} p95 {slowest[1]['p95'] * 1000:.0f} ms"
        )
        if args.think > 0:
            users = load_bench.drive(
                server.base,
                "",
                samples,
                args.clients,
                args.duration,
                writes=False,
                label=run.store,
                think_s=args.think,
            )
            for key in ("rps", "errors"):
                run.put(f"users_{key}", users[key])
            run.put("users_p50_ms", users["p50"] * 1000)
            run.put("users_p95_ms", users["p95"] * 1000)
            slowest = max(users["per_kind"].items(), key=lambda kv: kv[1]["p95"])
            run.notes.append(
                f"{args.clients} users, mean think time {args.think:g} s: slowest kind {slowest[0]} "
                f"p95 {slowest[1]['p95'] * 1000:.0f} ms"
            )
        run.put("api_rss_mib", _tree_kib(server.proc.pid, "VmHWM") / 1024)
    except Exception:
        if watch.reason:  # the watchdog killed the server: that is the result, not the error it caused
            raise StageLimit(f"{watch.reason}; peak RSS seen {watch.peak_kib / 1024:,.0f} MiB") from None
        raise
    finally:
        watch.stop()
        server.stop()


def _tree_kib(pid: int, field_name: str) -> int:
    """:func:`_status_kib` summed over ``pid`` and its children (uvicorn's worker processes)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return _status_kib(pid, field_name) + sum(_status_kib(int(c), field_name) for c in children)


def _until_steady(pid: int, limit_s: float, steady_s: float = 15.0) -> None:
    """Wait until the RSS of ``pid`` and its children has grown less than 1 % in ``steady_s``."""
    deadline = time.monotonic() + limit_s
    before = _tree_kib(pid, "VmRSS")
    while time.monotonic() < deadline:
        time.sleep(steady_s)
        now = _tree_kib(pid, "VmRSS")
        if now < before * 1.01:
            return
        before = now


def heap_for(scale: int, overrides: dict[int, str], offline: bool = False) -> tuple[str, str]:
    """Neo4j heap and page cache: an ingest is one transaction, whose state grows with the scale.
    An offline first load has no such transaction: the heap then only serves reads."""
    if scale in overrides:
        return overrides[scale], "2g" if not offline else "3g"
    if offline and scale > 10:
        return "4g", "3g"
    if scale <= 1:
        return "1g", "512m"
    if scale <= 10:
        return "2g", "1g"
    return "10g", "2g"


def _connect(uri: str, patience_s: float = 600.0) -> GraphStore:
    """A store on a server that has just started: on a loaded machine its first answers can
    take longer than the driver's connection timeout, so try again for a while."""
    from graph.errors import StoreUnavailableError
    from graph.neo4j_store import Neo4jStore

    deadline = time.monotonic() + patience_s
    while True:
        try:
            return Neo4jStore(uri)
        except StoreUnavailableError:
            if time.monotonic() > deadline:
                raise
            time.sleep(5)


def offline_first_load(
    name: str,
    heap: str,
    pagecache: str,
    phases: list[list[Path]],
    work: Path,
    args: argparse.Namespace,
    run: Run,
) -> None:
    """A first load into an empty Neo4j the way docs/SCALING.md designs it for a province: the
    graph built once on the embedded store (in a child process, which exits), written as CSV,
    ``neo4j-admin database import full`` into the stopped database, then the server started
    and its schema and indexes brought online. Each phase is timed; ``ingest_s`` is their sum."""
    import subprocess

    import neo4j_local

    from bench.neo4j_admin_import import bring_online, run_importer

    started = time.perf_counter()
    spec = {
        "phases": [[str(path) for path in phase] for phase in phases],
        "work": str(work / "runs"),
        "csv": str(work / "import-csv"),
    }
    (work / "runs").mkdir(parents=True, exist_ok=True)
    # Neo4j is not running yet: the build may use what the server and the API will use later.
    built = in_child(
        "build", spec, args.build_timeout or args.stage_timeout, args.build_mem or args.stage_mem
    )
    for key in ("input_rows", "build_s", "apply_s", "writes_per_s", "build_mib", "csv_s", "build_csv_mib"):
        run.put(key, float(built[key]))
    run.put("build_rows_per_s", built["input_rows"] / built["build_s"])
    run.put("csv_records", float(built["csv_records"]))

    home = neo4j_local.configure(name, heap=heap, pagecache=pagecache)
    mark = time.perf_counter()
    try:
        run_importer(home, built["import_args"], work, timeout_s=args.stage_timeout)
    except subprocess.TimeoutExpired:
        raise StageLimit(f"neo4j-admin import: did not finish within {args.stage_timeout:.0f} s") from None
    run.put("admin_import_s", time.perf_counter() - mark)
    run.put("admin_import_records_per_s", built["csv_records"] / (time.perf_counter() - mark))

    mark = time.perf_counter()
    state = neo4j_local.start(name, heap=heap, pagecache=pagecache)
    run.put("neo4j_start_s", time.perf_counter() - mark)
    mark = time.perf_counter()
    nodes, relationships = bring_online(str(state["uri"]), timeout_s=args.stage_timeout)
    run.put("schema_s", time.perf_counter() - mark)
    if nodes + relationships != built["csv_records"]:
        raise RuntimeError(
            f"Neo4j holds {nodes + relationships:,} records, the CSVs {built['csv_records']:,}"
        )
    total = time.perf_counter() - started
    run.put("ingest_s", total)
    run.put("ingest_rows_per_s", built["input_rows"] / total)
    run.put("nodes", nodes)
    run.put("relationships", relationships)


def restore_import_csv(
    name: str, heap: str, pagecache: str, csv_dir: Path, work: Path, args: argparse.Namespace, run: Run
) -> None:
    """A scale's Neo4j from the ``neo4j-admin import`` CSVs an earlier offline first load left
    (``--import-csv``): the import, the start and the schema, without the hour-long Python build
    (×100). Timed as ``restore_s``; not a first load (the build is what a first load waits for)."""
    import subprocess

    import neo4j_local

    from bench.neo4j_admin_import import bring_online, import_args_from, run_importer

    started = time.perf_counter()
    home = neo4j_local.configure(name, heap=heap, pagecache=pagecache)
    try:
        run_importer(home, import_args_from(csv_dir), work, timeout_s=args.stage_timeout)
    except subprocess.TimeoutExpired:
        raise StageLimit(f"neo4j-admin import: did not finish within {args.stage_timeout:.0f} s") from None
    run.put("admin_import_s", time.perf_counter() - started)
    mark = time.perf_counter()
    state = neo4j_local.start(name, heap=heap, pagecache=pagecache)
    run.put("neo4j_start_s", time.perf_counter() - mark)
    mark = time.perf_counter()
    nodes, relationships = bring_online(str(state["uri"]), timeout_s=args.stage_timeout)
    run.put("schema_s", time.perf_counter() - mark)
    run.put("restore_s", time.perf_counter() - started)
    run.put("nodes", nodes)
    run.put("relationships", relationships)


def _sink(args: argparse.Namespace, run: Run) -> Callable[[], None]:
    def save() -> None:
        if args.json:
            _write_json(args.json, [*args.finished, run])

    return save


def run_neo4j(scale: int, phases: list[list[Path]], args: argparse.Namespace) -> Run:
    import neo4j_local

    run = Run("neo4j", scale)
    run.sink = _sink(args, run)
    offline = args.first_load == "offline"
    name = args.neo4j_name.format(scale=scale)
    if "{scale}" not in args.neo4j_name and len(args.scales) > 1:
        name = f"{name}-x{scale}"  # one server per scale, never two scales on one name
    heap, pagecache = heap_for(scale, args.neo4j_heap, offline or bool(args.import_csv))
    neo4j_local.stop(name, remove=True)  # a fresh server: the first load is a first load
    run.notes.append(f"Neo4j {neo4j_local.neo4j_version()}, heap {heap}, page cache {pagecache}")
    run.notes.append(
        f"restored from {args.import_csv}" if args.import_csv else f"first load: {args.first_load}"
    )
    work = args.cache / f"work-x{scale}-neo4j"
    work.mkdir(parents=True, exist_ok=True)
    store: GraphStore | None = None
    try:
        if args.import_csv:
            csv_dir = Path(args.import_csv)
            loaded = stage(
                run, "restore", lambda: restore_import_csv(name, heap, pagecache, csv_dir, work, args, run)
            )
            state = neo4j_local.status(name)
            if not loaded or state is None:
                return run
            store = _connect(str(state["uri"]))
        elif offline:
            loaded = stage(
                run, "first load", lambda: offline_first_load(name, heap, pagecache, phases, work, args, run)
            )
            state = neo4j_local.status(name)
            if not loaded or state is None:
                return run
            store = _connect(str(state["uri"]))
        else:
            state = neo4j_local.start(name, heap=heap, pagecache=pagecache)
            store = _connect(str(state["uri"]))
            if not stage(run, "first load", lambda: first_load(store, phases, work, run)):  # type: ignore[arg-type]
                return run
        pid, uri = int(str(state["pid"])), str(state["uri"])
        run.put("neo4j_rss_load_mib", _status_kib(pid, "VmHWM") / 1024)
        spec = {"kind": "neo4j", "uri": uri, "tx_timeout": args.tx_timeout}
        if "analyses" not in args.skip:
            analyses(spec, args, run)
        env = api_env("neo4j", work, uri)
        with_file = "index-job" not in args.skip and stage(
            run, "index job", lambda: index_job(env, spec, args, run)
        )
        with_analyses = "analyses-job" not in args.skip and stage(
            run, "analyses job", lambda: analyses_job(env, args, run)
        )
        if "api" not in args.skip:
            live = store
            if not with_file:  # the API builds its own index, as before the job (and saves it)
                shutil.rmtree(work / "match-index", ignore_errors=True)
            if not with_analyses:  # likewise its analyses
                shutil.rmtree(work / "analyses", ignore_errors=True)
            run.notes.extend(_api_notes(with_file, with_analyses))
            served = jobs_env(env, with_file, with_analyses)
            stage(run, "api", lambda: serve_and_read(live, served, args, run))
        run.put("neo4j_rss_mib", _status_kib(pid, "VmHWM") / 1024)
        if "import" not in args.skip:  # last: the slowest step at ×100, and it rewrites the graph
            live = store
            stage(run, "export/import", lambda: export_import(live, work / "export", run))
    finally:
        if store is not None:
            store.close()
        if not args.keep_neo4j:
            neo4j_local.stop(name, remove=True)
    return run


def _api_notes(with_file: bool, with_analyses: bool) -> list[str]:
    return [
        "API started " + ("with the index job's file" if with_file else "without a saved index"),
        "API started with the analyses job's files (INNOGRAPH_ANALYSES=job)"
        if with_analyses
        else "API computed its own analyses (INNOGRAPH_ANALYSES=api)",
    ]


def run_embedded(scale: int, phases: list[list[Path]], args: argparse.Namespace) -> Run:
    from graph.embedded import EmbeddedStore

    run = Run("embedded", scale)
    run.sink = _sink(args, run)
    work = args.cache / f"work-x{scale}-embedded"
    work.mkdir(parents=True, exist_ok=True)
    path = work / "graph.innograph"
    for old in work.glob("graph.innograph*"):
        old.unlink()
    store = EmbeddedStore(path)
    try:
        first_load(store, phases, work, run)
        store.close()
        spec = {"kind": "embedded", "path": str(path)}
        if "analyses" not in args.skip:
            analyses(spec, args, run)
        env = api_env("embedded", work)
        with_file = "index-job" not in args.skip and stage(
            run, "index job", lambda: index_job(env, spec, args, run)
        )
        with_analyses = "analyses-job" not in args.skip and stage(
            run, "analyses job", lambda: analyses_job(env, args, run)
        )
        store = EmbeddedStore(path)
        if "api" not in args.skip:
            if not with_file:
                shutil.rmtree(work / "match-index", ignore_errors=True)
            if not with_analyses:
                shutil.rmtree(work / "analyses", ignore_errors=True)
            run.notes.extend(_api_notes(with_file, with_analyses))
            serve_and_read(store, jobs_env(env, with_file, with_analyses), args, run)
        if "import" not in args.skip:
            export_import(store, work / "export", run)
    finally:
        store.close()
    return run


# -- the report -----------------------------------------------------------------------------


def _fmt(value: float | None, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def _cell(run: Run, key: str, spec: str) -> str:
    """The figure, then ``@`` the 1-minute load average when it was taken (2 cores: 2 is busy)."""
    value, load = run.figures.get(key), run.loads.get(key)
    return _fmt(value, spec) + ("" if value is None or load is None else f" @{load:.1f}")


def table(runs: list[Run], clients: int, duration: float) -> str:
    """One Markdown table per store: scales as columns (each figure with the load average when it
    was taken), the growth ratios between consecutive scales, and the ×100 targets."""
    out: list[str] = []
    for store in dict.fromkeys(r.store for r in runs):
        mine = sorted((r for r in runs if r.store == store), key=lambda r: r.scale)
        scales = [r.scale for r in mine]
        pairs = list(itertools.pairwise(mine))
        head = ["metric", *(f"×{s}" for s in scales), *(f"×{b.scale}/×{a.scale}" for a, b in pairs)]
        top = mine[-1]
        with_target = store == "neo4j" and top.scale >= 100
        if with_target:
            head += [f"target ×{top.scale}", "met"]
        out += [f"### {store}", "", "| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
        for key, label, spec in METRICS:
            values = [r.figures.get(key) for r in mine]
            if all(v is None for v in values):
                continue
            name = label.replace("N readers", f"{clients} readers × {duration:g} s").replace(
                "N users", f"{clients} users × {duration:g} s"
            )
            cells = [name, *(_cell(r, key, spec) for r in mine)]
            for a, b in pairs:
                va, vb = a.figures.get(key), b.figures.get(key)
                cells.append(f"{vb / va:.1f}" if va and vb is not None else "–")
            if with_target:
                target = TARGETS.get(key)
                value = top.figures.get(key)
                if target is None or value is None:
                    cells += ["", ""]
                else:
                    bound, how = target
                    ok = value <= bound if how == "≤" else value == bound
                    cells += [f"{how} {bound:g}", "yes" if ok else "**no**"]
            out.append("| " + " | ".join(cells) + " |")
        for r in mine:
            for note in r.notes:
                out.append(f"\n- ×{r.scale}: {note}")
            for name, result in r.stages.items():
                out.append(f"\n- ×{r.scale} stage {name}: {result}")
        out.append("")
    return "\n".join(out)


def _deep_bytes(obj: Any, seen: set[int]) -> int:
    """Bytes held by ``obj`` and everything it reaches that ``seen`` does not hold yet (shared
    objects are billed to whoever reaches them first); numpy arrays and sparse matrices by
    their buffers. An estimate of what dropping the object would free, not an exact figure."""
    import numpy as np
    from scipy import sparse

    total, stack = 0, [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            total += item.nbytes + 112
            if item.dtype == object:
                stack.extend(item.ravel().tolist())
            continue
        if sparse.issparse(item):
            total += sum(getattr(item, a).nbytes for a in ("data", "indices", "indptr") if hasattr(item, a))
            continue
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif hasattr(item, "__dict__") and not callable(item):
            stack.append(vars(item))
        elif hasattr(item, "__slots__"):
            stack.extend(getattr(item, slot) for slot in item.__slots__ if hasattr(item, slot))
    return total


def index_parts(spec: dict[str, Any]) -> dict[str, Any]:
    """What the match index holds: RSS after the projection and after the index, then the deep
    size of the projection's node properties, its adjacency, and each of the index's own parts."""
    from graph.model import NodeLabel
    from match import cache
    from match.index import MatchIndex
    from text.pipeline import get_nlp

    store = _open_store(spec)
    store.version()
    nlp = get_nlp()
    before = _rss_kib()
    graph = store.projection(
        labels=[label for label in NodeLabel if label not in cache.UNUSED_LABELS],
        rel_types=[t for t in RelType if t not in cache.UNUSED_TYPES],
    )
    projected = _rss_kib()
    index = MatchIndex.from_graph(graph, nlp)
    built = _rss_kib()
    seen: set[int] = {id(nlp)}
    mib = 1024 * 1024
    # The index's parts first: it keeps no projection (match/adjacency.py), so what they share
    # with it (ids, names) is the index's own once the projection is freed.
    parts = {
        name: _deep_bytes(value, seen) / mib
        for name, value in vars(index).items()
        if name not in ("graph", "nlp")
    }
    props = _deep_bytes(dict(graph.nodes(data=True)), seen) / mib
    edges = _deep_bytes(graph, seen) / mib
    # Per property key, across the projected nodes (each key's values alone: on Neo4j every
    # value is a fresh object, on the embedded store some are shared with the store's graph).
    by_key: dict[str, list[Any]] = {}
    for _, attrs in graph.nodes(data=True):
        for key, value in attrs.items():
            by_key.setdefault(key, []).append(value)
    keys = {key: _deep_bytes(values, set()) / mib for key, values in by_key.items()}
    return {
        "keys_mib": dict(sorted(keys.items(), key=lambda kv: -kv[1])),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "rss_projection_mib": (projected - before) / 1024,
        "rss_index_mib": (built - projected) / 1024,
        "props_mib": props,
        "adjacency_mib": edges,
        "parts_mib": dict(sorted(parts.items(), key=lambda kv: -kv[1])),
    }


def projection_probe(spec: dict[str, Any]) -> dict[str, Any]:
    """One projection read from Neo4j as the match index (``match.cache.build_index``) or the
    cluster analysis (``analytics.projection.analysis_projection``) reads it, in pages of
    ``spec["page"]`` nodes (``0``: one transaction per part, as before the paged reads): seconds
    and the reading process's peak RSS above its RSS before the read."""
    from analytics.projection import analysis_projection
    from graph import neo4j_store
    from graph.model import NodeLabel
    from match import cache

    neo4j_store.PAGE_SIZE = int(spec["page"])
    pages: list[float] = []
    read_page = neo4j_store.Neo4jStore._read_page

    def timed(self: Any, *args: Any, **params: Any) -> list[Any]:
        started = time.perf_counter()
        try:
            return read_page(self, *args, **params)
        finally:
            pages.append(time.perf_counter() - started)

    neo4j_store.Neo4jStore._read_page = timed  # type: ignore[method-assign]
    store = _open_store(spec)
    store.version()
    before = _rss_kib()
    started = time.perf_counter()
    if spec["which"] == "index":
        graph = store.projection(
            labels=[label for label in NodeLabel if label not in cache.UNUSED_LABELS],
            rel_types=[t for t in RelType if t not in cache.UNUSED_TYPES],
        )
    else:
        graph = analysis_projection(store)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {
        "seconds": seconds,
        "peak_mib": max(peak_kib - before, 0) / 1024,
        "held_mib": max(_rss_kib() - before, 0) / 1024,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "pages": len(pages),
        "longest_page_s": max(pages, default=0.0),
    }
    store.close()
    return out


def groups_probe(cache: Path, scale: int, queries: int = 20) -> str:
    """A firm's own group among the ×scale registry's names: the indexed lookup
    (``match.groups``) against comparing the firm's name core with every organisation's, the
    rule it replaced; both on the same names, CPU time per query."""
    import csv
    import random

    from match.groups import MIN_PREFIX, _Cores, _related_cores, group_core

    path = cache / f"demo-x{scale}" / "raw" / "enterprise_registry.csv"
    with path.open(encoding="gb18030", newline="") as fh:
        names = [row[1] for row in list(csv.reader(fh))[1:]]
    started = time.process_time()
    of = {f"ent:{i}": group_core(name) for i, name in enumerate(names)}
    by_core: dict[str, list[str]] = {}
    for actor, core in of.items():
        if core:
            by_core.setdefault(core, []).append(actor)
    cores = _Cores(of, by_core, sorted(by_core))
    build = time.process_time() - started
    firms = random.Random(1).sample(sorted(of), queries)

    def brute(firm: str) -> int:
        mine = of[firm]
        return sum(
            1
            for actor, core in of.items()
            if core
            and actor != firm
            and (
                core == mine
                or (
                    min(len(core), len(mine)) >= MIN_PREFIX
                    and (core.startswith(mine) or mine.startswith(core))
                )
            )
        )

    started = time.process_time()
    old = [brute(f) for f in firms]
    old_ms = (time.process_time() - started) / queries * 1000
    started = time.process_time()
    new = [sum(len(by_core[c]) for c in _related_cores(cores, of[f])) - 1 for f in firms]
    new_ms = (time.process_time() - started) / queries * 1000
    same = "same" if old == new else "DIFFERENT"
    return (
        f"own-group lookup, ×{scale} registry ({len(names):,} names): cores {build:.1f} s CPU once per "
        f"index; every organisation compared {old_ms:.1f} ms CPU per query vs indexed {new_ms:.3f} ms "
        f"({old_ms / max(new_ms, 1e-6):,.0f}×); group sizes {same} for {queries} firms "
        f"(load {os.getloadavg()[0]:.1f})"
    )


def _write_json(path: Path, runs: list[Run]) -> None:
    rows = [
        {
            "store": r.store,
            "scale": r.scale,
            "figures": r.figures,
            "loads": r.loads,
            "notes": r.notes,
            "stages": r.stages,
        }
        for r in runs
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def _read_json(paths: list[Path]) -> list[Run]:
    runs = []
    for path in paths:
        for row in json.loads(path.read_text(encoding="utf-8")):
            runs.append(
                Run(
                    row["store"],
                    row["scale"],
                    row["figures"],
                    row["loads"],
                    row["notes"],
                    row.get("stages", {}),
                )
            )
    return runs


def _heap_overrides(values: list[str]) -> dict[int, str]:
    found = {}
    for value in values:
        scale, _, heap = value.partition("=")
        if not scale.isdigit() or not heap:
            raise SystemExit(f"--neo4j-heap wants SCALE=SIZE (e.g. 100=12g), not {value!r}")
        found[int(scale)] = heap
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--stores", nargs="+", choices=["neo4j", "embedded"], default=["neo4j", "embedded"])
    parser.add_argument(
        "--embedded-max-scale", type=int, default=10, help="largest scale the embedded store runs"
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent readers")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of concurrent reads")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="also run the readers as users: each waits this mean time (s, exponential) between an "
        "answer and its next request; 0 (default) runs only the saturating closed loop",
    )
    parser.add_argument("--requests", type=int, default=100, help="per endpoint, one client, warm")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="uvicorn worker processes of the API stage, on Neo4j "
        "(RSS: all of them; the stage memory limit watches the parent only)",
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per one-client endpoint")
    parser.add_argument("--sample", type=int, default=50, help="distinct ids per endpoint")
    parser.add_argument(
        "--cache", type=Path, default=Path(os.environ.get("INNOGRAPH_SCALE_CACHE", "/work/.scalecache"))
    )
    parser.add_argument("--neo4j-heap", action="append", default=[], help="SCALE=SIZE, e.g. 100=12g")
    parser.add_argument(
        "--skip",
        nargs="+",
        choices=["analyses", "index-job", "analyses-job", "api", "import"],
        default=[],
        help="steps to leave out (index-job / analyses-job: the API then builds its own index / "
        "computes its own analyses)",
    )
    parser.add_argument(
        "--first-load",
        choices=["transactional", "offline"],
        default="transactional",
        help="Neo4j's first load: one transaction per ingest call (as innograph does), or built on the "
        "embedded store and loaded with neo4j-admin database import (docs/SCALING.md, a province)",
    )
    parser.add_argument(
        "--neo4j-name",
        default="bench-scale-x{scale}",
        help="the private Neo4j's name (scripts/neo4j_local.py; {scale} is replaced): one of your own "
        "when another run may be using the default",
    )
    parser.add_argument(
        "--stage-timeout", type=float, default=3600.0, help="seconds a stage may take before it is stopped"
    )
    parser.add_argument(
        "--stage-mem",
        type=float,
        default=0.0,
        help="GiB of RSS a stage's own process (build, index, clusters, monitor, API) may use before "
        "it is stopped; 0: no bound",
    )
    parser.add_argument(
        "--tx-timeout",
        type=float,
        default=0.0,
        help="seconds a Neo4j read may take in the index / clusters / monitor children "
        "(default: the store's own bound, graph.neo4j_store.TX_TIMEOUT_S)",
    )
    parser.add_argument(
        "--build-timeout",
        type=float,
        default=0.0,
        help="seconds for the offline build (default: --stage-timeout)",
    )
    parser.add_argument(
        "--build-mem",
        type=float,
        default=0.0,
        help="GiB for the offline build's process (default: --stage-mem)",
    )
    parser.add_argument(
        "--import-csv",
        metavar="DIR",
        help="Neo4j: instead of a first load, import the neo4j-admin CSVs an earlier --first-load offline "
        "left in DIR (e.g. CACHE/work-x100-neo4j/import-csv) and bring the schema online: a ×100 server "
        "in minutes, for the later stages",
    )
    parser.add_argument(
        "--probe-projection",
        metavar="URI",
        help="only time the match index's and the clusters' projection reads from the Neo4j at URI, "
        "per --page-sizes (0: one transaction, as before the paged reads), each in a fresh child",
    )
    parser.add_argument("--page-sizes", type=int, nargs="+", default=[0, 5_000])
    parser.add_argument("--which", nargs="+", choices=["index", "clusters"], default=["index", "clusters"])
    parser.add_argument("--keep-neo4j", action="store_true", help="leave each scale's Neo4j running")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON")
    parser.add_argument("--markdown", type=Path, help="also write the tables as Markdown")
    parser.add_argument(
        "--report", type=Path, nargs="+", help="print the tables of earlier --json files (merged) and stop"
    )
    parser.add_argument(
        "--probe-groups", action="store_true", help="only time the own-group lookup on each scale's names"
    )
    parser.add_argument(
        "--probe-index",
        metavar="GRAPH_FILE",
        type=Path,
        help="only build the match index on this embedded store, from the whole projection and from "
        "the narrowed one, alternately (--runs times each)",
    )
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--probe-index-job",
        metavar="URI",
        help="only, on the running Neo4j at URI: the index built in memory, `innograph index build` "
        "and the load of its file, the API's start → first partners with and without it",
    )
    parser.add_argument(
        "--work", type=Path, help="data directory for --probe-index-job (default: CACHE/work-probe-index-job)"
    )
    parser.add_argument(
        "--probe-index-parts",
        metavar="GRAPH_FILE",
        type=Path,
        help="only measure what the match index built on this embedded store holds, part by part",
    )
    args = parser.parse_args(argv)
    if args.probe_index_parts:
        r = in_child("index-parts", {"kind": "embedded", "path": str(args.probe_index_parts)})
        print(
            f"{r['nodes']:,} nodes, {r['edges']:,} edges · RSS: projection "
            f"{r['rss_projection_mib']:,.0f} MiB, index on top {r['rss_index_mib']:,.0f} MiB · deep sizes: "
            f"node properties {r['props_mib']:,.0f} MiB, adjacency {r['adjacency_mib']:,.0f} MiB "
            f"(load {os.getloadavg()[0]:.1f})"
        )
        print(f"  index's own parts together {sum(r['parts_mib'].values()):8,.1f} MiB")
        for name, size in r["parts_mib"].items():
            if size >= 0.5:
                print(f"  index.{name:24s} {size:8,.1f} MiB")
        for name, size in r["keys_mib"].items():
            if size >= 0.5:
                print(f"  property {name:22s} {size:8,.1f} MiB (values, with their list)")
        return 0
    if args.probe_index_job:
        args.finished = []
        work = args.work or args.cache / "work-probe-index-job"
        run = index_job_probe(args.probe_index_job, work, args)
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · load {os.getloadavg()}")
        print(table([run], args.clients, args.duration))
        return 0
    if args.probe_projection:
        for which in args.which:
            for page in args.page_sizes:
                spec = {
                    "kind": "neo4j",
                    "uri": args.probe_projection,
                    # Only the one-transaction read gets --tx-timeout: the pages keep the store's
                    # own bound, as the API runs them.
                    "tx_timeout": args.tx_timeout if page <= 0 else 0,
                    "which": which,
                    "page": page,
                }
                try:
                    r = in_child("projection", spec, args.stage_timeout, args.stage_mem)
                except (StageLimit, RuntimeError) as error:
                    print(f"{which:8s} page {page:>7,}: {' '.join(str(error).split())[:300]}", flush=True)
                    continue
                print(
                    f"{which:8s} page {page:>7,}: {r['seconds']:7.1f} s  peak +{r['peak_mib']:,.0f} MiB  "
                    f"held +{r['held_mib']:,.0f} MiB  {r['nodes']:,} nodes {r['edges']:,} edges  "
                    f"{r['pages']} pages, longest {r['longest_page_s']:.1f} s  "
                    f"(load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        return 0
    if args.probe_index:
        spec = {"kind": "embedded", "path": str(args.probe_index)}
        for _ in range(args.runs):
            for task in ("index-full", "index"):
                r = in_child(task, spec)
                print(
                    f"{task:10s} nodes {r['index_nodes']:,.0f}  build {r['index_s']:.2f} s  "
                    f"peak {r['index_mib']:,.0f} MiB  (load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        return 0
    if args.probe_groups:
        for scale in sorted(args.scales):
            demo_files(args.cache, scale, Run("files", scale))
            print(groups_probe(args.cache, scale), flush=True)
        return 0
    if args.report:
        print(table(_read_json(args.report), args.clients, args.duration))
        return 0
    args.neo4j_heap = _heap_overrides(args.neo4j_heap)
    args.clients, args.duration = min(args.clients, 200), min(args.duration, 600)
    args.cache.mkdir(parents=True, exist_ok=True)

    runs: list[Run] = []
    args.finished = runs  # what each run's JSON sink writes before the run itself
    steps: dict[str, Callable[[int, list[list[Path]], argparse.Namespace], Run]] = {
        "neo4j": run_neo4j,
        "embedded": run_embedded,
    }
    for scale in sorted(args.scales):
        probe = Run("files", scale)
        phases = demo_files(args.cache, scale, probe)
        for store in args.stores:
            if store == "embedded" and scale > args.embedded_max_scale:
                continue
            print(f"×{scale} {store} …", flush=True)
            run = steps[store](scale, phases, args)
            run.figures.update({k: v for k, v in probe.figures.items()})
            run.loads.update(probe.loads)
            runs.append(run)
            if args.json:  # after every run, so a long ×100 run keeps what it measured
                _write_json(args.json, runs)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    header = (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · load average now {load} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()} · command: "
        f"python -m bench.scale {' '.join(argv if argv is not None else sys.argv[1:])}"
    )
    text = header + "\n\n" + table(runs, args.clients, args.duration)
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0 if all(r.figures.get("load_errors", 0) == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
