"""The ``innograph demo`` and ``innograph reference`` commands, through the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from innograph_cli.main import app
from tests.conftest import SHARED_DATA


def test_demo_generate_writes_raw_truth_and_specs(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "generate", "--scale", "1", "--seed", "3", "--out", str(tmp_path)]
    )

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["expected"]["techSmes"] == 520 and summary["expected"]["littleGiants"] == 48
    assert len(list((tmp_path / "specs").glob("*.toml"))) == 28
    assert (tmp_path / "manifest.json").exists() and (tmp_path / "truth" / "mentions.jsonl").exists()


def test_reference_ipc_prints_sei_codes() -> None:
    result = CliRunner().invoke(
        app, ["reference", "ipc", "H01L 33/48", "A47B13/00", "--data", str(SHARED_DATA)]
    )

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines == [{"ipc": "H01L 33/48", "sei": ["1.2"]}, {"ipc": "A47B13/00", "sei": []}]


def test_reference_load_names_a_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("INNOGRAPH_STORE", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    result = CliRunner().invoke(app, ["reference", "load", "--data", str(tmp_path / "missing")])

    assert result.exit_code == 1
    assert "reference data folder not found" in result.output
