"""A read that passes the transaction bound is a 503 that names the bound, not a 500.

bench.scale found it at ×100: the match index's projection read ran past the 30 s bound and
the API answered 500 (``TransactionTimedOutClientConfiguration`` fell through as a plain
``ClientError``). A slow read is not an outage, so the breaker stays closed for everyone else.
"""

from __future__ import annotations

import pytest
from neo4j import ManagedTransaction

from graph import neo4j_store as store_module
from graph.errors import StoreUnavailableError
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore

pytestmark = pytest.mark.neo4j

#: Seconds of work on any machine: counting a hundred million numbers.
SLOW = "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*) AS n"


def test_a_read_past_the_bound_is_unavailable_and_names_the_setting(
    neo4j_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    monkeypatch.setattr(store_module, "TX_TIMEOUT_S", 0.3)

    def slow(tx: ManagedTransaction) -> int:
        return int(tx.run(SLOW).single(strict=True)["n"])

    with pytest.raises(StoreUnavailableError, match="NEO4J_TX_TIMEOUT_S"):
        neo4j_store._read_work(slow, name="slow")
    assert not neo4j_store.circuit_open  # too slow is not down: other reads go on
    assert neo4j_store.version() >= 0
