"""``innograph export DIR`` and ``innograph import DIR [--replace]``: the graph as JSONL files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph.backup import BackupSummary, export_graph, import_graph
from innograph_cli.core import opened_store


def _report(verb: str, summary: BackupSummary) -> None:
    typer.echo(f"{verb} {summary.nodes} nodes and {summary.edges} relationships ({summary.directory})")


def export(
    directory: Annotated[Path, typer.Argument(help="an empty (or new) directory to write into")],
    force: Annotated[bool, typer.Option("--force", help="write into a directory that is not empty")] = False,
) -> None:
    """Export every node and relationship, with provenance, as JSONL files plus a manifest."""
    with opened_store() as store:
        summary = export_graph(store, directory, overwrite=force)
    _report("exported", summary)


def import_(
    directory: Annotated[Path, typer.Argument(help="a directory written by `innograph export`")],
    replace: Annotated[
        bool, typer.Option("--replace", help="delete the current graph first (otherwise merge into it)")
    ] = False,
) -> None:
    """Import an export (checked whole before anything is written); merges unless --replace."""
    with opened_store() as store:
        summary = import_graph(store, directory, replace=replace)
    _report("imported", summary)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_)
