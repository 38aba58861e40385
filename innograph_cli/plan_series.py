"""``innograph monitor --series``: the plan's indicators year by year, with the projection."""

from __future__ import annotations

import dataclasses
import json

import typer
from rich.console import Console
from rich.table import Table

from analytics.timeline import MonitorSeries


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.1%}"
    if unit == "元":
        return f"{value / 1e8:,.1f}亿"
    return f"{value:,.0f}"


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
            *(_fmt(by_year.get(y), ind.unit) for y in years),
            _fmt(ind.projected, ind.unit),
            _fmt(ind.target, ind.unit),
            "" if ind.on_track is None else ("yes" if ind.on_track else "behind"),
        )
    Console().print(table)
    typer.echo(f"projection: {series.method}")
