"""Helpers for the ingest tests: write a spec and its data file into a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.normalize import credit_code_check_char
from tests.conftest import use_embedded_cli

ENTERPRISE_COLUMNS = """
[row]
label = "Enterprise"
key = "resolve"

[columns.name]
headers = ["企业名称", "单位名称", "Company Name"]
type = "org_name"
required = true

[columns.creditCode]
headers = ["统一社会信用代码", "Credit Code"]
type = "credit_code"

[columns.revenue]
headers = ["营业收入(万元)", "营业收入", "Revenue"]
type = "money"
unit = "万元"

[columns.founded]
headers = ["成立日期"]
type = "date"

[columns.description]
headers = ["简介"]
type = "text"
max_length = 500
"""

PATENT_COLUMNS = """
[row]
label = "Patent"
key = "number"

[columns.number]
headers = ["公开号", "Publication Number"]
type = "id"
required = true

[columns.title]
headers = ["发明名称", "Title"]
required = true

[columns.applicationDate]
headers = ["申请日"]
type = "date"

[columns.applicants]
headers = ["申请人"]
type = "org_name"
multi = [";", "；"]
required = true

[columns.inventors]
headers = ["发明人"]
type = "person_name"
multi = [";", "；"]

[columns.ipcCodes]
headers = ["IPC分类号"]
type = "ipc"
multi = [";", "；"]

[[links]]
column = "applicants"
target = "organization"
rel = "APPLIED_FOR"
direction = "in"
order = true

[[links]]
column = "inventors"
target = "person"
rel = "INVENTED"
direction = "in"
affiliation = "applicants"

[[links]]
column = "ipcCodes"
target = "ipc"
rel = "CLASSIFIED_AS"
primary = true
"""


def credit_code(body: str) -> str:
    """A valid 统一社会信用代码 from its first 17 characters."""
    return body + credit_code_check_char(body)


SpecWriter = Callable[..., Path]


@pytest.fixture
def write_source(tmp_path: Path) -> SpecWriter:
    """``write_source(data, file_name, columns, source_name=..., extra_source="")`` → spec path.

    ``data`` is ``str`` (written as UTF-8 unless ``encoding`` is given) or ``bytes`` (as is).
    """

    def write(
        data: str | bytes,
        file_name: str,
        columns: str,
        *,
        source_name: str = "test_source",
        encoding: str = "utf-8",
        extra_source: str = "",
    ) -> Path:
        path = tmp_path / file_name
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        spec = tmp_path / (Path(file_name).name.split(".")[0] + ".toml")
        spec.write_text(
            f'[source]\nname = "{source_name}"\nfile = "{file_name}"\n{extra_source}\n{columns}',
            encoding="utf-8",
        )
        return spec

    return write


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI's environment for a test: an embedded store in a fresh data folder (returned)."""
    data_dir = tmp_path / "var"
    use_embedded_cli(monkeypatch, data_dir)
    return data_dir
