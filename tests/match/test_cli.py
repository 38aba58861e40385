"""``innograph partners`` and ``innograph match-demand``: the API's answers on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from innograph_cli.main import app
from tests.conftest import use_embedded_cli
from tests.match.fixture import DEMAND, FIRM, NEW_PARTNER, matching_changes


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_embedded_cli(monkeypatch, tmp_path, matching_changes())
    return tmp_path


def test_partners_by_id_and_by_name(data_dir: Path) -> None:
    runner = CliRunner()
    by_id = runner.invoke(app, ["partners", FIRM, "--json", "--exclude-existing"])
    assert by_id.exit_code == 0, by_id.output
    body = json.loads(by_id.stdout)
    assert body["matches"][0]["candidate"]["id"] == NEW_PARTNER
    by_name = runner.invoke(app, ["partners", "晶辉光电", "--json", "--exclude-existing"])
    assert json.loads(by_name.stdout) == body
    table = runner.invoke(app, ["partners", FIRM])
    assert table.exit_code == 0 and "天津大学" in table.stdout


def test_match_demand(data_dir: Path) -> None:
    result = CliRunner().invoke(app, ["match-demand", DEMAND, "--json", "--type", "Patent"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["matches"][0]["candidate"]["id"] == "patent:tju-heat"
    by_title = CliRunner().invoke(app, ["match-demand", "大功率LED散热", "--json"])
    assert json.loads(by_title.stdout)["subject"]["id"] == DEMAND


def test_unknown_names_fail_cleanly(data_dir: Path) -> None:
    result = CliRunner().invoke(app, ["partners", "没有这家公司"])
    assert result.exit_code == 1
    assert "no Enterprise" in result.output
    wrong = CliRunner().invoke(app, ["match-demand", FIRM])
    assert wrong.exit_code == 1 and "not a TechDemand" in wrong.output
