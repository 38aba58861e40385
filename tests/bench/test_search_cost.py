"""``bench.search_cost`` runs from a clean checkout on an embedded file and prints one row per term."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import search_cost
from bench.load import SEARCH_TERMS
from graph.embedded import EmbeddedStore
from tests.contract.fixture_graph import fixture_changes


def test_search_cost_prints_each_term_cold_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "graph.innograph"
    store = EmbeddedStore(path)
    store.apply(fixture_changes())
    store.close()
    assert search_cost.main(["--graph", str(path), "--repeat", "1", "--term", "天大"]) == 0
    rows = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("| ") and "---" not in line
    ]
    assert [row.split("|")[1].strip() for row in rows[1:]] == [*SEARCH_TERMS, "天大"]
    for row in rows[1:]:
        cold, kept = (float(cell) for cell in row.split("|")[2:4])
        assert cold >= 0 and kept >= 0, row
