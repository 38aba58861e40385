"""The report's "plan over time" section: the indicators by year, the projection to the target
year and a small line chart per dated indicator (``innograph report``)."""

from __future__ import annotations

import html
import math

from matplotlib.figure import Figure

from analytics.fonts import cjk_font, label
from analytics.plan import plan_figure
from analytics.timeline import MonitorSeries


def series_figure(series: MonitorSeries) -> Figure:
    """One small line chart per dated indicator: observed years, the fitted trend, the target."""
    cjk_font()
    dated = [i for i in series.indicators if i.dated and any(p.value is not None for p in i.points)]
    cols = 3
    rows = max(1, math.ceil(len(dated) / cols))
    fig = Figure(figsize=(11, 2.6 * rows))
    for k, ind in enumerate(dated):
        ax = fig.add_subplot(rows, cols, k + 1)
        known = [(p.year, p.value) for p in ind.points if p.value is not None]
        scale = 1e8 if ind.unit == "元" else (0.01 if ind.kind == "share" else 1.0)  # 亿元, %
        ax.plot([y for y, _ in known], [v / scale for _, v in known], marker="o", color="#1f77b4")
        if ind.projected is not None and known and series.target_year > known[-1][0]:
            ax.plot(
                [known[-1][0], series.target_year],
                [known[-1][1] / scale, ind.projected / scale],
                linestyle="--",
                color="#1f77b4",
            )
        if ind.target is not None:
            ax.axhline(ind.target / scale, color="#d62728", linestyle=":", linewidth=1)
        ax.set_title(label(ind.name, ind.name_en), fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_xlim(min(y for y, _ in known) - 0.3, series.target_year + 0.3) if known else None
    fig.tight_layout()
    return fig


def series_section(series: MonitorSeries, figure_html: str = "") -> str:
    """The HTML section: a table by year with the projection and the on-track flag."""
    e = html.escape
    head = "".join(f"<th>{y}</th>" for y in series.years)
    rows = []
    for ind in series.indicators:
        by_year = {p.year: p.value for p in ind.points}
        status = (
            "无年度数据"
            if not ind.dated
            else "—"
            if ind.on_track is None
            else (
                "<span class=met>按趋势可达标</span>"
                if ind.on_track
                else "<span class=unmet>按趋势落后</span>"
            )
        )
        cells = "".join(f"<td>{plan_figure(by_year.get(y), ind.kind, ind.unit)}</td>" for y in series.years)
        rows.append(
            f"<tr><td class=l>{e(ind.name)}</td>{cells}"
            f"<td>{plan_figure(ind.projected, ind.kind, ind.unit)}</td>"
            f"<td>{plan_figure(ind.target, ind.kind, ind.unit)}</td><td>{status}</td></tr>"
        )
    if not series.years:
        return (
            "<h2>规划指标走势 · The plan over time</h2>"
            "<p class=note>图谱中没有逐年名单（no yearly lists loaded）。</p>"
        )
    return f"""<h2>规划指标走势 · The plan over time ({series.years[0]}–{series.years[-1]})</h2>
<table><thead><tr><th class=l>指标</th>{head}<th>{series.target_year}年趋势推算</th><th>目标</th>
<th>状态</th></tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
<p class=note>推算方法 · method: {e(series.method)}</p>
{figure_html}"""
