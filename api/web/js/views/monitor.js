// 规划监测: the plan's targets against the graph's current figures, with charts of progress,
// revenue bands, growth stages and the little-giant candidates (docs/CLUSTERS.md shapes).
import { api } from "../api.js";
import { getLang, t } from "../i18n.js";
import { columnChart, pairedBars, progressChart } from "../charts.js";
import { entityHref, fmtNumber, h, load, mount } from "../ui.js";
import { renderTrajectory } from "./trajectory.js";

/** A value in its unit: shares as per cent, large sums of yuan in 亿元 / M yuan. */
export function fmtUnit(value, unit) {
  if (value === null || value === undefined) return "—";
  const en = getLang() === "en";
  if (unit === "%") return `${(value * 100).toFixed(1)}%`;
  if (unit === "元" && Math.abs(value) >= 1e8) return en ? `${fmtNumber(Math.round(value / 1e6))} M yuan` : `${(value / 1e8).toFixed(2)} 亿元`;
  if (unit === "元" && Math.abs(value) >= 1e4) return en ? `${fmtNumber(Math.round(value / 1e4) / 100)} M yuan` : `${fmtNumber(Math.round(value / 1e4))} 万元`;
  if (unit === "元") return en ? `${fmtNumber(Math.round(value))} yuan` : `${fmtNumber(Math.round(value))} 元`;
  const unitText = en ? ({ 家: "", 个: "", 件: "" }[unit] ?? unit) : unit;
  return `${fmtNumber(Math.round(value * 100) / 100)}${unitText ? ` ${unitText}` : ""}`;
}

function indicatorRow(ind) {
  const en = getLang() === "en";
  const progress = ind.progress;
  const cls = ind.met ? "done" : progress !== null && progress < 0.5 ? "low" : "";
  return h("tr", { "data-id": ind.id },
    h("td", {}, en ? ind.nameEn || ind.name : ind.name),
    h("td", { class: "num" }, fmtUnit(ind.baseline, ind.unit)),
    h("td", { class: "num" }, fmtUnit(ind.target, ind.unit)),
    h("td", { class: "num" }, h("b", {}, fmtUnit(ind.current, ind.unit))),
    h("td", {}, progress === null || progress === undefined ? h("span", { class: "muted" }, "—")
      : h("div", { class: "progress" },
        h("span", { class: "bar" }, h("i", { class: cls, style: `width:${Math.max(0, Math.min(1, progress)) * 100}%` })),
        h("span", { class: "mono small" }, `${Math.round(progress * 100)}%`))),
    h("td", {}, ind.met === true ? h("span", { class: "badge ok" }, t("monitor.met"))
      : ind.met === false ? h("span", { class: "badge warn" }, t("monitor.notMet")) : "—"));
}

const SHOWN_CANDIDATES = 15;

function candidateRows(list) {
  return list.map((c) => h("tr", {},
    h("td", {}, h("a", { href: entityHref(c.id) }, c.name)),
    h("td", { class: "num" }, fmtNumber(c.inventions)),
    h("td", { class: "num" }, c.yearsToThreshold === null || c.yearsToThreshold === undefined ? "—" : c.yearsToThreshold.toFixed(1)),
    h("td", { class: "small" }, (c.reasons || []).map((r) => r.text).join("；") || "—")));
}

function candidatesCard(candidates) {
  const head = () => h("thead", {}, h("tr", {}, h("th", {}, t("common.name")), h("th", { class: "num" }, t("monitor.inventions")),
    h("th", { class: "num" }, t("monitor.yearsTo")), h("th", {}, t("monitor.reasons"))));
  const rest = candidates.slice(SHOWN_CANDIDATES);
  return h("section", { class: "card", id: "candidates" },
    h("h3", {}, t("monitor.candidates"), h("span", { class: "muted small" }, ` ${candidates.length}`)),
    h("table", { class: "targets" }, head(), h("tbody", {}, candidateRows(candidates.slice(0, SHOWN_CANDIDATES)))),
    rest.length ? h("details", {}, h("summary", {}, `+${rest.length}`),
      h("table", { class: "targets" }, h("tbody", {}, candidateRows(rest)))) : null);
}

function monitorView(data) {
  const en = getLang() === "en";
  const indicators = data.indicators || [];
  if (!indicators.length) return h("p", { class: "empty" }, t("monitor.none"));
  const stages = Object.entries(data.stages || {}).map(([label, value]) => ({ label, value }));
  const bands = (data.revenueBands || []).map((b) => ({ label: b.name, a: b.baseline, b: b.current }));
  return [
    h("p", { class: "muted", id: "plan-name" }, `${en ? data.planEn : data.plan} · ${data.baselineYear} → ${data.targetYear} · `,
      t("monitor.firms", { firms: fmtNumber(data.firms), smes: fmtNumber(data.techSmes) })),
    h("section", { class: "card", style: "overflow-x:auto" },
      h("h3", {}, t("monitor.targets")),
      h("table", { class: "targets", id: "targets" },
        h("thead", {}, h("tr", {},
          h("th", {}, t("monitor.indicator")), h("th", { class: "num" }, `${t("monitor.baseline")} (${data.baselineYear})`),
          h("th", { class: "num" }, `${t("monitor.target")} (${data.targetYear})`), h("th", { class: "num" }, t("monitor.current")),
          h("th", {}, t("monitor.progress")), h("th", {}, t("monitor.status")))),
        h("tbody", {}, indicators.map(indicatorRow))),
      h("p", { class: "muted small" }, t("monitor.progressHelp"))),
    h("div", { class: "grid two" },
      h("section", { class: "card chart", id: "monitor-chart" }, h("h3", {}, t("monitor.chart")),
        progressChart(indicators.map((i) => ({ label: en ? i.nameEn || i.name : i.name, ratio: i.progress ?? NaN })))),
      h("section", { class: "card chart", id: "band-chart" }, h("h3", {}, t("monitor.bands")),
        pairedBars(bands, [`${t("monitor.baseline")} ${data.baselineYear}`, t("monitor.current")]),
        stages.length ? [h("h3", {}, t("monitor.stages")), columnChart(stages, { format: (v) => fmtNumber(v) })] : null)),
    (data.candidates || []).length ? candidatesCard(data.candidates) : null,
  ];
}

export function renderMonitor(main) {
  const body = h("div", { id: "monitor" });
  const trend = h("div", { id: "monitor-trend" });
  mount(main, h("section", { class: "entity-head" }, h("div", {}, h("h1", {}, t("monitor.title")), h("p", { class: "muted" }, t("monitor.lead")))), trend, body);
  renderTrajectory(trend);
  load(body, () => api("/api/v1/monitor"), monitorView);
}
