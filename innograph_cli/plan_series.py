"""``innograph monitor --series``: the plan's indicators year by year, with the projection."""

from __future__ import annotations

import dataclasses
import json

import typer
from rich.console import Console
from rich.table import Table

from analytics.plan import plan_figure
from analytics.timeline import MonitorSeries


def print_series(series: MonitorSeries, *, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(series), ensure_ascii=False, indent=1))
        return
    years = series.years
    table = Table(title=f"{series.plan} — {', '.join(map(str, years)) or 'no yearly list'}")
    for column in ("indicator", *map(str, years), f"{series.target_year} projected", "target", "on track"):
        table.add_column(column)
    for ind in series.indicators:
        by_year = {p.year: p.value for p in ind.points}
        table.add_row(
            ind.name + ("" if ind.dated else " (undated)"),
            *(plan_figure(by_year.get(y), ind.kind, ind.unit) for y in years),
            plan_figure(ind.projected, ind.kind, ind.unit),
            plan_figure(ind.target, ind.kind, ind.unit),
            "" if ind.on_track is None else ("yes" if ind.on_track else "behind"),
        )
    Console().print(table)
    typer.echo(f"projection: {series.method}")
