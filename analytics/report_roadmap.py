"""The report's roadmap section: per strategic industry, its fastest-growing technology areas,
local leaders, local gaps and the local universities that match them (``innograph report``)."""

from __future__ import annotations

import html

from analytics.roadmap import Area, Leader, Roadmap


def _who(leaders: list[Leader]) -> str:
    return "、".join(f"{html.escape(x.name)}（{x.patents}）" for x in leaders) or "—"


def _areas(areas: list[Area], limit: int = 5) -> str:
    return (
        "<br>".join(f"{html.escape(a.group)} ×{a.growth:.1f}（{a.prior}→{a.recent}）" for a in areas[:limit])
        or "—"
    )


def _gaps(gaps: list[Area], limit: int = 5) -> str:
    return "<br>".join(f"{html.escape(a.group)}：{_who(a.strengths)}" for a in gaps[:limit]) or "—"


def roadmap_section(roadmaps: list[Roadmap]) -> str:
    """One row per industry; the method of the first roadmap (they share it) below the table."""
    rows = "\n".join(
        f"<tr><td class=l>{html.escape(r.name)}<br><span class=note>{html.escape(r.industry)}</span></td>"
        f"<td>{r.patents}</td><td>{r.local_share * 100:.1f}%</td><td class=l>{_areas(r.growing)}</td>"
        f"<td class=l>{_who(r.leaders[:3])}</td><td class=l>{_gaps(r.gaps)}</td></tr>"
        for r in roadmaps
    )
    method = html.escape(roadmaps[0].method) if roadmaps else ""
    return f"""<h2>产业技术路线图 · Industry technology roadmaps</h2>
<table><thead><tr><th class=l>产业</th><th>专利</th><th>本地占比</th><th class=l>增长最快的技术领域</th>
<th class=l>本地领先单位</th><th class=l>本地薄弱环节：可对接的本地高校院所</th></tr></thead><tbody>
{rows}
</tbody></table>
<p class=note>方法 · method: {method}</p>"""
