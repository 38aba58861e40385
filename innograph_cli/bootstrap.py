"""``innograph bootstrap``: the first-start loader (what `docker compose up` runs before serving).

Loads the graph once: the user's ingest specs from a mounted folder when there are any
(``--import`` / ``INNOGRAPH_IMPORT_DIR``, ``*.toml``), else the demo ×N, each with the reference
data the image carries. Idempotent: a marker in ``$INNOGRAPH_DATA_DIR`` records what was loaded,
and a store that already holds a graph with that marker is left alone. Without the marker
(a load interrupted part-way) the load runs again, which is safe because reference loading and
ingest merge by id.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Annotated

import typer

from graph.config import Settings, open_store
from graph.errors import InnoGraphError, StoreUnavailableError
from graph.store import GraphStore
from innograph_cli.core import fail

MARKER = "bootstrap.json"
#: Neo4j 5 refuses a shorter initial password, and the container then never starts.
MIN_PASSWORD = 8


def check_password(password: str | None) -> None:
    if password is not None and len(password) < MIN_PASSWORD:
        raise fail(
            f"NEO4J_PASSWORD is {len(password)} characters; Neo4j 5 needs at least {MIN_PASSWORD}. "
            "Set a longer one (and remove the neo4j-data volume if Neo4j was started with the short one)"
        )


def _open_with_retry(settings: Settings, wait_s: float) -> GraphStore:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return open_store(settings)
        except StoreUnavailableError as e:
            if time.monotonic() >= deadline:
                raise fail(f"{e} (waited {wait_s:.0f} s)") from e
            time.sleep(2)
        except (InnoGraphError, ValueError) as e:
            raise fail(str(e)) from e


def bootstrap(
    import_dir: Annotated[
        Path | None,
        typer.Option(
            "--import",
            envvar="INNOGRAPH_IMPORT_DIR",
            help="a folder of ingest specs (*.toml) and their files to load instead of the demo",
        ),
    ] = None,
    scale: Annotated[int, typer.Option("--scale", min=1, max=200, help="demo size when no specs")] = 1,
    reference: Annotated[
        bool, typer.Option("--reference/--no-reference", help="load the reference data first")
    ] = True,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="reference data folder (default $INNOGRAPH_SHARED_DATA)"),
    ] = None,
    wait: Annotated[float, typer.Option("--wait", help="seconds to wait for the store to answer")] = 120,
) -> None:
    """Load the graph on first start (user specs, else the demo); does nothing when already loaded."""
    settings = Settings.from_env()
    check_password(os.environ.get("NEO4J_PASSWORD"))
    specs = sorted(import_dir.glob("*.toml")) if import_dir is not None and import_dir.is_dir() else []
    if import_dir is not None and not specs:
        typer.echo(f"bootstrap: no *.toml specs in {import_dir}; loading the demo instead")
    what = {"specs": [p.name for p in specs]} if specs else {"demo": scale}
    marker = settings.data_dir / MARKER
    store = _open_with_retry(settings, wait)
    try:
        nodes = store.counts().nodes
        done = json.loads(marker.read_text()) if marker.exists() else None
        if done is not None and nodes > 0:
            typer.echo(f"bootstrap: the graph is loaded ({nodes} nodes, {done.get('loaded')}); nothing to do")
            return
        typer.echo(f"bootstrap: loading {what} into the {store.kind} store ({nodes} nodes now)")
        _load(store, settings, specs, scale=scale, reference=reference, data=data)
        nodes = store.counts().nodes
    except InnoGraphError as e:
        raise fail(f"{e} — bootstrap did not finish; it runs again on the next start") from e
    finally:
        store.close()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"loaded": what, "nodes": nodes}, ensure_ascii=False))
    typer.echo(f"bootstrap: done, {nodes} nodes")


def _load(
    store: GraphStore,
    settings: Settings,
    specs: list[Path],
    *,
    scale: int,
    reference: bool,
    data: Path | None,
) -> None:
    from demo.build import build_demo
    from ingest.pipeline import ingest_specs
    from ingest.reference import default_data_dir, load_reference

    if not specs:
        result = build_demo(
            store,
            settings.data_dir / f"demo-x{scale}",
            scale=scale,
            shared_data=data,
            reference=reference,
            runs_dir=settings.data_dir,
        )
        typer.echo(f"bootstrap: {result.reference_note}")
        return
    if reference:
        report = load_reference(store, data or default_data_dir())
        typer.echo(f"bootstrap: reference data from {report.data_dir}")
    ingest_specs(store, specs, data_dir=settings.data_dir)


def register(app: typer.Typer) -> None:
    app.command()(bootstrap)
