"""Linking quality: precision and recall of organisation links on hand-labelled real files (the
headline, :mod:`bench.linking_real`), then on the demo ground truth, and how the Lens drone
sample's applicant strings collapse.

    .venv/bin/python -m bench.linking_quality [--scale 1] [--data DIR] [--lens PATH] [--markdown FILE]

Three measurements on the demo set (``innograph demo generate``; ground truth in ``truth/``):

A. **Organisation links against a reference.** Candidates are what reference sources give:
   each organisation's official name, credit code, English name and 简称 list — never the
   mention texts in the truth file. Every organisation mention in the raw files is linked;
   a link counts when the status is ``exact`` or ``linked``. Precision = right links / links;
   recall = right links / mentions. Mentions in the files that *define* the entities (the
   registries) are reported separately, because they are trivially exact.
B. **Clustering without a reference** (what ``innograph resolve --no-store`` does): distinct
   mention texts are linked to each other only; pairwise precision and recall of the clusters.
C. **Person links.** Person mentions (talent roster, project leaders, inventors) are linked in
   file order by :class:`ingest.persons.PersonResolver` with the row's context (affiliation
   from the organisation link of A, co-inventors, IPC); pairwise precision and recall of the
   resulting persons, next to a name-only baseline.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.model import ORGANIZATION_LABELS, NodeLabel  # noqa: E402
from ingest.persons import PersonResolver, person_name_key  # noqa: E402
from ingest.readers import read_table  # noqa: E402
from ingest.resolve import Candidate, OrgResolver  # noqa: E402

LENS = Path(os.environ.get("INNOGRAPH_SHARED_DATA", ROOT.parent / "shared" / "data")) / (
    "patents-lens-drones/drones_fulltext_families_5884.csv.gz"
)
ORG_LABELS = {label.value for label in ORGANIZATION_LABELS}
#: Files that define the entities: their mentions are the candidates' own names.
REFERENCE_FILES = {
    "raw/enterprise_registry.csv",
    "raw/research_institutes.csv",
    "raw/incubators.csv",
    "raw/productivity_centers.csv",
}
_SPLIT = re.compile(r"\s*[;；、]\s*")


@dataclass
class Tally:
    mentions: int = 0
    links: int = 0
    right: int = 0
    review: int = 0
    review_right: int = 0
    new: int = 0
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # (text, truth, linked)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (text, truth, status)

    @property
    def precision(self) -> float:
        return self.right / self.links if self.links else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.mentions if self.mentions else 1.0


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ensure_demo(scale: int, data: Path | None) -> Path:
    if data is not None:
        return data
    out = Path(tempfile.mkdtemp(prefix=f"innograph-demo-x{scale}-"))
    from demo.generate import generate

    generate(out, scale=scale)
    return out


def reference_candidates(entities: Iterable[dict[str, Any]]) -> list[Candidate]:
    """What reference sources know of each organisation (not the truth's mention aliases)."""
    out = []
    for e in entities:
        if e["label"] not in ORG_LABELS:
            continue
        out.append(
            Candidate(
                id=e["id"],
                label=NodeLabel(e["label"]),
                name=e["name"],
                aliases=tuple(e.get("short") or ()),
                credit_code=e.get("creditCode"),
                name_en=e.get("nameEn") or None,
            )
        )
    return out


def measure_orgs(
    resolver: OrgResolver, mentions: list[dict[str, Any]]
) -> tuple[dict[str, Tally], dict[tuple[str, int, str, int], str | None]]:
    """Link every organisation mention; per-file tallies and the link of each mention."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    linked_to: dict[tuple[str, int, str, int], str | None] = {}
    for m in mentions:
        if m["label"] not in ORG_LABELS:
            continue
        d = resolver.link(m["text"])
        t = tallies[m["file"]]
        t.mentions += 1
        got = d.entity_id if d.status in ("exact", "linked") else None
        linked_to[(m["file"], m["row"], m["column"], m["order"])] = got
        if got is not None:
            t.links += 1
            if got == m["entity"]:
                t.right += 1
            else:
                t.wrong.append((m["text"], m["entity"], f"{got} ({d.score}, {d.evidence.get('rule')})"))
        else:
            if d.status == "review":
                t.review += 1
                t.review_right += d.entity_id == m["entity"]
            else:
                t.new += 1
            t.missed.append((m["text"], m["entity"], f"{d.status} {d.score}"))
    return tallies, linked_to


def _pairs(groups: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in groups)


def pairwise(predicted: dict[Any, str], truth: dict[Any, str]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of a clustering; also the numbers of clusters and entities."""
    both = Counter((predicted[k], truth[k]) for k in truth)
    tp = _pairs(both.values())
    pred_pairs = _pairs(Counter(predicted[k] for k in truth).values())
    true_pairs = _pairs(Counter(truth.values()).values())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    return precision, recall, len(set(predicted.values())), len(set(truth.values()))


def measure_clusters(mentions: list[dict[str, Any]]) -> tuple[float, float, int, int, int]:
    """Distinct (text, entity) items of the non-reference files, clustered against each other only."""
    from innograph_cli.resolve import resolve_names

    items = sorted(
        {
            (m["text"], m["entity"])
            for m in mentions
            if m["label"] in ORG_LABELS and m["file"] not in REFERENCE_FILES
        }
    )
    texts = sorted({t for t, _ in items})
    cluster_of = {line["input"]: line["cluster"] for line in resolve_names(OrgResolver(), texts)}
    predicted = {(t, e): cluster_of[t] for t, e in items}
    truth = {(t, e): e for t, e in items}
    p, r, n_pred, n_true = pairwise(predicted, truth)
    return p, r, n_pred, n_true, len(items)


# -- persons ------------------------------------------------------------------------------------


def _cells(data: Path, file: str) -> tuple[list[str], dict[int, tuple[Any, ...]]]:
    table = read_table(data / file)
    headers = [unicodedata.normalize("NFKC", h) for h in table.headers]
    return headers, {row.number: row.cells for row in table.rows}


def measure_persons(
    data: Path, mentions: list[dict[str, Any]], org_links: dict[tuple[str, int, str, int], str | None]
) -> dict[str, Any]:
    """Persons linked in file order with row context; pairwise scores vs. a name-only baseline."""
    person_mentions = [m for m in mentions if m["label"] == "Person"]
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in person_mentions:
        by_file[m["file"]].append(m)
    # Which organisation column gives a person's affiliation, per file.
    org_column = {
        "raw/talent_roster.xlsx": "工作单位",
        "raw/funded_projects.csv": "承担单位",
        "raw/patents_export.csv": "申请（专利权）人",
    }
    resolver = PersonResolver()
    predicted: dict[tuple[str, int, int], str] = {}
    truth: dict[tuple[str, int, int], str] = {}
    name_only: dict[tuple[str, int, int], str] = {}
    decisions: Counter[str] = Counter()
    created = 0
    for file in ("raw/talent_roster.xlsx", "raw/funded_projects.csv", "raw/patents_export.csv"):
        headers, rows = _cells(data, file)
        orgs_by_row: dict[int, list[str]] = defaultdict(list)
        for (f, row, column, _order), entity in sorted(org_links.items(), key=lambda kv: kv[0]):
            if f == file and column == org_column[file] and entity:
                orgs_by_row[row].append(entity)
        ipc_col = headers.index("IPC分类号") if "IPC分类号" in headers else None
        for m in sorted(by_file[file], key=lambda m: (m["row"], m["order"])):
            cells = rows.get(m["row"], ())
            column = headers.index(unicodedata.normalize("NFKC", m["column"]))
            names = [n for n in _SPLIT.split(str(cells[column] or "")) if n] if column < len(cells) else []
            coauthors = [n for n in names if n != m["text"]]
            ipcs = (
                _SPLIT.split(str(cells[ipc_col] or ""))
                if ipc_col is not None and ipc_col < len(cells)
                else []
            )
            affiliations = orgs_by_row.get(m["row"], [])
            # The row's first organisation is the person's, as the ingest pipeline takes it; the
            # co-applicants of a patent are weaker evidence.
            first = affiliations[0] if affiliations else None
            d = resolver.link(
                m["text"],
                affiliation_id=first,
                affiliation_ids=affiliations,
                coauthors=coauthors,
                ipc_subclasses=ipcs,
            )
            decisions[d.status] += 1
            if d.status == "linked" and d.entity_id:
                pid = d.entity_id
            else:
                created += 1
                pid = f"p{created}"
            resolver.add(
                pid,
                m["text"],
                affiliation_id=first,
                coauthors=coauthors,
                ipc_subclasses=ipcs,
                affiliation_ids=affiliations,
            )
            key = (m["file"], m["row"], m["order"])
            predicted[key] = pid
            truth[key] = m["entity"]
            name_only[key] = person_name_key(m["text"])
    p, r, n_pred, n_true = pairwise(predicted, truth)
    bp, br, bn_pred, _ = pairwise(name_only, truth)
    return {
        "mentions": len(truth),
        "persons": n_true,
        "precision": p,
        "recall": r,
        "clusters": n_pred,
        "baseline_precision": bp,
        "baseline_recall": br,
        "baseline_clusters": bn_pred,
        "decisions": dict(decisions),
    }


# -- the whole pipeline ---------------------------------------------------------------------------


def _text_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def measure_pipeline(data: Path, mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """Ingest the demo's raw files with their specs (``ingest.pipeline.ingest_specs``) into a fresh
    embedded store, then find each organisation mention text among the graph's organisations'
    names and aliases: pairwise precision and recall of the graph's organisations."""
    from graph.embedded import EmbeddedStore
    from ingest.pipeline import ingest_specs

    specs = sorted((data / "specs").glob("*.toml"))
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "graph.innograph")
        start = time.perf_counter()
        ingest_specs(store, specs)
        seconds = time.perf_counter() - start
        nodes = [n for label in sorted(ORGANIZATION_LABELS) for n in store.nodes(label)]
        store.close()
    node_of: dict[str, set[str]] = defaultdict(set)
    for node in nodes:
        for form in [node.props.get("name") or "", *(node.props.get("aliases") or [])]:
            node_of[_text_key(form)].add(node.id)
    items = sorted({(m["text"], m["entity"]) for m in mentions if m["label"] in ORG_LABELS})
    predicted: dict[tuple[str, str], str] = {}
    missing = ambiguous = 0
    for text, entity in items:
        ids = sorted(node_of.get(_text_key(text), ()))
        missing += not ids
        ambiguous += len(ids) > 1
        predicted[(text, entity)] = ids[0] if ids else f"missing:{text}"
    p, r, n_pred, _ = pairwise(predicted, {item: item[1] for item in items})
    impure = []
    members: dict[str, set[str]] = defaultdict(set)
    for (_text, entity), node in predicted.items():
        members[node].add(entity)
    for node, entities in sorted(members.items()):
        if len(entities) > 1:
            impure.append((node, sorted(t for (t, e), n in predicted.items() if n == node)))
    nodes_of_entity: dict[str, set[str]] = defaultdict(set)
    for (_text, entity), node in predicted.items():
        nodes_of_entity[entity].add(node)
    split = Counter()
    for entity, found in nodes_of_entity.items():
        if len(found) > 1:
            split[entity.split(":")[0]] += 1
    truth_orgs = len({e for _, e in items})
    return {
        "items": len(items),
        "precision": p,
        "recall": r,
        "graph_orgs": len(nodes),
        "truth_orgs": truth_orgs,
        "clusters": n_pred,
        "missing": missing,
        "ambiguous": ambiguous,
        "impure": impure[:10],
        "split": dict(split),
        "seconds": seconds,
    }


# -- Lens -----------------------------------------------------------------------------------------


def measure_lens(path: Path) -> dict[str, Any]:
    """How many distinct applicant strings of the Lens sample collapse into how many organisations."""
    from innograph_cli.resolve import resolve_names

    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    strings = sorted({a.strip() for row in rows for a in (row["Applicants"] or "").split(";;") if a.strip()})
    start = time.perf_counter()
    lines = list(resolve_names(OrgResolver(), strings))
    seconds = time.perf_counter() - start
    clusters: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        clusters[line["cluster"]].append(line["input"])
    merged = sorted((v for v in clusters.values() if len(v) > 1), key=lambda v: (-len(v), v))
    academic = [v for v in merged if any(re.search(r"\b(UNIV|INST|ACAD|COLLEGE)", s) for s in v)]
    status = Counter(line["status"] for line in lines)
    return {
        "strings": len(strings),
        "clusters": len(clusters),
        "merged_groups": len(merged),
        "examples": merged[:15],
        "academic": academic[:12],
        "status": dict(status),
        "seconds": seconds,
    }


# -- report ---------------------------------------------------------------------------------------


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for t in tallies:
        total.mentions += t.mentions
        total.links += t.links
        total.right += t.right
        total.review += t.review
        total.review_right += t.review_right
        total.new += t.new
        total.wrong += t.wrong
        total.missed += t.missed
    return total


def report(data: Path, scale: int, lens: Path | None, *, pipeline: bool = True) -> str:
    entities = _jsonl(data / "truth" / "entities.jsonl")
    mentions = _jsonl(data / "truth" / "mentions.jsonl")
    candidates = reference_candidates(entities)
    start = time.perf_counter()
    resolver = OrgResolver(candidates)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    tallies, org_links = measure_orgs(resolver, mentions)
    link_s = time.perf_counter() - start
    out: list[str] = []
    out.append(
        f"## Demo ×{scale}: organisation links against the reference ({len(candidates)} organisations)\n"
    )
    out.append("| file | mentions | links | right | precision | recall | review (right) | new |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for file in sorted(tallies):
        t = tallies[file]
        marker = " (reference)" if file in REFERENCE_FILES else ""
        out.append(
            f"| {file}{marker} | {t.mentions} | {t.links} | {t.right} | {t.precision:.4f} | "
            f"{t.recall:.4f} | {t.review} ({t.review_right}) | {t.new} |"
        )
    other = _sum(t for f, t in tallies.items() if f not in REFERENCE_FILES)
    total = _sum(tallies.values())
    for name, t in (("**all but reference files**", other), ("**all files**", total)):
        out.append(
            f"| {name} | {t.mentions} | {t.links} | {t.right} | **{t.precision:.4f}** | "
            f"**{t.recall:.4f}** | {t.review} ({t.review_right}) | {t.new} |"
        )
    n_org = sum(t.mentions for t in tallies.values())
    out.append(
        f"\nIndex built in {build_s:.2f} s; {n_org} mentions linked in {link_s:.2f} s "
        f"({n_org / link_s:,.0f} mentions/s). Targets: precision ≥ 0.98, recall ≥ 0.95.\n"
    )
    if total.wrong:
        out.append(
            "Wrong links (up to 10): " + "; ".join(f"`{a}` → {c} (truth {b})" for a, b, c in total.wrong[:10])
        )
    if total.missed:
        missed = Counter((a, b, c) for a, b, c in total.missed)
        out.append(
            "\nMissed (up to 15 distinct): "
            + "; ".join(f"`{a}` (truth {b}, {c}, ×{n})" for (a, b, c), n in missed.most_common(15))
        )

    p, r, n_pred, n_true, n_items = measure_clusters(mentions)
    out.append(f"\n## Demo ×{scale}: clustering without a reference (`innograph resolve --no-store`)\n")
    out.append(
        "| distinct (text, entity) items | true organisations | clusters "
        "| pairwise precision | pairwise recall |"
    )
    out.append("|---:|---:|---:|---:|---:|")
    out.append(f"| {n_items} | {n_true} | {n_pred} | {p:.4f} | {r:.4f} |")

    persons = measure_persons(data, mentions, org_links)
    out.append(f"\n## Demo ×{scale}: person links (name + affiliation + co-inventors + IPC)\n")
    out.append("| method | mentions | true persons | persons found | pairwise precision | pairwise recall |")
    out.append("|---|---:|---:|---:|---:|---:|")
    out.append(
        f"| PersonResolver | {persons['mentions']} | {persons['persons']} | {persons['clusters']} | "
        f"{persons['precision']:.4f} | {persons['recall']:.4f} |"
    )
    out.append(
        f"| name only (baseline) | {persons['mentions']} | {persons['persons']} | "
        f"{persons['baseline_clusters']} | {persons['baseline_precision']:.4f} | "
        f"{persons['baseline_recall']:.4f} |"
    )
    out.append(f"\nDecisions: {persons['decisions']}")

    if pipeline and any((data / "specs").glob("*.toml")):
        pr = measure_pipeline(data, mentions)
        out.append(f"\n## Demo ×{scale}: the whole ingest pipeline (`ingest_specs` on the demo specs)\n")
        out.append(
            "Every organisation mention text is looked up among the graph's organisation names and "
            "aliases after ingest; pairwise scores over distinct (text, entity) items.\n"
        )
        out.append(
            "| items | truth organisations | graph organisations | items not found | pairwise precision "
            "| pairwise recall | ingest s |"
        )
        out.append("|---:|---:|---:|---:|---:|---:|---:|")
        out.append(
            f"| {pr['items']} | {pr['truth_orgs']} | {pr['graph_orgs']} | {pr['missing']} | "
            f"{pr['precision']:.4f} | {pr['recall']:.4f} | {pr['seconds']:.1f} |"
        )
        out.append(
            f"\nOrganisations whose mentions ended in more than one graph node, by id prefix: {pr['split']}"
        )
        for node, texts in pr["impure"]:
            out.append(
                f"- graph node `{node}` holds mentions of several organisations: {', '.join(texts[:8])}"
            )

    if lens is not None and lens.exists():
        lr = measure_lens(lens)
        out.append("\n## Lens drone sample: applicant strings clustered against each other\n")
        out.append(
            f"{lr['strings']} distinct applicant strings → {lr['clusters']} organisations "
            f"({lr['strings'] / max(lr['clusters'], 1):.3f} strings per organisation; "
            f"{lr['merged_groups']} groups of 2+ strings) in {lr['seconds']:.1f} s. "
            f"Statuses: {lr['status']}.\n"
        )
        out.append("Largest groups:\n")
        for group in lr["examples"]:
            out.append("- " + " = ".join(f"`{g}`" for g in group[:6]) + (" …" if len(group) > 6 else ""))
        out.append("\nGroups with a university or institute:\n")
        for group in lr["academic"]:
            out.append("- " + " = ".join(f"`{g}`" for g in group[:6]))
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--data", type=Path, help="an already generated demo folder")
    parser.add_argument("--lens", type=Path, default=LENS)
    parser.add_argument("--no-lens", action="store_true")
    parser.add_argument("--markdown", type=Path, help="also write the report here")
    parser.add_argument("--no-pipeline", action="store_true", help="skip the whole-pipeline measurement")
    parser.add_argument(
        "--no-real", action="store_true", help="skip the real-file section (bench/linking_real.py)"
    )
    args = parser.parse_args()
    real = ""
    if not args.no_real:
        from bench.linking_real import report as real_report
        from ingest.reference import default_data_dir

        # The headline: hand-labelled groups from real exports. The demo figures below are a
        # regression check only (the demo is generated by this project).
        real = real_report(default_data_dir())
    data = ensure_demo(args.scale, args.data)
    try:
        text = real + report(
            data, args.scale, None if args.no_lens else args.lens, pipeline=not args.no_pipeline
        )
    finally:
        if args.data is None:  # generated here: do not leave it behind
            shutil.rmtree(data, ignore_errors=True)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rev = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    header = (
        f"# Linking quality\n\nMeasured {when} at commit {rev or '?'} (plus working tree) on "
        f"2 cores / 24 GiB, with `.venv/bin/python -m bench.linking_quality --scale {args.scale}`.\n\n"
    )
    print(header + text)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
