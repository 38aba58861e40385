"""``build_demo``: generate the demo set, load reference data, ingest it, read the calibration back.

Ingest is one call of :func:`ingest.pipeline.ingest_specs` over every spec, in file-name order:
the master lists (parks, institutes, registry, tech-SME list, incubators, productivity centres,
``01_``–``06_``) come before the files that only *mention* organisations (patents, alliances,
rosters, projects, transfers, demands, achievements). Every organisation a row creates — whatever
its key — is linkable by its name, 简称, English name and credit code for the rest of the call
(:class:`ingest.builder.GraphBuilder`), so the mentions find the master entities without a
second call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo.generate import GenerationResult, generate
from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from ingest.reconcile import IngestReport
from ingest.reference import ReferenceDataError, ReferenceReport, default_data_dir, load_reference

#: Spec files (by name prefix) that hold master data: they sort, and so are ingested, first.
MASTER_PREFIXES = ("01_", "02_", "03_", "04_", "05_", "06_")
LITTLE_GIANT_YUAN = 1e8


@dataclass
class BuildResult:
    generation: GenerationResult
    reference: ReferenceReport | None
    reference_note: str
    reports: list[IngestReport] = field(default_factory=list)
    calibration: dict[str, Any] = field(default_factory=dict)


def spec_phases(specs: list[Path]) -> list[list[Path]]:
    """The ingest calls for ``specs``: one, master lists first (kept as a list of calls for
    ``bench/ingest_throughput.py``, which replays whatever the demo build does)."""
    master = [p for p in specs if p.name.startswith(MASTER_PREFIXES)]
    rest = [p for p in specs if p not in master]
    return [master + rest] if specs else []


def build_demo(
    store: GraphStore,
    out: Path,
    *,
    scale: int = 1,
    seed: int = 20101231,
    shared_data: Path | None = None,
    reference: bool = True,
    runs_dir: Path | None = None,
    progress: bool = False,
) -> BuildResult:
    """Generate into ``out``, load reference data (when found), ingest, and measure the graph."""
    from ingest.pipeline import ingest_specs

    generation = generate(out, scale=scale, seed=seed)
    ref_report: ReferenceReport | None = None
    note = "reference data not requested"
    if reference:
        data_dir = Path(shared_data or default_data_dir())
        if data_dir.is_dir():
            try:
                ref_report = load_reference(store, data_dir)
                note = f"reference data loaded from {data_dir}"
            except ReferenceDataError as e:
                note = f"reference data skipped: {e}"
        else:
            note = (
                f"reference data not found at {data_dir}; continuing without it (set INNOGRAPH_SHARED_DATA)"
            )
    result = BuildResult(generation, ref_report, note)
    for specs in spec_phases(generation.spec_paths):
        result.reports.append(
            ingest_specs(store, specs, progress=progress, data_dir=runs_dir, save=runs_dir is not None)
        )
    result.calibration = graph_calibration(store)
    return result


def graph_calibration(store: GraphStore) -> dict[str, Any]:
    """The Dongli baseline figures as the graph now shows them."""
    firms = store.nodes(NodeLabel.ENTERPRISE)
    smes = {n.id: n for n in firms if n.props.get("techSme")}
    strategic_ids = {n.id for n in store.nodes(NodeLabel.INDUSTRY) if n.id.startswith("industry:DONGLI:")}
    strategic_firms = {
        r.start
        for r in store.relationships(RelType.IN_INDUSTRY)
        if r.start in smes and r.end in strategic_ids
    }
    patents = store.nodes(NodeLabel.PATENT)
    valid = [p for p in patents if p.props.get("status") == "有效"]
    alliances = store.nodes(NodeLabel.ALLIANCE)
    parks = store.nodes(NodeLabel.PARK)
    located = {r.start for r in store.relationships(RelType.LOCATED_IN) if r.start in smes}
    return {
        "techSmes": len(smes),
        "littleGiants": sum(
            1 for n in smes.values() if float(n.props.get("revenue") or 0) >= LITTLE_GIANT_YUAN
        ),
        "strategicFirms": len(strategic_firms),
        # As of 2010: the 2010 park register when yearly ones are loaded (later years' lists link
        # firms that settled in a park after 2010, and LOCATED_IN carries no date).
        "firmsInParks": len({m.id for m in store.list_members("park", 2010)} & set(smes)) or len(located),
        "validPatents": len(valid),
        "inventionPatents": sum(1 for p in valid if p.props.get("kind") == "发明"),
        "consortia": sum(1 for a in alliances if a.props.get("kind") == "产学研联合体"),
        "strategicAlliances": sum(1 for a in alliances if a.props.get("kind") == "产业技术创新战略联盟"),
        "productivityCenters": len(store.nodes(NodeLabel.PRODUCTIVITY_CENTER)),
        # As of 2010, the baseline: the 2010 incubator list when yearly lists are loaded.
        "incubators": len(store.list_members("incubator", 2010)) or len(store.nodes(NodeLabel.INCUBATOR)),
        "nationalBases": sum(
            1 for p in parks if p.props.get("kind") == "产业化基地" and p.props.get("level") == "国家级"
        ),
        "fundedProjects": sum(1 for p in store.nodes(NodeLabel.PROJECT) if p.props.get("status") == "立项"),
        "techTransfers": len(store.relationships(RelType.TRANSFERRED_TO)),
    }
