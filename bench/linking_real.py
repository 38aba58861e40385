"""Linking quality on real files: hand-labelled groups of applicant / firm names.

    .venv/bin/python -m bench.linking_real [--data DIR] [--review-out FILE]

The label file ``bench/linking_real_labels.csv`` references records of four real files in
``$INNOGRAPH_SHARED_DATA`` (PatSnap export, Lens drone sample, Tianjin registry 2002, Taiwan
academic patents — Traditional Chinese, with 日商 / 美國 / 國立大學法人 prefixes): ``file``,
``row``, ``column``, the raw ``name`` and a ``group`` id. Names in one group are one organisation
(same spelling variants, abbreviations, accents, English ↔ Chinese); every other labelled name is
its own organisation — the look-alikes (哈尔滨/成都飞机工业, AIRBUS OPERATIONS GMBH/SAS, 大阪/大分)
are labelled on purpose, so precision is measured where it is hard.

Every distinct name of the four files is linked, in file order, the way ``innograph resolve``
does (against the MoE universities and CAS institutes of the reference data, then against the
names before it); predicted clusters are read for the labelled names and scored pairwise, per
script: Latin–Latin pairs, Chinese–Chinese pairs, and Chinese–Latin pairs. The baseline is exact
equality of the raw names after NFKC, upper case and punctuation removal.

Pairwise figures: pairs are not independent draws, so the Wilson 95 % intervals printed next to
them are indicative only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.model import NodeLabel  # noqa: E402
from ingest.names import has_cjk  # noqa: E402
from ingest.reference import default_data_dir, reference_changes  # noqa: E402
from ingest.resolve import Candidate, OrgResolver, classify_org  # noqa: E402

LABELS = ROOT / "bench" / "linking_real_labels.csv"
REVIEW_LABELS = ROOT / "bench" / "linking_review_labels.csv"
PATSNAP = "real-patsnap-green-aviation/patsnap_green_aviation_20240401085613950.xlsx"
LENS = "patents-lens-drones/drones_fulltext_families_5884.csv.gz"
REGISTRY = "real-tianjin-registry-2002/tianjin_registry_2002.csv"
TAIWAN = "real-tw-academic-patents/tw_academic_patents_2011_2019.csv.gz"
FILES = (PATSNAP, LENS, REGISTRY, TAIWAN)
PATSNAP_COLUMNS = ("[标]当前申请(专利权)人", "[标]原始申请(专利权)人")

#: The wrong merges the issue (#11) names: each pair must stay two organisations.
NAMED_DISTINCT = [
    ("哈尔滨飞机工业(集团)有限责任公司", "成都飞机工业(集团)有限责任公司"),
    ("哈尔滨飞机工业(集团)有限责任公司", "沈阳飞机工业(集团)有限公司"),
    ("成都飞机工业(集团)有限责任公司", "沈阳飞机工业(集团)有限公司"),
    ("陕西飞机工业有限责任公司", "石家庄飞机工业有限责任公司"),
    ("四川一电航空技术有限公司", "深圳一电航空技术有限公司"),
    ("海航航空技术(天津)有限责任公司", "海航航空技术有限公司"),
    ("国网河南新安县供电公司", "国网河南栾川县供电公司"),
    ("國立大學法人京都大學", "國立大學法人東京大學"),
    ("國立大學法人東京大學", "國立大學法人東京工業大學"),
    ("國立大學法人東京大學", "國立大學法人東京農工大學"),
    ("國立大學法人東京工業大學", "國立大學法人東京農工大學"),
    ("國立大學法人東京大學", "國立大學法人東北大學"),
    ("國立大學法人大阪大學", "國立大學法人大分大學"),
    ("國立大學法人富山大學", "國立大學法人山口大學"),
    ("國立大學法人山口大學", "國立大學法人山形大學"),
    ("國立大學法人富山大學", "國立大學法人岡山大學"),
    ("國立大學法人九州大學", "國立大學法人九州工業大學"),
    ("國立大學法人九州大學", "國立大學法人信州大學"),
    ("中国石油大学（北京）", "中国石油大学（华东）"),
    ("КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ", "이정용"),
    ("이정용", "リージェント クラフト インコーポレイテッド"),
]
#: …and these must be one organisation.
NAMED_SAME = [
    ("UNIV MICHIGAN", "THE REGENTS OF THE UNIV OF MICHIGAN"),
    ("INST SUPERIEUR DE L AERONAUTIQUE ET DE L ESPACE", "INST SUPÉRIEUR DE L AÉRONAUTIQUE ET DE L ESPACE"),
    ("UNIV WASHINGTON", "UNIV WASHINGTON THROUGH ITS CT FOR COMMERICALIZATION"),
    ("Harbin Engineering University", "哈尔滨工程大学"),
    ("Beijing University of Posts and Telecommunications (BUPT)", "北京邮电大学"),
    ("国防科技大学", "中国人民解放军国防科技大学"),
    ("中国科学院长春光学精密机械与物理研究所", "长春光学精密机械与物理研究所"),
    ("UNIV TSINGHUA", "清华大学"),
    ("Peking University", "北京大学"),
    ("Xiamen University", "厦门大学"),
]


@dataclass(frozen=True)
class Label:
    file: str
    row: int
    column: str
    name: str
    group: str


def read_labels(path: Path = LABELS) -> list[Label]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Label(r["file"], int(r["row"]), r["column"], r["name"], r["group"]) for r in csv.DictReader(f)
        ]


def file_names(data_dir: Path) -> dict[str, list[tuple[int, str, str]]]:
    """Every (row, column, name) of the three files, in file order (see :func:`credit_codes`)."""
    import openpyxl

    out: dict[str, list[tuple[int, str, str]]] = {}
    rows: list[tuple[int, str, str]] = []
    wb = openpyxl.load_workbook(data_dir / PATSNAP, read_only=True)
    sheet = wb.active
    assert sheet is not None
    it = sheet.iter_rows(values_only=True)
    head = [str(h) for h in next(it)]
    cols = [head.index(c) for c in PATSNAP_COLUMNS]
    for i, row in enumerate(it, start=2):
        for c in cols:
            for name in str(row[c] or "").split("|"):
                if name.strip():
                    rows.append((i, head[c], name.strip()))
    wb.close()
    out[PATSNAP] = rows
    rows = []
    with gzip.open(data_dir / LENS, "rt", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f), start=2):
            rows.extend(
                (i, "Applicants", n.strip()) for n in (r["Applicants"] or "").split(";;") if n.strip()
            )
    out[LENS] = rows
    rows = []
    with (data_dir / REGISTRY).open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.reader(f), start=1):
            if i > 1 and r and r[0].strip():
                rows.append((i, "企业名称", r[0].strip()))
    out[REGISTRY] = rows
    rows = []
    with gzip.open(data_dir / TAIWAN, "rt", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f), start=2):
            rows.extend((i, "applicants", n.strip()) for n in r["applicants"].split(" | ") if n.strip())
    out[TAIWAN] = rows
    return out


def credit_codes(data_dir: Path) -> dict[str, str]:
    """Registry name → its unified social credit code (what ingest links firms by first)."""
    out: dict[str, str] = {}
    with (data_dir / REGISTRY).open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.reader(f), start=1):
            if i > 1 and len(r) > 1 and r[0].strip() and re.fullmatch(r"[0-9A-Z]{18}", r[1].strip()):
                out[r[0].strip()] = r[1].strip()
    return out


def reference_resolver(data_dir: Path) -> OrgResolver:
    """The MoE universities (with ROR English names) and CAS institutes, as ingest would have them
    after ``innograph reference load``."""
    cs = reference_changes(data_dir, parts=("universities", "institutes"))
    resolver = OrgResolver()
    for label in (NodeLabel.UNIVERSITY, NodeLabel.RESEARCH_INSTITUTE):
        for props in cs.nodes.get(label, {}).values():
            resolver.add(
                Candidate(
                    str(props["id"]),
                    label,
                    str(props["name"]),
                    aliases=tuple(str(a) for a in props.get("aliases") or ()),  # type: ignore[attr-defined]
                    name_en=props.get("nameEn"),  # type: ignore[arg-type]
                )
            )
    return resolver


def _baseline_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).upper()
    return re.sub(r"[\W_]+", "", text)


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (float("nan"), float("nan"))
    z = 1.96
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _script(a: str, b: str) -> str:
    ca, cb = has_cjk(a), has_cjk(b)
    return "Chinese" if ca and cb else "Latin" if not ca and not cb else "Chinese–Latin"


def score(labels: list[Label], cluster_of: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Pairwise counts per script: true pairs, predicted pairs, right pairs, wrong merges."""
    out: dict[str, dict[str, Any]] = defaultdict(lambda: {"true": 0, "pred": 0, "tp": 0, "wrong": []})
    names = sorted({(lb.name, lb.group) for lb in labels})
    for (a, ga), (b, gb) in combinations(names, 2):
        same_true = ga == gb
        same_pred = cluster_of[a] == cluster_of[b]
        if not (same_true or same_pred):
            continue
        t = out[_script(a, b)]
        t["true"] += same_true
        t["pred"] += same_pred
        t["tp"] += same_true and same_pred
        if same_pred and not same_true:
            t["wrong"].append((a, b))
    return dict(out)


def cluster_names(
    resolver: OrgResolver, names: list[str], codes: dict[str, str] | None = None
) -> tuple[dict[str, str], list[dict[str, Any]], float]:
    """Link each name as ingest does — by credit code first where the registry gives one, then by
    name against the reference and the names before it; a name that links to nothing (or only
    reaches review) starts its own cluster."""
    codes = codes or {}
    start = time.perf_counter()
    cluster_of: dict[str, str] = {}
    lines: list[dict[str, Any]] = []
    for n, name in enumerate(names):
        decision = resolver.link(name, credit_code=codes.get(name))
        line: dict[str, Any] = {"input": name, "status": decision.status, "score": decision.score}
        if decision.entity_id is not None and decision.status in ("exact", "linked"):
            cluster_of[name] = decision.entity_id
        else:
            if decision.entity_id is not None:
                line["suggestion"] = {"name": resolver.candidate(decision.entity_id).name}
            cluster_of[name] = f"cluster:{n}"
            resolver.add(Candidate(cluster_of[name], classify_org(name), name, credit_code=codes.get(name)))
        lines.append(line)
    return cluster_of, lines, time.perf_counter() - start


def measure(data_dir: Path) -> dict[str, Any]:
    labels = read_labels()
    by_file = file_names(data_dir)
    index = {(f, r, c, n) for f, rows in by_file.items() for r, c, n in rows}
    missing = [lb for lb in labels if (lb.file, lb.row, lb.column, lb.name) not in index]
    if missing:
        raise SystemExit(f"{len(missing)} labels do not match their record, e.g. {missing[0]}")
    ordered = list(dict.fromkeys(n for f in FILES for _, _, n in by_file[f]))
    start = time.perf_counter()
    resolver = reference_resolver(data_dir)
    build_s = time.perf_counter() - start
    cluster_of, lines, link_s = cluster_names(resolver, ordered, credit_codes(data_dir))
    baseline = {n: _baseline_key(n) for n in ordered}
    named_resolver = reference_resolver(data_dir)
    named_clusters, _, _ = cluster_names(
        named_resolver, [n for pair in NAMED_DISTINCT + NAMED_SAME for n in pair]
    )
    patsnap_names = set(dict.fromkeys(n for _, _, n in by_file[PATSNAP]))
    review = [
        {"mention": line["input"], "candidate": line["suggestion"]["name"], "score": line["score"]}
        for line in lines
        if line["status"] == "review" and line["input"] in patsnap_names and "suggestion" in line
    ]
    return {
        "labels": labels,
        "strings": len(ordered),
        "reference": len(resolver.entity_ids())
        - sum(1 for c in cluster_of.values() if c.startswith("cluster:")),
        "build_s": build_s,
        "link_s": link_s,
        "resolver": score(labels, cluster_of),
        "baseline": score(labels, baseline),
        "named_wrong": [p for p in NAMED_DISTINCT if named_clusters[p[0]] == named_clusters[p[1]]],
        "named_missed": [p for p in NAMED_SAME if named_clusters[p[0]] != named_clusters[p[1]]],
        "review": review,
    }


def review_share(review: list[dict[str, Any]], path: Path = REVIEW_LABELS) -> tuple[int, int, int, list[Any]]:
    """(pairs, labelled true or ambiguous, labelled, unlabelled pairs) against the hand labels."""
    verdicts: dict[tuple[str, str], str] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            verdicts = {(r["mention"], r["candidate"]): r["verdict"] for r in csv.DictReader(f)}
    labelled = [
        verdicts[(r["mention"], r["candidate"])] for r in review if (r["mention"], r["candidate"]) in verdicts
    ]
    unlabelled = [r for r in review if (r["mention"], r["candidate"]) not in verdicts]
    worth = sum(v in ("same", "ambiguous") for v in labelled)
    return len(review), worth, len(labelled), unlabelled


def _row(name: str, t: dict[str, Any]) -> str:
    p = t["tp"] / t["pred"] if t["pred"] else float("nan")
    r = t["tp"] / t["true"] if t["true"] else float("nan")
    plo, phi = wilson(t["tp"], t["pred"])
    rlo, rhi = wilson(t["tp"], t["true"])
    return (
        f"| {name} | {t['true']} | {t['pred']} | {t['tp']} | {p:.3f} [{plo:.2f}, {phi:.2f}] | "
        f"{r:.3f} [{rlo:.2f}, {rhi:.2f}] | {len(t['wrong'])} |"
    )


def report(data_dir: Path) -> str:
    m = measure(data_dir)
    labels: list[Label] = m["labels"]
    groups = Counter(lb.group for lb in labels)
    out = [
        "## Real files: hand-labelled name groups (headline)\n",
        f"{len(labels)} labelled names ({sum(1 for g in groups.values() if g > 1)} organisations written "
        f"two or more ways, {sum(1 for g in groups.values() if g == 1)} look-alikes that are each their "
        f"own organisation) from the PatSnap export, the Lens drone sample, the Tianjin registry and the "
        f"Taiwan academic patents "
        f"(`bench/linking_real_labels.csv`). All {m['strings']} distinct names of the four files "
        f"were linked in file order against the reference universities and CAS institutes, in "
        f"{m['link_s']:.1f} s (index {m['build_s']:.1f} s). Pairwise; Wilson 95 % intervals "
        f"(indicative: pairs are not independent).\n",
        "| pairs | true pairs | predicted pairs | right | precision | recall | wrong merges |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for script in ("Latin", "Chinese", "Chinese–Latin"):
        if script in m["resolver"]:
            out.append(_row(f"{script} — resolver", m["resolver"][script]))
        if script in m["baseline"]:
            out.append(_row(f"{script} — baseline (exact raw name)", m["baseline"][script]))
    out.append("\nTargets: Latin P ≥ 0.98, R ≥ 0.90; Chinese P ≥ 0.99, R ≥ 0.95.\n")
    for script, t in m["resolver"].items():
        if t["wrong"]:
            out.append(f"Wrong merges ({script}): " + "; ".join(f"`{a}` = `{b}`" for a, b in t["wrong"][:12]))
    out.append(
        f"\nNamed cases of issue #11: {len(NAMED_DISTINCT)} pairs that must stay apart, "
        f"{len(m['named_wrong'])} merged {m['named_wrong'] or ''}; {len(NAMED_SAME)} pairs that must "
        f"link, {len(m['named_missed'])} missed {m['named_missed'] or ''}.\n"
    )
    n, worth, labelled, unlabelled = review_share(m["review"])
    share = worth / labelled if labelled else float("nan")
    lo, hi = wilson(worth, labelled)
    out.append(
        f"Review list of the PatSnap names: {n} pairs; hand-labelled {labelled} "
        f"(`bench/linking_review_labels.csv`), {worth} true or ambiguous = {share:.2f} "
        f"[{lo:.2f}, {hi:.2f}] (target ≥ 0.70).\n"
    )
    if unlabelled:
        out.append("Unlabelled review pairs: " + json.dumps(unlabelled[:20], ensure_ascii=False) + "\n")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data folder")
    parser.add_argument("--markdown", type=Path, help="also write the report here")
    args = parser.parse_args()
    text = report(Path(args.data or default_data_dir()))
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
