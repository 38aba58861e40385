"""The match index job: ``innograph index build`` and ``innograph index status``.

``build`` builds the match index of the configured store's current version (embedded or
Neo4j, from the usual settings) in this process and saves it to
``$INNOGRAPH_DATA_DIR/match-index`` — where API processes and CLI calls load it instead of
building it (``match/disk_cache.py``). Run it after each ingest (or on a timer): at ×100 the
build is minutes and gigabytes, which an API process should not spend (docs/SCALING.md).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Annotated, Any

import typer

from innograph_cli.core import fail, opened_store

index_app = typer.Typer(
    help="The match index on disk: built once per graph version, loaded by the API and the CLI.",
    no_args_is_help=True,
)


def _peak_mib() -> float:
    """This process's peak resident memory (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


def _echo(payload: dict[str, Any], as_json: bool, line: str) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False) if as_json else line)


@index_app.command("build")
def build(
    force: Annotated[
        bool, typer.Option("--force", help="build and save even if this version's file exists")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Build the match index of the store's current version and save it (nothing to do when
    it is saved already, unless --force)."""
    from match import disk_cache

    with opened_store() as store:
        version = store.version()
        path = disk_cache.path_for(store, version)
        if path.exists() and not force:
            try:
                disk_cache.read_header(path)
            except Exception as e:  # an unusable file is built again
                typer.echo(f"saved index {path.name} not usable ({e}); building it again", err=True)
            else:
                size = path.stat().st_size
                _echo(
                    {"version": version, "built": False, "path": str(path), "bytes": size},
                    as_json,
                    f"version {version}: already saved, {path} ({size / 2**20:.1f} MiB); "
                    "--force builds again",
                )
                return
        started = time.perf_counter()
        index = disk_cache.load_or_build(store, force=True)
        seconds = time.perf_counter() - started
        if index.version != version or not path.exists():
            raise fail(
                f"the graph was written during the build (version {version} → {store.version()}); "
                "nothing saved, run again"
            )
    size = path.stat().st_size
    payload = {
        "version": version,
        "built": True,
        "path": str(path),
        "bytes": size,
        "seconds": round(seconds, 2),
        "peakRssMiB": round(_peak_mib(), 1),
    }
    _echo(
        payload,
        as_json,
        f"version {version}: built and saved in {seconds:.1f} s, {path} ({size / 2**20:.1f} MiB), "
        f"peak RSS {_peak_mib():.0f} MiB",
    )


@index_app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False) -> None:
    """Whether the index of the store's current version is saved (exit code 1 if not)."""
    from match import disk_cache

    with opened_store() as store:
        version = store.version()
        path = disk_cache.path_for(store, version)
    payload: dict[str, Any] = {"version": version, "path": str(path), "saved": path.exists()}
    problem = None
    if path.exists():
        try:
            header = disk_cache.read_header(path)
        except Exception as e:  # reported, not raised: status only looks
            problem = str(e)
        else:
            payload.update(bytes=path.stat().st_size, savedAt=header.get("saved"))
    payload["usable"] = payload["saved"] and problem is None
    line = (
        f"version {version}: saved, {path} ({payload['bytes'] / 2**20:.1f} MiB)"
        if payload["usable"]
        else f"version {version}: {'not usable: ' + problem if problem else 'not saved'} "
        f"({path}); `innograph index build` writes it"
    )
    _echo(payload, as_json, line)
    if not payload["usable"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")
