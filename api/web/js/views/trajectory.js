// 规划监测 over time: one line chart per indicator (observed years, fitted trend to the target
// year, target line) and the table by year, from GET /api/v1/monitor/series.
import { api } from "../api.js";
import { getLang, t } from "../i18n.js";
import { lineChart } from "../linechart.js";
import { h, load } from "../ui.js";
import { fmtUnit } from "./monitor.js";

function statusBadge(ind) {
  if (ind.onTrack === true) return h("span", { class: "badge ok" }, t("trend.onTrack"));
  if (ind.onTrack === false) return h("span", { class: "badge warn" }, t("trend.behind"));
  return h("span", { class: "muted small" }, ind.dated ? "—" : t("trend.undated"));
}

function chartCard(ind, data) {
  const en = getLang() === "en";
  const projected = ind.projected === null || ind.projected === undefined ? null : { year: data.targetYear, value: ind.projected };
  return h("section", { class: "card trend-card", "data-id": ind.id },
    h("h4", {}, en ? ind.nameEn || ind.name : ind.name, " ", statusBadge(ind)),
    lineChart(ind.points, { target: ind.target, projected, lastYear: data.targetYear, format: (v) => fmtUnit(v, ind.unit) }),
    h("p", { class: "muted small" },
      `${t("trend.projected")} ${data.targetYear}: ${fmtUnit(ind.projected, ind.unit)} · ${t("monitor.target")}: ${fmtUnit(ind.target, ind.unit)}`,
      ind.annualGrowth === null || ind.annualGrowth === undefined ? "" : ` · ${t("trend.growth")} ${(ind.annualGrowth * 100).toFixed(1)}%`));
}

function yearTable(data) {
  const en = getLang() === "en";
  return h("table", { class: "targets", id: "series-table" },
    h("thead", {}, h("tr", {}, h("th", {}, t("monitor.indicator")), data.years.map((y) => h("th", { class: "num" }, String(y))),
      h("th", { class: "num" }, `${t("trend.projected")} ${data.targetYear}`), h("th", { class: "num" }, t("monitor.target")), h("th", {}, t("monitor.status")))),
    h("tbody", {}, data.indicators.map((ind) => {
      const byYear = Object.fromEntries(ind.points.map((p) => [p.year, p.value]));
      return h("tr", { "data-id": ind.id },
        h("td", {}, en ? ind.nameEn || ind.name : ind.name),
        data.years.map((y) => h("td", { class: "num" }, fmtUnit(byYear[y], ind.unit))),
        h("td", { class: "num" }, fmtUnit(ind.projected, ind.unit)),
        h("td", { class: "num" }, fmtUnit(ind.target, ind.unit)),
        h("td", {}, statusBadge(ind)));
    })));
}

function listName(list) {
  const name = t(`list.${list.kind}`);
  return name === `list.${list.kind}` ? list.name : name; // a kind the page has no words for
}

// The yearly lists (名单) the graph holds: members as of each year.
function listTable(data) {
  const lists = data.lists || [];
  if (!lists.length) return "";
  return h("section", { class: "card", style: "overflow-x:auto" }, h("h3", {}, t("trend.lists")),
    h("table", { class: "targets", id: "lists-table" },
      h("thead", {}, h("tr", {}, h("th", {}, t("trend.list")), data.years.map((y) => h("th", { class: "num" }, String(y))))),
      h("tbody", {}, lists.map((list) => {
        const byYear = Object.fromEntries(list.points.map((p) => [p.year, p.value]));
        return h("tr", { "data-kind": list.kind },
          h("td", {}, listName(list)),
          data.years.map((y) => h("td", { class: "num" }, byYear[y] === undefined ? "—" : String(byYear[y]))));
      }))));
}

function seriesView(data) {
  if (!data.years.length) return h("p", { class: "muted" }, t("trend.noYears"));
  const dated = data.indicators.filter((i) => i.dated);
  return [
    h("h3", {}, t("trend.title"), h("span", { class: "muted small" }, ` ${data.years[0]}–${data.years[data.years.length - 1]}`)),
    h("div", { class: "trend-grid", id: "trend-charts" }, dated.map((ind) => chartCard(ind, data))),
    h("section", { class: "card", style: "overflow-x:auto" }, h("h3", {}, t("trend.table")), yearTable(data),
      h("p", { class: "muted small", id: "trend-method" }, `${t("trend.method")}: ${data.method}`)),
    listTable(data),
  ];
}

/** Appends the trajectory section to ``container`` (the monitor page). */
export function renderTrajectory(container) {
  load(container, () => api("/api/v1/monitor/series"), seriesView);
}
