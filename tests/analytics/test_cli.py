"""`innograph clusters`, `monitor` and `report` on the configured store, and their error path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.model import NodeLabel
from innograph_cli.main import app
from tests.analytics.planted import planted_clusters
from tests.conftest import use_embedded_cli


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_embedded_cli(monkeypatch, tmp_path)
    return tmp_path


def test_clusters_monitor_and_report_commands(data_dir: Path) -> None:
    planted = planted_clusters(clusters=3, firms_per_cluster=8, seed=5)
    store = EmbeddedStore(data_dir / "graph.innograph")
    store.apply(planted.changes)
    tech_smes = sum(1 for n in store.nodes(NodeLabel.ENTERPRISE) if n.props.get("techSme"))
    store.close()
    runner = CliRunner()

    listed = runner.invoke(app, ["clusters", "--json"])
    assert listed.exit_code == 0, listed.output
    clusters = json.loads(listed.stdout)
    # The three planted groups, found whole: each listed cluster is exactly one planted group.
    planted_groups = sorted(
        sorted(f for f, g in planted.truth.items() if g == group) for group in set(planted.truth.values())
    )
    assert sorted(sorted(c["members"]) for c in clusters) == planted_groups

    monitored = runner.invoke(app, ["monitor", "--json"])
    assert monitored.exit_code == 0, monitored.output
    monitor = json.loads(monitored.stdout)
    current = {i["id"]: i["current"] for i in monitor["indicators"]}
    assert monitor["firms"] == 24 and current["tech_smes"] == tech_smes == monitor["tech_smes"]

    out = data_dir / "report"
    written = runner.invoke(app, ["report", "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert f"wrote {out / 'index.html'} (3 clusters" in written.output.replace("\n", "")
    page = (out / "index.html").read_text(encoding="utf-8")
    for heading in ("产业集群 · Industry clusters", "规划目标监测 · Plan monitor", "小巨人后备企业"):
        assert heading in page
    for cluster in clusters:  # each cluster has its row: id and industry
        assert f"<td class=l>{cluster['id']}</td>" in page
        assert cluster["industry"]["name"] in page
    charts = sorted(p.name for p in (out / "img").glob("*.png"))
    assert "cluster_network.png" in charts and "plan_targets.png" in charts
    assert all((out / "img" / name).stat().st_size > 1000 for name in charts)


def test_a_damaged_store_ends_the_command_with_its_message(data_dir: Path) -> None:
    (data_dir / "graph.innograph").write_bytes(b"not a store")
    for command in (["clusters"], ["monitor"], ["report", "--out", str(data_dir / "r")]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 1, command
        assert "graph.innograph" in result.output
