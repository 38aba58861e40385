"""``innograph ingest SPEC|FILE... [--dry-run]``: load source files through their specs.

A data file given instead of a spec is matched to a known export's template by its headers
(:mod:`ingest.known_exports`); anything else gets an error that says how to draft a spec.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.config import Settings, open_store
from graph.errors import InnoGraphError
from ingest.reconcile import IngestReport
from innograph_cli.core import fail


def print_reconciliation(report: IngestReport, console: Console) -> None:
    """The reconciliation table: per file, rows read = loaded + merged + quarantined."""
    title = f"ingest {report.run_id}" + (" (dry run: nothing written)" if report.dry_run else "")
    table = Table(title=title)
    for name, justify in (
        ("source", "left"),
        ("file", "left"),
        ("encoding", "left"),
        ("read", "right"),
        ("loaded", "right"),
        ("merged", "right"),
        ("quarantined", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for f in report.files:
        table.add_row(
            f.source,
            f.file,
            f.encoding or "",
            str(f.rows_read),
            str(f.loaded),
            str(f.merged),
            str(f.quarantined),
        )
    table.add_row(
        "[bold]total",
        "",
        "",
        str(report.rows_read),
        str(report.loaded),
        str(report.merged),
        str(report.quarantined),
    )
    console.print(table)
    for f in report.files:
        for status_counts in (f.links or {}).items():
            column, counts = status_counts
            shown = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
            console.print(f"  {f.file} · {column}: {shown}")
        if f.spec.startswith("<template "):
            console.print(f"  {f.file}: recognised as a known export ({f.spec[1:-1]})")
        if f.unused_columns:
            shown = ", ".join(f.unused_columns)
            console.print(f"  {f.file} · unused columns ({len(f.unused_columns)}): {shown}")
        for warning in f.warnings:
            console.print(f"  [yellow]warning[/] {f.file}: {warning}")
    for w in report.row_warnings[:10]:
        where = f"{w.file}#{w.row}" + (f" [{w.column}]" if w.column else "")
        console.print(f"  [yellow]warning[/] {where}: {w.reason}")
    if len(report.row_warnings) > 10:
        console.print(f"  … and {len(report.row_warnings) - 10} more warnings (warnings.csv in the report)")
    for q in report.quarantine[:10]:
        where = f"{q.file}#{q.row}" + (f" [{q.column}]" if q.column else "")
        console.print(f"  [red]quarantined[/] {where}: {q.reason}")
    if len(report.quarantine) > 10:
        console.print(f"  … and {len(report.quarantine) - 10} more quarantined rows")
    verb = "would write" if report.dry_run else "wrote"
    console.print(
        f"{verb} {report.nodes_written} nodes, {report.relationships_written} relationships "
        f"in {report.seconds.get('total', 0):.1f} s; {len(report.review)} links to review"
    )
    if report.output_dir is not None:
        console.print(f"report: {report.output_dir}")


def ingest(
    specs: Annotated[
        list[Path],
        typer.Argument(
            help="spec files (TOML, see docs/INGESTION.md), or data files of a known export "
            "(PatSnap, incoPat, CNIPA, Lens, enterprise registry, MoE list) that need no spec"
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="read, check and link, but write nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the reconciliation as JSON")] = False,
) -> None:
    """Ingest source files through their specs in one atomic write and print the reconciliation."""
    from ingest.known_exports import resolve_inputs
    from ingest.pipeline import ingest_specs

    console = Console(stderr=as_json)
    try:
        settings = Settings.from_env()
        store = open_store(settings)
    except (InnoGraphError, ValueError) as e:
        raise fail(str(e)) from e
    try:
        report = ingest_specs(
            store, resolve_inputs(specs), dry_run=dry_run, progress=not as_json, data_dir=settings.data_dir
        )
    except InnoGraphError as e:
        raise fail(f"{e} — nothing was written") from e
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(report.summary(), ensure_ascii=False, indent=2))
    else:
        print_reconciliation(report, console)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
