"""``innograph report``, ``innograph clusters``, ``innograph monitor``: clusters and the plan's
targets from the configured store, as an HTML report or a table / JSON on the terminal."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from analytics import service
from analytics.clusters import ClusterOptions
from analytics.communities import COMMUNITY_METHODS
from innograph_cli.core import fail, opened_store

MethodOption = Annotated[
    str, typer.Option(help=f"community detection: {', '.join(sorted(COMMUNITY_METHODS))}")
]
SeedOption = Annotated[int, typer.Option(help="random seed (same seed, same clusters)")]
ResolutionOption = Annotated[float, typer.Option(help="above 1: smaller clusters")]


def _options(method: str, seed: int, resolution: float) -> ClusterOptions:
    if method not in COMMUNITY_METHODS:
        raise fail(f"--method {method!r}: choose one of {', '.join(sorted(COMMUNITY_METHODS))}")
    return ClusterOptions(method=method, seed=seed, resolution=resolution)


def report(
    out: Annotated[Path, typer.Option("--out", help="directory for index.html and img/*.png")],
    method: MethodOption = "louvain",
    seed: SeedOption = 42,
    resolution: ResolutionOption = 1.0,
) -> None:
    """Write the clusters-and-targets report: a self-contained HTML page plus a PNG per chart."""
    from analytics.report import write_report

    options = _options(method, seed, resolution)
    with opened_store() as store:
        analysis = service.clusters(store, options)
        page = write_report(
            analysis,
            service.monitor(store),
            out,
            store_note=f"store: {store.kind}, version {store.version()}",
            series=service.monitor_series(store),
            roadmaps=[service.roadmap(store, code) for code, _ in service.roadmap_industries(store)],
        )
    typer.echo(f"wrote {page} ({len(analysis.clusters)} clusters; images in {out / 'img'})")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def clusters(
    method: MethodOption = "louvain",
    seed: SeedOption = 42,
    resolution: ResolutionOption = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Industry clusters of the firm network, labelled by strategic emerging industry."""
    options = _options(method, seed, resolution)
    with opened_store() as store:
        analysis = service.clusters(store, options)
    if as_json:
        typer.echo(json.dumps(_plain(analysis.clusters), ensure_ascii=False, indent=1))
        return
    table = Table(title=f"{len(analysis.clusters)} clusters ({method}, modularity {analysis.modularity})")
    for column in (
        "id",
        "industry",
        "firms",
        "employees",
        "patents",
        "invention share",
        "LQ",
        "strong",
        "gaps",
    ):
        table.add_column(column)
    for c in analysis.clusters:
        m = c.metrics
        table.add_row(
            c.id,
            c.industry.name if c.industry else "—",
            str(m.firms),
            str(m.employees),
            str(m.patents),
            f"{m.invention_share:.0%}" if m.invention_share is not None else "—",
            f"{m.location_quotient:.2f}" if m.location_quotient is not None else "—",
            "★" if m.strong else "",
            ", ".join(c.gaps),
        )
    Console().print(table)


def monitor(
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    year: Annotated[
        int | None, typer.Option("--year", help="as of this year (default: the latest list year)")
    ] = None,
    series: Annotated[
        bool, typer.Option("--series", help="every indicator for every year, with the projection")
    ] = False,
) -> None:
    """The plan's 2015 targets: baseline, current value from the graph, and the gap."""
    from graph.errors import NotFoundError
    from innograph_cli.plan_series import print_series

    with opened_store() as store:
        if series:
            print_series(service.monitor_series(store), as_json=as_json)
            return
        try:
            result = service.monitor(store, year)
        except NotFoundError as e:
            raise fail(str(e).strip("'\"")) from e
    if as_json:
        typer.echo(json.dumps(_plain(result), ensure_ascii=False, indent=1))
        return
    title = result.plan if result.year is None else f"{result.plan} — as of {result.year}"
    table = Table(title=title)
    for column in ("indicator", "baseline", "target", "current", "gap", "met"):
        table.add_column(column)
    for i in result.indicators:
        table.add_row(
            i.name,
            *(("—" if v is None else f"{v:,.4g}") for v in (i.baseline, i.target, i.current, i.gap)),
            "" if i.met is None else ("yes" if i.met else "no"),
        )
    Console().print(table)
    typer.echo(f"growth stages: {result.stages}; little-giant candidates: {len(result.candidates)}")


def register(app: typer.Typer) -> None:
    app.command()(report)
    app.command()(clusters)
    app.command()(monitor)
