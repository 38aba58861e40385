"""Applicant typing: precision and recall of person / organisation on 320 hand-labelled real applicants.

    .venv/bin/python -m bench.applicant_typing [--labels FILE ...] [--data DIR] [--markdown FILE]

Two label files in ``bench/data/``, each row a distinct applicant string referenced by file,
record and column, labelled by hand ``person`` or ``organization`` (and, for the Taiwan rows,
whether it is a university):

- ``applicant_typing_labels.csv`` — 320 sampled at random (seed 11): 120 from the PatSnap
  green-aviation export (``[标]原始申请(专利权)人``), 120 from the Lens drone export
  (``Applicants``), 80 from the Taiwan academic-patent file (``applicants``). The rules were
  written while looking at these strings: a **development** set, optimistic.
- ``applicant_typing_holdout.csv`` — 150 more (seed 12; 60/60/30, none in the first set),
  labelled before the typer ever ran on them, no rule changed afterwards: the **held-out** figure.

Printed per class: precision and recall with Wilson 95 % intervals, for
:func:`ingest.applicants.type_applicant` and two sceptic's baselines: *all organisations* (what
ingest did before: every applicant became an Enterprise) and *short CJK names are persons*
(2–3 Chinese characters without 公司, everything else an organisation). For the Taiwan rows,
university recall of :func:`ingest.applicants.organization_label` against the old
``classify_org`` (which knew only simplified 大学/学院).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.model import NodeLabel  # noqa: E402
from graph.regions import shared_data_dir  # noqa: E402
from ingest.applicants import organization_label, type_applicant  # noqa: E402
from ingest.names import classify_label  # noqa: E402

LABELS = [
    ROOT / "bench" / "data" / "applicant_typing_labels.csv",
    ROOT / "bench" / "data" / "applicant_typing_holdout.csv",
]
TAIWAN = Path("real-tw-academic-patents") / "tw_academic_patents_2011_2019.csv.gz"
Typer = Callable[[str], str]


def wilson(hits: int, n: int) -> tuple[float, float]:
    """Wilson score interval at 95 % (z = 1.96); (0, 1) for n = 0."""
    if n == 0:
        return 0.0, 1.0
    z = 1.96
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _fmt(hits: int, n: int) -> str:
    if n == 0:
        return "— (0/0)"
    low, high = wilson(hits, n)
    return f"{hits / n:.3f} [{low:.3f}, {high:.3f}] ({hits}/{n})"


def scores(rows: list[dict[str, str]], typer: Typer) -> dict[str, tuple[str, str]]:
    """Class → (precision, recall), each formatted with its interval and counts."""
    out = {}
    for cls in ("person", "organization"):
        predicted = [r for r in rows if typer(r["applicant"]) == cls]
        actual = [r for r in rows if r["label"] == cls]
        tp = sum(1 for r in predicted if r["label"] == cls)
        out[cls] = (_fmt(tp, len(predicted)), _fmt(tp, len(actual)))
    return out


def _all_orgs(_: str) -> str:
    return "organization"


def _short_cjk(name: str) -> str:
    chars = re.sub(r"\s", "", name)
    short = 2 <= len(chars) <= 3 and all("\u4e00" <= c <= "\u9fff" for c in chars) and "公司" not in chars
    return "person" if short else "organization"


def _typed(name: str) -> str:
    return type_applicant(name).kind


def report(rows: list[dict[str, str]]) -> list[str]:
    lines = [
        f"{len(rows)} applicants: {sum(r['label'] == 'person' for r in rows)} persons, "
        f"{sum(r['label'] == 'organization' for r in rows)} organisations (hand labels)",
        "",
        "| typer | person precision | person recall | organisation precision | organisation recall |",
        "|---|---|---|---|---|",
    ]
    for name, typer in (
        ("`type_applicant`", _typed),
        ("baseline: all organisations (before)", _all_orgs),
        ("baseline: 2–3 CJK characters = person", _short_cjk),
    ):
        s = scores(rows, typer)
        lines.append(
            f"| {name} | {s['person'][0]} | {s['person'][1]} | "
            f"{s['organization'][0]} | {s['organization'][1]} |"
        )
    lines += ["", "By file (`type_applicant`):", ""]
    lines += [
        "| file | n | person P | person R | organisation P | organisation R |",
        "|---|---|---|---|---|---|",
    ]
    for folder in sorted({r["file"].split("/")[0] for r in rows}):
        part = [r for r in rows if r["file"].startswith(folder)]
        s = scores(part, _typed)
        lines.append(
            f"| {folder} | {len(part)} | {s['person'][0]} | {s['person'][1]} | "
            f"{s['organization'][0]} | {s['organization'][1]} |"
        )
    tw = [r for r in rows if r["university"] == "yes"]
    new = sum(organization_label(r["applicant"]) is NodeLabel.UNIVERSITY for r in tw)
    old = sum(classify_label(r["applicant"]) == "University" for r in tw)
    not_uni = [r for r in rows if r["university"] == "no" and r["label"] == "organization"]
    wrong = sum(organization_label(r["applicant"]) is NodeLabel.UNIVERSITY for r in not_uni)
    lines += [
        "",
        f"Taiwan universities typed `University`: `organization_label` {_fmt(new, len(tw))}; "
        f"old `classify_org` {_fmt(old, len(tw))}. Taiwan non-university organisations typed "
        f"`University`: {wrong} of {len(not_uni)}.",
    ]
    errors = [r for r in rows if _typed(r["applicant"]) != r["label"]]
    lines += ["", f"Mistyped ({len(errors)}):", ""]
    lines += [
        f"- `{r['applicant']}` ({r['file'].split('/')[0]} {r['record']}): labelled {r['label']}, "
        f"typed by `{type_applicant(r['applicant']).rule}`"
        for r in errors
    ]
    return lines


def taiwan_academic(data_dir: Path) -> list[str]:
    """Every applicant the Taiwan file's own keyword rule calls ``acad`` (a derived label, not
    ours): how many type as University / ResearchInstitute now and with the old rules."""
    path = data_dir / TAIWAN
    if not path.exists():
        return [f"(Taiwan file not found at {path}: set INNOGRAPH_SHARED_DATA or --data)"]
    academic: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names = row["applicants"].split(" | ")
            types = row["applicant_types_rule"].split(" | ")
            academic |= {n.strip() for n, t in zip(names, types, strict=False) if t == "acad"}
    research = {NodeLabel.UNIVERSITY, NodeLabel.RESEARCH_INSTITUTE}
    new = sum(organization_label(n) in research for n in academic)
    old = sum(classify_label(n) in ("University", "ResearchInstitute") for n in academic)
    return [
        "",
        f"All {len(academic)} distinct applicants the Taiwan file's own rule calls academic "
        f"(derived labels): typed University or ResearchInstitute by `organization_label` "
        f"{_fmt(new, len(academic))}; by the old `classify_org` {_fmt(old, len(academic))}.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, nargs="+", default=LABELS)
    parser.add_argument("--data", type=Path, default=shared_data_dir(), help="the shared data folder")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    lines: list[str] = []
    for path in args.labels:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        lines += [f"### {path.name}", "", *report(rows), ""]
    lines += taiwan_academic(args.data)
    print("\n".join(lines))
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
