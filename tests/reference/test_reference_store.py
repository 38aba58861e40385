"""Loading reference data into the stores: what is read back, and idempotence."""

from __future__ import annotations

import pytest

from graph.embedded import EmbeddedStore
from graph.model import RelType
from graph.store import GraphStore
from ingest.reference import load_reference
from tests.conftest import SHARED_DATA

#: A subset that keeps the Neo4j run short: SEI + Dongli, LED / lighting / UAV IPC subclasses and
#: Tianjin's universities (the full set is checked on the embedded store below).
SUBSET = {
    "parts": ("sei", "ipc", "universities"),
    "university_provinces": {"12"},
    "ipc_subclasses": {"H01L", "F21V", "B64C"},
}


def test_subset_loads_and_reloads_unchanged_on_both_stores(store: GraphStore) -> None:
    first = load_reference(store, SHARED_DATA, **SUBSET)
    counts_after_first = store.counts()
    second = load_reference(store, SHARED_DATA, **SUBSET)

    assert store.counts() == counts_after_first
    assert first.nodes == second.nodes
    assert counts_after_first.labels["University"] == 68  # 56 regular + 12 adult HEIs in Tianjin
    tju = store.get_node("uni:4112010056")
    assert tju is not None and tju.props["name"] == "天津大学" and tju.props["moeCode"] == "4112010056"
    assert tju.props["sources"] == ["reference"]  # provenance does not pile up on a reload
    led = store.neighbors("ipc:H01L33/00", rel_types=[RelType.IN_INDUSTRY], direction="out")
    assert [n.node.id for n in led] == ["industry:SEI:1.2"]
    up = store.neighbors("industry:DONGLI:LED", rel_types=[RelType.SUBCLASS_OF], direction="out")
    assert sorted(n.node.id for n in up) == ["industry:SEI:1.2", "industry:SEI:7.1"]


def test_full_reference_on_the_embedded_store(embedded_store: EmbeddedStore) -> None:
    report = load_reference(embedded_store, SHARED_DATA)
    counts = embedded_store.counts()
    again = load_reference(embedded_store, SHARED_DATA)

    assert embedded_store.counts() == counts
    assert again.nodes == report.nodes
    assert counts.labels["University"] == 3167
    assert counts.labels["Industry"] == 1772 + 49 + 8
    dongli = embedded_store.neighbors("region:120110", rel_types=[RelType.PART_OF], direction="in", limit=100)
    assert {n.node.props["name"] for n in dongli} >= {"张贵庄街道", "华明街道", "东丽湖街道"}
    tianjin = embedded_store.get_node("region:120000")
    assert tianjin is not None and tianjin.props["level"] == "province"


def test_missing_data_folder_is_named(tmp_path: object) -> None:
    from ingest.reference import ReferenceDataError, reference_changes

    with pytest.raises(ReferenceDataError, match="reference data folder not found"):
        reference_changes(tmp_path / "nowhere")  # type: ignore[operator]


def test_unknown_part_is_rejected() -> None:
    from ingest.reference import reference_changes

    with pytest.raises(ValueError, match="unknown reference parts"):
        reference_changes(SHARED_DATA, parts=("planets",))
