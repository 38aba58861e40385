"""InnoGraph's Neo4j extension plans the API's entity lookup before a (re)started Neo4j opens its
Bolt port (scripts/neo4j/warmup, graph/server_warmup.py; issue #17): a server that accepts
connections answers them without planning cold first, writes nothing, and never fails to start
over its warm-up."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import neo4j_local

from graph import server_warmup
from graph.cypher_catalog import cypher
from graph.neo4j_store import Neo4jStore, _warmup_statements
from tests.contract.fixture_graph import fixture_changes

STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4})")


def test_the_committed_statements_are_the_apis_probe_lookup() -> None:
    assert server_warmup.main(["--check"]) == 0, "run python -m graph.server_warmup"
    listed = json.loads(server_warmup.STATEMENTS_FILE.read_text(encoding="utf-8"))
    probe_name, probe_text, probe_params, _write = _warmup_statements()[0]  # the API's probe
    assert listed == [{"name": probe_name, "cypher": probe_text, "params": probe_params}]
    assert probe_name == "get_nodes"
    reads = [name for name, _text, _params, write in _warmup_statements() if not write]
    assert [s["name"] for s in server_warmup.statements("reads")] == reads
    assert neo4j_local.WARMUP_STATEMENTS == server_warmup.STATEMENTS_FILE


def _log_since(path: Path, since: float) -> list[tuple[float, str]]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = STAMP.match(line)
        if m:
            t = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f%z").timestamp()
            if t >= since - 1:
                out.append((t, line))
    return out


def _start(name: str) -> dict[str, object]:
    state: dict[str, object] = neo4j_local.start(name, heap="512m", pagecache="128m", warmup=True)
    return state


@pytest.fixture(scope="module")
def restarted() -> Iterator[tuple[dict[str, object], float]]:
    """An instance holding the fixture graph, stopped and started again with the warm-up on:
    its state and the wall time of the restart."""
    name = f"pytest-warm-{os.getpid()}"
    try:
        state = _start(name)
        store = Neo4jStore(str(state["uri"]), connection_timeout=10)
        store.clear()
        store.apply(fixture_changes())
        store.close()
        neo4j_local.stop(name)
        since = datetime.now().timestamp()
        yield _start(name), since
    finally:
        neo4j_local.stop(name, remove=True)


@pytest.mark.neo4j
@pytest.mark.slow
def test_a_restarted_neo4j_plans_the_lookup_before_its_port_opens(
    restarted: tuple[dict[str, object], float],
) -> None:
    state, since = restarted
    assert state["warmup"] == "on"
    lines = _log_since(Path(str(state["home"])) / "logs" / "debug.log", since)
    bolt = next(t for t, line in lines if "Bolt enabled on" in line)
    planned = {
        m.group(1): t for t, line in lines if (m := re.search(r"innograph-warmup: (\S+) planned in", line))
    }
    names = [s["name"] for s in server_warmup.statements()]
    assert set(names) <= set(planned), f"not planned: {set(names) - set(planned)}"
    assert all(t <= bolt for t in planned.values()), "a statement was planned after Bolt opened"
    assert any(
        f"innograph-warmup: {len(names)} statements in" in line and "0 failed" in line for _, line in lines
    )


def _cached_plans(driver: Any) -> int:
    """How many plans the query cache held (``db.clearQueryCaches`` says, and empties it)."""
    records, _, _ = driver.execute_query("CALL db.clearQueryCaches()", database_="neo4j")
    said = str(records[0][0])  # "… cleared of N queries." or "Query cache already empty."
    cleared = re.search(r"cleared of (\d+) quer", said)
    assert cleared or "already empty" in said, said
    return int(cleared.group(1)) if cleared else 0


@pytest.mark.neo4j
@pytest.mark.slow
def test_a_fresh_clients_first_lookup_finds_its_plan_made(
    restarted: tuple[dict[str, object], float],
) -> None:
    """Before any client, the cache holds the lookup's plan; after a restart, a client's lookup
    with the API's parameter types reuses it (a cache miss would leave two plans, not one)."""
    from neo4j import GraphDatabase

    state, _since = restarted
    name = f"pytest-warm-{os.getpid()}"
    uri = str(state["uri"])
    with GraphDatabase.driver(uri, connection_timeout=10, max_transaction_retry_time=0) as driver:
        assert _cached_plans(driver) == 1  # the warm-up's, made before the port opened
    neo4j_local.stop(name)
    assert _start(name)["uri"] == uri
    with GraphDatabase.driver(uri, connection_timeout=10, max_transaction_retry_time=0) as driver:
        records, _, _ = driver.execute_query(cypher("get_nodes"), {"ids": ["ent:A"]}, database_="neo4j")
        assert [r["id"] for r in records] == ["ent:A"]
        assert _cached_plans(driver) == 1  # the same plan: the client's call was a cache hit


@pytest.mark.neo4j
@pytest.mark.slow
def test_a_warmup_statement_that_fails_or_writes_never_fails_the_start_nor_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = tmp_path / "statements.json"
    statements.write_text(
        json.dumps(
            [
                {"name": "writes", "cypher": "CREATE (:WarmupProbe {id: $id})", "params": {"id": "x"}},
                {"name": "broken", "cypher": "THIS IS NOT CYPHER", "params": {}},
                {"name": "get_nodes", "cypher": cypher("get_nodes"), "params": {"ids": ["x"]}},
            ]
        )
    )
    monkeypatch.setattr(neo4j_local, "WARMUP_STATEMENTS", statements)
    name = f"pytest-warm-bad-{os.getpid()}"
    since = datetime.now().timestamp()
    try:
        state = _start(name)
        from neo4j import GraphDatabase

        with GraphDatabase.driver(str(state["uri"]), connection_timeout=10) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (n:WarmupProbe) RETURN count(n) AS n", database_="neo4j"
            )
        assert records[0]["n"] == 0  # rolled back
        log = "\n".join(
            line for _, line in _log_since(Path(str(state["home"])) / "logs" / "debug.log", since)
        )
        assert "innograph-warmup: writes planned in" in log
        assert "innograph-warmup: broken failed after" in log
        assert "innograph-warmup: 3 statements in" in log and "1 failed" in log
    finally:
        neo4j_local.stop(name, remove=True)
