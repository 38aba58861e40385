"""``innograph ingest``: prints the reconciliation, fails with the file's name, dry-runs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graph.embedded import EmbeddedStore
from innograph_cli.main import app
from tests.ingest.conftest import ENTERPRISE_COLUMNS, SpecWriter, credit_code

CODE = credit_code("91120110MA05ABCD1")
DATA = f"企业名称,统一社会信用代码\n天津华明科技有限公司,{CODE}\n坏码公司,911201100000000000\n"


def test_ingest_prints_the_reconciliation_and_writes(cli_env: Path, write_source: SpecWriter) -> None:
    spec = write_source(DATA, "list.csv", ENTERPRISE_COLUMNS)
    result = CliRunner().invoke(app, ["ingest", str(spec), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["rowsRead"], summary["loaded"], summary["merged"], summary["quarantined"]) == (2, 1, 0, 1)
    store = EmbeddedStore(cli_env / "graph.innograph")
    assert store.get_node(f"ent:{CODE}") is not None
    store.close()
    assert (cli_env / "ingest-runs" / summary["runId"] / "quarantine.jsonl").exists()


def test_dry_run_table_and_nothing_written(cli_env: Path, write_source: SpecWriter) -> None:
    spec = write_source(DATA, "list.csv", ENTERPRISE_COLUMNS)
    result = CliRunner().invoke(app, ["ingest", str(spec), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run: nothing written" in result.output
    assert "quarantined list.csv#3 [统一社会信用代码]" in result.output
    store = EmbeddedStore(cli_env / "graph.innograph")
    assert store.counts().nodes == 0
    store.close()


def test_a_bad_file_fails_with_its_name(cli_env: Path, write_source: SpecWriter) -> None:
    spec = write_source("", "empty.csv", ENTERPRISE_COLUMNS)
    result = CliRunner().invoke(app, ["ingest", str(spec)])
    assert result.exit_code == 1
    assert "empty.csv: the file is empty — nothing was written" in result.output
