"""The HTML report: one self-contained page (images inline, no CDN) plus each chart as a PNG.

``write_report(store, out_dir)`` writes ``out_dir/index.html`` and ``out_dir/img/*.png``. The
page embeds the same PNGs as ``data:`` URIs so it opens anywhere, offline, as one file.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from matplotlib.figure import Figure

from analytics import charts
from analytics.clusters import ClusterAnalysis
from analytics.fonts import cjk_font
from analytics.monitor import MonitorReport
from analytics.report_roadmap import roadmap_section
from analytics.report_series import series_figure, series_section
from analytics.roadmap import Roadmap
from analytics.timeline import MonitorSeries

_CSS = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2em auto;max-width:1100px;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:1em 0}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:right}th{background:#f4f4f4}
td.l,th.l{text-align:left}.met{color:#2a7d2a;font-weight:bold}.unmet{color:#b22}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{font-size:.85em;color:#555}
.note{font-size:.85em;color:#666}
"""


@dataclass(frozen=True)
class Chart:
    file: str
    caption: str
    png: bytes


def _e(value: object) -> str:
    return html.escape(str(value))


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _indicator_value(value: float | None, kind: str, unit: str) -> str:
    if value is None:
        return "—"
    if kind == "share":
        return _pct(value)
    if unit == "元":
        return f"{value / 1e8:,.2f}亿元"
    return _num(value)


def render_charts(
    analysis: ClusterAnalysis, report: MonitorReport, series: MonitorSeries | None = None
) -> list[Chart]:
    """Every chart of the report as PNG bytes, in page order."""
    makers: list[tuple[str, str, Callable[[], Figure]]] = [
        (
            "cluster_network.png",
            "产业集群网络 · firm network coloured by cluster",
            lambda: charts.network_figure(analysis, seed=analysis.options.seed),
        ),
        (
            "cluster_size.png",
            "集群规模 · firms, employees and patents per cluster",
            lambda: charts.cluster_size_figure(analysis),
        ),
        (
            "cluster_strength.png",
            "集群强度 · location quotient and growth",
            lambda: charts.cluster_strength_figure(analysis),
        ),
        (
            "plan_targets.png",
            "规划目标完成情况 · progress towards the 2015 targets",
            lambda: charts.targets_figure(report),
        ),
        (
            "growth_stages.png",
            "成长阶段与营业收入分档 · growth stages and revenue bands",
            lambda: charts.stages_figure(report),
        ),
    ]
    if series is not None and series.years:
        makers.append(
            (
                "plan_series.png",
                "规划指标走势 · each indicator by year, trend to the target year, target (red)",
                lambda: series_figure(series),
            )
        )
    return [Chart(name, caption, charts.png_bytes(make())) for name, caption, make in makers]


def _cluster_rows(analysis: ClusterAnalysis) -> str:
    rows = []
    for c in analysis.clusters:
        m = c.metrics
        terms = "、".join(t.name or t.term for t in c.terms[:3])
        rows.append(
            f"<tr><td class=l>{_e(c.id)}</td>"
            f"<td class=l>{_e(c.industry.name if c.industry else '未分类')}</td>"
            f"<td>{m.firms}</td><td>{_num(m.employees)}</td><td>{_num(m.revenue / 1e8, 2)}</td>"
            f"<td>{m.patents}</td><td>{_pct(m.invention_share)}</td><td>{_pct(m.revenue_growth)}</td>"
            f"<td>{_num(m.location_quotient, 2)}</td><td>{'★' if m.strong else ''}</td>"
            f"<td class=l>{_e(', '.join(k.name for k in c.key_players[:3]))}</td>"
            f"<td class=l>{_e(', '.join(c.gaps) or '—')}</td><td>{len(c.isolated_firms)}</td>"
            f"<td class=l>{_e(terms)}</td></tr>"
        )
    return "\n".join(rows)


def _target_rows(report: MonitorReport) -> str:
    rows = []
    for i in report.indicators:
        status = (
            ""
            if i.met is None
            else ("<span class=met>达标</span>" if i.met else "<span class=unmet>未达标</span>")
        )
        gap = _indicator_value(i.gap, i.kind, i.unit) if i.gap is not None else "—"
        rows.append(
            f"<tr><td class=l>{_e(i.name)}<br><span class=note>{_e(i.name_en)}</span></td>"
            f"<td>{_indicator_value(i.baseline, i.kind, i.unit)}</td>"
            f"<td>{_indicator_value(i.target, i.kind, i.unit)}</td>"
            f"<td>{_indicator_value(i.current, i.kind, i.unit)}</td><td>{gap}</td><td>{status}</td></tr>"
        )
    return "\n".join(rows)


def _candidate_rows(report: MonitorReport) -> str:
    return "\n".join(
        f"<tr><td class=l>{_e(c.name)}</td><td>{_num(c.revenue / 1e4)}</td><td>{_pct(c.growth)}</td>"
        f"<td>{c.inventions}</td><td class=l>{_e('；'.join(r.text for r in c.reasons))}</td></tr>"
        for c in report.candidates[:30]
    )


def render_html(
    analysis: ClusterAnalysis,
    report: MonitorReport,
    images: list[Chart],
    *,
    title: str,
    store_note: str,
    series: MonitorSeries | None = None,
    roadmaps: list[Roadmap] | None = None,
) -> str:
    """The report page with ``images`` inline as data URIs."""
    figures = {
        c.file: f'<figure><img src="data:image/png;base64,{base64.b64encode(c.png).decode()}" '
        f'alt="{_e(c.caption)}" data-file="img/{_e(c.file)}">'
        f"<figcaption>{_e(c.caption)}</figcaption></figure>"
        for c in images
    }
    illustrative = (
        (
            "<p class=note>区位商的参照地区总量为示意数据（analytics/data/dongli_plan.toml），"
            "请以统计年鉴数据替换后再下结论。</p>"
        )
        if analysis.reference_illustrative
        else ""
    )
    firms, modularity = analysis.network.number_of_nodes(), _num(analysis.modularity, 3)
    font_note = "" if cjk_font() else "<p class=note>No CJK font was installed: chart labels use codes.</p>"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>
<body>
<h1>{_e(title)}</h1>
<p class=note>{_e(report.plan)} · {_e(store_note)} · {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}</p>
{font_note}
<h2>产业集群 · Industry clusters</h2>
<p>{len(analysis.clusters)} 个集群，覆盖 {len(analysis.assignment)} / {firms} 家企业；
方法 {_e(analysis.options.method)}（seed {analysis.options.seed}），模块度 {modularity}。</p>
{figures.get("cluster_network.png", "")}
<table><thead><tr><th class=l>集群</th><th class=l>主导战略性新兴产业</th><th>企业</th><th>从业人员</th>
<th>营业收入(亿元)</th><th>专利</th><th>发明占比</th><th>收入增长</th><th>区位商</th><th>强集群</th>
<th class=l>核心企业</th><th class=l>知识缺口(IPC)</th><th>孤立企业</th><th class=l>技术领域</th></tr></thead>
<tbody>
{_cluster_rows(analysis)}
</tbody></table>
{illustrative}
{figures.get("cluster_size.png", "")}
{figures.get("cluster_strength.png", "")}
<h2>规划目标监测 · Plan monitor ({report.baseline_year}→{report.target_year})</h2>
<table><thead><tr><th class=l>指标</th>
<th>{report.baseline_year}年基数</th><th>{report.target_year}年目标</th>
<th>当前值</th><th>差距</th><th>状态</th></tr></thead><tbody>
{_target_rows(report)}
</tbody></table>
{figures.get("plan_targets.png", "")}
{figures.get("growth_stages.png", "")}
{series_section(series, figures.get("plan_series.png", "")) if series is not None else ""}
{roadmap_section(roadmaps) if roadmaps else ""}
<h2>小巨人后备企业 · Little-giant candidates</h2>
<table><thead><tr><th class=l>企业</th><th>营业收入(万元)</th><th>年均增长</th><th>发明专利</th>
<th class=l>理由</th></tr></thead><tbody>
{_candidate_rows(report)}
</tbody></table>
</body></html>
"""


def write_report(
    analysis: ClusterAnalysis,
    report: MonitorReport,
    out_dir: Path,
    *,
    title: str = "东丽区创新图谱：产业集群与规划监测报告",
    store_note: str = "",
    series: MonitorSeries | None = None,
    roadmaps: list[Roadmap] | None = None,
) -> Path:
    """Write ``index.html`` and ``img/*.png`` into ``out_dir``; returns the page's path."""
    images = render_charts(analysis, report, series)
    img_dir = out_dir / "img"
    img_dir.mkdir(parents=True, exist_ok=True)
    for chart in images:
        (img_dir / chart.file).write_bytes(chart.png)
    page = out_dir / "index.html"
    page.write_text(
        render_html(
            analysis, report, images, title=title, store_note=store_note, series=series, roadmaps=roadmaps
        ),
        encoding="utf-8",
    )
    return page
