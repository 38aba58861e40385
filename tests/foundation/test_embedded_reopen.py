"""The embedded store reads back what it wrote after it is opened again (embedded only: no
Neo4j counterpart, so not in tests/contract)."""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from tests.contract.fixture_graph import fixture_changes


def test_embedded_store_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "g.innograph"
    first = EmbeddedStore(path)
    first.apply(fixture_changes())
    again = EmbeddedStore(path)
    assert list(again.iter_all()) == list(first.iter_all())
    assert again.version() == first.version()
