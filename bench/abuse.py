"""Abuse run: costly anonymous requests and large bodies against `innograph serve` on loopback.

``python -m bench.abuse [--scale 1] [--clients 8] [--rounds 3] [--body-mb 56] [--bodies 4]``

Builds the ×SCALE demo graph once on the embedded store (``innograph demo build``), serves it
with the real command (rate limits off: this measures the server's own bounds, not the limiter)
and, after the warm-up has cached the default partition, runs the cases of issue #16:

1. ``anon-new-partitions`` — CLIENTS concurrent anonymous callers, each asking for clusters
   under its own seed/resolution (each would have been a ~3 s recomputation before the fix).
2. ``analyst-new-partitions`` — the same with analyst keys, who may choose partitions: the
   recomputation admission answers 503 beyond two at once instead of queueing them all.
3. ``default-partition`` — CLIENTS concurrent anonymous callers on the default (cached) one.
4. ``large-bodies`` — BODIES concurrent anonymous POSTs of BODY_MB MB each.

For each case: status counts, p50/p95/max latency, and the server's peak resident memory
(VmHWM) before and after, with the ratio of each case's p95 to a `/healthz` round trip on the
same server. Only 127.0.0.1; bounded in clients, rounds and time; the server is always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.faults import INNOGRAPH, ROOT, build_demo_graph, free_port, stop_group
from bench.load import _percentile


def _memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _build(work: Path, scale: int) -> Path:
    data = work / f"abuse-x{scale}"
    build_demo_graph(data, scale)
    return data


async def _timed(client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> tuple[int, float]:
    t = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)
        status = response.status_code
    except httpx.HTTPError as e:
        status = -1 if not isinstance(e, httpx.TimeoutException) else -2
    return status, time.perf_counter() - t


async def _case(
    base: str, requests: list[tuple[str, str, dict[str, Any]]]
) -> tuple[Counter[int], list[float]]:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        results = await asyncio.gather(*(_timed(client, m, u, **kw) for m, u, kw in requests))
    return Counter(s for s, _ in results), [t for _, t in results]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--body-mb", type=int, default=56)
    parser.add_argument("--bodies", type=int, default=4)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args(argv)
    clients, rounds = min(args.clients, 64), min(args.rounds, 10)
    body_mb, bodies = min(args.body_mb, 200), min(args.bodies, 8)
    data = _build(args.work, args.scale)

    from api.security import KeyStore, Role

    analyst = KeyStore(data / "api-keys.json").create("bench-abuse", Role.ANALYST)[1]
    port = free_port()
    env = {
        **os.environ,
        "INNOGRAPH_STORE": "embedded",
        "INNOGRAPH_DATA_DIR": str(data),
        "INNOGRAPH_RATE_LIMIT": "0",
        "INNOGRAPH_ANON_RATE_LIMIT": "0",
    }
    env.pop("NEO4J_URI", None)
    env.pop("INNOGRAPH_TRUSTED_PROXIES", None)
    log = (data / "abuse-serve.log").open("wb")
    proc = subprocess.Popen(
        [INNOGRAPH, "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    rows: list[dict[str, Any]] = []
    try:
        deadline = time.monotonic() + 300
        # Ready when the default partition is cached (the warm-up computes it at start-up).
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not come up; see {log.name}")
            try:
                t = time.perf_counter()
                ok = httpx.get(base + "/api/v1/clusters", timeout=120).status_code == 200
                if ok and time.perf_counter() - t < 0.5:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        key = {"X-API-Key": analyst}
        seed = 1000
        cases: list[tuple[str, list[tuple[str, str, dict[str, Any]]]]] = []
        for r in range(rounds):
            batch = []
            for i in range(clients):
                seed += 1
                params = {"seed": seed, "resolution": 0.8 + 0.1 * (i % 5)}
                batch.append(("GET", "/api/v1/clusters", {"params": params}))
            cases.append((f"anon-new-partitions #{r + 1}", batch))
        for r in range(rounds):
            batch = []
            for _ in range(clients):
                seed += 1
                batch.append(("GET", "/api/v1/clusters", {"params": {"seed": seed}, "headers": key}))
            cases.append((f"analyst-new-partitions #{r + 1}", batch))
        cases.append(("default-partition", [("GET", "/api/v1/clusters", {})] * clients))
        big = b'{"title": "' + b"x" * (body_mb * 1024 * 1024) + b'"}'
        body_kw = {"content": big, "headers": {"content-type": "application/json"}}
        cases.append(
            (f"large-bodies ({bodies} × {body_mb} MB)", [("POST", "/api/v1/demands", body_kw)] * bodies)
        )
        for name, batch in cases:
            before = _memory_kb(proc.pid, "VmHWM")
            statuses, times = asyncio.run(_case(base, batch))
            rows.append(
                {
                    "case": name,
                    "n": len(batch),
                    "statuses": dict(sorted(statuses.items())),
                    "p50": _percentile(times, 50),
                    "p95": _percentile(times, 95),
                    "max": max(times),
                    "hwm_before": before,
                    "hwm_after": _memory_kb(proc.pid, "VmHWM"),
                    "rss": _memory_kb(proc.pid, "VmRSS"),
                }
            )
        # The yardstick: the cheapest guarded request, one at a time, on the same (now idle) server.
        with httpx.Client(base_url=base, timeout=30) as client:
            health = []
            for _ in range(20):
                t = time.perf_counter()
                client.get("/healthz")
                health.append(time.perf_counter() - t)
        health_p95 = _percentile(health, 95)
    finally:
        stop_group(proc, log)
    print(f"\n`python -m bench.abuse --scale {args.scale} --clients {clients} --rounds {rounds}`, ", end="")
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores; healthz p95 ", end=""
    )
    print(f"{health_p95 * 1000:.1f} ms\n")
    print("| case | requests | statuses | p50 ms | p95 ms | max ms | p95 / healthz p95 ", end="")
    print("| peak RSS MB before → after |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['case']} | {row['n']} | {row['statuses']} | {row['p50'] * 1000:.0f} | "
            f"{row['p95'] * 1000:.0f} | {row['max'] * 1000:.0f} | {row['p95'] / health_p95:.1f} | "
            f"{row['hwm_before'] / 1024:.0f} → {row['hwm_after'] / 1024:.0f} |"
        )
    print("\nstatus -1: the server answered 413 and closed the connection before the body was sent.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
