"""The real Lens drone export ingests through specs/lens_drones.toml with no code of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from ingest.pipeline import ingest_specs

SPEC = Path(__file__).resolve().parents[2] / "specs" / "lens_drones.toml"


@pytest.mark.slow
def test_lens_export_ingests_and_latin_applicants_are_linked(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    report = ingest_specs(embedded_store, [SPEC], data_dir=tmp_path)

    f = report.files[0]
    assert f.rows_read == 5884  # PROVENANCE.md: 5,884 rows
    assert f.rows_read == f.loaded + f.merged + f.quarantined
    assert f.quarantined == 0
    assert embedded_store.counts().labels["Patent"] == f.loaded
    # Latin-script applicants are classified and linked: every BEI HANG patent points at one University.
    beihang = [
        r.start
        for r in embedded_store.relationships(RelType.APPLIED_FOR)
        if (n := embedded_store.get_node(r.start)) is not None and n.props.get("name") == "UNIV BEI HANG"
    ]
    assert len(beihang) >= 2 and len(set(beihang)) == 1
    node = embedded_store.get_node(beihang[0])
    assert node is not None and node.label is NodeLabel.UNIVERSITY
    # IPC subclass-only codes (e.g. B64D) and full codes both land in one hierarchy
    assert embedded_store.get_node("ipc:B64D") is not None
    assert embedded_store.get_node("ipc:A01K47/00") is not None
