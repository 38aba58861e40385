"""``bench.scale`` must not rot: a ×1 run on the embedded store, short, end to end (real demo
files, real ingest, real uvicorn and clients), and the verdicts its table prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import scale


@pytest.mark.slow
def test_a_short_x1_run_on_the_embedded_store_measures_every_step_it_ran(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    code = scale.main(
        [
            "--scales", "1", "--stores", "embedded", "--clients", "2", "--duration", "1",
            "--requests", "2", "--think", "0.5", "--skip", "analyses", "import", "--cache", str(tmp_path),
            "--json", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    [run] = json.loads(out.read_text(encoding="utf-8"))
    figures = run["figures"]
    assert (run["store"], run["scale"]) == ("embedded", 1)
    # The ×1 demo set: thousands of input rows become a graph of thousands of nodes.
    assert figures["input_rows"] > 5_000
    assert figures["nodes"] > 5_000 and figures["relationships"] > figures["nodes"]
    assert figures["ingest_s"] > 0 and figures["ingest_rows_per_s"] > 0
    assert 0 < figures["partners_p50_ms"] <= figures["partners_p95_ms"]
    assert figures["load_errors"] == 0 and figures["load_rps"] > 0
    # The same readers again as users who think between clicks (--think): measured, and named.
    assert figures["users_errors"] == 0 and figures["users_rps"] > 0 and figures["users_p95_ms"] > 0
    assert any(note.startswith("2 users, mean think time 0.5 s") for note in run["notes"])
    assert figures["api_rss_mib"] > 50  # uvicorn with spaCy and the index is never this small
    # The index job's own stage: built in its own process, saved, loaded back as the API would.
    assert figures["index_job_s"] > 0 and figures["index_file_mib"] > 0 and figures["index_load_s"] > 0
    assert "API started with the index job's file" in run["notes"]
    # The analyses job's stage likewise: its files saved, the API started with them (loads only).
    assert (
        figures["analyses_job_s"] > 0 and figures["analyses_file_mib"] > 0 and figures["analyses_job_mib"] > 0
    )
    assert "API started with the analyses job's files (INNOGRAPH_ANALYSES=job)" in run["notes"]
    assert figures["api_warm_rss_mib"] > 50
    assert "index_s" not in figures and "import_s" not in figures  # skipped steps stay absent
    assert set(run["loads"]) == set(figures)  # every figure has its load average


def test_the_table_checks_the_x100_targets_and_divides_consecutive_scales() -> None:
    small, big = scale.Run("neo4j", 10), scale.Run("neo4j", 100)
    small.figures.update(index_s=6.0, clusters_s=2.0, load_errors=0)
    big.figures.update(index_s=75.0, clusters_s=20.0, load_errors=3)
    big.loads.update(index_s=4.25)
    text = scale.table([small, big], clients=50, duration=60)
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert rows["match index build s"].endswith("| 6.0 | 75.0 @4.2 | 12.5 | ≤ 60 | **no** |")
    assert rows["clusters cold s"].endswith("| 2.0 | 20.0 | 10.0 | ≤ 30 | yes |")
    assert rows["50 readers × 60 s errors"].endswith("| = 0 | **no** |")
    big.figures.update(users_rps=22.0)
    assert "| 50 users × 60 s with think time req/s | – | 22.0 |" in scale.table(
        [small, big], clients=50, duration=60
    )
