"""Matchmaking latency over HTTP: p50 / p95 per endpoint, both stores, ×1 and ×10, alone and
under concurrent clients.

    .venv/bin/python -m bench.match_latency                        # ×1 and ×10, both stores
    .venv/bin/python -m bench.match_latency --scales 1 --stores embedded --requests 50

For each store and scale: build the demo graph (the embedded file is built once and copied
into Neo4j through ``graph.backup``), start uvicorn on 127.0.0.1 (one worker), warm it (the
first request builds the match index: reported as "index build"), then time each endpoint
with one client, then all endpoints mixed under ``--clients`` concurrent httpx clients. Each
phase is bounded by a request count and a time limit. Target: partners p95 ≤ 100 ms at ×10
on Neo4j. The Neo4j instance is started by the bench (``scripts/neo4j_local.py``) and stopped
at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from api.security import KeyStore, Role  # noqa: E402
from bench.faults import free_port, uvicorn_command  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.model import NodeLabel, RelType  # noqa: E402
from graph.store import GraphStore  # noqa: E402

NEO4J_NAME = "bench-match-latency"
TARGET_MS = 100.0
ENDPOINTS = ("partners", "demand matches", "patent demands", "open demands")


def build_embedded(workdir: Path, scale: int) -> Path:
    from demo.build import build_demo

    data_dir = workdir / f"embedded-x{scale}"
    path = data_dir / "graph.innograph"
    if not path.exists():
        t0 = time.perf_counter()
        store = EmbeddedStore(path)
        build_demo(store, data_dir / f"demo-x{scale}", scale=scale, runs_dir=data_dir)
        print(f"built demo ×{scale} in {time.perf_counter() - t0:.0f} s", flush=True)
    return data_dir


def load_neo4j(uri: str, data_dir: Path) -> None:
    from graph.backup import export_graph, import_graph
    from graph.neo4j_store import Neo4jStore

    export_dir = data_dir / "export"
    if not (export_dir / "manifest.json").exists():
        export_graph(EmbeddedStore(data_dir / "graph.innograph"), export_dir, overwrite=True)
    store = Neo4jStore(uri)
    try:
        t0 = time.perf_counter()
        import_graph(store, export_dir, replace=True)
        print(f"loaded {data_dir.name} into Neo4j in {time.perf_counter() - t0:.0f} s", flush=True)
    finally:
        store.close()


def sample_ids(data_dir: Path, n: int, seed: int) -> dict[str, list[str]]:
    """Firms with patents, open demands and patents to ask about (same ids for both stores)."""
    return sample_from(EmbeddedStore(data_dir / "graph.innograph"), n, seed)


def sample_from(store: GraphStore, n: int, seed: int) -> dict[str, list[str]]:
    """:func:`sample_ids` from any store (bench/scale.py samples Neo4j directly)."""
    rng = random.Random(seed)
    firms = sorted({r.start for r in store.relationships(RelType.APPLIED_FOR) if r.start.startswith("ent:")})
    demands = [d.id for d in store.nodes(NodeLabel.TECH_DEMAND) if d.props.get("status", "open") != "closed"]
    patents = [p.id for p in store.nodes(NodeLabel.PATENT)]
    return {
        "firms": rng.sample(firms, min(n, len(firms))),
        "demands": rng.sample(demands, min(n, len(demands))),
        "patents": rng.sample(patents, min(n, len(patents))),
    }


def urls(ids: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        "partners": [f"/api/v1/enterprises/{i}/partners?limit=10" for i in ids["firms"]],
        "demand matches": [f"/api/v1/demands/{i}/matches?limit=10" for i in ids["demands"]],
        "patent demands": [f"/api/v1/patents/{i}/demands?limit=10" for i in ids["patents"]],
        "open demands": [f"/api/v1/demands?limit=20&offset={k * 20}" for k in range(5)],
    }


class Server:
    """uvicorn on 127.0.0.1 in a child process, over the store the environment names."""

    def __init__(self, env: dict[str, str], log: Path | None = None, workers: int = 1) -> None:
        """``log``: where uvicorn's output goes (default: a temporary file). Never a pipe nobody
        reads: a server that logs more than the pipe holds blocks on its next write. ``workers``:
        uvicorn worker processes (each loads the saved index and analyses of its own)."""
        self.port = free_port()
        self.log = log or Path(tempfile.mkstemp(prefix="innograph-uvicorn-", suffix=".log")[1])
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            uvicorn_command(sys.executable, self.port, "--log-level", "warning", "--workers", str(workers)),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("uvicorn did not answer /healthz within 120 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def timed_get(client: httpx.Client, url: str) -> float:
    t0 = time.perf_counter()
    r = client.get(url)
    elapsed = (time.perf_counter() - t0) * 1000
    if r.status_code != 200:
        raise RuntimeError(f"GET {url} → {r.status_code}: {r.text[:300]}")
    return elapsed


def run_alone(base: str, plan: dict[str, list[str]], requests: int, limit_s: float) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for name in ENDPOINTS:
            times: list[float] = []
            deadline = time.monotonic() + limit_s
            while len(times) < requests and time.monotonic() < deadline:
                times.append(timed_get(client, plan[name][len(times) % len(plan[name])]))
            out[name] = times
    return out


def run_concurrent(
    base: str, plan: dict[str, list[str]], clients: int, requests: int, limit_s: float
) -> tuple[dict[str, list[float]], float]:
    tasks = [(name, plan[name][k % len(plan[name])]) for k in range(requests) for name in ENDPOINTS]
    tasks = tasks[:requests]
    lock = threading.Lock()
    cursor = iter(tasks)
    out: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    deadline = time.monotonic() + limit_s

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            while time.monotonic() < deadline:
                with lock:
                    task = next(cursor, None)
                if task is None:
                    return
                try:
                    elapsed = timed_get(client, task[1])
                except (RuntimeError, httpx.HTTPError) as e:
                    errors.append(str(e))
                    return
                with lock:
                    out[task[0]].append(elapsed)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed under load; first: {errors[0]}")
    return dict(out), wall


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def rebuild_after_write(base: str, data_dir: Path, firm: str) -> float:
    """Post a demand (editor key) and time the next partners request: the index rebuild."""
    keys = KeyStore(data_dir / "api-keys.json")
    _, token = keys.create("bench", Role.EDITOR)
    body = {
        "title": f"基准测试需求 {time.time_ns()}",
        "description": "LED散热",
        "poster": firm,
        "mode": "合作开发",
    }
    with httpx.Client(base_url=base, timeout=300) as client:
        r = client.post("/api/v1/demands", json=body, headers={"X-API-Key": token})
        if r.status_code != 201:
            raise RuntimeError(f"POST /api/v1/demands → {r.status_code}: {r.text[:300]}")
        return timed_get(client, f"/api/v1/enterprises/{firm}/partners?limit=10")


def api_env(kind: str, data_dir: Path, uri: str = "") -> dict[str, str]:
    """The API server's environment for a benchmark: public reads, rate limiter off (this
    measures matching, not throttling); ``NEO4J_URI`` empty for the embedded store."""
    return {
        "INNOGRAPH_STORE": kind,
        "INNOGRAPH_DATA_DIR": str(data_dir),
        "INNOGRAPH_PUBLIC_READ": "1",
        "INNOGRAPH_RATE_LIMIT": "0",
        "INNOGRAPH_ANON_RATE_LIMIT": "0",
        "NEO4J_URI": uri,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--stores", nargs="+", choices=["embedded", "neo4j"], default=["embedded", "neo4j"])
    parser.add_argument("--requests", type=int, default=100, help="per endpoint, one client")
    parser.add_argument("--concurrent-requests", type=int, default=400, help="in all, under --clients")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--sample", type=int, default=50, help="distinct ids per endpoint")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep built graphs here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--cli", action="store_true", help="time CLI calls instead (bench/cli_latency.py)")
    args, rest = parser.parse_known_args(argv)
    if args.cli:
        from bench import cli_latency

        return cli_latency.main(rest + (["--json", str(args.json)] if args.json else []))
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")

    import neo4j_local

    rows: list[dict[str, object]] = []
    tmp = tempfile.mkdtemp(prefix="innograph-match-latency-")
    workdir = args.workdir or Path(tmp)
    neo4j_uri: str | None = None
    try:
        for scale in args.scales:
            data_dir = build_embedded(workdir, scale)
            plan = urls(sample_ids(data_dir, args.sample, args.seed))
            for kind in args.stores:
                # The rate limiter (api/ratelimit.py) is off: this measures matching, not throttling.
                env = api_env(kind, data_dir)
                if kind == "neo4j":
                    if neo4j_uri is None:
                        neo4j_uri = str(neo4j_local.start(NEO4J_NAME, heap="2g", pagecache="1g")["uri"])
                    load_neo4j(neo4j_uri, data_dir)
                    env["NEO4J_URI"] = neo4j_uri
                server = Server(env)
                try:
                    with httpx.Client(base_url=server.base, timeout=600) as client:
                        build_ms = timed_get(client, plan["partners"][0])
                        for name in ENDPOINTS:  # first call of each endpoint fills its own memos
                            timed_get(client, plan[name][0])
                    alone = run_alone(server.base, plan, args.requests, args.time_limit)
                    loaded, wall = run_concurrent(
                        server.base, plan, args.clients, args.concurrent_requests, args.time_limit
                    )
                    rebuild_ms = rebuild_after_write(server.base, data_dir, plan["partners"][0].split("/")[4])
                finally:
                    server.stop()
                for mode, results in (("alone", alone), (f"{args.clients} clients", loaded)):
                    for name in ENDPOINTS:
                        times = results.get(name, [])
                        rows.append(
                            {
                                "store": kind,
                                "scale": scale,
                                "endpoint": name,
                                "mode": mode,
                                "n": len(times),
                                "p50": pct(times, 50),
                                "p95": pct(times, 95),
                            }
                        )
                rows.append(
                    {
                        "store": kind,
                        "scale": scale,
                        "endpoint": "index build (first request)",
                        "mode": "cold",
                        "n": 1,
                        "p50": build_ms,
                        "p95": build_ms,
                    }
                )
                rows.append(
                    {
                        "store": kind,
                        "scale": scale,
                        "endpoint": "partners after a write (rebuild)",
                        "mode": "cold",
                        "n": 1,
                        "p50": rebuild_ms,
                        "p95": rebuild_ms,
                    }
                )
                total = sum(len(v) for v in loaded.values())
                print(
                    f"{kind} ×{scale}: {total} requests under {args.clients} clients in {wall:.1f} s "
                    f"({total / wall:.0f} req/s)",
                    flush=True,
                )
    finally:
        if neo4j_uri is not None:
            neo4j_local.stop(NEO4J_NAME, remove=True)
        if args.workdir is None:
            shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\n{'store':9s} {'scale':>5s} {'endpoint':34s} {'mode':11s} {'n':>4s} {'p50 ms':>8s} {'p95 ms':>8s} "
        f"{'p95 ÷ 100 ms':>12s}"
    )
    for r in rows:
        scale = "×" + str(r["scale"])
        ratio = float(r["p95"]) / TARGET_MS  # type: ignore[arg-type]
        print(
            f"{r['store']!s:9s} {scale:>5s} {r['endpoint']!s:34s} {r['mode']!s:11s} {r['n']!s:>4s} "
            f"{r['p50']:8.1f} {r['p95']:8.1f} {ratio:11.2f}×"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
