"""Fault runs: Neo4j stopped under load, and ingests killed at random points.

``python -m bench.faults outage [--clients 10] [--before 5] [--down 10] [--after 10] [--trials 1]``
    Serves the API (uvicorn on 127.0.0.1) over a local Neo4j started for the run, drives it with
    async clients mixing reads and demand posts, stops Neo4j, starts it again on the same port,
    and reports: statuses seen, the slowest answer while Neo4j was down; recovery as the time
    from Neo4j accepting connections (its Bolt port) to the first request that *completed*
    successfully — and, to tell Neo4j's own start-up from the API's, the same from the moment a
    poller's ``RETURN 1`` was first answered and from its first real read (a node by id); the
    count and p99 of 503s answered after Neo4j accepted again; and the write accounting (every
    201 is in the graph; every POST a client saw fail is retried with its ``Idempotency-Key``
    once Neo4j is back, and must come back 201 — replayed when it had been committed after
    all — with no demand written twice). Each trial also prints ``recovery_timeline``, from the
    API's breaker trace (``NEO4J_BREAKER_TRACE``): probe, warm-up, close and the first store
    calls, in seconds from the database answering; ``--trials N`` ends with median and worst.

``python -m bench.faults phases OUTPUT``
    The recovery phases (``recovery_timeline``'s ``phases_from_port_accepting_s``) of every trial
    a finished ``outage`` run printed to OUTPUT, from the trace each trial left in its directory.

``python -m bench.faults kill-ingest [--trials 10] [--store embedded|neo4j|both] [--scale 1]``
    Generates the demo files once, records the graph of a clean ingest, then per trial kills
    ``innograph ingest`` with SIGKILL after a random delay, re-runs it, and compares the whole
    graph (``iter_all``) with the clean one.

Only 127.0.0.1 is used; every run is bounded in time and count; servers started here are stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import neo4j_local  # noqa: E402

from api.security import KeyStore, Role  # noqa: E402
from graph.breaker_trace import ENV as BREAKER_TRACE_ENV  # noqa: E402
from graph.records import Node  # noqa: E402
from graph.store import GraphStore  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
INNOGRAPH = str(ROOT / ".venv" / "bin" / "innograph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def uvicorn_command(python: str, port: int, *options: str) -> list[str]:
    """The API under uvicorn on 127.0.0.1:``port`` (benches add workers, log level …)."""
    return [python, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(port), *options]


def stop_group(proc: subprocess.Popen[bytes], log: IO[bytes] | None = None) -> None:
    """Stop a child started with ``start_new_session``: SIGTERM to its group, SIGKILL after 20 s."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    if log is not None:
        log.close()


def build_demo_graph(data_dir: Path, scale: int) -> None:
    """``innograph demo build`` on the embedded store into ``data_dir``, unless already built there."""
    if (data_dir / "graph.innograph").exists():
        return
    env = {**os.environ, "INNOGRAPH_STORE": "embedded", "INNOGRAPH_DATA_DIR": str(data_dir)}
    env.pop("NEO4J_URI", None)
    print(f"building the ×{scale} demo graph in {data_dir} …", file=sys.stderr)
    subprocess.run(
        [INNOGRAPH, "demo", "build", "--scale", str(scale)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def serve_api(env: dict[str, str], *, workers: int = 1) -> Iterator[str]:
    """uvicorn on 127.0.0.1 (a free port) with ``env``; yields the base URL; always stopped."""
    port = free_port()
    full_env = {**os.environ, "INNOGRAPH_RATE_LIMIT": "0", "INNOGRAPH_ANON_RATE_LIMIT": "0", **env}
    log = open(Path(env["INNOGRAPH_DATA_DIR"]) / "uvicorn.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        uvicorn_command(PYTHON, port, "--workers", str(workers), "--log-level", "warning", "--no-access-log"),
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {proc.returncode}; see {log.name}")
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("uvicorn did not answer /healthz within 120 s")
        yield base
    finally:
        stop_group(proc, log)


def editor_token(data_dir: Path) -> str:
    return KeyStore(data_dir / "api-keys.json").create("bench", Role.EDITOR)[1]


def graph_records(store: GraphStore) -> dict[tuple[str, ...], Any]:
    """Every node and relationship keyed by identity, for naming what differs."""
    return {
        (("node", x.id) if isinstance(x, Node) else ("rel", x.type.value, x.start, x.end)): x.props
        for x in store.iter_all()
    }


def first_differences(a: dict[tuple[str, ...], Any], b: dict[tuple[str, ...], Any], n: int = 3) -> list[str]:
    keys = sorted((k for k in set(a) | set(b) if a.get(k) != b.get(k)), key=str)
    out = [f"{len(keys)} records differ"]
    for key in keys[:n]:
        pa, pb = a.get(key) or {}, b.get(key) or {}
        fields = [f for f in sorted(set(pa) | set(pb)) if pa.get(f) != pb.get(f)]
        out.append(f"{key}: {'missing' if key not in b else 'extra' if key not in a else fields}")
    return out


def graph_dump_digest(store: GraphStore) -> tuple[str, int, int]:
    digest = hashlib.sha256()
    nodes = rels = 0
    for item in store.iter_all():
        if isinstance(item, Node):
            nodes += 1
            record: Any = ["n", item.label.value, item.id, item.props]
        else:
            rels += 1
            record = ["r", item.type.value, item.start, item.end, item.props]
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest(), nodes, rels


# -- Neo4j outage under load ----------------------------------------------------------------


async def _client(
    n: int, base: str, token: str, stop: dict[str, float], log: list[dict[str, Any]], read_ids: list[str]
) -> None:
    rng = random.Random(n)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        i = 0
        while time.monotonic() < stop["at"]:
            i += 1
            start = time.monotonic()
            entry: dict[str, Any] = {"t": start}
            try:
                if rng.random() < 0.3:
                    title = f"故障测试需求 c{n} #{i}"
                    entry["kind"] = "write"
                    entry["title"] = title
                    entry["key"] = f"outage-c{n}-{i}"  # Idempotency-Key: the retry pass reuses it
                    r = await client.post(
                        "/api/v1/demands",
                        json={"title": title, "keywords": ["LED"]},
                        headers={"X-API-Key": token, "Idempotency-Key": entry["key"]},
                    )
                    if r.status_code == 201:
                        entry["id"] = r.json()["id"]
                else:
                    entry["kind"] = "read"
                    if rng.random() < 0.5:
                        r = await client.get(f"/api/v1/entities/{rng.choice(read_ids)}")
                    else:
                        r = await client.get(
                            "/api/v1/entities", params={"q": rng.choice(["天津", "LED", "大学"])}
                        )
                entry["status"] = r.status_code
                if r.status_code >= 400:
                    try:
                        entry["detail"] = str(r.json().get("detail", ""))[:160]
                    except ValueError:  # not JSON: keep what came back, it is the finding
                        entry["detail"] = f"non-JSON body: {r.text[:140]!r}"
            except httpx.HTTPError as e:
                entry["status"] = 0
                entry["detail"] = f"{type(e).__name__}: {e}"
            entry["latency"] = time.monotonic() - start
            log.append(entry)
            await asyncio.sleep(0.02)


#: ``--jit``: the local Neo4j's JIT options per mode (bench.jit_cost's, docs/NEO4J.md *The JIT*).
def _jit_modes() -> dict[str, str]:
    from bench.jit_cost import MODES

    return MODES


#: ``--warmup``: what the local Neo4j plans before its port opens (graph/server_warmup.py).
WARMUPS = ("off", "lookup", "reads")


def _warmup_file(mode: str, work: Path) -> Path | None:
    """``lookup``: the committed file (the entity lookup, the API's probe: the default);
    ``reads``: every hot read the API warms; ``off``: nothing."""
    from graph import server_warmup

    if mode == "off":
        return None
    if mode == "lookup":
        return server_warmup.STATEMENTS_FILE
    path = work / "warmup-reads.json"
    path.write_text(json.dumps(server_warmup.statements("reads"), ensure_ascii=False), encoding="utf-8")
    return path


def outage(
    clients: int,
    before: float,
    down: float,
    after: float,
    *,
    neo4j_name: str = "h7-outage",
    hold_s: float | None = None,
    jit: str = "default",
    observer: str = "queries",
    hold_when: str | None = None,
    warmup: str = "lookup",
) -> dict[str, Any]:
    """One trial. ``hold_s``: the API's ``NEO4J_RECOVERY_HOLD_S`` (None: its default); ``jit``:
    a :func:`_jit_modes` mode for the local Neo4j (both of its starts); ``observer``: what the
    bench's own poller does once the port accepts (:func:`_wait_until_back`); ``warmup``: what the
    local Neo4j plans before its port opens (:func:`_warmup_file`)."""
    from graph.neo4j_store import Neo4jStore
    from tests.contract.fixture_graph import fixture_changes

    name = f"{neo4j_name}-{os.getpid()}"
    jvm = _jit_modes()[jit].split() or None
    work = Path(tempfile.mkdtemp(prefix="innograph-outage-"))
    warm = _warmup_file(warmup, work)
    state = neo4j_local.start(
        name, heap="512m", pagecache="128m", jvm_options=jvm, warmup=warm is not None, warmup_statements=warm
    )
    port, uri = int(str(state["port"])), str(state["uri"])
    try:
        store = Neo4jStore(uri, connection_timeout=10)  # setup and accounting: patient
        store.clear()
        store.apply(fixture_changes())
        read_ids = [n.id for n in store.iter_all() if isinstance(n, Node)]
        store.close()
        token = editor_token(work)
        trace_path = work / "breaker-trace.jsonl"
        env = {
            "INNOGRAPH_STORE": "neo4j",
            "NEO4J_URI": uri,
            "INNOGRAPH_DATA_DIR": str(work),
            BREAKER_TRACE_ENV: str(trace_path),
        }
        if hold_s is not None:
            env["NEO4J_RECOVERY_HOLD_S"] = str(hold_s)
        if hold_when is not None:
            env["NEO4J_RECOVERY_HOLD_WHEN"] = hold_when
        with serve_api(env) as base:
            log: list[dict[str, Any]] = []
            t0 = time.monotonic()
            # Clients run until `after` seconds past the restart, however long stop/start take.
            stop = {"at": t0 + 900.0}

            ready: dict[str, float] = {}

            async def drive() -> tuple[float, float]:
                tasks = [
                    asyncio.create_task(_client(n, base, token, stop, log, read_ids)) for n in range(clients)
                ]
                await asyncio.sleep(before)
                t_stop = time.monotonic()
                await asyncio.to_thread(neo4j_local.stop, name)
                t_down = time.monotonic()
                await asyncio.sleep(max(0.0, down - (t_down - t_stop)))
                poller = asyncio.create_task(
                    asyncio.to_thread(_wait_until_back, uri, port, ready, queries=observer == "queries")
                )
                await asyncio.to_thread(
                    neo4j_local.start,
                    name,
                    port=port,
                    heap="512m",
                    pagecache="128m",
                    jvm_options=jvm,
                    warmup=warm is not None,
                    warmup_statements=warm,
                )
                t_up = time.monotonic()
                await poller
                stop["at"] = t_up + after
                await asyncio.gather(*tasks)
                return t_stop, t_up

            t_stop, t_up = asyncio.run(drive())
            retries = _retry_refused_writes(base, token, log)
        store = Neo4jStore(uri, connection_timeout=10)  # setup and accounting: patient
        in_graph = {
            n.id: n.props.get("title")
            for n in store.iter_all()
            if isinstance(n, Node) and str(n.props.get("title", "")).startswith("故障测试需求")
        }
        store.close()
        # how much later the restart's port opened for its warm-up: Neo4j's own figure, the last
        # of the two starts' lines in debug.log
        warmed = re.findall(
            r"innograph-warmup: \d+ statements in (\d+) ms",
            (Path(str(state["home"])) / "logs" / "debug.log").read_text(encoding="utf-8", errors="replace"),
        )
    finally:
        neo4j_local.stop(name, remove=True)

    statuses = Counter(e["status"] for e in log)
    during = [e for e in log if t_stop <= e["t"] <= t_up]
    errors_during = [e for e in during if e["status"] != 200 and e["status"] != 201]
    # Recovery is timed from the moment Neo4j accepts connections again (its Bolt port answers),
    # to the first request that *completed* with a success — not the first one that started.
    t_back = ready["tcp"]
    done = [(e["t"] + e["latency"], e) for e in log]
    first_done_ok = min((t for t, e in done if t > t_back and e["status"] in (200, 201)), default=None)
    late_503 = [e["latency"] for t, e in done if t > t_back and e["status"] == 503]
    all_503 = [e["latency"] for e in log if e["status"] == 503]
    in_flight_at_stop = [e["latency"] for e in log if e["status"] == 503 and e["t"] < t_stop]
    acked = {e["id"] for e in log if e.get("kind") == "write" and e["status"] == 201}
    refused_titles = {e["title"] for e in log if e.get("kind") == "write" and e["status"] != 201}
    lost = sorted(acked - set(in_graph))
    unexplained = sorted(i for i, title in in_graph.items() if i not in acked and title not in refused_titles)
    # Written although its client saw an error: the retry with its key found it already there.
    committed_after_error = sorted(r["id"] for r in retries if r["replayed"])
    # A client that saw an error retries its POST with the same Idempotency-Key once Neo4j is
    # back: a write that was committed anyway is returned (replayed), one that was not is made now.
    in_graph_ids = set(in_graph)
    retried_ids = {r["id"] for r in retries if r["status"] == 201}
    result = {
        "requests": len(log),
        "statuses": dict(sorted(statuses.items())),
        "neo4j_down_s": round(t_up - t_stop, 1),
        "requests_while_down": len(during),
        "max_latency_while_down_s": round(max((e["latency"] for e in errors_during), default=0.0), 3),
        "p99_latency_while_down_s": round(_percentile([e["latency"] for e in errors_during], 99), 3),
        "neo4j_accepting_after_stop_s": round(t_back - t_stop, 2),
        "observer": observer,
        "first_query_answered_after_accepting_s": _since(ready.get("query"), t_back),
        "start_script_returned_after_accepting_s": round(t_up - t_back, 3),
        "recovered_after_s": None if first_done_ok is None else round(first_done_ok - t_back, 3),
        # the outage as users saw it: the stop to the first completed success (a server that
        # plans before opening its port moves time from after "accepting" to before it)
        "first_success_after_stop_s": None if first_done_ok is None else round(first_done_ok - t_stop, 3),
        "warmup": warmup,
        "neo4j_warmup_s": round(int(warmed[-1]) / 1000, 3) if warm is not None and warmed else None,
        "recovered_after_answering_s": (
            None if first_done_ok is None else _since(first_done_ok, ready.get("query"))
        ),
        "first_real_read_answered_after_accepting_s": _since(ready.get("read"), t_back),
        "recovered_after_first_real_read_s": (
            None if first_done_ok is None else _since(first_done_ok, ready.get("read"))
        ),
        "503_after_back": len(late_503),
        "503_after_back_p99_s": round(_percentile(late_503, 99), 3),
        "503_total": len(all_503),
        "503_p99_s": round(_percentile(all_503, 99), 3),
        "503_max_s": round(max(all_503, default=0.0), 3),
        "503_over_1s": sum(1 for x in all_503 if x > 1.0),
        "503_over_1s_started_before_the_stop": sum(1 for x in in_flight_at_stop if x > 1.0),
        # Every 503 of a request in flight at the stop: how long after the stop it came (the
        # outage's share of its latency; the rest is how slow it already was).
        "503_in_flight_answered_after_stop_max_s": round(
            max(
                (e["t"] + e["latency"] - t_stop for e in log if e["status"] == 503 and e["t"] < t_stop),
                default=0.0,
            ),
            3,
        ),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "sample_503_detail": next((e["detail"] for e in log if e["status"] == 503), None),
        "writes_acknowledged": len(acked),
        "writes_refused": len(refused_titles),
        "demands_in_graph": len(in_graph),
        "acknowledged_but_missing": lost,
        "in_graph_without_ack_or_error": unexplained,
        "committed_but_client_saw_error": committed_after_error,
        "refused_writes_retried": len(retries),
        "retries_201": sum(1 for r in retries if r["status"] == 201),
        "retries_replayed": sum(1 for r in retries if r["replayed"]),
        "retries_failed": sum(1 for r in retries if r["status"] != 201),
        "refused_writes_in_graph_without_a_retry_201": sorted(
            i for i, t in in_graph.items() if i not in acked and t in refused_titles and i not in retried_ids
        ),
        "demands_written_twice": len(in_graph) - len({t for t in in_graph.values()}),
        "retried_ids_missing_from_graph": sorted(retried_ids - in_graph_ids),
        "server_errors_5xx_other_than_503": sum(n for s, n in statuses.items() if s >= 500 and s != 503),
        "connection_failures": statuses.get(0, 0),
    }
    result["recovery_timeline"] = recovery_timeline(trace_path, ready, t_back, first_done_ok, log)
    # Every request of the run (times from the clients' start), beside the API's breaker trace.
    (work_log := work / "requests.json").write_text(
        json.dumps([{**e, "t": round(e["t"] - t0, 3)} for e in log], ensure_ascii=False)
    )
    result["slow_503s"] = [
        {
            "started_after_stop_s": round(e["t"] - t_stop, 3),
            "latency_s": round(e["latency"], 3),
            # A request already slow before the stop (a loaded machine) is not held by the outage:
            # this says how long after the stop its 503 came.
            "answered_after_stop_s": round(e["t"] + e["latency"] - t_stop, 3),
            "kind": e.get("kind"),
            "detail": e.get("detail", "")[:120],
        }
        for e in log
        if e["status"] == 503 and e["latency"] > 1.0
    ][:12]
    result["slow_store_calls"] = slow_store_calls(trace_path, t_stop)
    result["log"] = str(work_log)
    # requests.json's times are from t0; the breaker trace's are monotonic: these line them up.
    result["clients_t0_monotonic"] = round(t0, 3)
    result["stop_monotonic"] = round(t_stop, 3)
    result["ok"] = (
        not lost
        and not unexplained
        and result["server_errors_5xx_other_than_503"] == 0
        and result["connection_failures"] == 0
        and first_done_ok is not None
        and first_done_ok - t_back <= 1.0
        and result["503_over_1s"] == 0
        and result["retries_failed"] == 0
        and result["demands_written_twice"] == 0
        and not result["retried_ids_missing_from_graph"]
        and not result["refused_writes_in_graph_without_a_retry_201"]
    )
    return result


def slow_store_calls(trace_path: Path, t_stop: float, over_s: float = 1.0) -> list[dict[str, Any]]:
    """Where each slow failed store call's time went, from the API's breaker trace: when it
    started (from the stop), when each attempt's transaction function began and each retry of
    the driver's (from the call's start, with the server's answer), and how it ended. A slow 503
    is one of these (or waited for one: a write waiting for its plans)."""
    if not trace_path.exists():
        return []
    events = [json.loads(line) for line in trace_path.read_text(encoding="utf-8").splitlines() if line]
    out = []
    for e in events:
        if e["event"] != "failed-call" or e["t"] - e["started"] <= over_s:
            continue
        retries = [
            r
            for r in events
            if r["event"] == "driver-retry"
            and r["thread"] == e["thread"]
            and e["started"] <= r["t"] <= e["t"]
        ]
        out.append(
            {
                "name": e["name"],
                "started_after_stop_s": round(e["started"] - t_stop, 3),
                "took_s": round(e["t"] - e["started"], 3),
                "attempts_began_at_s": [round(a - e["started"], 3) for a in e.get("attempts", [])],
                "driver_retries": [
                    {"at_s": round(r["t"] - e["started"], 3), "after": r["message"][:160]} for r in retries
                ],
                "outcome": e["outcome"][:160],
            }
        )
    return out[:12]


def recovery_timeline(
    trace_path: Path,
    ready: dict[str, float],
    t_back: float,
    first_done_ok: float | None,
    log: list[dict[str, Any]],
) -> dict[str, Any]:
    """Where recovery went, from the API process's breaker trace (graph/breaker_trace.py): every
    time in seconds from the moment a fresh client's ``RETURN 1`` was first answered ("database
    answering"; negative is before it) — from the port accepting when the bench's poller ran no
    query (``--observer tcp``)."""
    if not trace_path.exists():
        return {"trace": "none (the API wrote no breaker trace)"}
    events = [json.loads(line) for line in trace_path.read_text(encoding="utf-8").splitlines() if line]
    zero = ready.get("query", t_back)

    def rel(t: float) -> float:
        return round(t - zero, 3)

    # The breaker's last trip before Neo4j accepted again, and what followed it.
    trips = [e for e in events if e["event"] == "tripped" and e["t"] < t_back]
    since = trips[-1]["t"] if trips else 0.0
    after = [e for e in events if e["t"] >= since]
    probes = [e for e in after if e["event"] == "probe"]
    first_ok = next((e for e in probes if e["ok"]), None)
    last_failed = [e for e in probes if not e["ok"] and (first_ok is None or e["t"] < first_ok["t"])]
    closed = next((e for e in after if e["event"] == "closed"), None)
    calls = [e for e in after if e["event"] == "call"][:12]
    requests_after_close = sorted(
        (e for e in log if closed is not None and e["t"] >= closed["t"]), key=lambda e: e["t"]
    )[:5]
    return {
        "zero": (
            "database answering (a fresh client's first RETURN 1 answered)"
            if "query" in ready
            else "port accepting (the bench's poller ran no query)"
        ),
        "port_accepting": rel(t_back),
        "probes_failed_since_trip": len([e for e in probes if not e["ok"]]),
        "last_failed_probe": (
            None
            if not last_failed
            else {
                "started": rel(last_failed[-1]["started"]),
                "ended": rel(last_failed[-1]["t"]),
                "error": last_failed[-1].get("error"),
            }
        ),
        "first_probe_answered": (
            None if first_ok is None else {"started": rel(first_ok["started"]), "ended": rel(first_ok["t"])}
        ),
        "warm_up": [
            {
                "name": e["name"],
                **({"took_s": round(e["t"] - e["started"], 3)} if "started" in e else {}),
                **{k: e[k] for k in ("ok", "error", "skipped") if k in e},
            }
            for e in after
            if e["event"] == "warm-up" and (first_ok is None or e["t"] >= first_ok["t"])
        ],
        "breaker_closed": None if closed is None else {"at": rel(closed["t"]), "by": closed.get("by")},
        "first_store_calls": [
            {
                "name": e["name"],
                "started": rel(e["started"]),
                **({"connection": rel(e["tx"])} if "tx" in e else {}),
                **({"server_first_record_ms": e["availableAfterMs"]} if "availableAfterMs" in e else {}),
                "ended": rel(e["t"]),
                "outcome": e["outcome"],
            }
            for e in calls
        ],
        "first_requests_after_close": [
            {
                "kind": e.get("kind"),
                "started": rel(e["t"]),
                "ended": rel(e["t"] + e["latency"]),
                "status": e["status"],
            }
            for e in requests_after_close
        ],
        "first_completed_success": None if first_done_ok is None else rel(first_done_ok),
        "phases_from_port_accepting_s": recovery_phases(after, ready, t_back, first_done_ok, log),
    }


def _refused(event: dict[str, Any]) -> bool:
    return "refuse" in str(event.get("error", "")).lower()


def recovery_phases(
    events: list[dict[str, Any]],
    ready: dict[str, float],
    t_back: float,
    first_done_ok: float | None,
    log: list[dict[str, Any]],
) -> dict[str, Any]:
    """Where one trial's recovery went, in seconds from the Bolt port accepting again:
    ``events`` is the API's breaker trace from its last trip on. Moments (``at``): the bench
    poller's first ``RETURN 1`` and node lookup answered (Neo4j's own, no API in between); the
    API's first look that found the port open (its first probe not refused — a probe cadence
    shows here); the API's probe answered (how many probes the cold server timed out before);
    the breaker closed; the first request that completed with a success. Spans: each step's
    share of the recovery, in order."""

    def at(t: float | None) -> float | None:
        return None if t is None else round(t - t_back, 3)

    probes = [e for e in events if e["event"] == "probe"]
    answered = next((e for e in probes if e["ok"]), None)
    looks = [e for e in probes if not _refused(e) and (answered is None or e["t"] <= answered["t"])]
    first_look = looks[0]["started"] if looks else None
    closed = next((e["t"] for e in events if e["event"] == "closed"), None)
    first = min(
        (e for e in log if e["status"] in (200, 201) and e["t"] + e["latency"] > t_back),
        key=lambda e: e["t"] + e["latency"],
        default=None,
    )
    moments = {
        "neo4j_answers_a_fresh_client": at(ready.get("query")),
        "neo4j_serves_a_fresh_clients_lookup": at(ready.get("read")),
        "api_first_look_at_the_open_port": at(first_look),
        "api_probe_answered": at(None if answered is None else float(answered["t"])),
        "breaker_closed": at(closed),
        "first_completed_success": at(first_done_ok),
    }
    answered_t = None if answered is None else float(answered["t"])

    def span(begin: float | None, end: float | None) -> float | None:
        return None if begin is None or end is None else round(end - begin, 3)

    spans = {
        "port_accepting_to_api_first_look": span(t_back, first_look),
        "api_first_look_to_probe_answered": span(first_look, answered_t),
        "probe_answered_to_breaker_closed": span(answered_t, closed),
        "breaker_closed_to_first_success": span(closed, first_done_ok),
    }
    return {
        "at": moments,
        "spans": spans,
        # a cold server made the API's probe give up (timed out) and start again this often
        "probes_not_answered_after_the_port_opened": len([e for e in looks if not e["ok"]]),
        "first_success": (
            None
            if first is None
            else {
                "kind": first.get("kind"),
                "started": at(first["t"]),
                "latency_s": round(first["latency"], 3),
                "status": first["status"],
            }
        ),
    }


def phases_of_saved_runs(output: Path) -> list[dict[str, Any]]:
    """:func:`recovery_phases` for the trials a finished ``outage`` run printed to ``output``
    (its JSON objects, one after another), from the breaker trace and requests each trial left
    in its directory: the phases of runs made before this function existed."""
    decoder = json.JSONDecoder()
    text, pos, out = output.read_text(encoding="utf-8"), 0, []
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        trial, pos = decoder.raw_decode(text, pos)
        if "trial" not in trial:
            continue
        work = Path(trial["log"]).parent
        t_back = trial["stop_monotonic"] + trial["neo4j_accepting_after_stop_s"]
        ready = {
            step: t_back + trial[key]
            for step, key in (
                ("query", "first_query_answered_after_accepting_s"),
                ("read", "first_real_read_answered_after_accepting_s"),
            )
            if trial.get(key) is not None  # none with --observer tcp
        }
        t0 = trial["clients_t0_monotonic"]
        log = [{**e, "t": e["t"] + t0} for e in json.loads(Path(trial["log"]).read_text(encoding="utf-8"))]
        events = [
            json.loads(line)
            for line in (work / "breaker-trace.jsonl").read_text(encoding="utf-8").splitlines()
            if line
        ]
        trips = [e for e in events if e["event"] == "tripped" and e["t"] < t_back]
        since = trips[-1]["t"] if trips else 0.0
        done = None if trial["recovered_after_s"] is None else t_back + trial["recovered_after_s"]
        phases = recovery_phases([e for e in events if e["t"] >= since], ready, t_back, done, log)
        out.append({"trial": trial["trial"], "load_average_1m": trial["load_average_1m"], **phases})
    return out


def summarize_trials(trials: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and worst of the recovery figures over ``trials`` (None: no success in the run)."""
    out: dict[str, Any] = {"trials": len(trials)}
    for key in (
        "first_query_answered_after_accepting_s",
        "recovered_after_s",
        "recovered_after_answering_s",
        "neo4j_accepting_after_stop_s",
        "first_success_after_stop_s",
        "neo4j_warmup_s",
        "503_after_back",
        "503_after_back_p99_s",
        "503_max_s",
        "503_over_1s",
        "load_average_1m",
    ):
        values = [t[key] for t in trials]
        known = sorted(v for v in values if v is not None)
        out[key] = {
            "median": statistics.median(known) if known else None,
            "worst": (max(known) if len(known) == len(values) else None) if known else None,
            "all": values,
        }
    out["ok"] = all(t["ok"] for t in trials)
    return out


def _retry_refused_writes(base: str, token: str, log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Re-send every POST whose client saw an error, with its Idempotency-Key, as a client would:
    again after a 503 (the API may still be recovering), for up to two minutes in all."""
    out = []
    deadline = time.monotonic() + 120
    with httpx.Client(base_url=base, timeout=30) as client:
        for e in log:
            if e.get("kind") != "write" or e["status"] == 201:
                continue
            while True:
                r = client.post(
                    "/api/v1/demands",
                    json={"title": e["title"], "keywords": ["LED"]},
                    headers={"X-API-Key": token, "Idempotency-Key": e["key"]},
                )
                if r.status_code != 503 or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            out.append(
                {
                    "status": r.status_code,
                    "id": r.json().get("id") if r.status_code == 201 else None,
                    "replayed": r.headers.get("Idempotent-Replayed") == "true",
                }
            )
    return out


def _since(t: float | None, zero: float | None) -> float | None:
    return None if t is None or zero is None else round(t - zero, 3)


def _wait_until_back(uri: str, port: int, ready: dict[str, float], *, queries: bool = True) -> None:
    """Poll every 20 ms from the restart on: when the Bolt port first accepts a TCP connection
    (recovery is timed from there), and — with ``queries`` — when a ``RETURN 1`` and a node
    lookup are first answered (for the record). Those queries are a second client on the cold
    server in the very seconds recovery is timed, competing with the API's own first lookup for
    the two cores (docs/RELIABILITY.md, *Held while Neo4j warms*): without them the bench only
    watches the port, as a deployment has no such poller."""
    from neo4j import GraphDatabase

    from graph.cypher_catalog import cypher

    deadline = time.monotonic() + 300
    while "tcp" not in ready and time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                ready["tcp"] = time.monotonic()
        except OSError:
            time.sleep(0.02)
    if "tcp" not in ready:
        raise RuntimeError("Neo4j's port did not accept within 300 s")
    if not queries:
        return
    with GraphDatabase.driver(uri, connection_timeout=2, max_transaction_retry_time=0) as driver:
        for step, name, params in (
            ("query", "probe", {}),
            # then a real read (a node by id, as most API calls make), however long it takes:
            # what Neo4j itself needs before it serves the API's reads, with no API in between
            ("read", "get_nodes", {"ids": ["ent:A"]}),
        ):
            while step not in ready and time.monotonic() < deadline:
                try:
                    driver.execute_query(cypher(name), params, database_="neo4j")
                    ready[step] = time.monotonic()
                except Exception:
                    time.sleep(0.02)
    if "read" not in ready:
        raise RuntimeError("Neo4j did not come back within 300 s")


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


# -- ingest killed at random points ---------------------------------------------------------


def _store_env(kind: str, data_dir: Path, uri: str | None) -> dict[str, str]:
    env = {**os.environ, "INNOGRAPH_DATA_DIR": str(data_dir), "INNOGRAPH_STORE": kind}
    if uri:
        env["NEO4J_URI"] = uri
    else:
        env.pop("NEO4J_URI", None)
    return env


def _open(kind: str, data_dir: Path, uri: str | None) -> GraphStore:
    if kind == "neo4j":
        from graph.neo4j_store import Neo4jStore

        assert uri is not None
        return Neo4jStore(uri, connection_timeout=10)  # setup and accounting: patient
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(data_dir / "graph.innograph")


def _wipe(kind: str, data_dir: Path, uri: str | None) -> None:
    store = _open(kind, data_dir, uri)
    store.clear()
    store.close()
    for leftover in data_dir.glob("graph.innograph*"):
        leftover.unlink()


def kill_ingest(kind: str, trials: int, scale: int, seed: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"innograph-kill-{kind}-"))
    files = work / "demo"
    subprocess.run(
        [INNOGRAPH, "demo", "generate", "--scale", str(scale), "--out", str(files)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    specs = sorted(str(p) for p in files.rglob("*.toml"))
    if not specs:
        raise RuntimeError(f"demo generate wrote no ingest specs under {files}")
    uri = None
    name = f"h7-kill-{os.getpid()}"
    if kind == "neo4j":
        uri = str(neo4j_local.start(name, heap="512m", pagecache="128m")["uri"])
    data_dir = work / "data"
    data_dir.mkdir()
    env = _store_env(kind, data_dir, uri)
    cmd = [INNOGRAPH, "ingest", *specs]
    rng = random.Random(seed)
    outcomes: list[dict[str, Any]] = []
    try:
        _wipe(kind, data_dir, uri)
        t = time.monotonic()
        subprocess.run(cmd, env=env, check=True, capture_output=True, cwd=ROOT)
        clean_s = time.monotonic() - t
        store = _open(kind, data_dir, uri)
        clean = graph_dump_digest(store)
        clean_records = graph_records(store)
        store.close()
        for trial in range(trials):
            _wipe(kind, data_dir, uri)
            delay = rng.uniform(0.2, clean_s * 1.1)
            proc = subprocess.Popen(
                cmd,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=ROOT,
                start_new_session=True,
            )
            time.sleep(delay)
            killed = proc.poll() is None
            if killed:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            store = _open(kind, data_dir, uri)  # a corrupt file would raise here
            partial = graph_dump_digest(store)
            store.close()
            rerun = subprocess.run(cmd, env=env, capture_output=True, cwd=ROOT)
            store = _open(kind, data_dir, uri)
            final = graph_dump_digest(store)
            differences = [] if final == clean else first_differences(clean_records, graph_records(store))
            store.close()
            outcomes.append(
                {
                    "trial": trial,
                    "kill_after_s": round(delay, 2),
                    "killed_mid_run": killed,
                    "nodes_after_kill": partial[1],
                    "rerun_exit": rerun.returncode,
                    "identical_to_clean": final == clean,
                    "differences": differences,
                }
            )
    finally:
        if kind == "neo4j":
            neo4j_local.stop(name, remove=True)
    return {
        "store": kind,
        "scale": scale,
        "clean_run_s": round(clean_s, 1),
        "clean_nodes": clean[1],
        "clean_relationships": clean[2],
        "trials": len(outcomes),
        "killed_mid_run": sum(o["killed_mid_run"] for o in outcomes),
        "identical": sum(o["identical_to_clean"] for o in outcomes),
        "ok": all(o["identical_to_clean"] and o["rerun_exit"] == 0 for o in outcomes),
        "outcomes": outcomes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    o = sub.add_parser("outage")
    o.add_argument("--clients", type=int, default=10)
    o.add_argument("--before", type=float, default=5)
    o.add_argument("--down", type=float, default=10)
    o.add_argument("--after", type=float, default=10)
    o.add_argument("--trials", type=int, default=1, help="whole runs, each on a fresh Neo4j")
    o.add_argument("--neo4j-name", default="h7-outage", help="the local Neo4j's name (the pid is added)")
    o.add_argument(
        "--holds",
        type=float,
        nargs="+",
        help="the API's NEO4J_RECOVERY_HOLD_S values to compare (default: its own)",
    )
    o.add_argument(
        "--jit",
        nargs="+",
        default=["default"],
        choices=["default", "c1", "c2late"],
        help="the local Neo4j's JIT modes (bench.jit_cost's)",
    )
    o.add_argument(
        "--observer",
        nargs="+",
        default=["queries"],
        choices=["queries", "tcp"],
        help="the bench's poller: the port, a RETURN 1 and a lookup ('queries'), or the port only",
    )
    o.add_argument(
        "--hold-when",
        nargs="+",
        choices=["recovering", "always"],
        help="the API's NEO4J_RECOVERY_HOLD_WHEN values to compare (default: its own)",
    )
    o.add_argument(
        "--warmup",
        nargs="+",
        default=["lookup"],
        choices=list(WARMUPS),
        help="what the local Neo4j plans before its port opens: the entity lookup (its default), "
        "every hot read, or nothing (graph/server_warmup.py)",
    )
    ph = sub.add_parser("phases", help="the recovery phases of a finished outage run's trials")
    ph.add_argument("output", type=Path, help="what `outage` printed (its trials' directories still there)")
    k = sub.add_parser("kill-ingest")
    k.add_argument("--trials", type=int, default=10)
    k.add_argument("--store", choices=["embedded", "neo4j", "both"], default="both")
    k.add_argument("--scale", type=int, default=1)
    k.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.command == "outage":
        # Variants alternate within each round (hold × JIT), so the machine's load hits each alike.
        variants = [
            (h, j, o, w, u)
            for u in args.warmup
            for w in (args.hold_when or [None])
            for o in args.observer
            for j in args.jit
            for h in (args.holds or [None])
        ]
        runs: dict[str, list[dict[str, Any]]] = {}
        for trial in range(max(1, min(args.trials, 10))):
            for hold_s, jit, observer, hold_when, warm in variants:
                label = f"hold={'default' if hold_s is None else hold_s} jit={jit} observer={observer}"
                if hold_when:
                    label += f" when={hold_when}"
                if len(args.warmup) > 1:
                    label += f" warmup={warm}"
                result = outage(
                    min(args.clients, 100),
                    args.before,
                    min(args.down, 120),
                    args.after,
                    neo4j_name=args.neo4j_name,
                    hold_s=hold_s,
                    jit=jit,
                    observer=observer,
                    hold_when=hold_when,
                    warmup=warm,
                )
                row = {"trial": trial + 1, "variant": label, **result}
                print(json.dumps(row, ensure_ascii=False, indent=1), flush=True)
                runs.setdefault(label, []).append(result)
        summaries = {label: summarize_trials(rs) for label, rs in runs.items()}
        if len(summaries) == 1:
            summary = next(iter(summaries.values()))
            print(json.dumps({"summary": summary}, ensure_ascii=False, indent=1))
            return 0 if summary["ok"] else 1
        print(json.dumps({"summary": summaries}, ensure_ascii=False, indent=1))
        return 0 if all(s["ok"] for s in summaries.values()) else 1
    if args.command == "phases":
        print(json.dumps(phases_of_saved_runs(args.output), ensure_ascii=False, indent=1))
        return 0
    results = []
    for kind in ["embedded", "neo4j"] if args.store == "both" else [args.store]:
        result = kill_ingest(kind, min(args.trials, 100), args.scale, args.seed)
        results.append(result)
        print(
            f"| {kind} | ×{result['scale']} | {result['trials']} trials | killed mid-run "
            f"{result['killed_mid_run']} | identical after re-run {result['identical']}/{result['trials']} "
            f"| clean run {result['clean_run_s']} s, {result['clean_nodes']} nodes, "
            f"{result['clean_relationships']} relationships |"
        )
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
