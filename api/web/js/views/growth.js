// 企业成长诊断 on the firm page: stage by year, revenue and patent trajectories, the gap to the
// little-giant threshold, peers in the same industry that made the step, and the plan's
// support for the firm's stage (GET /api/v1/enterprises/{id}/growth). Readers see no money.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { columnChart } from "../charts.js";
import { lineChart } from "../linechart.js";
import { entityHref, fmtNumber, h, load } from "../ui.js";
import { fmtUnit } from "./monitor.js";

function stageBadges(stages) {
  return h("div", { class: "row stage-row", id: "growth-stages" },
    stages.map((s) => h("span", { class: "badge" + (s.stage === "壮大期" ? " ok" : ""), "data-year": s.year }, `${s.year} ${s.stage}`)));
}

function peerRows(peers) {
  return peers.map((p) => h("tr", {},
    h("td", {}, h("a", { href: entityHref(p.id) }, p.name)),
    h("td", { class: "num" }, String(p.crossedIn)),
    h("td", { class: "num" }, fmtUnit(p.revenueBefore, "元")),
    h("td", { class: "num" }, p.growth === null ? "—" : `${(p.growth * 100).toFixed(0)}%`),
    h("td", { class: "num" }, `${fmtNumber(p.patents)} / ${fmtNumber(p.inventions)}`),
    h("td", { class: "num" }, fmtNumber(p.partners)),
    h("td", { class: "num" }, fmtNumber(p.projects))));
}

function growthView(d) {
  const money = d.stages.some((s) => s.revenue !== null);
  const revenue = d.stages.filter((s) => s.revenue !== null).map((s) => ({ year: s.year, value: s.revenue }));
  const years = d.yearsToThreshold === null ? "—" : d.yearsToThreshold === 0 ? t("growth.reached") : d.yearsToThreshold.toFixed(1);
  return [
    h("h3", {}, t("growth.title"), " ", h("span", { class: "badge", id: "growth-stage" }, d.stage)),
    d.industries.length ? h("p", { class: "muted small" }, d.industries.join("、")) : null,
    stageBadges(d.stages),
    h("div", { class: "grid two" },
      h("div", {}, h("h4", {}, t("growth.revenue")),
        money ? lineChart(revenue, { target: d.threshold, format: (v) => fmtUnit(v, "元") })
          : h("p", { class: "muted small" }, t("entity.financialHidden"))),
      h("div", {}, h("h4", {}, t("growth.patents")),
        d.patents.length ? columnChart(d.patents.map((p) => ({ label: p.year, value: p.patents })), { width: 320, height: 160 })
          : h("p", { class: "muted small" }, "—"))),
    h("p", { id: "growth-gap" },
      `${t("growth.threshold")}: ${fmtUnit(d.threshold, "元")} · ${t("growth.gap")}: ${fmtUnit(d.gap, "元")} · `,
      `${t("growth.growthRate")}: ${d.growth === null ? "—" : (d.growth * 100).toFixed(1) + "%"} · ${t("growth.years")}: `, h("b", {}, years)),
    h("h4", {}, t("growth.peers"), h("span", { class: "muted small" }, ` ${d.peers.length}`)),
    d.peers.length ? h("table", { class: "targets", id: "growth-peers" },
      h("thead", {}, h("tr", {}, h("th", {}, t("common.name")), h("th", { class: "num" }, t("growth.crossedIn")),
        h("th", { class: "num" }, t("growth.revenueBefore")), h("th", { class: "num" }, t("growth.growthRate")),
        h("th", { class: "num" }, t("growth.patentsBefore")), h("th", { class: "num" }, t("growth.partners")), h("th", { class: "num" }, t("growth.projects")))),
      h("tbody", {}, peerRows(d.peers))) : h("p", { class: "muted small" }, t("growth.noPeers")),
    h("h4", {}, t("growth.support")),
    h("ul", { id: "growth-support" }, d.support.map((s) => h("li", {}, s))),
  ];
}

/** Fills ``container`` with the firm's growth diagnosis. */
export function renderGrowth(container, id) {
  load(container, () => api(`/api/v1/enterprises/${encodeURIComponent(id)}/growth`), growthView);
}
