"""The generator: deterministic, calibrated, and its ground truth points at the right cells."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from demo import GenerationResult, generate
from demo.world import DISTRICT_SMES, MAX_SCALE, build_world
from ingest.normalize import parse_credit_code

BASELINE = {  # DIGEST.md, end of 2010
    "techSmes": 520,
    "littleGiants": 48,
    "strategicFirms": 211,
    "validPatents": 995,
    "inventionPatents": 103,
    "consortia": 67,
    "productivityCenters": 1,
    "incubators": 2,
    "nationalBases": 2,
    "fundedProjects": 560,
    "techTransfers": 200,
    "projectApplications": 1100,
    "enterprises": 4190,  # the district's SMEs: 520 tech SMEs are 12.4% of them
}
BANDS = {">10亿": 3, "3亿-10亿": 14, "1亿-3亿": 31, "500万-1亿": 270, "<500万": 202}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> GenerationResult:
    return generate(tmp_path_factory.mktemp("demo") / "x1", scale=1, seed=11)


def test_same_seed_gives_identical_files(demo: GenerationResult, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", scale=1, seed=11)
    assert again.files == demo.files
    other = generate(tmp_path / "other", scale=1, seed=12)
    assert other.files["raw/patents_export.csv"] != demo.files["raw/patents_export.csv"]
    assert other.expected["techSmes"] == 520  # calibration does not depend on the seed


def test_calibration_matches_the_dongli_baseline(demo: GenerationResult) -> None:
    expected = json.loads((demo.out / "truth" / "expected.json").read_text(encoding="utf-8"))
    assert {k: expected[k] for k in BASELINE} == BASELINE
    assert expected["revenueBands"] == BANDS
    assert 0.45 < expected["parkShare"] < 0.65


def test_registry_lists_all_district_smes_and_only_520_are_tech_smes(demo: GenerationResult) -> None:
    lines = (demo.out / "truth" / "entities.jsonl").read_text(encoding="utf-8").splitlines()
    firms = [e for e in map(json.loads, lines) if e["label"] == "Enterprise"]
    ordinary = [f for f in firms if not f["techSme"]]
    assert len(firms) == demo.expected["enterprises"] == 4190
    assert round(demo.expected["techSmes"] / len(firms), 3) == 0.124
    assert len({f["name"] for f in firms}) == len({f["creditCode"] for f in firms}) == len(firms)
    assert all(parse_credit_code(f["creditCode"]) == f["creditCode"] for f in firms)
    assert all(f["creditCode"][8:12] == "FAKE" for f in firms)
    # Ordinary SMEs: no revenue band, not counted as strategic, in no park, member of no alliance.
    assert not any("band" in f or f["strategic"] or f["park"] or f["alliances"] for f in ordinary)
    assert {f["street"][:6] for f in firms} == {"120110"}
    assert any(f["street"][6] == "4" for f in ordinary)  # some registered in the function zones
    assert demo.expected["files"]["raw/enterprise_registry.csv"]["rows"] > len(firms)  # + bad rows


def test_scale_beyond_the_fictitious_code_space_is_refused() -> None:
    # ×MAX_SCALE must fit below the writers' rejected-row codes (serial 900,000 and up).
    assert (DISTRICT_SMES + 3) * MAX_SCALE < 900_000
    with pytest.raises(ValueError, match=f"from 1 to {MAX_SCALE}"):
        build_world(MAX_SCALE + 1, 11)


def test_scale_multiplies_the_calibration(tmp_path: Path) -> None:
    expected = generate(tmp_path / "x2", scale=2, seed=11).expected
    assert {k: expected[k] for k in BASELINE if k != "nationalBases"} == {
        k: 2 * v for k, v in BASELINE.items() if k != "nationalBases"
    }
    assert expected["revenueBands"] == {k: 2 * v for k, v in BANDS.items()}


def _table(out: Path, file: str, encoding: str) -> tuple[list[str], dict[int, list[Any]]]:
    """Header and rows keyed by the row number docs/INGESTION.md defines."""
    path = out / file
    if file.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding))))
        return rows[0], {i + 1: r for i, r in enumerate(rows) if i > 0}
    if file.endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True).active
        assert sheet is not None, file
        values: list[list[Any]] = [list(r) for r in sheet.iter_rows(values_only=True)]
        header_at = 1 if len([v for v in values[0] if v is not None]) == 1 else 0  # a title row above
        return values[header_at], {i + 1: r for i, r in enumerate(values) if i > header_at}
    if file.endswith(".jsonl"):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    else:
        records = json.loads(path.read_text(encoding="utf-8"))["data"]["items"]
    header = list(records[0])
    return header, {i + 1: [r.get(h) for h in header] for i, r in enumerate(records)}


def test_every_mention_is_the_text_in_that_cell(demo: GenerationResult) -> None:
    expected = demo.expected["files"]
    tables = {f: _table(demo.out, f, info["encoding"]) for f, info in expected.items()}
    mentions = [json.loads(line) for line in (demo.out / "truth" / "mentions.jsonl").open(encoding="utf-8")]
    assert len(mentions) > 5000
    for m in mentions:
        header, rows = tables[m["file"]]
        cell = str(rows[m["row"]][header.index(m["column"])])
        parts = [p.strip() for p in cell.replace("；", ";").replace("、", ";").split(";")]
        assert parts[m["order"] - 1] == m["text"], m


def test_bad_rows_are_where_the_truth_says(demo: GenerationResult) -> None:
    bad = [json.loads(line) for line in (demo.out / "truth" / "bad_rows.jsonl").open(encoding="utf-8")]
    kinds = {b["problem"] for b in bad}
    assert kinds == {
        "bad credit code",
        "missing name",
        "bad IPC",
        "missing applicant",
        "duplicate row",
        "conflicting value",
    }
    for b in bad:
        info = demo.expected["files"][b["file"]]
        header, rows = _table(demo.out, b["file"], info["encoding"])
        row = rows[b["row"]]
        if b["problem"] == "duplicate row":
            assert row == rows[b["row"] - 1]
        elif b["problem"].startswith("missing"):
            assert row[header.index(b["column"])] in (None, "")
    files = demo.expected["files"]
    assert sum(f["quarantined"] for f in files.values()) == sum(
        1 for b in bad if b["problem"] != "duplicate row"
    )


def test_raw_files_look_like_real_exports(demo: GenerationResult) -> None:
    raw = demo.out / "raw"
    assert (raw / "patents_export.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    registry = (raw / "enterprise_registry.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        registry.decode("utf-8")
    assert registry.decode("gbk").startswith("统一社会信用代码,企业名称")
    patents = (raw / "patents_export.csv").read_text(encoding="utf-8-sig")
    assert "H01L 33/" in patents or "F21V 29/" in patents  # IPC written with a space
    assert "0000;" in patents or "0000," in patents or "000\n" in patents  # and in the 14-character form
    entities = [json.loads(line) for line in (demo.out / "truth" / "entities.jsonl").open(encoding="utf-8")]
    tju = next(e for e in entities if e["id"] == "uni:4112010056")
    assert {"天大", "Tianjin University"} & set(tju["aliases"])  # name variants were used
    firms = [e for e in entities if e["label"] == "Enterprise"]
    assert all(e["creditCode"][8:12] == "FAKE" for e in firms)
    persons = [e["name"] for e in entities if e["label"] == "Person"]
    assert len(persons) - len(set(persons)) > 10  # Chinese names collide


def test_partnerships_follow_fit_alliances_and_geography(demo: GenerationResult) -> None:
    pairs = [json.loads(line) for line in (demo.out / "truth" / "partnerships.jsonl").open(encoding="utf-8")]
    assert len(pairs) > 100
    assert sum(p["sharedAlliance"] for p in pairs) / len(pairs) > 0.3
    late = [p for p in pairs if p["since"] >= 2013]
    assert late and sum(p["sharedAlliance"] for p in late) / len(late) > 0.3
