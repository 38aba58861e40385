"""`innograph clusters`, `monitor` and `report` on the configured store, and their error path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.embedded import EmbeddedStore
from innograph_cli.main import app
from tests.analytics.planted import planted_clusters


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return tmp_path


def test_clusters_monitor_and_report_commands(data_dir: Path) -> None:
    EmbeddedStore(data_dir / "graph.innograph").apply(
        planted_clusters(clusters=3, firms_per_cluster=8, seed=5).changes
    )
    runner = CliRunner()
    listed = runner.invoke(app, ["clusters", "--json"])
    assert listed.exit_code == 0, listed.output
    assert sorted(len(c["members"]) for c in json.loads(listed.stdout)) == [8, 8, 8]
    monitored = runner.invoke(app, ["monitor", "--json"])
    assert monitored.exit_code == 0, monitored.output
    assert json.loads(monitored.stdout)["indicators"]
    out = data_dir / "report"
    written = runner.invoke(app, ["report", "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert (out / "index.html").exists() or any(out.glob("*.html"))


def test_a_damaged_store_ends_the_command_with_its_message(data_dir: Path) -> None:
    (data_dir / "graph.innograph").write_bytes(b"not a store")
    for command in (["clusters"], ["monitor"], ["report", "--out", str(data_dir / "r")]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 1, command
        assert "graph.innograph" in result.output
