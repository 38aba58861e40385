"""Issue #11 finding 4: an address that cannot be placed loads the row with the region unknown and
a warning; it never quarantines the row for that alone (130 of 3,267 real Tianjin firms were lost)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.model import NodeLabel
from graph.store import GraphStore
from ingest.errors import ValueRejected, ValueUnplaced
from ingest.normalize import parse_region
from ingest.pipeline import ingest_specs
from tests.conftest import SHARED_DATA

ROW_15 = "天津市亚邦电气有限公司"
REGISTRY = SHARED_DATA / "real-tianjin-registry-2002" / "tianjin_registry_2002.csv"

SPEC = f"""
[source]
name = "tianjin_registry_2002"
file = "{REGISTRY}"

[row]
label = "Enterprise"
key = "resolve"

[columns.name]
headers = ["企业名称"]
type = "org_name"
required = true

[columns.creditCode]
headers = ["统一社会信用代码"]
type = "credit_code"

[columns.regionCode]
headers = ["注册地址"]
type = "region"
"""


def test_codes_of_every_level_are_read_through_the_hierarchy() -> None:
    assert parse_region("12") == "120000" and parse_region("1201") == "120100"
    assert parse_region("120110001") == "120110" and parse_region("120110001000") == "120110"


def test_zone_addresses_are_placed_by_their_district_or_left_unknown() -> None:
    # Real addresses from tianjin_registry_2002.csv (rows 17, 246, 122): a district name + a zone.
    assert parse_region("西青经济开发区南河工业园") == "120111"
    assert parse_region("北辰科技园区华实道79号") == "120113"
    assert parse_region("武清开发区京津公路东侧") == "120114"
    # 华苑产业区 spans 南开 and 西青: no district name in it, so the region stays unknown.
    with pytest.raises(ValueUnplaced):
        parse_region("华苑产业区竹苑路6号D座304-2室")
    # A street named like a district elsewhere is not that district (解放路 ≠ 焦作 解放区).
    with pytest.raises(ValueRejected):
        parse_region("解放路1号")


@pytest.mark.slow
def test_real_registry_loses_no_firm_for_an_unplaceable_address(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    spec = tmp_path / "registry.toml"
    spec.write_text(SPEC, encoding="utf-8")

    report = ingest_specs(embedded_store, [spec], data_dir=tmp_path)

    f = report.files[0]
    assert f.rows_read == 3267
    assert f.rows_read == f.loaded + f.merged + f.quarantined
    assert not [q for q in report.quarantine if "place address" in q.reason]
    unplaced = [w for w in report.row_warnings if w.column == "注册地址"]
    assert len(unplaced) >= 59  # the 华苑产业区 addresses alone
    first = next(w for w in unplaced if w.row == 15)  # 华苑产业区竹苑路6号D座304-2室
    assert first.file == REGISTRY.name and "region unknown" in first.reason
    assert f.warned == len({w.row for w in unplaced})
    # The firm is in the graph, without a region.
    firm = next(n for n in embedded_store.nodes(NodeLabel.ENTERPRISE) if n.name == ROW_15)
    assert "regionCode" not in firm.props
    # The report on disk carries the warnings (file, row, column, reason).
    assert report.output_dir is not None
    saved = (report.output_dir / "warnings.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(saved) == len(report.row_warnings)
    assert {"file", "row", "column", "reason"} <= json.loads(saved[0]).keys()
