"""``innograph reference load|ipc``: reference data from ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from innograph_cli.core import fail, opened_store

reference_app = typer.Typer(
    help="Reference data: universities, regions, industries, IPC ↔ SEI.", no_args_is_help=True
)
DataOption = Annotated[
    Path | None, typer.Option("--data", help="shared data folder (default ../shared/data)")
]


@reference_app.command("load")
def load(
    data: DataOption = None,
    all_streets: Annotated[
        bool, typer.Option("--all-streets", help="every street in China, not only Tianjin's")
    ] = False,
    institutes: Annotated[
        bool,
        typer.Option(
            "--institutes/--no-institutes", help="also the CAS institutes of cn-institutions-en (ROR)"
        ),
    ] = True,
) -> None:
    """Load MoE universities (with ROR English names), divisions, GB/T 4754, SEI and the SEI–IPC
    concordance, and the CAS institutes (idempotent)."""
    from ingest.reference import PARTS, load_reference

    parts = (*PARTS, "institutes") if institutes else PARTS
    with opened_store() as store:
        report = load_reference(store, data, all_streets=all_streets, parts=parts)
    typer.echo(
        json.dumps(
            {
                "data": str(report.data_dir),
                "nodes": report.nodes,
                "relationships": report.relationships,
                "seconds": report.seconds,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


@reference_app.command("ipc")
def ipc(
    codes: Annotated[list[str], typer.Argument(help="IPC codes, any spelling (H01L33/00, 'H01L 33/00')")],
    data: DataOption = None,
) -> None:
    """Print the SEI 2018 industries each IPC code belongs to (CNIPA 2021 concordance)."""
    from ingest.reference import ReferenceDataError, ipc_to_sei

    for code in codes:
        try:
            sei = ipc_to_sei(code, data)
        except ReferenceDataError as e:
            raise fail(str(e)) from e
        typer.echo(json.dumps({"ipc": code, "sei": sei}, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.add_typer(reference_app, name="reference")
