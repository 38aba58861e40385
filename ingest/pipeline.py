"""Get → transform → load: spec files in, one atomic :class:`ChangeSet` out, one ``apply``.

``ingest_specs`` reads every spec's file (a file-level problem raises before anything is
written), turns each row into nodes and relationships through :class:`ingest.builder.GraphBuilder`
(which links organisations and persons through the resolvers), reconciles
``rows read = loaded + merged + quarantined``, and only then applies the whole batch to the
store in one transaction. A failed apply leaves the graph as it was; re-running the same specs on
the same files writes exactly what is already there (the run id is derived from their bytes).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

from graph.collector import collector_paused  # an ingest pauses it too (its docstring says why)
from graph.config import Settings
from graph.store import GraphStore
from ingest.builder import GraphBuilder
from ingest.readers import Table, read_table
from ingest.reconcile import FileReport, IngestReport, save_report
from ingest.spec import SourceSpec, load_spec
from ingest.transform import BoundColumn, bind_columns

#: Bumped when the same input would be written differently, so run ids change with it.
FORMAT_VERSION = "1"


def run_id_for(spec: SourceSpec, file_digest: str) -> str:
    """``ingest-<16 hex>`` from the spec's and the data file's bytes: same input, same id."""
    material = f"{FORMAT_VERSION}\n{spec.digest}\n{file_digest}".encode()
    return "ingest-" + hashlib.sha256(material).hexdigest()[:16]


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_source(spec: SourceSpec) -> Table:
    """Get: the spec's file as a table (raises :class:`IngestError` naming the file)."""
    return read_table(
        spec.file,
        file_format=spec.format,
        encoding=spec.encoding,
        delimiter=spec.delimiter,
        sheet=spec.sheet,
        header_row=spec.header_row,
        records=spec.records,
    )


def unused_columns(table: Table, columns: dict[str, BoundColumn]) -> list[str]:
    """The file's headers no spec column reads, in file order: what the run leaves behind."""
    used = {column.index for column in columns.values() if column.index is not None}
    return [header for index, header in enumerate(table.headers) if header and index not in used]


def ingest_specs(
    store: GraphStore,
    spec_paths: Sequence[Path | SourceSpec],
    *,
    dry_run: bool = False,
    progress: bool = False,
    data_dir: Path | None = None,
    save: bool = True,
) -> IngestReport:
    """Ingest every spec (a spec file, or a :class:`SourceSpec` such as a known export's
    template) in one atomic apply and return the reconciliation.

    ``dry_run`` does everything except the apply. Reports go to
    ``<data_dir or INNOGRAPH_DATA_DIR>/ingest-runs/<run id>/`` unless ``save`` is false.
    """
    with collector_paused():
        return _ingest_specs(
            store, spec_paths, dry_run=dry_run, progress=progress, data_dir=data_dir, save=save
        )


def _ingest_specs(
    store: GraphStore,
    spec_paths: Sequence[Path | SourceSpec],
    *,
    dry_run: bool,
    progress: bool,
    data_dir: Path | None,
    save: bool,
) -> IngestReport:
    started = time.perf_counter()
    specs = [p if isinstance(p, SourceSpec) else load_spec(Path(p)) for p in spec_paths]
    sources: list[tuple[SourceSpec, Table, FileReport]] = []
    for spec in specs:
        table = read_source(spec)
        run_id = run_id_for(spec, _file_digest(spec.file))
        report = FileReport(
            source=spec.name,
            spec=spec.path.name,
            file=spec.file.name,
            run_id=run_id,
            format=table.format,
            encoding=table.encoding,
            warnings=list(table.warnings),
        )
        sources.append((spec, table, report))
    # Bind every file's columns before touching any row: a missing column fails the whole call.
    bound = [bind_columns(spec, table) for spec, table, _ in sources]
    for (_, table, report), columns in zip(sources, bound, strict=True):
        report.unused_columns = unused_columns(table, columns)
    read_done = time.perf_counter()

    run_ids = sorted({report.run_id for _, _, report in sources})
    call_id = (
        run_ids[0]
        if len(run_ids) == 1
        else "ingest-" + hashlib.sha256("\n".join(run_ids).encode()).hexdigest()[:16]
    )
    result = IngestReport(run_id=call_id, dry_run=dry_run, store=store.kind)
    builder = GraphBuilder(store, result)
    for (spec, table, report), columns in zip(sources, bound, strict=True):
        result.files.append(report)
        if not table.rows:
            report.warnings.append("the file has a header but no rows")
        builder.ingest_table(spec, table, columns, report, progress=progress)
    changes = builder.finish()
    result.check()
    transform_done = time.perf_counter()

    if not dry_run and len(changes) > 0:  # nothing to change: leave even the version counter alone
        applied = store.apply(changes)
        result.nodes_written, result.relationships_written = applied.nodes, applied.relationships
    else:
        result.nodes_written, result.relationships_written = changes.node_count, changes.relationship_count
    finished = time.perf_counter()
    result.seconds = {
        "read": round(read_done - started, 3),
        "transform": round(transform_done - read_done, 3),
        "apply": round(finished - transform_done, 3),
        "total": round(finished - started, 3),
    }
    if save:
        root = data_dir if data_dir is not None else Settings.from_env().data_dir
        save_report(result, root / "ingest-runs")
    return result
