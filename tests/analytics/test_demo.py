"""The monitor and the clusters on the ×1 demo set, which is calibrated to the plan's 2010 figures
(``docs/DEMO_DATA.md``): the monitor must read back what the generator planted."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from analytics.clusters import ClusterAnalysis, analyse_clusters
from analytics.monitor import MonitorReport
from analytics.plan import load_plan
from analytics.projection import analysis_projection
from analytics.timeline import monitor_as_of
from graph.embedded import EmbeddedStore
from tests.analytics.hash_seed import check_same_partition_in_other_processes
from tests.analytics.test_fast_clusters import assert_same_analysis, narrowed, reference_analysis
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.MultiDiGraph, dict[str, object]]:
    from demo.build import build_demo

    root = tmp_path_factory.mktemp("demo")
    store = EmbeddedStore(root / "graph.innograph")
    result = build_demo(store, root / "demo-x1", scale=1, shared_data=SHARED_DATA)
    assert result.reference is not None, result.reference_note
    expected = dict(result.generation.expected)
    # The plan's 2010 baseline is the monitor as of 2010 (the demo also holds 2011–2015).
    expected["monitor2010"] = monitor_as_of(store, analysis_projection(store), load_plan(), 2010)
    return analysis_projection(store), expected


@pytest.fixture(scope="module")
def monitor(demo: tuple[nx.MultiDiGraph, dict[str, object]]) -> MonitorReport:
    report = demo[1]["monitor2010"]
    assert isinstance(report, MonitorReport)
    return report


@pytest.fixture(scope="module")
def clusters(demo: tuple[nx.MultiDiGraph, dict[str, object]]) -> ClusterAnalysis:
    return analyse_clusters(demo[0])


def _current(report: MonitorReport, indicator: str) -> float | None:
    return next(i.current for i in report.indicators if i.id == indicator)


def test_monitor_shows_the_calibrated_baseline(
    monitor: MonitorReport, demo: tuple[nx.MultiDiGraph, dict[str, object]]
) -> None:
    expected = demo[1]
    # The plan's 2010 figures, which the ×1 set is calibrated to (DIGEST.md).
    assert _current(monitor, "tech_smes") == 520 == expected["techSmes"]
    assert _current(monitor, "little_giants") == 48 == expected["littleGiants"]
    assert _current(monitor, "firms_over_300m") == 3 + 14
    assert _current(monitor, "firms_over_1bn") == 3
    assert _current(monitor, "strategic_firms") == 211 == expected["strategicFirms"]
    assert _current(monitor, "consortia") == 67
    assert _current(monitor, "incubators") == 2 and _current(monitor, "productivity_centres") == 1
    assert _current(monitor, "park_share") == pytest.approx(expected["parkShare"])
    assert _current(monitor, "tech_sme_revenue") == pytest.approx(expected["revenueTotalYuan"])
    assert monitor.stages == {"初创期": 202, "成长期": 270, "壮大期": 48, "未知": 0}
    assert [b.current for b in monitor.revenue_bands] == [b.baseline for b in monitor.revenue_bands]


def test_little_giant_candidates_are_below_the_threshold_with_reasons(monitor: MonitorReport) -> None:
    assert monitor.candidates
    assert all(c.revenue < 1e8 and c.reasons for c in monitor.candidates)


def test_clusters_are_labelled_with_the_plans_industries(clusters: ClusterAnalysis) -> None:
    labelled = {c.plan_industry.name for c in clusters.clusters if c.plan_industry is not None}
    # The generator plants firms in the plan's eight strategic industries; most should surface.
    assert len(labelled) >= 6, labelled
    assert clusters.modularity is not None and clusters.modularity > 0.5
    assert any(c.metrics.strong for c in clusters.clusters)


def test_report_on_the_demo_set(clusters: ClusterAnalysis, monitor: MonitorReport, tmp_path: Path) -> None:
    from analytics.report import write_report

    page = write_report(clusters, monitor, tmp_path)
    assert "半导体照明" in page.read_text(encoding="utf-8")
    assert len(list((tmp_path / "img").glob("*.png"))) == 5


def test_same_seed_same_clusters_in_another_process(
    demo: tuple[nx.MultiDiGraph, dict[str, object]], tmp_path: Path
) -> None:
    # The demo's firm network has the ties that made networkx's Louvain (the default until issue
    # #14) follow the string hash; every process must find the partition this one finds.
    check_same_partition_in_other_processes(demo[0], tmp_path)


def test_fast_steps_give_the_reference_analysis_of_the_demo(
    demo: tuple[nx.MultiDiGraph, dict[str, object]],
    clusters: ClusterAnalysis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The ×1 demo's firm network (4,700 firms) is above the exact-betweenness limit: the sampled
    # sources, the top-k cut and the co-location ties all take part.
    assert_same_analysis(clusters, reference_analysis(demo[0], monkeypatch))


def test_the_cluster_properties_are_all_the_analysis_reads_on_the_demo(
    demo: tuple[nx.MultiDiGraph, dict[str, object]], clusters: ClusterAnalysis
) -> None:
    # What a clusters-only projection with ``properties=CLUSTER_PROPERTIES`` would hold.
    assert_same_analysis(analyse_clusters(narrowed(demo[0])), clusters)
