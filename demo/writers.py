"""Raw files as a district office receives them, and the mentions they contain.

Each writer turns part of the :class:`World` into one export, with that source's habits:
encoding (GBK, GB18030, UTF-8 with BOM), header wording, how names are spelled, a title row
above the header, and a few bad rows (bad credit code, missing name, bad IPC, duplicate row,
a conflicting value). Every organisation or person written into a cell is recorded as a
:class:`Mention` so the ground truth says which canonical entity it is.

Row numbers follow ``docs/INGESTION.md``: CSV/XLSX the spreadsheet row (header = 1), JSONL the
line number, JSON the 1-based index in the record list.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo import catalog as cat
from demo.codes import corrupt_credit_code, fictitious_credit_code
from demo.variants import firm_variant, org_variant
from demo.world import INDUSTRY_BY_KEY, Org, World

ROLE_NAMES = {
    "expert": "专家",
    "leader": "技术带头人",
    "mentor": "创业导师",
    "industry_leader": "行业领军人才",
    "inventor": "发明人",
}


@dataclass
class Mention:
    file: str
    row: int
    column: str
    order: int  # 1-based position in a multi-valued cell
    text: str
    entity: str
    label: str


@dataclass
class FileInfo:
    file: str
    source: str
    format: str
    encoding: str
    rows: int = 0  # data rows (records) in the file
    quarantined: int = 0  # rows that must be quarantined
    duplicates: int = 0  # exact repeats of an earlier row (merged)
    bad_rows: list[dict[str, Any]] = field(default_factory=list)

    def bad(self, row: int, problem: str, column: str) -> None:
        self.bad_rows.append({"file": self.file, "row": row, "column": column, "problem": problem})
        if problem == "duplicate row":
            self.duplicates += 1
        else:
            self.quarantined += 1


@dataclass
class Output:
    mentions: list[Mention] = field(default_factory=list)
    files: list[FileInfo] = field(default_factory=list)
    members: list[Any] = field(default_factory=list)  # demo.yearly.Member, 2010–2015 paths


class RawWriter:
    """Writes every raw file of one world into ``out/raw``."""

    def __init__(self, world: World, out: Path) -> None:
        self.w = world
        self.raw = out / "raw"
        self.raw.mkdir(parents=True, exist_ok=True)
        self.out = Output()
        self.extra_serial = 900_000  # fictitious codes for rows that exist only to be rejected

    def rng(self, part: str) -> random.Random:
        return random.Random(f"{self.w.seed}:raw:{part}")

    def bad_count(self, per_x1: int) -> int:
        return per_x1 * self.w.scale

    def mention(
        self, info: FileInfo, row: int, column: str, text: str, entity: str, label: str, order: int = 1
    ) -> None:
        self.out.mentions.append(Mention(info.file, row, column, order, text, entity, label))

    def write_all(self) -> Output:
        for writer in (
            self.parks,
            self.institutes,
            self.registry,
            self.tech_sme_list,
            self.yearly_tech_sme_lists,
            self.incubators,
            self.productivity_centers,
            self.incubator_tenants,
            self.patents,
            self.alliances,
            self.talent_roster,
            self.projects,
            self.transfers,
            self.demands,
            self.achievements,
        ):
            writer()
        return self.out

    # --- helpers ---------------------------------------------------------------------------

    def _csv(self, info: FileInfo, header: Sequence[str], rows: list[list[Any]]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        (self.raw / Path(info.file).name).write_bytes(buffer.getvalue().encode(info.encoding))
        info.rows = len(rows)
        self.out.files.append(info)

    def _xlsx(self, info: FileInfo, title: str | None, header: Sequence[str], rows: list[list[Any]]) -> None:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Sheet1")
        if title:
            sheet.append([title])
        sheet.append(list(header))
        for row in rows:
            sheet.append(row)
        path = self.raw / Path(info.file).name
        book.save(path)
        _normalise_zip_times(path)
        info.rows = len(rows)
        self.out.files.append(info)

    def _jsonl(self, info: FileInfo, records: list[dict[str, Any]]) -> None:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        (self.raw / Path(info.file).name).write_text(text, encoding="utf-8")
        info.rows = len(records)
        self.out.files.append(info)

    def _insert_duplicates(
        self, info: FileInfo, rows: list[list[Any]], n: int, first_row: int, rng: random.Random
    ) -> None:
        """Repeat ``n`` good rows right after themselves (what a double export looks like)."""
        bad = {b["row"] - first_row for b in info.bad_rows}
        candidates = [i for i in range(len(rows)) if i not in bad]
        positions = sorted(rng.sample(candidates, k=min(n, len(candidates))))
        for i in reversed(positions):
            rows.insert(i + 1, list(rows[i]))

        def shifted(row: int) -> int:
            return row + bisect.bisect_left(positions, row - first_row)

        mine = [m for m in self.out.mentions if m.file == info.file]
        for m in mine:
            m.row = shifted(m.row)
        for b in info.bad_rows:
            b["row"] = shifted(b["row"])
        by_row: dict[int, list[Mention]] = {}
        for m in mine:
            by_row.setdefault(m.row, []).append(m)
        for k, i in enumerate(positions):
            dup_row = first_row + i + k + 1
            info.bad(dup_row, "duplicate row", "")
            for m in by_row.get(dup_row - 1, []):
                self.out.mentions.append(
                    Mention(m.file, dup_row, m.column, m.order, m.text, m.entity, m.label)
                )

    # --- reference-like lists ----------------------------------------------------------------

    def parks(self) -> None:
        info = FileInfo("raw/parks.csv", "demo_parks", "csv", "utf-8")
        names = {i.key: i.name for i in cat.INDUSTRIES}
        rows = [
            [p.name, p.kind, p.level, p.street, "、".join(names[k] for k in p.industries)]
            for p in self.w.parks
        ]
        self._csv(info, ["园区名称", "园区类型", "级别", "街道代码", "主导产业"], rows)

    def institutes(self) -> None:
        info = FileInfo("raw/research_institutes.csv", "demo_research_institutes", "csv", "utf-8")
        rows = []
        for i, org in enumerate(self.w.by_label("ResearchInstitute")):
            rows.append(
                [
                    org.id.split(":", 1)[1],
                    org.name,
                    org.name_en,
                    "、".join(org.short),
                    org.parent,
                    org.district,
                ]
            )
            self.mention(info, i + 2, "机构名称", org.name, org.id, org.label)
        self._csv(info, ["院所编号", "机构名称", "英文名称", "简称", "上级单位", "所在区划代码"], rows)

    def registry(self) -> None:
        info = FileInfo("raw/enterprise_registry.csv", "demo_enterprise_registry", "csv", "gbk")
        rng = self.rng("registry")
        firms = sorted(self.w.by_label("Enterprise"), key=lambda o: o.credit_code)
        rng.shuffle(firms)
        rows: list[list[Any]] = []
        for org in firms:
            rows.append(self._registry_row(org, rng))
        for _ in range(self.bad_count(3)):  # bad credit code (a typo in the check character)
            code = corrupt_credit_code(fictitious_credit_code(self._extra()))
            rows.insert(
                rng.randrange(len(rows)),
                [
                    code,
                    f"天津{rng.choice(cat.NAME_SYLLABLES)}{rng.choice(cat.NAME_SYLLABLES)}贸易有限公司",
                    "",
                    "有限责任公司",
                    "2008-05-06",
                    "50",
                    "天津市东丽区津塘公路1号",
                    "5179",
                    "存续",
                    "120110001",
                    cat.DONGLI_CODE,
                ],
            )
        for _ in range(self.bad_count(2)):  # missing name
            rows.insert(
                rng.randrange(len(rows)),
                [
                    fictitious_credit_code(self._extra()),
                    "",
                    "",
                    "有限责任公司",
                    "2009-01-12",
                    "100",
                    "天津市东丽区先锋东路2号",
                    "5179",
                    "存续",
                    "120110002",
                    cat.DONGLI_CODE,
                ],
            )
        for i, row in enumerate(rows):
            if row[1] == "":
                info.bad(i + 2, "missing name", "企业名称")
            elif row[0].startswith("91120110FAKE") and not _valid(row[0]):
                info.bad(i + 2, "bad credit code", "统一社会信用代码")
            else:
                org = self.w.orgs[f"ent:{row[0]}"]
                self.mention(info, i + 2, "企业名称", row[1], org.id, org.label)
        # A conflicting repeat: same code, another founding date, later in the file.
        for k in range(self.bad_count(1)):
            original = rows[k * 7 + 1]
            if original[1] and _valid(original[0]):
                conflict = list(original)
                conflict[4] = "2011-11-11"
                rows.append(conflict)
                info.bad(len(rows) + 1, "conflicting value", "成立日期")
        self._insert_duplicates(info, rows, self.bad_count(3), 2, rng)
        header = [
            "统一社会信用代码",
            "企业名称",
            "法定代表人",
            "企业类型",
            "成立日期",
            "注册资本(万元)",
            "住所",
            "行业代码",
            "登记状态",
            "所属街道代码",
            "行政区划代码",
        ]
        self._csv(info, header, rows)

    def _extra(self) -> int:
        self.extra_serial += 1
        return self.extra_serial

    def _registry_row(self, org: Org, rng: random.Random) -> list[Any]:
        rep = (
            rng.choice([s for s, _ in cat.SURNAMES])
            + rng.choice(cat.GIVEN_CHARS)
            + rng.choice(cat.GIVEN_CHARS)
        )
        street = cat.STREETS.get(org.street, "").removesuffix("服务中心")
        address = f"天津市东丽区{street}{rng.choice(cat.ROADS)}{rng.randint(1, 300)}号"
        capital = (
            max(10, round(org.revenue_wan * rng.uniform(0.05, 0.3)))
            if org.tech_sme
            else rng.randint(10, 2000)
        )
        kind = {"股份有限公司": "股份有限公司", "分公司": "有限责任公司分公司"}.get(
            org.legal_form, "有限责任公司"
        )
        return [
            org.credit_code,
            org.name,
            rep,
            kind,
            org.founded,
            capital,
            address,
            org.gbt,
            "存续",
            org.street,
            cat.DONGLI_CODE,
        ]

    def tech_sme_list(self) -> None:
        info = FileInfo("raw/tech_sme_list_2010.xlsx", "demo_tech_sme_list", "xlsx", "")
        rng = self.rng("tech_sme")
        firms = sorted(self.w.tech_smes, key=lambda o: -o.revenue_wan)
        names = {i.key: i.name for i in cat.INDUSTRIES}
        rows: list[list[Any]] = []
        for org in firms:
            name = firm_variant(org, rng, noise=0.3)
            revenue: Any = org.revenue_wan
            if rng.random() < 0.05:
                revenue = f"{org.revenue_wan:,.1f}"  # typed as text with a thousands separator
            strategic = names.get(org.industry, "")
            rows.append(
                [
                    0,
                    name,
                    org.credit_code,
                    cat.STREETS[org.street],
                    org.park,
                    strategic,
                    "是" if org.high_tech else "否",
                    revenue,
                    org.assets_wan,
                    org.rd_wan,
                    org.employees,
                    org.college,
                    org.rd_staff,
                    "是",
                    2010,
                ]
            )
        for _ in range(self.bad_count(2)):
            code = corrupt_credit_code(fictitious_credit_code(self._extra()))
            rows.insert(
                rng.randrange(len(rows)),
                [
                    0,
                    f"天津{rng.choice(cat.NAME_SYLLABLES)}{rng.choice(cat.NAME_SYLLABLES)}电子科技有限公司",
                    code,
                    "张贵庄街道",
                    "",
                    "",
                    "否",
                    320.0,
                    400.0,
                    12.0,
                    15,
                    5,
                    4,
                    "是",
                    2010,
                ],
            )
        rows.insert(
            rng.randrange(len(rows)),
            [
                0,
                None,
                fictitious_credit_code(self._extra()),
                "万新街道",
                "",
                "",
                "否",
                150.0,
                200.0,
                5.0,
                8,
                2,
                2,
                "是",
                2010,
            ],
        )
        for i, row in enumerate(rows):
            row[0] = i + 1
            sheet_row = i + 3  # title row, header row, then data
            if row[1] is None:
                info.bad(sheet_row, "missing name", "单位名称")
            elif not _valid(row[2]):
                info.bad(sheet_row, "bad credit code", "社会信用代码")
            else:
                self.mention(info, sheet_row, "单位名称", row[1], f"ent:{row[2]}", "Enterprise")
        self._insert_duplicates(info, rows, self.bad_count(2), 3, rng)
        header = [
            "序号",
            "单位名称",
            "社会信用代码",
            "所属街道（功能区）",
            "所在园区",
            "所属战略性新兴产业",
            "高新技术企业",
            "营业收入（万元）",
            "资产总额（万元）",
            "研发投入（万元）",
            "从业人员",
            "其中：大专以上学历",
            "科技人员",
            "是否科技型中小企业",
            "认定年度",
        ]
        self._xlsx(info, "2010年东丽区科技型中小企业名单", header, rows)

    def yearly_tech_sme_lists(self) -> None:
        """The 2011–2015 lists (``demo/yearly.py``): each year's members and figures."""
        from demo.yearly import LIST_HEADER, YEARS, build_paths, list_rows

        self.out.members = build_paths(self.w)
        for year in YEARS:
            info = FileInfo(f"raw/tech_sme_list_{year}.xlsx", f"demo_tech_sme_list_{year}", "xlsx", "")
            rows = list_rows(self.out.members, year)
            for i, row in enumerate(rows):
                self.mention(info, i + 3, "单位名称", row[1], f"ent:{row[2]}", "Enterprise")
            self._xlsx(info, f"{year}年东丽区科技型中小企业名单", LIST_HEADER, rows)
        self._yearly_incubator_lists()
        self._yearly_recognition_lists()

    def _yearly_recognition_lists(self) -> None:
        """The 2010–2015 high-tech, little-giant and park registers, a row per firm and year."""
        from demo import yearly

        for file, name, encoding, header, rows in (
            (
                "high_tech_list.csv",
                "demo_high_tech_list",
                "gbk",
                yearly.HIGH_TECH_HEADER,
                yearly.high_tech_rows,
            ),
            (
                "little_giant_list.csv",
                "demo_little_giant_list",
                "utf-8",
                yearly.LITTLE_GIANT_HEADER,
                yearly.little_giant_rows,
            ),
            ("park_list.csv", "demo_park_list", "gb18030", yearly.PARK_HEADER, yearly.park_rows),
        ):
            info = FileInfo(f"raw/{file}", name, "csv", encoding)
            table = rows(self.out.members)
            for i, row in enumerate(table):
                self.mention(info, i + 2, "企业名称", row[1], f"ent:{row[2]}", "Enterprise")
            self._csv(info, header, table)

    def _yearly_incubator_lists(self) -> None:
        """The 2010–2015 incubator lists with each incubator's level that year."""
        from demo.yearly import INCUBATOR_HEADER, incubator_lists

        for year, rows in incubator_lists(self.w).items():
            info = FileInfo(f"raw/incubator_list_{year}.csv", f"demo_incubator_list_{year}", "csv", "gbk")
            for i, row in enumerate(rows):
                self.mention(info, i + 2, "机构名称", row[0], f"incu:{row[1]}", "Incubator")
            self._csv(info, INCUBATOR_HEADER, rows)

    def incubators(self) -> None:
        info = FileInfo("raw/incubators.csv", "demo_incubators", "csv", "gbk")
        rows = []
        for i, org in enumerate(self.w.by_label("Incubator")):
            rows.append([org.name, org.credit_code, org.kind, org.level, org.park])
            self.mention(info, i + 2, "机构名称", org.name, org.id, org.label)
        self._csv(info, ["机构名称", "统一社会信用代码", "类型", "级别", "所在园区"], rows)

    def productivity_centers(self) -> None:
        info = FileInfo("raw/productivity_centers.csv", "demo_productivity_centers", "csv", "utf-8")
        rows = []
        for i, org in enumerate(self.w.by_label("ProductivityCenter")):
            rows.append(
                [
                    org.name,
                    org.credit_code,
                    org.level,
                    f"天津市东丽区{cat.STREETS[org.street]}跃进路{i + 8}号",
                ]
            )
            self.mention(info, i + 2, "机构名称", org.name, org.id, org.label)
        self._csv(info, ["机构名称", "统一社会信用代码", "级别", "地址"], rows)

    def incubator_tenants(self) -> None:
        info = FileInfo("raw/incubator_tenants.csv", "demo_incubator_tenants", "csv", "gb18030")
        rng = self.rng("tenants")
        incubators = self.w.by_label("Incubator")
        small = [o for o in self.w.tech_smes if o.band == "<500万"]
        tenants = rng.sample(small, k=min(len(small), 20 * len(incubators)))
        rows = []
        for i, firm in enumerate(tenants):
            incubator = incubators[i % len(incubators)]
            inc_name = org_variant(incubator, rng, noise=0.3)
            name = firm_variant(firm, rng, noise=0.4)
            code = firm.credit_code if rng.random() < 0.7 else ""
            year = rng.randint(2007, 2010)
            rows.append(
                [
                    inc_name,
                    name,
                    code,
                    f"{year}年{rng.randint(1, 12)}月",
                    rng.choice(("在孵", "在孵", "已毕业")),
                ]
            )
            self.mention(info, i + 2, "孵化器名称", inc_name, incubator.id, incubator.label)
            self.mention(info, i + 2, "在孵企业", name, firm.id, firm.label)
        self._csv(info, ["孵化器名称", "在孵企业", "信用代码", "入孵时间", "状态"], rows)

    # --- patents ----------------------------------------------------------------------------

    def patents(self) -> None:
        info = FileInfo("raw/patents_export.csv", "demo_patents", "csv", "utf-8-sig")
        rng = self.rng("patents")
        kinds = {"发明": "发明专利", "实用新型": "实用新型", "外观设计": "外观设计"}
        rows: list[list[Any]] = []
        for p in self.w.patents:
            sheet_row = len(rows) + 2
            applicants = []
            for order, oid in enumerate(p.applicants, start=1):
                org = self.w.orgs[oid]
                text = org_variant(org, rng, noise=0.2 if org.label == "Enterprise" else 0.15)
                applicants.append(text)
                self.mention(info, sheet_row, "申请（专利权）人", text, oid, org.label, order)
            inventors = []
            for order, key in enumerate(p.inventors, start=1):
                person = self.w.persons[key]
                inventors.append(person.name)
                self.mention(info, sheet_row, "发明（设计）人", person.name, f"person:{key}", "Person", order)
            rows.append(
                [
                    len(rows) + 1,
                    p.app_number,
                    _date_variant(p.app_date, rng),
                    p.number,
                    p.pub_date,
                    p.title,
                    kinds[p.kind],
                    ";".join(applicants),
                    ";".join(inventors),
                    rng.choice((";", "; ", "；")).join(_ipc_spelling(c, rng) for c in p.ipc),
                    p.status,
                    p.abstract,
                ]
            )
        serial = len(self.w.patents) + 1
        for k in range(self.bad_count(3) + self.bad_count(1)):
            firm = self.w.tech_smes[(k * 13) % len(self.w.tech_smes)]
            bad_ipc = k < self.bad_count(3)
            row = [
                0,
                f"DL2009{2}{serial:07d}.1",
                "2009-04-01",
                f"CNDL{serial:07d}U",
                "2010-04-01",
                "一种连接结构",
                "实用新型",
                "" if not bad_ipc else firm.name,
                "",
                rng.choice(("H01L3/O0", "XYZ12", "H1L33/00")) if bad_ipc else "F16B5/00",
                "失效",
                "",
            ]
            serial += 1
            rows.insert(rng.randrange(len(rows)), row)
        # Renumber after the insertions and fix the mentions' rows.
        by_number = {p.number: i for i, p in enumerate(self.w.patents)}
        new_rows: dict[int, int] = {}
        for i, row in enumerate(rows):
            row[0] = i + 1
            if row[3] in by_number:
                new_rows[by_number[row[3]] + 2] = i + 2
            elif row[7] == "":
                info.bad(i + 2, "missing applicant", "申请（专利权）人")
            else:
                info.bad(i + 2, "bad IPC", "IPC分类号")
        for m in self.out.mentions:
            if m.file == info.file:
                m.row = new_rows[m.row]
        self._insert_duplicates(info, rows, self.bad_count(2), 2, rng)
        header = [
            "序号",
            "申请号",
            "申请日",
            "公开（公告）号",
            "公开（公告）日",
            "专利名称",
            "专利类型",
            "申请（专利权）人",
            "发明（设计）人",
            "IPC分类号",
            "法律状态",
            "摘要",
        ]
        self._csv(info, header, rows)

    # --- alliances, talent, projects, transfers, demands, achievements ---------------------

    def alliances(self) -> None:
        info = FileInfo("raw/alliance_members.jsonl", "demo_alliances", "jsonl", "utf-8")
        rng = self.rng("alliances")
        records: list[dict[str, Any]] = []
        for a in self.w.alliances:
            for oid, role, year in a.members:
                org = self.w.orgs[oid]
                text = org_variant(org, rng, noise=0.35, english=True)
                records.append(
                    {
                        "联盟名称": a.name,
                        "联盟类别": a.kind,
                        "联盟级别": a.level,
                        "所属产业": INDUSTRY_BY_KEY[a.industry].name,
                        "成员单位": text,
                        "成员角色": role,
                        "加入年份": year,
                    }
                )
                self.mention(info, len(records), "成员单位", text, oid, org.label)
        dup_at = rng.randrange(len(records))
        records.insert(dup_at + 1, dict(records[dup_at]))
        for m in self.out.mentions:
            if m.file == info.file and m.row > dup_at + 1:
                m.row += 1
        original = next(m for m in self.out.mentions if m.file == info.file and m.row == dup_at + 1)
        self.out.mentions.append(
            Mention(info.file, dup_at + 2, original.column, 1, original.text, original.entity, original.label)
        )
        info.bad(dup_at + 2, "duplicate row", "")
        self._jsonl(info, records)

    def talent_roster(self) -> None:
        info = FileInfo("raw/talent_roster.xlsx", "demo_talent_roster", "xlsx", "")
        rng = self.rng("talent")
        rows: list[list[Any]] = []
        for key, person in self.w.persons.items():
            roles = sorted(person.roles - {"inventor"})
            if not roles:
                continue
            org = self.w.orgs[person.org]
            unit = org_variant(org, rng, noise=0.3, english=True)
            ind = INDUSTRY_BY_KEY[person.industry]
            expertise = f"长期从事{rng.choice(ind.objects)}相关研究与开发，熟悉{ind.name}领域技术。"
            rows.append(
                [
                    person.name,
                    person.gender,
                    person.birth_year,
                    unit,
                    person.title,
                    "、".join(ROLE_NAMES[r] for r in roles),
                    ind.name,
                    expertise,
                ]
            )
            self.mention(info, len(rows) + 1, "姓名", person.name, f"person:{key}", "Person")
            self.mention(info, len(rows) + 1, "工作单位", unit, org.id, org.label)
        rows.insert(
            rng.randrange(len(rows)), [None, "男", 1970, "天津大学", "教授", "专家", "新一代信息技术", ""]
        )
        for i, row in enumerate(rows):
            if row[0] is None:
                info.bad(i + 2, "missing name", "姓名")
                for m in self.out.mentions:
                    if m.file == info.file and m.row >= i + 2:
                        m.row += 1
        self._xlsx(
            info, None, ["姓名", "性别", "出生年份", "工作单位", "职称", "人才类别", "研究领域", "专长"], rows
        )

    def projects(self) -> None:
        info = FileInfo("raw/funded_projects.csv", "demo_projects", "csv", "gbk")
        rng = self.rng("projects")
        rows: list[list[Any]] = []
        for p in self.w.projects:
            row_no = len(rows) + 2
            lead = self.w.orgs[p.lead]
            lead_text = firm_variant(lead, rng, noise=0.25)
            partner_texts = []
            for order, oid in enumerate(p.partners, start=1):
                org = self.w.orgs[oid]
                text = org_variant(org, rng, noise=0.4)
                partner_texts.append(text)
                self.mention(info, row_no, "合作单位", text, oid, org.label, order)
            self.mention(info, row_no, "承担单位", lead_text, lead.id, lead.label)
            leader = self.w.persons[p.leader]
            self.mention(info, row_no, "项目负责人", leader.name, f"person:{p.leader}", "Person")
            rows.append(
                [
                    p.number,
                    p.title,
                    p.program,
                    lead_text,
                    "、".join(partner_texts),
                    leader.name,
                    p.year,
                    "立项" if p.funded else "未立项",
                    p.funding_wan if p.funded else "",
                ]
            )
        self._insert_duplicates(info, rows, self.bad_count(1), 2, rng)
        header = [
            "项目编号",
            "项目名称",
            "计划类别",
            "承担单位",
            "合作单位",
            "项目负责人",
            "申报年度",
            "立项状态",
            "资助金额（万元）",
        ]
        self._csv(info, header, rows)

    def transfers(self) -> None:
        info = FileInfo("raw/tech_transfers.csv", "demo_tech_transfers", "csv", "utf-8")
        rng = self.rng("transfers")
        rows: list[list[Any]] = []
        for t in self.w.transfers:
            row_no = len(rows) + 2
            source, target = self.w.orgs[t.source], self.w.orgs[t.target]
            s_text = org_variant(source, rng, noise=0.3)
            t_text = firm_variant(target, rng, noise=0.25)
            self.mention(info, row_no, "转让方", s_text, source.id, source.label)
            self.mention(info, row_no, "受让方", t_text, target.id, target.label)
            rows.append([t.number, t.title, s_text, t_text, t.amount_wan, t.year])
        at = len(rows) // 2
        rows.insert(at, ["1201120109999999", "废弃合同", "天津大学", "", 10.0, 2009])
        for m in self.out.mentions:
            if m.file == info.file and m.row >= at + 2:
                m.row += 1
        info.bad(at + 2, "missing name", "受让方")
        self._csv(info, ["合同登记号", "技术名称", "转让方", "受让方", "成交金额(万元)", "登记年度"], rows)

    def demands(self) -> None:
        info = FileInfo("raw/tech_demands.json", "demo_tech_demands", "json", "utf-8")
        rng = self.rng("demands")
        items = []
        for d in self.w.demands:
            poster = self.w.orgs[d.poster]
            text = firm_variant(poster, rng, noise=0.3)
            items.append(
                {
                    "需求编号": d.number,
                    "需求名称": d.title,
                    "发布单位": text,
                    "技术领域": INDUSTRY_BY_KEY[d.industry].name,
                    "需求描述": d.description,
                    "合作方式": d.mode,
                    "预算（万元）": d.budget_wan,
                    "发布日期": d.date,
                    "状态": d.status,
                    "IPC分类": ";".join(d.ipc),
                }
            )
            self.mention(info, len(items), "发布单位", text, poster.id, poster.label)
        document = {
            "meta": {"source": "东丽区技术需求征集和发布平台", "exported": "2011-01-05", "count": len(items)},
            "data": {"items": items},
        }
        (self.raw / "tech_demands.json").write_text(
            json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        info.rows = len(items)
        self.out.files.append(info)

    def achievements(self) -> None:
        info = FileInfo("raw/achievements.jsonl", "demo_achievements", "jsonl", "utf-8")
        rng = self.rng("achievements")
        records: list[dict[str, Any]] = []
        for a in self.w.achievements:
            owners = []
            for order, oid in enumerate(a.owners, start=1):
                org = self.w.orgs[oid]
                text = org_variant(org, rng, noise=0.3)
                owners.append(text)
                self.mention(info, len(records) + 1, "完成单位", text, oid, org.label, order)
            records.append(
                {
                    "成果编号": a.number,
                    "成果名称": a.title,
                    "完成单位": ";".join(owners),
                    "成果简介": a.summary,
                    "成熟度": a.maturity,
                    "技术领域": INDUSTRY_BY_KEY[a.industry].name,
                    "关联专利": ";".join(a.patents),
                    "年度": a.year,
                }
            )
        self._jsonl(info, records)


def _valid(code: str) -> bool:
    from ingest.errors import ValueRejected
    from ingest.normalize import parse_credit_code

    try:
        parse_credit_code(code)
    except ValueRejected:
        return False
    return True


def _date_variant(iso: str, rng: random.Random) -> str:
    y, m, d = iso.split("-")
    return rng.choice((iso, f"{y}/{int(m)}/{int(d)}", f"{y}.{m}.{d}", f"{y}{m}{d}"))


def _ipc_spelling(code: str, rng: random.Random) -> str:
    """``H01L33/48`` as exports write it: ``H01L 33/48``, ``H01L0033480000`` or unchanged."""
    choice = rng.random()
    if choice < 0.5:
        return code
    sub, rest = code[:4], code[4:]
    group, subgroup = rest.split("/")
    if choice < 0.8:
        return f"{sub} {group}/{subgroup}"
    return f"{sub}{int(group):04d}{subgroup.ljust(6, '0')}"


def _normalise_zip_times(path: Path) -> None:
    """Rewrite an XLSX with fixed timestamps (zip members and docProps) so that identical content
    gives identical bytes."""
    import re
    import zipfile

    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = [(info, src.read(info.filename)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, content in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2011, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2011-01-01T00:00:00Z", content)
            dst.writestr(fixed, content)
    path.write_bytes(buffer.getvalue())


def mention_dicts(mentions: list[Mention]) -> list[dict[str, Any]]:
    return [dict(vars(m)) for m in mentions]  # vars(): dataclasses.asdict deep-copies, 10× slower here
