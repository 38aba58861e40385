"""Charts of the clusters and the plan's targets, drawn with matplotlib's Agg canvas.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot state, safe in a server thread)
and returned as PNG bytes. Labels are Chinese when a CJK font is installed, else codes and
English names (see :mod:`analytics.fonts`).
"""

from __future__ import annotations

import io
import math
import warnings

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analytics.clusters import Cluster, ClusterAnalysis
from analytics.fonts import cjk_font, label
from analytics.monitor import MonitorReport

#: Above this many firms the network picture shows the largest clusters' firms only.
MAX_DRAWN_FIRMS = 1500
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
]


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes (150 dpi)."""
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # A missing glyph is reported by fonts.cjk_font once; don't repeat it per label.
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def _cluster_label(cluster: Cluster) -> str:
    code = cluster.industry.code if cluster.industry else "-"
    return label(cluster.name, f"{cluster.id} SEI {code}")


def network_figure(analysis: ClusterAnalysis, *, seed: int = 42) -> Figure:
    """The firm network, firms coloured by cluster, cluster names at their centres."""
    cjk_font()
    fig = Figure(figsize=(9, 7))
    ax = fig.add_subplot()
    ax.set_axis_off()
    drawn: list[str] = []
    for cluster in analysis.clusters:
        if len(drawn) + len(cluster.members) > MAX_DRAWN_FIRMS and drawn:
            break
        drawn.extend(cluster.members)
    sub = analysis.network.subgraph(drawn)
    if sub.number_of_nodes() == 0:
        ax.text(0.5, 0.5, label("没有发现产业集群", "no clusters found"), ha="center", va="center")
        return fig
    pos = nx.spring_layout(sub, weight="weight", seed=seed, k=1.5 / math.sqrt(sub.number_of_nodes()))
    colour = {f: PALETTE[i % len(PALETTE)] for i, c in enumerate(analysis.clusters) for f in c.members}
    nx.draw_networkx_edges(sub, pos, ax=ax, alpha=0.15, width=0.5)
    nx.draw_networkx_nodes(
        sub, pos, ax=ax, node_size=18, node_color=[colour[n] for n in sub.nodes], linewidths=0
    )
    for i, cluster in enumerate(analysis.clusters):
        points = [pos[f] for f in cluster.members if f in pos]
        if not points:
            continue
        x = sum(p[0] for p in points) / len(points)
        y = sum(p[1] for p in points) / len(points)
        ax.text(
            x,
            y,
            _cluster_label(cluster),
            fontsize=8,
            ha="center",
            va="center",
            color=PALETTE[i % len(PALETTE)],
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1},
        )
    ax.set_title(label("企业合作与技术关联网络中的产业集群", "Industry clusters in the firm network"))
    return fig


def cluster_size_figure(analysis: ClusterAnalysis) -> Figure:
    """Firms, employees and patents per cluster."""
    cjk_font()
    clusters = analysis.clusters
    fig = Figure(figsize=(10, max(3.0, 0.35 * len(clusters) + 1.5)))
    names = [_cluster_label(c) for c in clusters][::-1]
    series = [
        (label("企业数", "firms"), [c.metrics.firms for c in clusters][::-1]),
        (label("从业人员", "employees"), [c.metrics.employees for c in clusters][::-1]),
        (
            label("专利数（深色：发明）", "patents (dark: inventions)"),
            [c.metrics.patents for c in clusters][::-1],
        ),
    ]
    for i, (title, values) in enumerate(series):
        ax = fig.add_subplot(1, 3, i + 1)
        ax.barh(range(len(values)), values, color=PALETTE[i])
        if i == 2:
            ax.barh(range(len(values)), [c.metrics.inventions for c in clusters][::-1], color="#08306b")
        ax.set_yticks(range(len(values)), names if i == 0 else [""] * len(values), fontsize=8)
        ax.set_title(title, fontsize=10)
    fig.suptitle(label("产业集群规模", "Cluster size"))
    return fig


def cluster_strength_figure(analysis: ClusterAnalysis) -> Figure:
    """Location quotient against growth, bubble size by employees (strong clusters ringed).

    Growth is revenue growth when any cluster has a revenue series, else patent-application growth
    (the ×1 demo set has latest-year revenue only), so the y axis never shows a row of zeros."""
    cjk_font()
    fig = Figure(figsize=(8, 6))
    ax = fig.add_subplot()
    by_revenue = any(c.metrics.revenue_growth is not None for c in analysis.clusters)
    shown = 0
    for i, c in enumerate(analysis.clusters):
        x = c.metrics.location_quotient
        growth = c.metrics.revenue_growth if by_revenue else c.metrics.patent_growth
        if x is None or growth is None:
            continue
        shown += 1
        y = growth * 100
        ax.scatter(
            [x],
            [y],
            s=max(20.0, math.sqrt(max(c.metrics.employees, 1)) * 8),
            alpha=0.6,
            color=PALETTE[i % len(PALETTE)],
            edgecolors="black" if c.metrics.strong else "none",
            linewidths=2 if c.metrics.strong else 0,
        )
        ax.annotate(c.id, (x, y), fontsize=8, ha="center", va="center")
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel(label(f"区位商（对比{analysis.reference}）", "location quotient vs reference region"))
    ax.set_ylabel(
        label("营业收入年均增长率 (%)", "revenue growth, % a year")
        if by_revenue
        else label("专利申请年均增长率 (%)", "patent application growth, % a year")
    )
    note = (
        label("（参照总量为示意数据）", " (illustrative reference totals)")
        if analysis.reference_illustrative
        else ""
    )
    ax.set_title(
        label("集群强度：区位商与增长（黑圈：强集群）", "Cluster strength: LQ and growth (ringed: strong)")
        + note,
        fontsize=10,
    )
    if not shown:
        ax.text(0.5, 0.5, label("无区位商数据", "no location quotients"), transform=ax.transAxes, ha="center")
    return fig


def targets_figure(report: MonitorReport) -> Figure:
    """Each target's current value as a share of the target, with the baseline marked."""
    cjk_font()
    rows = [i for i in report.indicators if i.target]
    fig = Figure(figsize=(9, max(3.0, 0.45 * len(rows) + 1.2)))
    ax = fig.add_subplot()
    names = [label(i.name, i.name_en) for i in rows][::-1]
    current = [min(1.5, (i.current or 0.0) / i.target) * 100 for i in rows if i.target][::-1]
    baseline = [
        ((i.baseline or 0.0) / i.target) * 100 if i.baseline is not None and i.target else math.nan
        for i in rows
    ][::-1]
    colours = ["#2ca02c" if (i.met) else "#d62728" for i in rows][::-1]
    ax.barh(range(len(rows)), current, color=colours, alpha=0.8, label=label("当前值", "current"))
    ax.scatter(
        baseline,
        range(len(rows)),
        marker="|",
        s=200,
        color="black",
        label=label(f"{report.baseline_year}年基数", f"{report.baseline_year} baseline"),
    )
    ax.axvline(100, color="grey", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rows)), names, fontsize=8)
    ax.set_xlabel(label(f"占{report.target_year}年目标的百分比", f"% of the {report.target_year} target"))
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(label("规划目标完成情况", "Progress towards the plan's targets"))
    return fig


def stages_figure(report: MonitorReport) -> Figure:
    """Tech SMEs by growth stage, and by revenue band against the 2010 baseline."""
    cjk_font()
    fig = Figure(figsize=(10, 4))
    ax = fig.add_subplot(1, 2, 1)
    stage_names = {"初创期": "start-up", "成长期": "growth", "壮大期": "expansion", "未知": "unknown"}
    stages = list(report.stages)
    ax.bar(range(len(stages)), [report.stages[s] for s in stages], color=PALETTE[: len(stages)])
    ax.set_xticks(range(len(stages)), [label(s, stage_names.get(s, s)) for s in stages])
    ax.set_title(label("科技型中小企业成长阶段", "Tech SMEs by growth stage"), fontsize=10)
    ax2 = fig.add_subplot(1, 2, 2)
    bands = report.revenue_bands
    xs = range(len(bands))
    ax2.bar(
        [x - 0.2 for x in xs],
        [b.baseline or 0 for b in bands],
        width=0.4,
        color="#bbbbbb",
        label=label(f"{report.baseline_year}年", str(report.baseline_year)),
    )
    ax2.bar(
        [x + 0.2 for x in xs],
        [b.current for b in bands],
        width=0.4,
        color=PALETTE[0],
        label=label("当前", "current"),
    )
    ax2.set_xticks(list(xs), [label(b.name, b.id) for b in bands], fontsize=8, rotation=20)
    ax2.legend(fontsize=8)
    ax2.set_title(label("营业收入分档", "Revenue bands"), fontsize=10)
    return fig
