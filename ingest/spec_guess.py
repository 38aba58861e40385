"""``innograph spec guess``: a draft spec from a file's headers, by Chinese and English synonyms.

The guess picks the row's label from which fields its headers name (a patent number → Patent, a
school name → University, otherwise a firm → Enterprise), maps each field to at most one header
(the first synonym present wins, so the spec never names two headers for one column), guesses
the separator of multi-valued cells from the data, and lists every header it did not map as
unused, so a person sees what the spec leaves behind. The draft is checked by the same loader
and binder an ingest uses before it is returned.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from graph.model import NodeLabel
from ingest import normalize as nz
from ingest.readers import Table, detect_format, read_table
from ingest.spec import header_key, parse_spec
from ingest.transform import bind_columns


@dataclass(frozen=True)
class Field:
    name: str
    synonyms: tuple[str, ...]
    type: str = "str"
    multi: bool = False
    link: str | None = None  # "organization" / "person" / "ipc": a [[links]] entry
    property: bool = True  # False: read for a link only


_PATENT: Final[tuple[Field, ...]] = (
    Field(
        "number",
        ("公开(公告)号", "公开公告号", "公开号", "公告号", "Publication Number", "Publication No"),
        "id",
    ),
    Field("applicationNumber", ("申请号", "Application Number", "Application No"), "id"),
    Field("title", ("标题(译)(简体中文)", "标题(中文)", "发明名称", "专利名称", "标题", "Title")),
    # Only a key when the file has no patent number (e.g. a research data set's record id).
    Field("recordId", ("uuid", "id", "记录号", "序号", "Record ID"), "id", property=False),
    Field("abstract", ("摘要(译)(简体中文)", "摘要(中文)", "摘要", "Abstract"), "text"),
    Field("applicationDate", ("申请日", "申请日期", "Application Date"), "date"),
    Field(
        "applicationYear",
        ("申请日", "申请日期", "申请年", "Application Date", "Application Year", "app_year"),
        "year",
    ),
    Field("publicationDate", ("公开(公告)日", "公开日", "公告日", "Publication Date"), "date"),
    Field("grantDate", ("授权日", "授权公告日", "Grant Date"), "date"),
    Field("kind", ("专利类型", "Type", "Kind")),
    Field("status", ("法律状态", "当前法律状态", "法律状态/事件", "简单法律状态", "Legal Status")),
    Field("jurisdiction", ("受理局", "国家/地区", "Jurisdiction", "Country")),
    Field(
        "citedCount", ("被引用次数", "被引用专利数量", "被引证次数", "Cited Count", "Cited By Count"), "int"
    ),
    Field(
        "applicants",
        (
            "[标]当前申请(专利权)人",
            "当前申请(专利权)人",
            "申请(专利权)人",
            "申请人",
            "专利权人",
            "[标]原始申请(专利权)人",
            "Applicants",
            "Applicant",
            "Assignees",
            "Assignee",
            "Owners",
        ),
        "org_name",
        multi=True,
        link="organization",
        property=False,
    ),
    Field(
        "inventors",
        ("发明(设计)人", "发明人", "设计人", "Inventors", "Inventor"),
        "person_name",
        multi=True,
        link="person",
        property=False,
    ),
    Field(
        "ipcCodes",
        ("IPC分类号", "IPC", "IPCR Classifications", "IPC Classifications", "分类号", "ipc_subclass"),
        "ipc",
        multi=True,
        link="ipc",
    ),
)

_ENTERPRISE: Final[tuple[Field, ...]] = (
    Field(
        "name",
        ("企业名称", "公司名称", "单位名称", "名称", "Company Name", "Enterprise Name", "Name"),
        "org_name",
    ),
    Field(
        "creditCode",
        ("统一社会信用代码", "社会信用代码", "信用代码", "Unified Social Credit Code", "Credit Code"),
        "credit_code",
    ),
    Field("founded", ("成立日期", "注册日期", "成立时间", "Founded", "Established"), "date"),
    Field("legalForm", ("企业类型", "公司类型", "企业性质", "Company Type", "Legal Form")),
    Field("address", ("注册地址", "住所", "地址", "通讯地址", "Address")),
    Field("description", ("经营范围", "企业简介", "简介", "Business Scope", "Description"), "text"),
    Field("industryCode", ("国民经济行业代码", "行业代码", "Industry Code"), "id"),
    Field("revenue", ("营业收入", "营业收入(万元)", "营业收入(元)", "Revenue"), "money"),
    Field("rdSpend", ("研发投入", "研发费用", "研发投入(万元)", "R&D Spend"), "money"),
    Field("employees", ("从业人员", "职工人数", "员工人数", "从业人数", "Employees"), "int"),
    Field("highTech", ("是否高新技术企业", "高新技术企业", "High Tech"), "bool"),
    Field("techSme", ("是否科技型中小企业", "科技型中小企业", "Tech SME"), "bool"),
    Field("regionCode", ("行政区划代码", "区划代码", "Region Code"), "region"),
    Field("nameEn", ("英文名称", "English Name"), "str"),
)

_UNIVERSITY: Final[tuple[Field, ...]] = (
    Field("name", ("学校名称", "高校名称", "院校名称", "name", "University"), "org_name"),
    Field("moeCode", ("学校标识码", "学校代码", "moe_code", "code"), "id"),
    Field("department", ("主管部门", "department")),
    Field("city", ("所在地", "所在城市", "location", "city")),
    Field("schoolLevel", ("办学层次", "level")),
    Field("nameEn", ("英文名称", "English Name", "name_en")),
)

#: Separators of multi-valued cells, most specific first (" | " before "|", ";;" before ";").
_SEPARATORS: Final = (" | ", ";;", "；", ";", "|", "、", ",")


@dataclass
class Guess:
    label: NodeLabel
    key: str
    mapped: dict[str, tuple[Field, str]] = field(default_factory=dict)  # field -> (field, header)
    separators: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)
    toml: str = ""


def _match(fields: Sequence[Field], headers: Sequence[str]) -> dict[str, tuple[Field, str]]:
    by_key = {header_key(h): h for h in headers if h}
    mapped: dict[str, tuple[Field, str]] = {}
    for f in fields:
        for synonym in f.synonyms:
            header = by_key.get(header_key(synonym))
            if header is not None:
                mapped[f.name] = (f, header)
                break
    # One header, one column — except a date also read as its year.
    taken: dict[str, str] = {}
    for name, (f, header) in list(mapped.items()):
        if header in taken and not (f.type == "year" and mapped[taken[header]][0].type == "date"):
            del mapped[name]
        else:
            taken.setdefault(header, name)
    return mapped


def _separator(table: Table, header: str) -> str:
    index = table.headers.index(header)
    counts = dict.fromkeys(_SEPARATORS, 0)
    for row in table.rows[:500]:
        cell = row.cells[index] if index < len(row.cells) else None
        if nz.is_empty(cell):
            continue
        for sep in _SEPARATORS:
            if sep in str(cell):
                counts[sep] += 1
                break
    best = max(_SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ";"


def guess_spec(data_file: Path, spec_path: Path | None = None) -> Guess:
    """The draft spec for ``data_file`` (written beside ``spec_path`` when given), checked."""
    table = read_table(data_file, file_format=detect_format(data_file))
    headers = table.headers
    candidates = {
        NodeLabel.PATENT: _match(_PATENT, headers),
        NodeLabel.UNIVERSITY: _match(_UNIVERSITY, headers),
        NodeLabel.ENTERPRISE: _match(_ENTERPRISE, headers),
    }
    patent = candidates[NodeLabel.PATENT]
    if {"number", "applicationNumber"} & set(patent) or {"title", "applicants", "recordId"} <= set(patent):
        label = NodeLabel.PATENT
    elif any(h in {"学校名称", "高校名称", "院校名称", "学校标识码", "moe_code"} for h in headers):
        label = NodeLabel.UNIVERSITY
    else:
        label = NodeLabel.ENTERPRISE
    mapped = candidates[label]
    key: str
    if label is NodeLabel.PATENT:
        key = next(k for k in ("number", "applicationNumber", "recordId") if k in mapped)
        if key != "recordId":
            mapped.pop("recordId", None)  # a patent number is the key; a record id is not read
    elif label is NodeLabel.UNIVERSITY and "moeCode" in mapped:
        key = "moeCode"
    else:
        key = "resolve"
    if key == "resolve" and "name" not in mapped:
        raise _no_guess(data_file, headers)
    guess = Guess(label, key, mapped)
    used_headers = {header for _, header in mapped.values()}
    guess.unused = [h for h in headers if h and h not in used_headers]
    for name, (f, header) in mapped.items():
        if f.multi:
            guess.separators[name] = _separator(table, header)
    guess.toml = _render(guess, data_file, spec_path)
    # The draft must load and bind like any spec, or it is no draft.
    import tomllib

    where = spec_path or data_file.with_suffix(".toml")
    spec = parse_spec(tomllib.loads(guess.toml), where)
    bind_columns(spec, table)
    return guess


def _no_guess(path: Path, headers: Sequence[str]) -> Exception:
    from ingest.errors import IngestError

    return IngestError(
        f"{path.name}: no header names a patent number or an organisation name, so no row label can "
        f"be guessed; headers: {', '.join(h for h in headers if h)}. Write the spec by hand "
        "(docs/INGESTION.md)",
        file=path.name,
    )


def _q(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _render(guess: Guess, data_file: Path, spec_path: Path | None) -> str:
    base = (spec_path or data_file).resolve().parent
    relative = os.path.relpath(data_file.resolve(), base)
    name = re.sub(r"[^0-9a-zA-Z_]+", "_", data_file.name.split(".")[0]).strip("_").lower() or "source"
    lines: list[str] = [
        f"# Draft spec guessed by `innograph spec guess` from the headers of {data_file.name}.",
        "# Check every mapping (docs/INGESTION.md), then `innograph ingest THIS.toml --dry-run`.",
        "",
        "[source]",
        f"name = {_q(name)}",
        f"file = {_q(relative)}",
        "",
        "[row]",
        f"label = {_q(guess.label.value)}",
        f"key = {_q(guess.key)}",
    ]
    links: list[str] = []
    for field_name, (f, header) in guess.mapped.items():
        lines += ["", f"[columns.{field_name}]", f"headers = [{_q(header)}]"]
        if f.type != "str":
            lines.append(f"type = {_q(f.type)}")
        if field_name == guess.key or (guess.key == "resolve" and field_name == "name"):
            lines.append("required = true")
        if f.multi:
            lines.append(f"multi = [{_q(guess.separators[field_name])}]")
        if f.link is not None:
            links += ["", "[[links]]", f"column = {_q(field_name)}", f"target = {_q(f.link)}"]
            links += _link_lines(f.link, guess.mapped)
    lines += links
    lines += ["", "# Unused columns: not read by this spec. Map one to a property, or leave it."]
    lines += [f"#   {h}" for h in guess.unused] or ["#   (none)"]
    return "\n".join(lines) + "\n"


def _link_lines(target: str, mapped: dict[str, Any]) -> list[str]:
    if target == "organization":
        return ['label = "auto"', 'rel = "APPLIED_FOR"', 'direction = "in"', "order = true"]
    if target == "person":
        extra = ['affiliation = "applicants"'] if "applicants" in mapped else []
        return ['rel = "INVENTED"', 'direction = "in"', "order = true", *extra]
    return ['rel = "CLASSIFIED_AS"', "primary = true"]
