"""Reconciliation: every row read is loaded, merged or quarantined — and the run says which.

The pipeline fills an :class:`IngestReport`; this module checks its arithmetic and saves it
under ``<INNOGRAPH_DATA_DIR>/ingest-runs/<run id>/`` as ``reconciliation.json``,
``quarantine.csv`` / ``quarantine.jsonl``, ``warnings.csv`` / ``warnings.jsonl`` (rows loaded with a
cell kept unknown), ``review.jsonl`` and ``links.jsonl``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import IngestError

_MAX_VALUE_CHARS = 200  # a quarantined value is shown, not stored whole (oversized fields)


@dataclass(frozen=True)
class QuarantinedRow:
    source: str
    file: str
    row: int
    column: str | None
    value: str | None
    reason: str

    @staticmethod
    def of(source: str, file: str, row: int, column: str | None, value: Any, reason: str) -> QuarantinedRow:
        shown = None if value is None else str(value)
        if shown is not None and len(shown) > _MAX_VALUE_CHARS:
            shown = shown[:_MAX_VALUE_CHARS] + f"… ({len(str(value))} characters)"
        return QuarantinedRow(source, file, row, column, shown, reason)


@dataclass(frozen=True)
class LinkRecord:
    """One resolver decision: which mention in which row linked where, how sure, and why."""

    file: str
    row: int
    column: str
    mention: str
    status: str
    entity_id: str | None
    label: str | None
    score: float
    evidence: dict[str, Any]


@dataclass
class FileReport:
    source: str
    spec: str
    file: str
    run_id: str
    format: str = ""
    encoding: str | None = None
    rows_read: int = 0
    loaded: int = 0
    merged: int = 0
    quarantined: int = 0
    warnings: list[str] = field(default_factory=list)
    warned: int = 0  # rows loaded with a warning (IngestReport.row_warnings)
    links: dict[str, dict[str, int]] = field(default_factory=dict)  # target -> status -> count
    unused_columns: list[str] = field(default_factory=list)  # headers no spec column reads

    def count_link(self, target: str, status: str) -> None:
        by_status = self.links.setdefault(target, {})
        by_status[status] = by_status.get(status, 0) + 1

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.loaded + self.merged + self.quarantined


@dataclass
class IngestReport:
    run_id: str
    dry_run: bool
    store: str
    files: list[FileReport] = field(default_factory=list)
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    #: Cells of loaded rows kept as unknown (an address no division is found for): same shape
    #: as a quarantine entry — source, file, row, column, value, reason — but the row is loaded.
    row_warnings: list[QuarantinedRow] = field(default_factory=list)
    review: list[LinkRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    nodes_written: int = 0
    relationships_written: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    output_dir: Path | None = None

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def merged(self) -> int:
        return sum(f.merged for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)

    def check(self) -> None:
        """Raise if any file's rows do not add up — a pipeline bug must never pass silently."""
        for f in self.files:
            if not f.balanced:
                raise IngestError(
                    f"{f.file}: reconciliation does not add up: read {f.rows_read} != loaded {f.loaded} "
                    f"+ merged {f.merged} + quarantined {f.quarantined}",
                    file=f.file,
                )

    def summary(self) -> dict[str, Any]:
        return {
            "runId": self.run_id,
            "dryRun": self.dry_run,
            "store": self.store,
            "rowsRead": self.rows_read,
            "loaded": self.loaded,
            "merged": self.merged,
            "quarantined": self.quarantined,
            "review": len(self.review),
            "warnings": len(self.row_warnings),
            "nodesWritten": self.nodes_written,
            "relationshipsWritten": self.relationships_written,
            "seconds": self.seconds,
            "files": [asdict(f) for f in self.files],
        }


def save_report(report: IngestReport, runs_dir: Path) -> Path:
    """Write the run's files under ``runs_dir/<run id>[-dry-run]/`` and return that folder."""
    out = runs_dir / (report.run_id + ("-dry-run" if report.dry_run else ""))
    out.mkdir(parents=True, exist_ok=True)
    (out / "reconciliation.json").write_text(
        json.dumps(report.summary(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    columns = ["source", "file", "row", "column", "value", "reason"]
    with (out / "quarantine.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        # utf-8-sig so the file opens correctly in Excel, where people will fix the rows.
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(asdict(q) for q in report.quarantine)
    _write_jsonl(out / "quarantine.jsonl", [asdict(q) for q in report.quarantine])
    with (out / "warnings.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(asdict(w) for w in report.row_warnings)
    _write_jsonl(out / "warnings.jsonl", [asdict(w) for w in report.row_warnings])
    # vars(), not asdict(): asdict deep-copies every evidence dict, seconds on a big run.
    _write_jsonl(out / "review.jsonl", [vars(r) for r in report.review])
    _write_jsonl(out / "links.jsonl", [vars(r) for r in report.links])
    report.output_dir = out
    return out


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
