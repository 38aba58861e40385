"""The real patent files as evaluation graphs (read-only, from ``$INNOGRAPH_SHARED_DATA``).

Each loader reads one file in /work/shared/data into :class:`Record` rows, and
:func:`projection` turns rows into the graph projection matchmaking indexes (the layout
``GraphStore.projection`` returns): organisations named by the project's own name
normaliser (:func:`ingest.names.normalize_org_name`) and labelled by its classifier, patents
with their IPC codes, applicant and inventor relationships. The files' licences forbid copying
them, so nothing here is written into the repository.

- Taiwan academic patents (TIPO, 2011–2019): Traditional Chinese titles, converted to
  Simplified with OpenCC; the file's own firm/academic labels; one IPC subclass per patent.
- PatSnap green aviation (1,999 rows): Chinese titles and abstracts, IPC lists.
- Lens drones (5,884 families): English titles and full text, IPCR lists, priority numbers.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx

from graph import ipc
from graph.model import NodeLabel, RelType
from ingest.names import normalize_org_name
from ingest.resolve import classify_org

L = NodeLabel
ROOT = Path(__file__).resolve().parent.parent
ORG_LABELS = frozenset({L.ENTERPRISE, L.UNIVERSITY, L.RESEARCH_INSTITUTE})
INSTITUTIONS = frozenset({L.UNIVERSITY, L.RESEARCH_INSTITUTE})
MAX_KEY = 160


def shared_data() -> Path:
    """``$INNOGRAPH_SHARED_DATA``, else ``../shared/data`` next to the repository."""
    return Path(os.environ.get("INNOGRAPH_SHARED_DATA") or ROOT.parent / "shared" / "data")


@dataclass
class Record:
    id: str
    year: int | None
    title: str
    abstract: str
    applicants: list[tuple[str, NodeLabel]]  # (organisation id, label), file order
    ipc: list[str]
    family: str  # records sharing it are one invention (withheld together)
    inventors: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # organisation id -> a name as written


def _org(name: str, label: NodeLabel | None = None) -> tuple[str, NodeLabel] | None:
    name = name.strip().strip('"').strip()
    if len(name) < 2 or not re.search(r"\w", name):
        return None  # the TIPO export split names on commas: "&", "()", "1" are no applicants
    label = label or classify_org(name)
    if label not in ORG_LABELS:
        label = L.ENTERPRISE
    key = normalize_org_name(name) or name.upper()
    if len(key) > MAX_KEY:  # the stores refuse ids over 200 characters; keep it one-to-one
        key = f"{key[: MAX_KEY - 13]}#{hashlib.sha1(key.encode()).hexdigest()[:12]}"
    return f"org:{key}", label


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc  # evaluation only (the dev extra): Traditional → Simplified Chinese

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    return str(_t2s().convert(text))  # type: ignore[attr-defined]


def _year(text: str) -> int | None:
    text = (text or "").strip()
    if m := re.match(r"^(\d{4})", text):
        return int(m.group(1))
    if m := re.match(r"^(\d{2,3})/", text):  # ROC calendar: 99/0 is 2010
        return 1911 + int(m.group(1))
    return None


def _codes(values: Iterable[str]) -> list[str]:
    return sorted({c for v in values if (c := ipc.normalize_ipc(v))})


def load_tw() -> list[Record]:
    path = shared_data() / "real-tw-academic-patents" / "tw_academic_patents_2011_2019.csv.gz"
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = [n.strip() for n in row["applicants"].split("|")]
            kinds = [k.strip() for k in row["applicant_types_rule"].split("|")]
            applicants, written = [], {}
            for name, kind in zip(names, kinds, strict=False):
                if kind == "other":
                    continue
                cjk = simplified(name)
                label = L.ENTERPRISE if kind == "firm" else classify_org(cjk)
                if kind == "acad" and label not in INSTITUTIONS:
                    label = L.RESEARCH_INSTITUTE  # 醫院 and 研究院 count as academic in the file
                found = _org(cjk, label)
                if found and found not in applicants:
                    applicants.append(found)
                    written[found[0]] = name
            title = simplified(row["title"])
            out.append(
                Record(
                    id=f"patent:tw-{row['uuid']}",
                    year=_year(row["app_year"]),
                    title=title,
                    abstract="",
                    applicants=applicants,
                    ipc=_codes([row["ipc_subclass"]]),
                    family=f"tw-{row['uuid']}",
                    inventors=[i.strip() for i in row["inventors"].split("|") if i.strip()],
                    names=written,
                )
            )
    return out


def load_patsnap() -> list[Record]:
    import openpyxl

    path = shared_data() / "real-patsnap-green-aviation" / "patsnap_green_aviation_20240401085613950.xlsx"
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    rows = sheet.iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    col = {h: i for i, h in enumerate(header)}
    out = []
    for row in rows:
        number = str(row[col["公开(公告)号"]] or "").strip()
        if not number:
            continue
        holders = str(row[col["[标]当前申请(专利权)人"]] or "")
        applicants, written = [], {}
        for name in holders.split("|"):
            found = _org(name)
            if found and found not in applicants:
                applicants.append(found)
                written[found[0]] = name.strip()
        codes = str(row[col["IPC分类号"]] or "").split("|")
        # CN103104575A and CN103104575B are one application: the number without its kind code.
        stem = re.sub(r"[A-Z]\d?$", "", number)
        out.append(
            Record(
                id=f"patent:{number}",
                year=_year(str(row[col["申请日"]] or "")),
                title=str(row[col["标题(译)(简体中文)"]] or "").strip(),
                abstract=str(row[col["摘要(译)(简体中文)"]] or "").strip(),
                applicants=applicants,
                ipc=_codes(codes),
                family=stem,
                names=written,
            )
        )
    return out


def load_lens() -> list[Record]:
    path = shared_data() / "patents-lens-drones" / "drones_fulltext_families_5884.csv.gz"
    out = []
    csv.field_size_limit(1 << 30)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            applicants, written = [], {}
            for name in (row.get("Applicants") or "").split(";;"):
                found = _org(name)
                if found and found not in applicants:
                    applicants.append(found)
                    written[found[0]] = name.strip()
            priority = (row.get("Priority Numbers") or "").strip()
            number = row["Publication Number"].strip()
            out.append(
                Record(
                    id=f"patent:{number}",
                    year=_year(row.get("Application Date") or ""),
                    title=(row.get("Title") or "").strip(),
                    abstract=(row.get("Full Text") or "")[:1500].strip(),
                    applicants=applicants,
                    ipc=_codes((row.get("IPCR Classifications") or "").split(";;")),
                    family=priority or number,
                    names=written,
                )
            )
    return out


LOADERS = {"tw": load_tw, "patsnap": load_patsnap, "lens": load_lens}


def projection(records: Iterable[Record], *, inventors: bool = True) -> nx.MultiDiGraph:
    """The records as a graph projection: organisations, patents, IPC nodes, inventors."""
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for r in records:
        g.add_node(
            r.id,
            label=L.PATENT,
            title=r.title,
            abstract=r.abstract,
            ipcCodes=r.ipc,
            applicationYear=r.year,
            kind="发明",
        )
        for order, (org, label) in enumerate(r.applicants, 1):
            if org not in g:
                g.add_node(org, label=label, name=r.names.get(org, org[4:]))
            g.add_edge(org, r.id, key=RelType.APPLIED_FOR, order=order)
        for code in r.ipc:
            node = ipc.node_id(code)
            if node not in g:
                g.add_node(node, label=L.IPC, code=code)
            g.add_edge(r.id, node, key=RelType.CLASSIFIED_AS)
        if inventors:
            # Inventors named the same under the same first applicant are one person (the
            # file has no better key); enough for the co-inventor ties, never merged across.
            first = r.applicants[0][0] if r.applicants else "none"
            for name in r.inventors:
                person = f"person:{first}:{name}"
                if person not in g:
                    g.add_node(person, label=L.PERSON, name=name)
                g.add_edge(person, r.id, key=RelType.INVENTED)
    return g
