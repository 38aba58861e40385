"""The analyses job: ``innograph analyses build`` and ``innograph analyses status``.

``build`` computes, for the configured store's current version, the analyses the API's warm-up
would — the default clusters and their views, the disclosure's published sums, the monitor (latest
year), the roadmap picker's industries and the monitor series — and saves each to
``$INNOGRAPH_DATA_DIR/analyses`` (:mod:`analytics.saved`), where API processes load them instead
of computing them (``INNOGRAPH_ANALYSES=job``). Run it after each ingest, beside ``innograph index
build``: at ×100 the API computing them in its warm-up passed 8 GiB (docs/SCALING.md).

The results are computed one after the other and each is dropped from memory once saved (the
clusters' projection before the monitor's), so the job's peak is the largest step's, not their sum.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from graph.errors import NotSavedError
from graph.store import GraphStore
from innograph_cli.core import fail, opened_store
from innograph_cli.index import _echo, _peak_mib

analyses_app = typer.Typer(
    help="The analyses readers open, on disk: computed once per graph version, loaded by the API.",
    no_args_is_help=True,
)


@dataclass(frozen=True)
class _Step:
    name: str
    #: (cache key, version it is kept by, whether that is its inputs' version)
    key: Callable[[], tuple[Hashable, int, bool]]
    compute: Callable[[], object]
    #: cache keys dropped from memory once the step is saved (the job's peak is one step's)
    release: tuple[Hashable, ...] = ()


def _steps(store: GraphStore) -> list[_Step]:
    from analytics import service
    from analytics.clusters import ClusterOptions
    from api.disclosure import DisclosureRule, published_sums

    rule = DisclosureRule.from_env()
    default = ClusterOptions()

    def at_store_version(key: Hashable) -> Callable[[], tuple[Hashable, int, bool]]:
        return lambda: (key, store.version(), False)

    return [
        _Step("clusters", at_store_version(("clusters", default)), lambda: service.clusters(store)),
        _Step("views", at_store_version(("views", default)), lambda: service.views(store)),
        _Step(
            "disclosure",
            at_store_version(("disclosure", rule)),
            lambda: published_sums(store, rule),
            ("clusters-projection", ("clusters", default), ("views", default), ("disclosure", rule)),
        ),
        _Step("monitor", at_store_version(("monitor", None)), lambda: service.monitor(store)),
        _Step(
            "roadmap industries",
            at_store_version("roadmap_industries"),
            lambda: service.roadmap_industries(store),
            ("projection", ("monitor", None), "roadmap_industries"),
        ),
        _Step("monitor series", lambda: service.series_key(store), lambda: service.monitor_series(store)),
    ]


def _saved_bytes(path: Path, key: Hashable, version: int) -> int | None:
    """The size of the usable file at ``path``, or None (missing, foreign, other code …)."""
    from analytics import saved

    try:
        saved.read_header(path, key, version)
    except FileNotFoundError:
        return None
    except Exception as e:  # an unusable file is computed again
        typer.echo(f"saved analysis {path.name} not usable ({e}); computing it again", err=True)
        return None
    return path.stat().st_size


@analyses_app.command("build")
def build(
    force: Annotated[
        bool, typer.Option("--force", help="compute and save even if this version's files exist")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Compute the analyses of the store's current version and save them (nothing to do for those
    saved already, unless --force)."""
    from analytics import saved
    from graph import cache

    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    with opened_store() as store:
        version = store.version()
        directory = saved.analyses_dir()
        saved.use_files(store, directory, background=False, force=force)
        try:
            for step in _steps(store):
                key, kept_by, by_inputs = step.key()
                path = saved.path_for(store, key, kept_by, by_inputs, directory)
                size = None if force else _saved_bytes(path, key, kept_by)
                entry: dict[str, Any] = {"name": step.name, "path": str(path), "built": size is None}
                if size is None:
                    step_started = time.perf_counter()
                    step.compute()
                    entry["seconds"] = round(time.perf_counter() - step_started, 2)
                    if store.version() != version:
                        raise fail(
                            f"the graph was written during the job (version {version} → "
                            f"{store.version()}); {step.name} not saved, run again"
                        )
                    if not path.exists():
                        raise fail(f"{step.name} computed but not saved as {path}")
                    size = path.stat().st_size
                entry["bytes"] = size
                results.append(entry)
                for released in step.release:
                    cache.forget(released)
                gc.collect()
        finally:
            cache.use_saved(store, None)
    seconds = time.perf_counter() - started
    built = [r["name"] for r in results if r["built"]]
    payload = {
        "version": version,
        "built": bool(built),
        "directory": str(directory),
        "bytes": sum(r["bytes"] for r in results),
        "seconds": round(seconds, 2),
        "peakRssMiB": round(_peak_mib(), 1),
        "results": results,
    }
    line = (
        f"version {version}: {', '.join(built)} computed and saved in {seconds:.1f} s "
        f"({payload['bytes'] / 2**20:.1f} MiB in {directory}), peak RSS {_peak_mib():.0f} MiB"
        if built
        else f"version {version}: already saved ({payload['bytes'] / 2**20:.1f} MiB in {directory}); "
        "--force computes again"
    )
    _echo(payload, as_json, line)


@analyses_app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False) -> None:
    """Whether the analyses of the store's current version are saved (exit code 1 if one is not)."""
    from analytics import saved
    from graph import cache

    results: list[dict[str, Any]] = []
    with opened_store() as store:
        version = store.version()
        directory = saved.analyses_dir()
        saved.use_files(store, directory)
        try:
            with cache.saved_only():  # the series' key is read from its saved facts, never computed
                for step in _steps(store):
                    entry: dict[str, Any] = {"name": step.name}
                    try:
                        key, kept_by, by_inputs = step.key()
                    except NotSavedError:
                        results.append({**entry, "saved": False, "usable": False})
                        continue
                    path = saved.path_for(store, key, kept_by, by_inputs, directory)
                    entry.update(path=str(path), saved=path.exists(), usable=False)
                    if path.exists():
                        try:
                            header = saved.read_header(path, key, kept_by)
                        except Exception as e:  # reported, not raised: status only looks
                            entry["problem"] = str(e)
                        else:
                            entry.update(usable=True, bytes=path.stat().st_size, savedAt=header.get("saved"))
                    results.append(entry)
        finally:
            cache.use_saved(store, None)
    usable = all(r["usable"] for r in results)
    payload = {"version": version, "directory": str(directory), "usable": usable, "results": results}
    missing = [r["name"] for r in results if not r["usable"]]
    line = (
        f"version {version}: saved ({sum(r['bytes'] for r in results) / 2**20:.1f} MiB in {directory})"
        if usable
        else f"version {version}: {', '.join(missing)} not saved or not usable ({directory}); "
        "`innograph analyses build` writes them"
    )
    _echo(payload, as_json, line)
    if not usable:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(analyses_app, name="analyses")
