"""The watcher (a call pending for ``NEO4J_WATCH_AFTER_S`` has the store look whether Neo4j is
still there) is cheap and quiet: at ×100 a province's reads kept calls pending for minutes, and
the watcher opened a new driver and connection every 0.1 s whose timeouts on the busy server
filled the log with the driver's ``SocketDeadlineExceededError`` errors, burying the index job's
real error (issue #17).

Connections are counted from the driver's own debug log: every Bolt connection it opens starts
with a ``<MAGIC>`` line, logged on the thread that opens it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import pytest
from neo4j import GraphDatabase

from graph import neo4j_store as store_module
from graph.neo4j_store import Neo4jStore

pytestmark = pytest.mark.neo4j

#: How long the one call is kept pending: thirty of the old watcher's looks.
HELD_S = 3.0


def _hold_a_write(neo4j_uri: str, store: Neo4jStore, held_s: float) -> dict[str, Any]:
    """``store`` writes while another transaction holds the lock every write takes (the graph's
    version counter) for ``held_s``: one call pending on a server that answers."""
    holder = GraphDatabase.driver(neo4j_uri)
    outcome: dict[str, Any] = {}
    try:
        with holder.session() as session:
            tx = session.begin_transaction()
            tx.run("MATCH (m:InnoGraphMeta {id: 'graph'}) SET m.held = true").consume()

            def write() -> None:
                try:
                    store.delete_nodes(["ent:none"])  # bumps the counter: waits for the lock
                    outcome["written"] = True
                except Exception as e:
                    outcome["error"] = repr(e)

            writer = threading.Thread(target=write)
            writer.start()
            time.sleep(held_s)
            outcome["pending"] = writer.is_alive()
            tx.rollback()
            writer.join(timeout=10)
    finally:
        holder.close()
    return outcome


def _watch_connections(records: list[logging.LogRecord]) -> int:
    return len(
        [r for r in records if (r.threadName or "").startswith("neo4j-watch") and "<MAGIC>" in str(r.msg)]
    )


def _loud(records: list[logging.LogRecord]) -> list[str]:
    return [
        f"{r.name} {r.levelname} [{r.threadName}] {r.getMessage()[:200]}"
        for r in records
        if r.name.startswith("neo4j") and r.levelno >= logging.WARNING
    ]


def test_a_long_pending_call_opens_a_bounded_number_of_watch_connections(
    neo4j_uri: str, neo4j_store: Neo4jStore, caplog: pytest.LogCaptureFixture
) -> None:
    """Old code: a new driver, so a new connection, every 0.1 s of the 2.7 s past the watch
    threshold (20 counted). Now: a TCP connect to the port each look and one pooled connection
    for the ``RETURN 1`` every second."""
    neo4j_store.version()  # the counter node every write locks exists
    store = Neo4jStore(neo4j_uri)
    caplog.set_level(logging.DEBUG, logger="neo4j")
    try:
        outcome = _hold_a_write(neo4j_uri, store, HELD_S)
        assert outcome.get("pending"), f"the write did not wait for the lock: {outcome}"
        assert outcome.get("written"), outcome
        assert not store.circuit_open, "a slow call on a server that answers tripped the breaker"
    finally:
        store.close()
    opened = _watch_connections(caplog.records)
    # One pooled connection; at most one more per full probe (one a second: 3–4 in 3 s) if a
    # busy machine made one time out. The old watcher: ~20.
    assert 0 < opened <= 4, f"the watcher opened {opened} Bolt connections in {HELD_S:g} s"
    assert not _loud(caplog.records)


def test_the_watchers_timeouts_are_not_errors_in_the_users_log(
    neo4j_uri: str,
    neo4j_store: Neo4jStore,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A probe that times out (here a 1 ms bound on connecting and running; at ×100 a busy
    server) is the watcher's business — traced, never an error line from the driver — and trips
    nothing. Old code: the driver's ``SocketDeadlineExceededError`` / "Timed out" lines at
    ERROR, one per look."""
    monkeypatch.setattr(store_module, "PROBE_TIMEOUT_S", 0.001)
    monkeypatch.setattr(store_module, "WATCH_PROBE_EVERY_S", 0.1, raising=False)  # each look
    neo4j_store.version()
    store = Neo4jStore(neo4j_uri)
    caplog.set_level(logging.INFO, logger="neo4j")  # what a user's log would show
    try:
        outcome = _hold_a_write(neo4j_uri, store, 1.5)
        assert outcome.get("pending") and outcome.get("written"), outcome
        assert not store.circuit_open
    finally:
        store.close()
    assert not _loud(caplog.records), "\n".join(_loud(caplog.records))
