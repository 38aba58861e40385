"""``innograph demo generate|build``: the demo data set calibrated to the Dongli plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.config import Settings, open_store
from graph.errors import InnoGraphError
from innograph_cli.core import fail

demo_app = typer.Typer(
    help="Demo data set: generate raw files + ground truth, or build the demo graph.", no_args_is_help=True
)

DEFAULT_SEED = 20101231
# max = demo.world.MAX_SCALE (not imported here: the CLI imports demo lazily).
ScaleOption = Annotated[int, typer.Option("--scale", min=1, max=200, help="×N of the 2010 Dongli baseline")]
SeedOption = Annotated[int, typer.Option("--seed", help="random seed: same seed, same files")]


@demo_app.command("generate")
def generate_command(
    out: Annotated[Path, typer.Option("--out", help="folder to write raw/, truth/, specs/ into")],
    scale: ScaleOption = 1,
    seed: SeedOption = DEFAULT_SEED,
) -> None:
    """Write the demo raw files, their ground truth and ingest specs into OUT."""
    from demo import generate

    result = generate(out, scale=scale, seed=seed)
    expected = {k: v for k, v in result.expected.items() if k != "files"}
    typer.echo(
        json.dumps(
            {"out": str(out), "files": len(result.files), "expected": expected}, ensure_ascii=False, indent=1
        )
    )


@demo_app.command("build")
def build_command(
    scale: ScaleOption = 1,
    seed: SeedOption = DEFAULT_SEED,
    data: Annotated[
        Path | None, typer.Option("--data", help="shared reference data (default ../shared/data)")
    ] = None,
    no_reference: Annotated[bool, typer.Option("--no-reference", help="skip reference data")] = False,
) -> None:
    """Generate the ×SCALE set into $INNOGRAPH_DATA_DIR/demo-xSCALE, load reference data, ingest it."""
    from demo.build import build_demo
    from innograph_cli.ingest import print_reconciliation

    console = Console()
    settings = Settings.from_env()
    out = settings.data_dir / f"demo-x{scale}"
    try:
        store = open_store(settings)
    except (InnoGraphError, ValueError) as e:
        raise fail(str(e)) from e
    try:
        result = build_demo(
            store,
            out,
            scale=scale,
            seed=seed,
            shared_data=data,
            reference=not no_reference,
            runs_dir=settings.data_dir,
            progress=True,
        )
        counts = store.counts()
    except InnoGraphError as e:
        raise fail(str(e)) from e
    finally:
        store.close()
    console.print(f"demo ×{scale} (seed {seed}) generated in {out}")
    console.print(result.reference_note)
    if result.reference is not None:
        console.print(f"reference: {result.reference.nodes} in {result.reference.seconds:.1f} s")
    for report in result.reports:
        print_reconciliation(report, console)
    table = Table(title=f"calibration on the {store.kind} store (expected = generated truth)")
    for column, justify in (("figure", "left"), ("expected", "right"), ("graph", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    expected = result.generation.expected
    for key, value in result.calibration.items():
        mark = "" if expected.get(key) == value else " [red]≠[/]"
        table.add_row(key, str(expected.get(key, "")), f"{value}{mark}")
    console.print(table)
    console.print(
        " · ".join(f"{name} {n}" for name, n in {**counts.labels, **counts.relationships}.items() if n)
    )


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
