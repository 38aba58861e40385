"""A write bigger than Neo4j's transaction memory is a clear error, not an outage, and leaves
the graph as it was. Runs on its own small server whose transaction memory is capped."""

from __future__ import annotations

import os
from collections.abc import Iterator

import neo4j_local
import pytest

from graph.changeset import ChangeSet
from graph.errors import TransactionTooLargeError
from graph.model import NodeLabel
from graph.neo4j_store import Neo4jStore
from tests.contract.fixture_graph import fixture_changes


@pytest.fixture
def capped_store() -> Iterator[Neo4jStore]:
    name = f"pytest-txcap-{os.getpid()}"
    try:
        state = neo4j_local.start(
            name, heap="256m", pagecache="64m", settings={"db.memory.transaction.total.max": "10m"}
        )
    except neo4j_local.Neo4jLocalError as e:
        pytest.fail(f"Neo4j could not start: {e}", pytrace=False)
    store = Neo4jStore(str(state["uri"]))
    try:
        yield store
    finally:
        store.close()
        neo4j_local.stop(name, remove=True)


@pytest.mark.neo4j
@pytest.mark.slow
def test_too_large_a_write_is_refused_clearly_and_writes_nothing(capped_store: Neo4jStore) -> None:
    store = capped_store
    store.apply(fixture_changes())
    before = store.counts()
    big = ChangeSet()
    for i in range(20_000):
        big.add_node(
            NodeLabel.ENTERPRISE, {"id": f"ent:bulk{i}", "name": f"批量企业{i}", "description": "长" * 100}
        )
    with pytest.raises(TransactionTooLargeError, match="nothing was written"):
        store.apply(big)
    assert store.counts() == before
    assert store.health()["ok"]  # not treated as an outage: the next call goes through
