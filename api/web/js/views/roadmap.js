// 产业技术路线图: for one strategic industry, filings by IPC main group and year, the
// fastest-growing areas, local leaders, local gaps and the local universities' matching
// strengths (GET /api/v1/roadmap?industry=…).
import { api } from "../api.js";
import { t } from "../i18n.js";
import { entityHref, fmtNumber, h, load, mount } from "../ui.js";

function who(list) {
  if (!list.length) return h("span", { class: "muted" }, "—");
  return list.map((x, i) => [i ? "、" : "", h("a", { href: entityHref(x.id) }, x.name), h("span", { class: "muted small" }, ` ${x.patents}`)]);
}

function yearTable(data) {
  const years = data.years;
  const max = Math.max(1, ...data.groups.flatMap((g) => Object.values(g.byYear)));
  return h("table", { class: "targets heat", id: "roadmap-years" },
    h("thead", {}, h("tr", {}, h("th", {}, t("roadmap.group")), years.map((y) => h("th", { class: "num" }, String(y))), h("th", { class: "num" }, t("roadmap.total")))),
    h("tbody", {}, data.groups.map((g) => h("tr", { "data-group": g.group },
      h("td", { class: "mono" }, g.group),
      years.map((y) => {
        const n = g.byYear[y] || 0;
        return h("td", { class: "num", style: `background: rgba(28,126,214,${(0.08 + 0.6 * n / max).toFixed(2)})` }, n ? String(n) : "");
      }),
      h("td", { class: "num" }, fmtNumber(g.total))))));
}

function growingTable(data) {
  return h("table", { class: "targets", id: "roadmap-growing" },
    h("thead", {}, h("tr", {}, h("th", {}, t("roadmap.group")), h("th", { class: "num" }, `${data.prior[0]}–${data.prior[1]}`),
      h("th", { class: "num" }, `${data.recent[0]}–${data.recent[1]}`), h("th", { class: "num" }, t("roadmap.growth")),
      h("th", { class: "num" }, t("roadmap.localShare")), h("th", {}, t("roadmap.leaders")), h("th", {}, ""))),
    h("tbody", {}, data.growing.map((a) => h("tr", { "data-group": a.group },
      h("td", { class: "mono" }, a.group, a.name && a.name !== a.group ? h("div", { class: "muted small" }, a.name) : null),
      h("td", { class: "num" }, fmtNumber(a.prior)), h("td", { class: "num" }, fmtNumber(a.recent)),
      h("td", { class: "num" }, `×${a.growth.toFixed(1)}`),
      h("td", { class: "num" }, `${(a.localShare * 100).toFixed(1)}%`),
      h("td", {}, who(a.leaders)),
      h("td", {}, a.gap ? h("span", { class: "badge warn" }, t("roadmap.gap")) : h("span", { class: "badge ok" }, t("roadmap.strong")))))));
}

function gapsList(data) {
  if (!data.gaps.length) return h("p", { class: "muted", id: "roadmap-gaps" }, t("roadmap.noGaps"));
  return h("ul", { id: "roadmap-gaps" }, data.gaps.map((a) => h("li", { "data-group": a.group },
    h("b", { class: "mono" }, a.group), ` ×${a.growth.toFixed(1)} · ${t("roadmap.local")} ${a.local} · ${t("roadmap.strengths")}: `, who(a.strengths))));
}

function roadmapView(data) {
  return [
    h("p", { class: "muted", id: "roadmap-summary" },
      t("roadmap.summary", { name: data.name, n: fmtNumber(data.patents), local: fmtNumber(data.localPatents), share: (data.localShare * 100).toFixed(1) })),
    h("section", { class: "card" }, h("h3", {}, t("roadmap.growing")), growingTable(data)),
    h("div", { class: "grid two" },
      h("section", { class: "card" }, h("h3", {}, t("roadmap.gaps")), gapsList(data)),
      h("section", { class: "card" }, h("h3", {}, t("roadmap.localLeaders")), h("p", { id: "roadmap-leaders" }, who(data.leaders)))),
    h("section", { class: "card", style: "overflow-x:auto" }, h("h3", {}, t("roadmap.byYear")), yearTable(data)),
    h("p", { class: "muted small", id: "roadmap-method" }, `${t("trend.method")}: ${data.method}`),
  ];
}

export function renderRoadmap(main, _params, query) {
  const industry = query.get("industry") || "DONGLI:AERO";
  const picker = h("select", { id: "roadmap-industry", onchange: (e) => { window.location.hash = `#/roadmap?industry=${encodeURIComponent(e.target.value)}`; } });
  const body = h("div", { id: "roadmap" });
  mount(main,
    h("section", { class: "entity-head" }, h("div", {}, h("h1", {}, t("roadmap.title")), h("p", { class: "muted" }, t("roadmap.lead"))),
      h("div", { class: "actions" }, picker)),
    body);
  api("/api/v1/roadmap/industries").then((list) => {
    const options = [...list, { code: "*", name: t("roadmap.all") }];
    if (!options.some((o) => o.code === industry)) options.unshift({ code: industry, name: industry });
    picker.replaceChildren(...options.map((o) => h("option", { value: o.code, selected: o.code === industry }, `${o.name} (${o.code})`)));
  }).catch(() => {});
  load(body, () => api("/api/v1/roadmap", { params: { industry } }), roadmapView);
}
