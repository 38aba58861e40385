"""Spec loading is strict: a typo is an error naming the spec and the key, never a dropped column."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.model import NodeLabel, RelType
from ingest.errors import SpecError
from ingest.spec import load_spec
from tests.ingest.conftest import ENTERPRISE_COLUMNS, PATENT_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


def _spec(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text('[source]\nname = "x"\nfile = "x.csv"\n' + body, encoding="utf-8")
    return path


def test_patent_spec_is_understood(tmp_path: Path) -> None:
    spec = load_spec(_spec(tmp_path, PATENT_COLUMNS))
    assert spec.label is NodeLabel.PATENT and spec.key == "number"
    assert spec.columns["applicants"].multi == (";", "；") and spec.columns["applicants"].property is None
    assert spec.columns["ipcCodes"].property == "ipcCodes"
    assert [(link.target, link.rel, link.direction) for link in spec.links] == [
        ("organization", RelType.APPLIED_FOR, "in"),
        ("person", RelType.INVENTED, "in"),
        ("ipc", RelType.CLASSIFIED_AS, "out"),
    ]
    assert spec.file == (tmp_path / "x.csv").resolve()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            ENTERPRISE_COLUMNS.replace('type = "date"', 'type = "datum"'),
            "s.toml: [columns.founded] (header 成立日期): unknown type 'datum'",
        ),
        (
            ENTERPRISE_COLUMNS + '\n[columns.boss]\nheaders = ["法人"]\n',
            "s.toml: [columns.boss] (header 法人): not a property of Enterprise and not used by the key "
            "or a link",
        ),
        (
            ENTERPRISE_COLUMNS.replace('label = "Enterprise"', 'label = "Company"'),
            "s.toml: [row]: unknown label 'Company'",
        ),
        (
            ENTERPRISE_COLUMNS.replace("required = true", "requird = true"),
            "s.toml: [columns.name] (header 企业名称 / 单位名称 / Company Name): unknown key(s) requird",
        ),
        (
            PATENT_COLUMNS.replace('rel = "APPLIED_FOR"\ndirection = "in"', 'rel = "APPLIED_FOR"'),
            "s.toml: [[links]] #1 (column applicants): APPLIED_FOR cannot connect Patent to",
        ),
        (
            ENTERPRISE_COLUMNS.replace('unit = "万元"', 'unit = "美元"'),
            "s.toml: [columns.revenue] (header 营业收入(万元) / 营业收入 / Revenue): unit applies to type "
            "money and must be one of",
        ),
        (
            PATENT_COLUMNS.replace(
                '[columns.ipcCodes]\nheaders = ["IPC分类号"]\ntype = "ipc"\nmulti = [";", "；"]',
                '[columns.ipcCodes]\nheaders = ["IPC分类号"]\ntype = "ipc"',
            ),
            "s.toml: [columns.ipcCodes] (header IPC分类号): property 'ipcCodes' is str[]; "
            "set multi exactly when it is a list",
        ),
    ],
)
def test_spec_mistakes_are_named(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(_spec(tmp_path, body))
    assert str(caught.value).startswith(message)


def test_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[source\n")
    with pytest.raises(SpecError, match=r"^bad\.toml: not valid TOML"):
        load_spec(path)


def test_shipped_lens_spec_loads() -> None:
    spec = load_spec(ROOT / "specs" / "lens_drones.toml")
    assert spec.file.name == "drones_fulltext_families_5884.csv.gz"
    assert spec.file.exists()
