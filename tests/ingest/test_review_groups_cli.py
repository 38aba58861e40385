"""``innograph review list --grouped`` and ``review accept reviewgroup:…`` on the embedded store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from innograph_cli.main import app
from tests.ingest.conftest import PATENT_COLUMNS, SpecWriter
from tests.ingest.test_review_groups import ALONE


def test_grouped_list_and_group_accept(cli_env: Path, write_source: SpecWriter) -> None:
    spec = write_source(ALONE, "patents.csv", PATENT_COLUMNS, source_name="patsnap")
    assert CliRunner().invoke(app, ["ingest", str(spec)]).exit_code == 0
    listed = CliRunner().invoke(app, ["review", "list", "--grouped", "--json"])
    assert listed.exit_code == 0, listed.output
    (group,) = json.loads(listed.output)
    assert (group["label"], group["pairs"], len(group["entities"])) == ("Person", 2, 3)

    accepted = CliRunner().invoke(app, ["review", "accept", group["id"], "--by", "test:editor"])
    assert accepted.exit_code == 0, accepted.output
    assert "2 pairs" in accepted.output
    assert json.loads(CliRunner().invoke(app, ["review", "list", "--grouped", "--json"]).output) == []
    unknown = CliRunner().invoke(app, ["review", "accept", "reviewgroup:h0000000000000000"])
    assert unknown.exit_code != 0 and "no pending review group" in unknown.output
