"""Where a restarted local Neo4j's time goes, with and without start-up levers.

``python -m bench.neo4j_restart --trials 3 --variants plain,cds``

One instance (``scripts/neo4j_local.py``, heap 512 MiB, page cache 128 MiB as in
``bench.faults outage``) holds the contract fixture graph. Each trial stops it (SIGTERM) and
starts it again, and a poller times, from the launch: the Bolt port accepting, the database
answering a fresh client's ``RETURN 1``, and the first entity lookup (``get_nodes``, the
statement the API's recovery warms first) — then the other hot statements the API's recovery
warms (rolled back). Variants run in turn within each trial round, so they share the machine's
load. The instance's ``debug.log`` gives Neo4j's own phases for the last start of each trial.

Variants: ``plain`` (no archive), ``cds`` (the application class-data-sharing archive that
``neo4j_local`` builds and uses), ``cds-warm`` (and the entity lookup planned before the port
opens, ``graph/server_warmup.py``; ``neo4j_local``'s default), ``nowarmup``
(``db.memory.pagecache.warmup.enable=false``, no archive).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import neo4j_local  # noqa: E402

HEAP, PAGECACHE = "512m", "128m"

VARIANTS: dict[str, dict[str, Any]] = {
    "plain": {"cds": False, "settings": {}},
    "cds": {"cds": True, "settings": {}},
    # the default now: the server plans the API's entity lookup before its port opens
    "cds-warm": {"cds": True, "settings": {}, "warmup": True},
    "nowarmup": {"cds": False, "settings": {"db.memory.pagecache.warmup.enable": "false"}},
    # a diagnostic, not a lever to adopt: C1 only (no C2 compiles competing for the two cores;
    # lower peak speed for everything after the start)
    "cds-c1": {"cds": True, "settings": {}, "jvm": ["-XX:TieredStopAtLevel=1"]},
}


def _poll(uri: str, port: int, t0: float, out: dict[str, float]) -> None:
    """From ``t0`` (the launch): port accepting, ``RETURN 1`` answered, first lookup done, the
    rest of the hot statements done (each in a rolled-back transaction, as the API warms them)."""
    import socket

    from neo4j import GraphDatabase

    from graph.cypher_catalog import cypher
    from graph.neo4j_store import _warmup_statements

    deadline = time.monotonic() + 300
    while "tcp" not in out and time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                out["tcp"] = time.monotonic() - t0
        except OSError:
            time.sleep(0.01)
    with GraphDatabase.driver(uri, connection_timeout=2, max_transaction_retry_time=0) as driver:
        attempts = 0
        while "answering" not in out and time.monotonic() < deadline:
            attempts += 1
            started = time.monotonic()
            try:
                driver.execute_query(cypher("probe"), database_="neo4j")
                out["answering"] = time.monotonic() - t0
                # the answered attempt's own time: the cold server's first query, or a database
                # still starting (then earlier attempts failed)
                out["probe_s"] = time.monotonic() - started
            except Exception:
                time.sleep(0.02)
        out["probe_attempts"] = attempts
        started = time.monotonic()
        records, summary, _ = driver.execute_query(cypher("get_nodes"), {"ids": ["ent:A"]}, database_="neo4j")
        out["lookup_s"] = time.monotonic() - started
        # planning and the first record, on the server (the rest is Bolt, the driver, the commit)
        out["lookup_server_s"] = (summary.result_available_after or 0) / 1000
        if not records:
            raise RuntimeError("the fixture graph is missing (no ent:A)")
        started = time.monotonic()
        for _name, query, params, write in _warmup_statements():
            with driver.session(database="neo4j", default_access_mode="WRITE" if write else "READ") as s:
                tx = s.begin_transaction()
                tx.run(query, params).consume()
                tx.rollback()
        out["hot_rest_s"] = time.monotonic() - started


def _debug_phases(home: Path, since: float) -> dict[str, float]:
    """Seconds between Neo4j's own log lines of the last start (debug.log's timestamps)."""
    marks = {
        "jvm": r"Logging config in use|Starting\.\.\.",
        "system_ready": r"DatabaseId\{\w+\[system\]\} is ready",
        "neo4j_ready": r"DatabaseId\{\w+\[neo4j\]\} is ready",
        "bolt_enabled": r"Bolt enabled on",
        "bolt_started": r"Bolt server started",
        "warmup_done": r"innograph-warmup: \d+ statements",
    }
    found: dict[str, float] = {}
    try:
        lines = (home / "logs" / "debug.log").read_text(errors="replace").splitlines()
    except OSError:
        return found
    stamp = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})([+-]\d{4})")
    from datetime import datetime

    for line in lines:
        m = stamp.match(line)
        if not m:
            continue
        t = datetime.strptime(m.group(1) + m.group(2), "%Y-%m-%d %H:%M:%S.%f%z").timestamp()
        if t < since - 1:
            continue
        for key, pattern in marks.items():
            if key not in found and re.search(pattern, line):
                found[key] = t
    first = min(found.values(), default=0.0)
    return {k: round(v - first, 3) for k, v in sorted(found.items(), key=lambda kv: kv[1])}


def restart(name: str, port: int, variant: str) -> dict[str, Any]:
    spec = VARIANTS[variant]
    neo4j_local.stop(name)
    out: dict[str, float] = {}
    wall = time.time()
    t0 = time.monotonic()
    poller = threading.Thread(target=_poll, args=(f"bolt://127.0.0.1:{port}", port, t0, out))
    poller.start()
    state = neo4j_local.start(
        name,
        port=port,
        heap=HEAP,
        pagecache=PAGECACHE,
        settings=spec["settings"],
        cds=spec["cds"],
        jvm_options=spec.get("jvm"),
        warmup=spec.get("warmup", False),
    )
    poller.join()
    rss_mib = 0
    with open(f"/proc/{state['pid']}/status") as fh:  # resident memory once the hot statements ran
        for line in fh:
            if line.startswith("VmRSS:"):
                rss_mib = int(line.split()[1]) // 1024
    return {
        "variant": variant,
        "cds": state.get("cds"),
        "port_accepting_s": round(out["tcp"], 3),
        "accepting_to_answering_s": round(out["answering"] - out["tcp"], 3),
        "first_lookup_s": round(out["lookup_s"], 3),
        "other_hot_statements_s": round(out["hot_rest_s"], 3),
        "accepting_to_lookup_done_s": round(out["answering"] + out["lookup_s"] - out["tcp"], 3),
        # the restart as a client sees it: the launch to its first lookup answered
        "launch_to_lookup_done_s": round(out["answering"] + out["lookup_s"], 3),
        "probe_s": round(out["probe_s"], 3),
        "probe_attempts": int(out["probe_attempts"]),
        "first_lookup_server_s": round(out["lookup_server_s"], 3),
        "rss_mib": rss_mib,
        "neo4j_log": _debug_phases(Path(str(state["home"])), wall),
        "load": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--variants", default="plain,cds")
    args = parser.parse_args(argv)
    variants = args.variants.split(",")
    from graph.neo4j_store import Neo4jStore
    from tests.contract.fixture_graph import fixture_changes

    name = f"o3-restart-{os.getpid()}"
    state = neo4j_local.start(name, heap=HEAP, pagecache=PAGECACHE, cds=False)
    port = int(str(state["port"]))
    rows: list[dict[str, Any]] = []
    try:
        store = Neo4jStore(str(state["uri"]), connection_timeout=10)
        store.clear()
        store.apply(fixture_changes())
        store.close()
        if "cds" in variants:  # the archive's first start (its training run), not timed
            restart(name, port, "cds")
        for trial in range(args.trials):
            for variant in variants:
                row = restart(name, port, variant)
                row["trial"] = trial + 1
                print(json.dumps(row, ensure_ascii=False), flush=True)
                rows.append(row)
    finally:
        neo4j_local.stop(name, remove=True)
    summary: dict[str, Any] = {}
    for variant in variants:
        mine = [r for r in rows if r["variant"] == variant]
        summary[variant] = {
            key: statistics.median(r[key] for r in mine)
            for key in (
                "port_accepting_s",
                "accepting_to_answering_s",
                "first_lookup_s",
                "accepting_to_lookup_done_s",
                "launch_to_lookup_done_s",
            )
        }
    if "plain" in summary:
        for variant in variants:
            if variant != "plain":
                summary[f"{variant}/plain"] = {
                    k: round(v / summary["plain"][k], 2) if summary["plain"][k] else None
                    for k, v in summary[variant].items()
                }
    print(json.dumps({"summary": summary}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
