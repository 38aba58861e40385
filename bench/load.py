"""Load run: N concurrent clients for T seconds against the API on loopback, on each store.

``python -m bench.load [--clients 50] [--duration 60] [--scale 10] [--stores embedded neo4j]``

The ×SCALE demo graph is built once on the embedded store (``innograph demo build``), exported,
and imported into a local Neo4j started for the run (``innograph import`` code path), so both
stores serve the same graph. For each store the script starts uvicorn on 127.0.0.1 (one worker:
the embedded store is one process's file), and async httpx clients loop over a mix of reads and
demand posts (editor key). Rate limits are off for the run (INNOGRAPH_RATE_LIMIT=0) — this
measures the server, not the limiter. Prints one markdown table per run with p50/p95/p99 per
request kind and the Neo4j/embedded ratio. Bounded: at most 200 clients, 600 s, 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from bench.faults import build_demo_graph, editor_token, neo4j_local, serve_api
from graph.model import NodeLabel
from graph.store import GraphStore

#: (kind, weight): what a broker's page does, plus firms posting demands.
MIX = [
    ("entity", 30),
    ("search", 20),
    ("neighbors", 15),
    ("partners", 10),
    ("matches", 5),
    ("post_demand", 15),
    ("stats", 5),
]
SEARCH_TERMS = ["天津", "LED", "科技", "大学", "装备", "新材料", "东丽", "研究所", "光电", "生物"]


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def pick_samples(store: GraphStore) -> dict[str, list[str]]:
    pick = random.Random(1)
    out = {}
    for key, label in [
        ("enterprise", NodeLabel.ENTERPRISE),
        ("patent", NodeLabel.PATENT),
        ("demand", NodeLabel.TECH_DEMAND),
        ("university", NodeLabel.UNIVERSITY),
    ]:
        ids = [n.id for n in store.nodes(label)]
        out[key] = pick.sample(ids, min(200, len(ids))) if ids else []
    return out


async def _client(
    n: int,
    base: str,
    token: str,
    samples: dict[str, list[str]],
    stop_at: float,
    results: dict[str, list[float]],
    errors: list[str],
    writes: bool,
    think_s: float = 0.0,
) -> None:
    rng = random.Random(1000 + n)
    kinds = [k for k, w in MIX for _ in range(w) if writes or k != "post_demand"]
    any_ids = samples["enterprise"] + samples["patent"] + samples["university"]
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            kind = rng.choice(kinds)
            start = time.monotonic()
            try:
                if kind == "entity":
                    r = await client.get(f"/api/v1/entities/{rng.choice(any_ids)}")
                elif kind == "search":
                    r = await client.get("/api/v1/entities", params={"q": rng.choice(SEARCH_TERMS)})
                elif kind == "neighbors":
                    r = await client.get(f"/api/v1/entities/{rng.choice(any_ids)}/neighbors")
                elif kind == "partners":
                    r = await client.get(f"/api/v1/enterprises/{rng.choice(samples['enterprise'])}/partners")
                elif kind == "matches" and samples["demand"]:
                    r = await client.get(f"/api/v1/demands/{rng.choice(samples['demand'])}/matches")
                elif kind == "post_demand":
                    body = {
                        "title": f"负载测试需求 c{n}-{i}",
                        "keywords": ["LED", "散热"],
                        "description": "大功率LED封装散热技术",
                        "poster": rng.choice(samples["enterprise"]),
                    }
                    r = await client.post("/api/v1/demands", json=body, headers={"X-API-Key": token})
                else:
                    kind = "stats"
                    r = await client.get("/api/v1/stats")
                ok = r.status_code < 400
                if not ok:
                    errors.append(f"{kind} {r.status_code} {r.text[:160]}")
            except httpx.HTTPError as e:
                ok = False
                errors.append(f"{kind} {type(e).__name__}: {e}")
            if ok:
                results[kind].append(time.monotonic() - start)
            if think_s > 0:
                # A person reads the answer before the next click: exponential think time, the
                # usual closed-loop user model (a load tester's "wait time").
                await asyncio.sleep(rng.expovariate(1.0 / think_s))


def drive(
    base: str,
    token: str,
    samples: dict[str, list[str]],
    clients: int,
    duration: float,
    writes: bool = True,
    label: str = "",
    think_s: float = 0.0,
) -> dict[str, Any]:
    """``clients`` async clients against ``base`` for ``duration`` s; throughput and latencies.
    Also used by bench/scale.py (reads only, ``token`` unused then). ``think_s`` > 0: each client
    waits a random time of that mean between an answer and its next request (users, not a
    saturating closed loop: with no think time, mean latency is just clients / throughput)."""
    results: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []

    async def run() -> float:
        t0 = time.monotonic()
        await asyncio.gather(
            *[
                _client(n, base, token, samples, t0 + duration, results, errors, writes, think_s)
                for n in range(clients)
            ]
        )
        return time.monotonic() - t0

    elapsed = asyncio.run(run())
    all_latencies = [x for values in results.values() for x in values]
    per_kind = {
        k: {"n": len(v), "p50": _percentile(v, 50), "p95": _percentile(v, 95), "p99": _percentile(v, 99)}
        for k, v in sorted(results.items())
    }
    return {
        "store": label if writes else f"{label} (reads only)",
        "clients": clients,
        "think_s": think_s,
        "duration_s": round(elapsed, 1),
        "requests": len(all_latencies) + len(errors),
        "errors": len(errors),
        "error_samples": errors[:10],
        "rps": round((len(all_latencies) + len(errors)) / elapsed, 1),
        "p50": _percentile(all_latencies, 50),
        "p95": _percentile(all_latencies, 95),
        "p99": _percentile(all_latencies, 99),
        "per_kind": per_kind,
    }


def warm(base: str, samples: dict[str, list[str]]) -> None:
    """One warm-up pass so caches (projections, spaCy) are not billed to the first clients."""
    with httpx.Client(base_url=base, timeout=600) as client:
        client.get(f"/api/v1/enterprises/{samples['enterprise'][0]}/partners")
        if samples["demand"]:
            client.get(f"/api/v1/demands/{samples['demand'][0]}/matches")


def run_store(
    kind: str, env: dict[str, str], store: GraphStore, clients: int, duration: float, writes: bool = True
) -> dict[str, Any]:
    samples = pick_samples(store)
    store.close()
    data_dir = Path(env["INNOGRAPH_DATA_DIR"])
    token = editor_token(data_dir)
    with serve_api(env) as base:
        warm(base, samples)
        return drive(base, token, samples, clients, duration, writes, label=kind)


def prepare(workdir: Path, scale: int) -> tuple[Path, Path]:
    emb = workdir / "embedded"
    export = workdir / "export"
    build_demo_graph(emb, scale)
    if not (export / "manifest.json").exists():
        from graph.backup import export_graph
        from graph.embedded import EmbeddedStore

        t = time.monotonic()
        summary = export_graph(EmbeddedStore(emb / "graph.innograph"), export, overwrite=True)
        took = time.monotonic() - t
        print(
            f"exported {summary.nodes} nodes, {summary.edges} relationships in {took:.0f} s", file=sys.stderr
        )
    return emb, export


def _table(runs: list[dict[str, Any]]) -> str:
    ms = lambda s: f"{s * 1000:.0f}"  # noqa: E731
    lines = [
        "| store | clients | s | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r['store']} | {r['clients']} | {r['duration_s']} | {r['requests']} | {r['errors']} | "
            f"{r['rps']} | {ms(r['p50'])} | {ms(r['p95'])} | {ms(r['p99'])} |"
        )
    lines += ["", "| store | kind | n | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|---|"]
    for r in runs:
        for kind, k in r["per_kind"].items():
            lines.append(
                f"| {r['store']} | {kind} | {k['n']} | {ms(k['p50'])} | {ms(k['p95'])} | {ms(k['p99'])} |"
            )
    by = {r["store"]: r for r in runs}
    if "neo4j" in by and "embedded" in by:
        lines += ["", "| ratio neo4j / embedded | p50 | p95 | p99 | req/s |", "|---|---|---|---|---|"]
        e, n = by["embedded"], by["neo4j"]
        lines.append(
            f"| | {n['p50'] / e['p50']:.2f} | {n['p95'] / e['p95']:.2f} | {n['p99'] / e['p99']:.2f} | "
            f"{n['rps'] / e['rps']:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--stores", nargs="+", choices=["embedded", "neo4j"], default=["neo4j", "embedded"])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/innograph-load"))
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--no-writes", action="store_true", help="reads only (no demand posts)")
    args = parser.parse_args(argv)
    clients, duration = min(args.clients, 200), min(args.duration, 600)
    emb, export = prepare(args.workdir, args.scale)
    runs = []
    for kind in args.stores:
        if kind == "embedded":
            from graph.embedded import EmbeddedStore

            # A copy, so the posted demands of one run do not leak into the next.
            run_dir = args.workdir / "run-embedded"
            run_dir.mkdir(parents=True, exist_ok=True)
            (run_dir / "graph.innograph").write_bytes((emb / "graph.innograph").read_bytes())
            env = {"INNOGRAPH_STORE": "embedded", "INNOGRAPH_DATA_DIR": str(run_dir), "NEO4J_URI": ""}
            store = EmbeddedStore(run_dir / "graph.innograph")
            runs.append(run_store(kind, env, store, clients, duration, not args.no_writes))
        else:
            from graph.backup import import_graph
            from graph.neo4j_store import Neo4jStore

            name = f"h7-load-{os.getpid()}"
            uri = str(neo4j_local.start(name, heap="1g", pagecache="512m")["uri"])
            try:
                store = Neo4jStore(uri)
                t = time.monotonic()
                summary = import_graph(store, export, replace=True)
                print(
                    f"imported ×{args.scale} ({summary.nodes} nodes, {summary.edges} relationships)"
                    f" into Neo4j in {time.monotonic() - t:.0f} s",
                    file=sys.stderr,
                )
                run_dir = args.workdir / "run-neo4j"
                run_dir.mkdir(parents=True, exist_ok=True)
                env = {"INNOGRAPH_STORE": "neo4j", "NEO4J_URI": uri, "INNOGRAPH_DATA_DIR": str(run_dir)}
                runs.append(run_store(kind, env, store, clients, duration, not args.no_writes))
            finally:
                neo4j_local.stop(name, remove=True)
        print(_table(runs[-1:]), file=sys.stderr)
    print(_table(runs))
    if args.json:
        args.json.write_text(json.dumps(runs, ensure_ascii=False, indent=1))
    return 0 if all(r["errors"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
