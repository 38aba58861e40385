"""The monitor over time: a 2010 and a 2011 tech-SME list, loaded as a bureau receives them
(XLSX, title row, money in 万元, a spec with an ``[edition]``), checked against hand-computed
values on both stores."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from analytics import service
from analytics.plan import load_plan
from analytics.projection import analysis_projection
from analytics.timeline import MonitorSeries, monitor_as_of, monitor_series, project, read_dated
from api.app import create_app
from api.security import KeyStore
from demo.codes import fictitious_credit_code
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.store import GraphStore
from ingest.errors import SpecError
from ingest.pipeline import ingest_specs
from ingest.spec import load_spec

CODES = {k: fictitious_credit_code(900 + i) for i, k in enumerate("ABCDE")}
NAMES = {k: f"天津{k}测试科技有限公司" for k in "ABCDE"}
HEADER = [
    "序号",
    "单位名称",
    "社会信用代码",
    "所在园区",
    "所属战略性新兴产业",
    "营业收入（万元）",
    "从业人员",
    "研发投入（万元）",
]
#: firm: (park, strategic industry, revenue in 万元, employees, R&D in 万元) per list year
LIST_2010 = {
    "A": ("华明工业园", "航空航天", 12000, 150, 600),
    "B": ("", "半导体照明", 800, 30, 40),
    "C": ("华明工业园", "", 300, 12, 20),
    "D": ("华明工业园", "生物医药", 35000, 400, 1500),
}
LIST_2011 = {  # B left the list; E is new
    "A": ("华明工业园", "航空航天", 15000, 170, 800),
    "C": ("华明工业园", "", 600, 15, 25),
    "D": ("华明工业园", "生物医药", 120000, 900, 5000),
    "E": ("华明工业园", "航空航天", 11000, 120, 700),
}
SPEC = """
[source]
name = "tech_sme_list_{year}"
file = "tech_sme_list_{year}.xlsx"
header_row = 2

[row]
label = "Enterprise"
key = "resolve"

[columns.name]
headers = ["单位名称"]
type = "org_name"
required = true

[columns.creditCode]
headers = ["社会信用代码"]
type = "credit_code"
required = true

[columns.revenue]
headers = ["营业收入（万元）"]
type = "money"
unit = "万元"
property = false

[columns.employees]
headers = ["从业人员"]
type = "int"
property = false

[columns.rdSpend]
headers = ["研发投入（万元）"]
type = "money"
unit = "万元"
property = false

[columns.park]
headers = ["所在园区"]
property = false

[columns.strategic]
headers = ["所属战略性新兴产业"]
property = false
map = {{ "航空航天" = "DONGLI:AERO", "半导体照明" = "DONGLI:LED", "生物医药" = "DONGLI:BIO" }}

[edition]
list = "techSme"
year = {year}
figures = {{ revenue = "revenue", employees = "employees", rdSpend = "rdSpend" }}

[[links]]
column = "park"
target = "node"
label = "Park"
rel = "LOCATED_IN"

[[links]]
column = "strategic"
target = "node"
label = "Industry"
rel = "IN_INDUSTRY"
create = false
"""


def _write_year(folder: Path, year: int, rows: dict[str, tuple[str, str, int, int, int]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([f"{year}年东丽区科技型中小企业名单"])
    sheet.append(HEADER)
    for i, (firm, (park, industry, revenue, employees, rd)) in enumerate(rows.items(), start=1):
        sheet.append([i, NAMES[firm], CODES[firm], park, industry, revenue, employees, rd])
    book.save(folder / f"tech_sme_list_{year}.xlsx")
    spec = folder / f"tech_sme_list_{year}.toml"
    spec.write_text(SPEC.format(year=year), encoding="utf-8")
    return spec


def _industries(store: GraphStore) -> None:
    """The plan's strategic industries under an SEI parent, as reference data loads them."""
    cs = ChangeSet()
    cs.add_node(
        L.INDUSTRY, {"id": "industry:SEI-2", "code": "2", "scheme": "SEI", "name": "高端装备制造产业"}
    )
    for code in ("AERO", "LED", "BIO"):
        node = f"industry:DONGLI:{code}"
        cs.add_node(L.INDUSTRY, {"id": node, "code": f"DONGLI:{code}", "scheme": "DONGLI", "name": code})
        cs.add_relationship(R.SUBCLASS_OF, (L.INDUSTRY, node), (L.INDUSTRY, "industry:SEI-2"))
    store.apply(cs)


WAN = 1e4
#: Hand-computed from LIST_2010 / LIST_2011 (five firms in the graph after both loads; E only from 2011).
EXPECTED = {
    "tech_smes": (4, 4),
    "tech_sme_share": (4 / 4, 4 / 5),  # E, first named by the 2011 list, did not exist in 2010
    "tech_sme_revenue": ((12000 + 800 + 300 + 35000) * WAN, (15000 + 600 + 120000 + 11000) * WAN),
    "little_giants": (2, 3),  # ≥ 1亿元: A, D | A, D, E
    "firms_over_300m": (1, 1),  # D | D
    "firms_over_1bn": (0, 1),  # — | D (12亿元)
    "strategic_firms": (3, 3),  # A, B, D | A, D, E
    "strategic_share": (3 / 4, 3 / 4),
    "park_share": (3 / 4, 4 / 4),  # A, C, D of 4 | all of 4
}


@pytest.fixture
def two_years(store: GraphStore, tmp_path: Path) -> GraphStore:
    _industries(store)
    for year, rows in ((2010, LIST_2010), (2011, LIST_2011)):
        report = ingest_specs(store, [_write_year(tmp_path, year, rows)], save=False)
        assert report.files[0].quarantined == 0, report.quarantine
    return store


def _series(store: GraphStore) -> MonitorSeries:
    return monitor_series(store, analysis_projection(store), load_plan())


def test_each_indicator_by_hand_for_two_years(two_years: GraphStore) -> None:
    series = _series(two_years)
    assert series.years == [2010, 2011]
    got = {i.id: i for i in series.indicators}
    for indicator, (v2010, v2011) in EXPECTED.items():
        points = [(p.year, p.value) for p in got[indicator].points]
        assert points == [(2010, pytest.approx(v2010)), (2011, pytest.approx(v2011))], indicator
        assert got[indicator].dated
    # No yearly incubator list and no dates for consortia: the latest year only, marked undated.
    for undated in ("incubators", "consortia", "productivity_centres"):
        assert not got[undated].dated and [(p.year, p.value) for p in got[undated].points] == [(2011, 0)]
        assert got[undated].projected is None


def test_one_pass_read_agrees_with_the_stores_as_of_reads(two_years: GraphStore) -> None:
    dated = read_dated(two_years)
    for year in (2009, 2010, 2011, 2012):
        assert dated.members("techSme", year) == [
            (m.id, m.level) for m in two_years.list_members("techSme", year)
        ]
        assert dated.figures(year) == {f.id: (f.year, f.figures) for f in two_years.annual_figures(year)}


def test_projection_is_the_stated_log_linear_trend(two_years: GraphStore) -> None:
    revenue = next(i for i in _series(two_years).indicators if i.id == "tech_sme_revenue")
    first, last = EXPECTED["tech_sme_revenue"]
    growth = last / first - 1
    assert revenue.annual_growth == pytest.approx(growth, rel=1e-6)
    assert revenue.projected == pytest.approx(last * (1 + growth) ** 4, rel=1e-6)
    assert revenue.on_track is False  # 1.466e9 × 3.048⁴ ≈ 126.5 bn < 150 bn
    smes = next(i for i in _series(two_years).indicators if i.id == "tech_smes")
    assert smes.projected == pytest.approx(4) and smes.on_track is False


def test_loading_2011_moves_the_monitor(store: GraphStore, tmp_path: Path) -> None:
    _industries(store)
    ingest_specs(store, [_write_year(tmp_path, 2010, LIST_2010)], save=False)
    before = service.monitor(store)
    ingest_specs(store, [_write_year(tmp_path, 2011, LIST_2011)], save=False)
    after = service.monitor(store)
    value = {r.year: {i.id: i.current for i in r.indicators} for r in (before, after)}
    assert before.year == 2010 and after.year == 2011
    assert value[2010]["little_giants"] == 2 and value[2011]["little_giants"] == 3
    assert value[2010]["firms_over_1bn"] == 0 and value[2011]["firms_over_1bn"] == 1
    # B left the 2011 list; its 2010 membership is still there.
    assert [m.id for m in store.list_members("techSme", 2010)] == sorted(f"ent:{CODES[k]}" for k in "ABCD")
    assert f"ent:{CODES['B']}" not in {m.id for m in store.list_members("techSme", 2011)}
    as_2010 = monitor_as_of(store, analysis_projection(store), load_plan(), 2010)
    assert {i.id: i.current for i in as_2010.indicators}["tech_sme_revenue"] == pytest.approx(
        EXPECTED["tech_sme_revenue"][0]
    )


def test_reloading_a_year_changes_nothing(two_years: GraphStore, tmp_path: Path) -> None:
    before = _series(two_years)
    version = two_years.version()
    ingest_specs(two_years, [tmp_path / "tech_sme_list_2011.toml"], save=False)  # the same file again
    assert two_years.version() == version
    assert _series(two_years) == before


def test_a_bad_edition_is_a_clear_spec_error(tmp_path: Path) -> None:
    spec = _write_year(tmp_path, 2010, LIST_2010)
    spec.write_text(spec.read_text(encoding="utf-8").replace('list = "techSme"', 'list = "techSMe"'))
    with pytest.raises(SpecError, match="unknown list 'techSMe'"):
        load_spec(spec)
    spec.write_text(spec.read_text(encoding="utf-8").replace('list = "techSMe"\nyear = 2010\n', ""))
    with pytest.raises(SpecError, match="exactly one of year"):
        load_spec(spec)


def test_projection_needs_two_years() -> None:
    from analytics.timeline import YearValue

    assert project([YearValue(2010, 5.0)], 2015, "count") == (None, None)
    projected, growth = project([YearValue(2010, 100.0), YearValue(2012, 121.0)], 2015, "count")
    assert growth == pytest.approx(0.1) and projected == pytest.approx(100 * 1.1**5)
    assert math.isclose(project([YearValue(2010, 0.2), YearValue(2011, 0.3)], 2015, "share")[0] or 0, 0.7)


def test_api_series_and_monitor_as_of_a_year(two_years: GraphStore, tmp_path: Path) -> None:
    client = TestClient(create_app(store=two_years, keys=KeyStore(tmp_path / "keys.json"), public_read=True))
    body = client.get("/api/v1/monitor/series").json()
    assert body["years"] == [2010, 2011] and "ln(value)" in body["method"]
    giants = next(i for i in body["indicators"] if i["id"] == "little_giants")
    assert giants["points"] == [{"year": 2010, "value": 2}, {"year": 2011, "value": 3}]
    assert giants["projected"] == pytest.approx(2 * 1.5**5) and giants["onTrack"] is False
    as_2010 = client.get("/api/v1/monitor", params={"year": 2010}).json()
    latest = client.get("/api/v1/monitor").json()
    assert (as_2010["year"], latest["year"]) == (2010, 2011)
    current = {r["year"]: {i["id"]: i["current"] for i in r["indicators"]} for r in (as_2010, latest)}
    assert current[2010]["firms_over_1bn"] == 0 and current[2011]["firms_over_1bn"] == 1
    missing = client.get("/api/v1/monitor", params={"year": 2009})
    assert missing.status_code == 404 and "list years: 2010, 2011" in missing.json()["detail"]


def test_report_section_lists_every_year_and_the_projection(two_years: GraphStore) -> None:
    from analytics.charts import png_bytes
    from analytics.report_series import series_figure, series_section

    series = _series(two_years)
    page = series_section(series)
    assert "<th>2010</th><th>2011</th>" in page and "2015年趋势推算" in page
    little_giants = next(r for r in page.split("<tr>") if "科技小巨人企业" in r)
    assert "<td>2</td><td>3</td>" in little_giants and "按趋势落后" in little_giants
    assert png_bytes(series_figure(series)).startswith(b"\x89PNG")
