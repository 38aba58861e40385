"""Reference data from ``../shared/data``: universities, regions, industries, IPC ↔ SEI.

``reference_changes(data_dir)`` is pure (files in, one :class:`ChangeSet` out);
``load_reference(store, data_dir)`` applies it in one transaction and reports what it wrote.
Loading twice changes nothing: every id is derived from an official code.

What becomes what (see ``docs/DEMO_DATA.md`` § reference data):

- MoE list of higher-education institutions → ``University`` ``uni:<学校标识码>``, ``IN_REGION`` its province;
  English names and 简称 for Tianjin's universities (and a few others that patent data name) come
  from ``ingest/data/university_aliases.csv``.
- NBS divisions → ``Region`` ``region:<code>`` (provinces and cities padded to 6 digits:
  ``120000``, ``120100``; districts ``120110``; streets keep their 9 digits) joined by ``PART_OF``.
  Streets are loaded for Tianjin (12…) only unless ``all_streets``.
- ROR (``cn-institutions-en``): English names, aliases and acronyms of MoE universities; CAS
  institutes → ``ResearchInstitute`` ``inst:ror:<id>`` (Chinese name with and without 中国科学院).
- GB/T 4754-2017 → ``Industry`` ``industry:GBT4754:<code>``, ``SUBCLASS_OF`` its parent.
- SEI 2018 → ``industry:SEI:<n>`` (9 categories) and ``industry:SEI:<n.m>`` (40 industries);
  the Dongli plan's eight strategic industries → ``industry:DONGLI:<KEY>`` ``SUBCLASS_OF`` the SEI
  industries they cover (``ingest/data/dongli_strategic_industries.csv``).
- CNIPA SEI–IPC concordance 2021 → ``IPC`` nodes down to main groups (``ipc:H01L33/00``, the
  ids ingest uses) with ``SUBCLASS_OF`` and ``IN_INDUSTRY`` to SEI industries
  (``weight`` = share of the group's listed codes mapped there). The full concordance, subgroups
  included, is :func:`ipc_to_sei`.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Final

from graph.changeset import ChangeSet
from graph.errors import ReferenceDataError as ReferenceDataError
from graph.model import NodeLabel, RelType, make_id
from graph.package_files import package_folder
from graph.store import GraphStore
from ingest.errors import ValueRejected
from ingest.normalize import ipc_hierarchy, parse_ipc

SOURCE: Final = "reference"
RUN_ID: Final = "reference-1"  # bumped when the same files would be written differently
PACKAGE_DATA: Final = package_folder("ingest", "data")

SEI_CATEGORIES: Final[dict[str, str]] = {
    "1": "新一代信息技术产业",
    "2": "高端装备制造产业",
    "3": "新材料产业",
    "4": "生物产业",
    "5": "新能源汽车产业",
    "6": "新能源产业",
    "7": "节能环保产业",
    "8": "数字创意产业",
    "9": "相关服务业",
}
#: Names the SEI source truncates (see sei-2018-codes/PROVENANCE.md).
SEI_NAME_FIXES: Final = {"5.4": "新能源汽车相关服务"}
_MUNICIPAL_PLACEHOLDERS: Final = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def default_data_dir() -> Path:
    """``$INNOGRAPH_SHARED_DATA``, else ``<repo>/../shared/data``."""
    env = os.environ.get("INNOGRAPH_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass(frozen=True)
class ReferenceReport:
    data_dir: Path
    nodes: dict[str, int]
    relationships: dict[str, int]
    nodes_written: int
    relationships_written: int
    seconds: float


@dataclass(frozen=True)
class DongliIndustry:
    key: str
    name: str
    name_en: str
    sei_codes: tuple[str, ...]
    note: str

    @property
    def id(self) -> str:
        return make_id(NodeLabel.INDUSTRY, f"DONGLI:{self.key}")


def _provenance(path: Path, row: int | str) -> dict[str, list[str]]:
    return {"sources": [SOURCE], "records": [f"{path.parent.name}/{path.name}#{row}"], "ingestRuns": [RUN_ID]}


def _open_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise ReferenceDataError(f"{path}: reference file not found (set INNOGRAPH_SHARED_DATA or --data)")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from enumerate(csv.DictReader(fh), start=2)


# --- regions -------------------------------------------------------------------------------------


def region_id(code: str) -> str:
    return make_id(NodeLabel.REGION, code)


def _add_regions(cs: ChangeSet, data_dir: Path, *, all_streets: bool) -> None:
    folder = data_dir / "cn-admin-divisions-2023"
    provinces: dict[str, str] = {}
    for number, row in _open_csv(folder / "provinces.csv"):
        code = row["code"].ljust(6, "0")
        provinces[row["code"]] = row["name"]
        cs.add_node(
            NodeLabel.REGION,
            {
                "id": region_id(code),
                "code": code,
                "name": row["name"],
                "level": "province",
                **_provenance(folder / "provinces.csv", number),
            },
        )
    for number, row in _open_csv(folder / "cities.csv"):
        code, parent = row["code"].ljust(6, "0"), row["provinceCode"].ljust(6, "0")
        name = row["name"]
        props = {
            "id": region_id(code),
            "code": code,
            "level": "city",
            "parentCode": parent,
            **_provenance(folder / "cities.csv", number),
        }
        if name in _MUNICIPAL_PLACEHOLDERS:  # "市辖区" alone says nothing: name it after its province
            props.update(name=provinces[row["provinceCode"]] + name, aliases=[name])
        else:
            props["name"] = name
        cs.add_node(NodeLabel.REGION, props)
        cs.add_relationship(
            RelType.PART_OF, (NodeLabel.REGION, region_id(code)), (NodeLabel.REGION, region_id(parent))
        )
    for number, row in _open_csv(folder / "areas.csv"):
        code, parent = row["code"], row["cityCode"].ljust(6, "0")
        if code == parent:  # 东莞, 中山, 儋州: cities without districts repeat themselves as one
            continue
        cs.add_node(
            NodeLabel.REGION,
            {
                "id": region_id(code),
                "code": code,
                "name": row["name"],
                "level": "district",
                "parentCode": parent,
                **_provenance(folder / "areas.csv", number),
            },
        )
        cs.add_relationship(
            RelType.PART_OF, (NodeLabel.REGION, region_id(code)), (NodeLabel.REGION, region_id(parent))
        )
    for number, row in _open_csv(folder / "streets.csv.gz"):
        if not all_streets and row["provinceCode"] != "12":
            continue
        code, parent = row["code"], row["areaCode"]
        cs.add_node(
            NodeLabel.REGION,
            {
                "id": region_id(code),
                "code": code,
                "name": row["name"],
                "level": "street",
                "parentCode": parent,
                **_provenance(folder / "streets.csv.gz", number),
            },
        )
        cs.add_relationship(
            RelType.PART_OF, (NodeLabel.REGION, region_id(code)), (NodeLabel.REGION, region_id(parent))
        )


# --- universities --------------------------------------------------------------------------------


def _university_aliases() -> dict[str, tuple[str, list[str]]]:
    result = {}
    for _, row in _open_csv(PACKAGE_DATA / "university_aliases.csv"):
        result[row["moe_code"]] = (row["name_en"], [a for a in row["aliases"].split(";") if a])
    return result


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def ror_university_names(data_dir: Path) -> dict[str, tuple[str, list[str]]]:
    """学校标识码 → (ROR English name, English aliases and acronyms) from
    ``cn-institutions-en/moe2025_ror_join.csv`` ({} when the folder is absent: it is optional).

    ``Harbin Engineering University`` and its postal-era forms (``Imperial University of Peking``)
    then link to the MoE university as its ``nameEn`` / ``aliases``."""
    path = data_dir / "cn-institutions-en" / "moe2025_ror_join.csv"
    if not path.exists():
        return {}
    out: dict[str, tuple[str, list[str]]] = {}
    for _, row in _open_csv(path):
        if row.get("ror_status") not in ("active", "") or not row.get("name_en"):
            continue
        # Acronyms of one or two letters (NU, SU) name many universities: not an alias.
        acronyms = [a for a in _split_list(row.get("acronyms", "")) if len(a) >= 3]
        out[row["moe_code"]] = (row["name_en"], _split_list(row.get("aliases_en", "")) + acronyms)
    return out


def _institute_candidates(data_dir: Path) -> Iterator[tuple[int, dict[str, str]]]:
    path = data_dir / "cn-institutions-en" / "cn_institutions_ror.csv"
    for number, row in _open_csv(path):
        if row["status"] != "active" or row["country_code"] != "CN" or not row["name_zh"]:
            continue
        if row["cas_affiliated"] == "yes" and "education" not in row["types"]:
            yield number, row


def _add_institutes(cs: ChangeSet, data_dir: Path) -> None:
    """CAS institutes from ROR → ``ResearchInstitute`` ``inst:ror:<id>`` with their Chinese name
    (with and without the 中国科学院 prefix), English name, aliases and acronyms."""
    path = data_dir / "cn-institutions-en" / "cn_institutions_ror.csv"
    for number, row in _institute_candidates(data_dir):
        name = row["name_zh"]
        aliases = _split_list(row["aliases_zh"]) + _split_list(row["aliases_en"])
        aliases += [a for a in _split_list(row["acronyms"]) if len(a) >= 3]
        for prefix in ("中国科学院", "中科院"):
            if name.startswith(prefix) and len(name) > len(prefix) + 3:
                aliases.append(name[len(prefix) :])
        props: dict[str, object] = {
            "id": make_id(NodeLabel.RESEARCH_INSTITUTE, "ror:" + row["source_id"].removeprefix("ror:")),
            "name": name,
            "nameEn": row["name_en"],
            "kind": "中国科学院",
            **_provenance(path, number),
        }
        if aliases:
            props["aliases"] = list(dict.fromkeys(aliases))
        if row["city"]:
            props["city"] = row["city"]
        if row["parent_en"]:
            props["parentOrg"] = row["parent_en"].split("|")[0]
        cs.add_node(NodeLabel.RESEARCH_INSTITUTE, props)


def _add_universities(
    cs: ChangeSet, data_dir: Path, *, provinces: set[str] | None, link_regions: bool
) -> None:
    path = data_dir / "cn-universities-moe-2025" / "universities_moe_2025.csv"
    extra = _university_aliases()
    ror = ror_university_names(data_dir)
    for number, row in _open_csv(path):
        if provinces is not None and row["province_code"] not in provinces:
            continue
        code = row["moe_code"]
        props: dict[str, object] = {
            "id": make_id(NodeLabel.UNIVERSITY, code),
            "name": row["name"],
            "moeCode": code,
            "department": row["department"],
            "kind": row["category"],
            **_provenance(path, number),
        }
        for key, column in (("schoolLevel", "level"), ("city", "location"), ("description", "remark")):
            if row[column]:
                props[key] = row[column]
        if row["province_code"]:
            props["regionCode"] = row["province_code"].ljust(6, "0")
        if code in extra:
            props["nameEn"], props["aliases"] = extra[code]
        if code in ror:
            name_en, aliases_en = ror[code]
            props.setdefault("nameEn", name_en)
            known = list(props.get("aliases") or [])  # type: ignore[call-overload]
            props["aliases"] = list(
                dict.fromkeys([*known, *([name_en] if name_en != props["nameEn"] else []), *aliases_en])
            )
        uid = cs.add_node(NodeLabel.UNIVERSITY, props)
        if row["province_code"] and link_regions:
            cs.add_relationship(
                RelType.IN_REGION,
                (NodeLabel.UNIVERSITY, uid),
                (NodeLabel.REGION, region_id(row["province_code"].ljust(6, "0"))),
            )


# --- industries ----------------------------------------------------------------------------------


def industry_id(scheme: str, code: str) -> str:
    return make_id(NodeLabel.INDUSTRY, f"{scheme}:{code}")


def _add_gbt4754(cs: ChangeSet, data_dir: Path) -> None:
    path = data_dir / "gbt4754-2017" / "gbt4754_2017.csv"
    for number, row in _open_csv(path):
        iid = cs.add_node(
            NodeLabel.INDUSTRY,
            {
                "id": industry_id("GBT4754", row["code"]),
                "code": row["code"],
                "scheme": "GBT4754",
                "level": row["level_name"],
                "name": row["name"],
                "description": row["description"][:5000],
                **_provenance(path, number),
            },
        )
        if row["parent_code"]:
            cs.add_relationship(
                RelType.SUBCLASS_OF,
                (NodeLabel.INDUSTRY, iid),
                (NodeLabel.INDUSTRY, industry_id("GBT4754", row["parent_code"])),
            )


def sei_rules(data_dir: Path) -> dict[int, tuple[str, str, str | None]]:
    """SEI rule id → (seiCode, seiName, keywords) from ``sei-ipc-2021/sei.jsonl``."""
    path = data_dir / "sei-ipc-2021" / "sei.jsonl"
    if not path.exists():
        raise ReferenceDataError(f"{path}: reference file not found (set INNOGRAPH_SHARED_DATA or --data)")
    rules = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rules[int(r["id"])] = (
                r["seiCode"],
                SEI_NAME_FIXES.get(r["seiCode"], r["seiName"]),
                r["keywords"],
            )
    return rules


def _add_sei(cs: ChangeSet, data_dir: Path) -> None:
    path = data_dir / "sei-ipc-2021" / "sei.jsonl"
    keywords: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for rule_id, (code, name, words) in sorted(sei_rules(data_dir).items()):
        names[code] = name
        if words:
            keywords[code].append(f"[{rule_id}] {words}")
    for digit, name in SEI_CATEGORIES.items():
        cs.add_node(
            NodeLabel.INDUSTRY,
            {
                "id": industry_id("SEI", digit),
                "code": digit,
                "scheme": "SEI",
                "level": "category",
                "name": name,
                "sources": [SOURCE],
                "ingestRuns": [RUN_ID],
            },
        )
    for code, name in sorted(names.items()):
        iid = cs.add_node(
            NodeLabel.INDUSTRY,
            {
                "id": industry_id("SEI", code),
                "code": code,
                "scheme": "SEI",
                "level": "industry",
                "name": name,
                "description": "\n".join(keywords[code])[:8000],
                **_provenance(path, code),
            },
        )
        cs.add_relationship(
            RelType.SUBCLASS_OF,
            (NodeLabel.INDUSTRY, iid),
            (NodeLabel.INDUSTRY, industry_id("SEI", code.split(".")[0])),
        )


def dongli_industries() -> list[DongliIndustry]:
    """The Dongli plan's eight strategic emerging industries and the SEI codes each covers."""
    return [
        DongliIndustry(
            row["key"], row["name"], row["name_en"], tuple(row["sei_codes"].split(";")), row["note"]
        )
        for _, row in _open_csv(PACKAGE_DATA / "dongli_strategic_industries.csv")
    ]


def _add_dongli(cs: ChangeSet) -> None:
    path = PACKAGE_DATA / "dongli_strategic_industries.csv"
    for number, ind in enumerate(dongli_industries(), start=2):
        cs.add_node(
            NodeLabel.INDUSTRY,
            {
                "id": ind.id,
                "code": ind.key,
                "scheme": "DONGLI",
                "level": "strategic",
                "name": ind.name,
                "description": ind.note,
                "keywords": [ind.name_en],
                **_provenance(path, number),
            },
        )
        for sei in ind.sei_codes:
            cs.add_relationship(
                RelType.SUBCLASS_OF,
                (NodeLabel.INDUSTRY, ind.id),
                (NodeLabel.INDUSTRY, industry_id("SEI", sei)),
            )


# --- IPC ↔ SEI ----------------------------------------------------------------------------------


@dataclass
class SeiConcordance:
    """IPC code → SEI codes, from CNIPA's 2021 concordance plus the documented supplement."""

    by_code: dict[str, set[str]] = field(default_factory=dict)
    by_main_group: dict[str, Counter[str]] = field(default_factory=dict)  # over every listed code in it

    @classmethod
    def from_dir(cls, data_dir: Path) -> SeiConcordance:
        rules = sei_rules(data_dir)
        path = data_dir / "sei-ipc-2021" / "ipc-sei.jsonl.gz"
        if not path.exists():
            raise ReferenceDataError(
                f"{path}: reference file not found (set INNOGRAPH_SHARED_DATA or --data)"
            )
        result = cls()
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                r = json.loads(line)
                if int(r["seiId"]) not in rules:
                    raise ReferenceDataError(f"{path}#{number}: seiId {r['seiId']} is not in sei.jsonl")
                result._add(r["ipcCode"], rules[int(r["seiId"])][0])
        for _, row in _open_csv(PACKAGE_DATA / "ipc_sei_supplement.csv"):
            result._add(row["ipc_code"], row["sei_code"])
        return result

    def _add(self, code: str, sei: str) -> None:
        self.by_code.setdefault(code, set()).add(sei)
        if "/" in code:
            self.by_main_group.setdefault(code.split("/")[0] + "/00", Counter())[sei] += 1

    def lookup(self, code: str) -> list[str]:
        """SEI codes of ``code`` (any written form): the most specific level the table lists."""
        text = code.strip().upper()
        if len(text) == 3 and text[0] in "ABCDEFGH" and text[1:].isdigit():
            return sorted(self.by_code.get(text, set()))  # a class, e.g. "C08"
        try:
            canonical = parse_ipc(code)
        except ValueRejected:
            return []
        candidates = [canonical]
        if "/" in canonical:
            candidates.append(canonical.split("/")[0] + "/00")
        for c in candidates:
            if c in self.by_code:
                return sorted(self.by_code[c])
        if "/" in canonical and (group := self.by_main_group.get(canonical.split("/")[0] + "/00")):
            return sorted(group)
        for c in (canonical[:4], canonical[:3]):
            if c in self.by_code:
                return sorted(self.by_code[c])
        return []


@lru_cache(maxsize=4)
def concordance(data_dir: Path | None = None) -> SeiConcordance:
    return SeiConcordance.from_dir(data_dir or default_data_dir())


def ipc_to_sei(code: str, data_dir: Path | None = None) -> list[str]:
    """SEI 2018 codes an IPC code belongs to: ``ipc_to_sei("H01L 33/48") == ["1.2"]``."""
    return concordance(data_dir).lookup(code)


def _add_ipc(cs: ChangeSet, data_dir: Path, subclasses: set[str] | None) -> None:
    table = concordance(data_dir)
    path = data_dir / "sei-ipc-2021" / "ipc-sei.jsonl.gz"
    codes = {c for c in table.by_code if "/" not in c} | set(table.by_main_group)
    if subclasses is not None:
        codes = {c for c in codes if c[:4] in subclasses}
    for code in sorted(codes):
        chain = ipc_hierarchy(code) if len(code) != 3 else [(code[:1], "section"), (code, "class")]
        parent: str | None = None
        for part, level in chain:
            pid = make_id(NodeLabel.IPC, part)
            cs.add_node(
                NodeLabel.IPC,
                {
                    "id": pid,
                    "code": part,
                    "level": level,
                    "name": part,
                    "sources": [SOURCE],
                    "ingestRuns": [RUN_ID],
                },
            )
            if parent is not None:
                cs.add_relationship(RelType.SUBCLASS_OF, (NodeLabel.IPC, pid), (NodeLabel.IPC, parent))
            parent = pid
        weights: Counter[str] = Counter()
        if code in table.by_main_group:
            weights.update(table.by_main_group[code])
        if code in table.by_code and "/" not in code:
            weights.update(dict.fromkeys(table.by_code[code], 1))
        total = sum(weights.values())
        for sei, n in sorted(weights.items()):
            cs.add_relationship(
                RelType.IN_INDUSTRY,
                (NodeLabel.IPC, make_id(NodeLabel.IPC, code)),
                (NodeLabel.INDUSTRY, industry_id("SEI", sei)),
                {
                    "basis": "CNIPA SEI-IPC 2021",
                    "weight": round(n / total, 4),
                    "sources": [SOURCE],
                    "records": [f"{path.parent.name}/{path.name}"],
                    "ingestRuns": [RUN_ID],
                },
            )


# --- entry points --------------------------------------------------------------------------------

PARTS: Final = ("regions", "universities", "gbt4754", "sei", "ipc")
#: Parts loaded only when asked for (``innograph reference load`` does by default): the CAS
#: institutes of ``cn-institutions-en`` are not in the demo's calibrated world.
OPTIONAL_PARTS: Final = ("institutes",)


def reference_changes(
    data_dir: Path | None = None,
    *,
    parts: tuple[str, ...] = PARTS,
    all_streets: bool = False,
    university_provinces: set[str] | None = None,
    ipc_subclasses: set[str] | None = None,
) -> ChangeSet:
    """All reference data as one ChangeSet (pure: reads files, touches no store).

    ``parts`` picks a subset; ``university_provinces`` (e.g. ``{"12"}``) keeps only those
    provinces' universities (``IN_REGION`` to their province is written with the regions part only);
    ``ipc_subclasses`` (e.g. ``{"H01L"}``) keeps only those subclasses' IPC nodes.
    """
    data_dir = Path(data_dir or default_data_dir())
    unknown = set(parts) - set(PARTS) - set(OPTIONAL_PARTS)
    if unknown:
        raise ValueError(
            f"unknown reference parts {sorted(unknown)}; known: {', '.join(PARTS + OPTIONAL_PARTS)}"
        )
    if not data_dir.is_dir():
        raise ReferenceDataError(
            f"{data_dir}: reference data folder not found (set INNOGRAPH_SHARED_DATA or --data)"
        )
    cs = ChangeSet()
    if "regions" in parts:
        _add_regions(cs, data_dir, all_streets=all_streets)
    if "universities" in parts:
        _add_universities(cs, data_dir, provinces=university_provinces, link_regions="regions" in parts)
    if "institutes" in parts and (data_dir / "cn-institutions-en").is_dir():
        _add_institutes(cs, data_dir)
    if "gbt4754" in parts:
        _add_gbt4754(cs, data_dir)
    if "sei" in parts or "ipc" in parts:
        _add_sei(cs, data_dir)
        _add_dongli(cs)
    if "ipc" in parts:
        _add_ipc(cs, data_dir, ipc_subclasses)
    return cs


def load_reference(store: GraphStore, data_dir: Path | None = None, **options: object) -> ReferenceReport:
    """Apply :func:`reference_changes` to ``store`` in one transaction."""
    started = time.perf_counter()
    data_dir = Path(data_dir or default_data_dir())
    cs = reference_changes(data_dir, **options)  # type: ignore[arg-type]
    result = store.apply(cs)
    nodes = {label.value: len(by_id) for label, by_id in sorted(cs.nodes.items())}
    rels = Counter(rel.type.value for rel in cs.rels.values())
    return ReferenceReport(
        data_dir,
        nodes,
        dict(sorted(rels.items())),
        result.nodes,
        result.relationships,
        round(time.perf_counter() - started, 3),
    )
