"""``bench.scale``'s stage limits and the offline first load's CSVs: a ×100 run must record a
stage that runs too long or grows too big as its result and go on, never hang or take the
machine down; the import CSVs must carry every property Neo4j's own merge writes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import scale
from bench.neo4j_admin_import import import_args_from, write_import_csv
from graph.model import NodeLabel, RelType
from graph.records import Node, Relationship


def _python(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code])


def test_the_watchdog_stops_a_process_that_runs_past_its_time() -> None:
    proc = _python("import time; time.sleep(60)")
    watch = scale.Watchdog(proc.pid, timeout_s=1.5, mem_gib=0, what="clusters")
    started = time.monotonic()
    proc.wait(timeout=20)
    watch.stop()
    assert time.monotonic() - started < 15
    assert watch.reason == "clusters: did not finish within 2 s (killed)"


def test_the_watchdog_stops_a_process_that_grows_past_its_memory() -> None:
    # 400 MiB held, against a 0.1 GiB bound; the process would otherwise sleep a minute.
    proc = _python(
        "import time; b = bytearray(400 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); time.sleep(60)"
    )
    watch = scale.Watchdog(proc.pid, timeout_s=60, mem_gib=0.1, what="index")
    proc.wait(timeout=30)
    watch.stop()
    assert watch.reason is not None and watch.reason.startswith("index: over 0.1 GiB RSS after")
    assert watch.peak_kib > 0.1 * 1024 * 1024


def test_a_stage_that_fails_or_passes_a_limit_is_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    out = tmp_path / "partial.json"
    run = scale.Run("neo4j", 100)
    run.sink = lambda: scale._write_json(out, [run])

    def too_long() -> None:
        run.put("index_s", 12.5)  # what a stage measured before its limit is kept
        raise scale.StageLimit("index: did not finish within 1200 s (killed)")

    def broken() -> None:
        raise KeyError("no such node")

    assert scale.stage(run, "index", too_long) is False
    assert scale.stage(run, "clusters", broken) is False
    assert scale.stage(run, "monitor", lambda: run.put("monitor_s", 3.0)) is True
    saved = json.loads(out.read_text(encoding="utf-8"))[0]
    assert saved["stages"]["index"] == "index: did not finish within 1200 s (killed)"
    assert saved["stages"]["clusters"].startswith("failed after 0 s: KeyError")
    assert saved["stages"]["monitor"].startswith("ok (")
    assert saved["figures"] == {"index_s": 12.5, "monitor_s": 3.0}
    text = scale.table(scale._read_json([out]), clients=50, duration=60)
    assert "×100 stage index: index: did not finish within 1200 s (killed)" in text


def test_the_import_csvs_carry_search_text_for_every_label(tmp_path: Path) -> None:
    # Neo4j's merge sets searchText on every node (merge_nodes.cypher); the importer must too,
    # also for labels whose model properties do not list it (this raised KeyError before).
    items = [
        Node("region:1", NodeLabel.REGION, {"name": "东丽区"}),
        Node("report:1", NodeLabel.ANNUAL_REPORT, {"year": 2023, "revenue": 1.5e7}),
        Relationship(RelType.REPORTED, "region:1", "report:1", {"year": 2023}),
    ]
    args, records = write_import_csv(items, tmp_path)
    assert records == 3
    with (tmp_path / "nodes-AnnualReport.csv").open(encoding="utf-8", newline="") as fh:
        header, _ = list(csv.reader(fh))
    assert header[0] == "id:ID" and "searchText:string" in header and "year:long" in header
    with (tmp_path / "nodes-Region.csv").open(encoding="utf-8", newline="") as fh:
        header, row = list(csv.reader(fh))
    assert "searchText:string" in header
    assert "东丽区" in row[header.index("searchText:string")]
    assert any(a.startswith("--nodes=Entity:") and a.endswith("nodes-Region.csv") for a in args)


def test_reused_import_csvs_get_the_arguments_they_were_written_with(tmp_path: Path) -> None:
    # bench.scale --import-csv loads an earlier build's CSVs without the build, so it must name
    # every file with the labels the build gave it (an Enterprise is also an Organization).
    items = [
        Node("ent:1", NodeLabel.ENTERPRISE, {"name": "甲"}),
        Node("region:1", NodeLabel.REGION, {"name": "东丽区"}),
        Relationship(RelType.IN_REGION, "ent:1", "region:1", {}),
    ]
    args, _ = write_import_csv(items, tmp_path)
    assert sorted(import_args_from(tmp_path)) == sorted(args)
    assert len(args) == 3
    with pytest.raises(FileNotFoundError, match="no nodes"):
        import_args_from(tmp_path / "empty")
