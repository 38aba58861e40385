"""Each cluster metric against values computed by hand on ``tests/analytics/handmade.py``."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from analytics.clusters import Cluster, ClusterAnalysis, analyse_clusters
from analytics.metrics import cagr, count_growth, location_quotient, panel_growth, strong_clusters
from analytics.roles import betweenness, brokers, is_local
from tests.analytics.conftest import project
from tests.analytics.handmade import CO_APPLICATIONS_ONLY, handmade, reference_plan


@pytest.fixture(scope="module")
def analysis() -> ClusterAnalysis:
    return analyse_clusters(project(handmade()), options=CO_APPLICATIONS_ONLY, plan=reference_plan())


def _cluster(analysis: ClusterAnalysis, member: str) -> Cluster:
    return next(c for c in analysis.clusters if member in c.members)


def test_clusters_are_the_two_cliques_with_x_in_a(analysis: ClusterAnalysis) -> None:
    assert [c.members for c in analysis.clusters] == [
        ["ent:a1", "ent:a2", "ent:a3", "ent:x"],
        ["ent:b1", "ent:b2", "ent:b3"],
    ]
    assert analysis.unclustered == ["ent:z"]
    assert [c.industry.code if c.industry else None for c in analysis.clusters] == ["1.2", "4.1"]


def test_location_quotient_by_hand(analysis: ClusterAnalysis) -> None:
    # District employment 100+50+50+40+20·3+100 = 400. A: 240 → (240/400)/(100/1000) = 6.
    # B: 60 → (60/400)/(50/1000) = 3.
    assert _cluster(analysis, "ent:a1").metrics.location_quotient == pytest.approx(6.0)
    assert _cluster(analysis, "ent:b1").metrics.location_quotient == pytest.approx(3.0)


def test_strong_cluster_by_hand(analysis: ClusterAnalysis) -> None:
    # LQ top quartile: Q3 of (6, 3) = 5.25 → only A; A's 240 employees > Q1 of (240, 60) = 105.
    assert _cluster(analysis, "ent:a1").metrics.strong
    assert not _cluster(analysis, "ent:b1").metrics.strong


def test_patents_and_invention_share_by_hand(analysis: ClusterAnalysis) -> None:
    a, b = _cluster(analysis, "ent:a1").metrics, _cluster(analysis, "ent:b1").metrics
    # A: pA1–3, pX1–3 and pXB (x's) = 7 patents, inventions pA1, pA3. B: pB1–3 and pXB, 3 inventions.
    assert (a.patents, a.inventions, a.invention_share) == (7, 2, pytest.approx(2 / 7, abs=1e-6))
    assert (b.patents, b.inventions, b.invention_share) == (4, 3, 0.75)
    assert a.patents_by_year == {2011: 2, 2013: 5}


def test_growth_by_hand(analysis: ClusterAnalysis) -> None:
    a = _cluster(analysis, "ent:a1").metrics
    # Revenue 2011→2013 over a1 and a2 (a3 reports 2013 only): 150 → 225, CAGR √1.5 − 1.
    assert (a.revenue_first_year, a.revenue_last_year) == (2011, 2013)
    assert a.revenue_growth == pytest.approx(math.sqrt(1.5) - 1)
    assert a.revenue_by_year == {2011: 150.0, 2012: 60.0, 2013: 255.0}
    # Patents 2 in 2011, 5 in 2013: √2.5 − 1.
    assert a.patent_growth == pytest.approx(math.sqrt(2.5) - 1, abs=1e-6)
    assert a.employees == 240 and a.firms == 4


def test_broker_is_the_bridge_firm(analysis: ClusterAnalysis) -> None:
    # Normalised betweenness: pairs through the firm × 2 / ((n−1)(n−2)), n = 8 firms (z included,
    # on no path). x lies on all 3 × 3 shortest paths between A's triangle and B's; a3 on the
    # 2 × 4 from a1, a2 to x, b1, b2, b3.
    scores = betweenness(analysis.network)
    n = analysis.network.number_of_nodes()
    norm = 2 / ((n - 1) * (n - 2))
    assert scores["ent:x"] == pytest.approx(3 * 3 * norm)  # {a1,a2,a3} × {b1,b2,b3}
    assert scores["ent:a3"] == pytest.approx(2 * 4 * norm)  # {a1,a2} × {x,b1,b2,b3}
    a = _cluster(analysis, "ent:a1")
    assert [b.id for b in a.brokers] == ["ent:x", "ent:a3"]
    assert a.brokers[0].value == pytest.approx(round(9 * norm, 6))


def test_key_player_is_the_best_connected_firm(analysis: ClusterAnalysis) -> None:
    assert _cluster(analysis, "ent:a1").key_players[0].id == "ent:a3"


def test_knowledge_ties_by_hand(analysis: ClusterAnalysis) -> None:
    a = _cluster(analysis, "ent:a1")
    # 天津大学: a technology transfer to a2 and the alliance shared with a1.
    assert [(k.id, k.value) for k in a.knowledge_partners] == [("uni:tju", 2.0)]
    assert _cluster(analysis, "ent:b1").knowledge_partners == []


def test_gaps_by_hand(analysis: ClusterAnalysis) -> None:
    a, b = _cluster(analysis, "ent:a1"), _cluster(analysis, "ent:b1")
    # A's core: B23K (4/7), H01L (3/7). 天津大学 (local) covers H01L; 北京大学's B23K patent is not local.
    assert [(x.code, x.local_holders) for x in a.core_ipc] == [("B23K", []), ("H01L", ["uni:tju"])]
    assert a.gaps == ["B23K"]
    # B's core: A61K (3/4, the institute's expert), B23K (1/4).
    assert [x.code for x in b.core_ipc] == ["A61K", "B23K"]
    assert b.gaps == ["B23K"]


def test_isolated_firm_by_hand(analysis: ClusterAnalysis) -> None:
    assert _cluster(analysis, "ent:a1").isolated_firms == ["ent:z"]
    assert _cluster(analysis, "ent:b1").isolated_firms == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [((30, 100, 10, 100), 3.0), ((5, 50, 20, 100), 0.5), ((1, 0, 1, 1), None), ((1, 1, 0, 1), None)],
)
def test_location_quotient_formula(args: tuple[float, float, float, float], expected: float | None) -> None:
    assert location_quotient(*args) == expected


def test_growth_formulas() -> None:
    assert cagr(100, 200, 1) == pytest.approx(1.0)
    assert cagr(0, 10, 2) is None
    assert panel_growth([([2010], [5.0])]) == (None, 2010, 2010)
    assert panel_growth([]) == (None, None, None)
    assert count_growth({2012: 3}) is None


def test_strong_needs_size_above_the_bottom_quartile() -> None:
    lq = {"a": 3.0, "b": 2.5, "c": 0.4, "d": 0.3}
    # Q3 of LQ = 2.625: only a qualifies on LQ — but a is the smallest, so nothing is strong.
    assert strong_clusters(lq, {"a": 5, "b": 50, "c": 60, "d": 70}) == set()
    assert strong_clusters(lq, {"a": 80, "b": 50, "c": 60, "d": 70}) == {"a"}
    assert strong_clusters({"a": 0.9, "b": 0.8}, {"a": 10, "b": 5}) == set()  # LQ < 1 never strong


def test_betweenness_of_a_path_and_brokers_ranking() -> None:
    scores = betweenness(nx.path_graph(["p", "q", "r"]))
    assert scores == {"p": 0.0, "q": 1.0, "r": 0.0}
    assert brokers(scores, ["p", "q", "r"]) == [("q", 1.0)]


def test_locality_rules() -> None:
    assert is_local({"regionCode": "120110"}, prefixes=["12"], cities=[])
    assert not is_local({"regionCode": "110108"}, prefixes=["12"], cities=[])
    assert is_local({"city": "天津市"}, prefixes=[], cities=["天津"])
    assert is_local({}, prefixes=["12"], cities=[])
