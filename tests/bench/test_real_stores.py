"""The real sets written into a store read back as the graph the in-memory projection makes,
so ``bench.match_quality --real --stores …`` measures the stores' builds of the same graph."""

from __future__ import annotations

import numpy as np

from bench import real_sets, real_stores
from bench.ranking_stats import Scores
from graph.model import NodeLabel
from graph.store import GraphStore

L = NodeLabel


def _records() -> list[real_sets.Record]:
    # A Russian applicant as PatSnap writes it, longer than the stores' 200-character id limit.
    long_name = "FEDERALNOE GOSUDARSTVENNOE KAZENNOE VOENNOE OBRAZOVATELNOE UCHREZHDENIE " * 4
    firm, uni, long = (
        real_sets._org("台积电股份有限公司"),
        real_sets._org("清华大学"),
        real_sets._org(long_name),
    )
    assert firm and uni and long
    return [
        real_sets.Record(
            id="patent:tw-1",
            year=2015,
            title="半导体封装结构",
            abstract="",
            applicants=[firm, uni],
            ipc=["H01L"],
            family="tw-1",
            inventors=["王小明", "李华"],
            names={firm[0]: "台积电股份有限公司", uni[0]: "清华大学"},
        ),
        real_sets.Record(
            id="patent:RU2700000C1",
            year=2019,
            title="Unmanned aerial vehicle",
            abstract="A drone with a folding wing.",
            applicants=[long, uni],
            ipc=["B64C", "B64U"],
            family="RU2700000",
            names={long[0]: long_name},
        ),
    ]


def test_a_real_set_written_to_the_store_reads_back_as_the_in_memory_projection(store: GraphStore) -> None:
    records = _records()
    for inventors in (True, False):
        expected = real_sets.projection(records, inventors=inventors)
        got = real_stores.builder(store)(records, inventors=inventors)
        assert set(got.nodes) == set(expected.nodes)
        assert set(got.edges(keys=True)) == set(expected.edges(keys=True))
        for node, attrs in expected.nodes(data=True):
            assert got.nodes[node]["label"] == attrs["label"], node
    long_id = records[1].applicants[0][0]
    assert len(long_id) <= 200 and long_id.startswith("org:FEDERALNOE")


def test_long_names_stay_one_to_one() -> None:
    a = real_sets._org("X" * 300 + "A")
    b = real_sets._org("X" * 300 + "B")
    assert a and b and a[0] != b[0]


def test_same_rankings_notices_one_query_ranked_differently() -> None:
    def scores(rr: list[float]) -> dict[str, Scores]:
        arr = np.array(rr)
        return {"BM25": Scores(arr, arr, arr)}

    assert real_stores.same_rankings(scores([1.0, 0.5]), scores([1.0, 0.5])) == (True, 2)
    assert real_stores.same_rankings(scores([1.0, 0.5]), scores([1.0, 0.25])) == (False, 2)
