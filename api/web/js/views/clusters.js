// 产业集群: the firm network's clusters as a network picture with their metrics, and one
// cluster's members, key players, knowledge partners and gaps (shapes in docs/CLUSTERS.md).
import { api } from "../api.js";
import { getLang, t } from "../i18n.js";
import { columnChart } from "../charts.js";
import { drawNetwork, MAX_NODES } from "../network.js";
import { entityHref, fmtNumber, h, load, loading, errorBox, mount } from "../ui.js";
import { fmtUnit } from "./monitor.js";

export const PALETTE = ["#1864ab", "#d9480f", "#2b8a3e", "#9c36b5", "#e67700", "#0c8599", "#c2255c", "#5f3dc4",
  "#74b816", "#495057", "#a61e4d", "#087f5b"];
const colorFor = (clusters) => {
  const order = new Map(clusters.map((c, i) => [c.id, PALETTE[i % PALETTE.length]]));
  return (id) => order.get(id) || "#ced4da";
};

const pct = (v) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`);
const num = (v, digits = 2) => (v === null || v === undefined ? "—" : fmtNumber(Math.round(v * 10 ** digits) / 10 ** digits));

/** Clusters as nodes (sized by firms), tied by the summed firm–firm weights between them. */
export function clusterGraph(clusters, network) {
  const of = new Map(network.nodes.map((n) => [n.id, n.cluster]));
  const weights = new Map();
  for (const e of network.edges) {
    const a = of.get(e.source), b = of.get(e.target);
    if (!a || !b || a === b) continue;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    weights.set(key, (weights.get(key) || 0) + e.weight);
  }
  const biggest = Math.max(1, ...clusters.map((c) => c.metrics.firms));
  const color = colorFor(clusters);
  const nodes = clusters.map((c) => ({ id: c.id, name: c.name, type: "Cluster", color: color(c.id), showLabel: true,
    radius: 12 + 26 * Math.sqrt(c.metrics.firms / biggest), title: `${c.name} · ${t("clusters.firms")} ${c.metrics.firms}` }));
  const max = Math.max(1, ...weights.values());
  const edges = [...weights.entries()].map(([key, w]) => {
    const [source, target] = key.split("|");
    return { source, target, width: 1 + (5 * w) / max };
  });
  return { nodes, edges };
}

/** Firms coloured by cluster, with their strongest ties. */
export function firmGraph(clusters, network, only) {
  const color = colorFor(clusters);
  // Firms outside every cluster have no ties worth drawing; they would only ring the picture.
  const keep = network.nodes.filter((n) => (only ? n.cluster === only : n.cluster));
  const ids = new Set(keep.map((n) => n.id));
  if (keep.length > MAX_NODES) {
    // More firms than a picture draws (a city or a province): the network.js budget keeps the
    // first ones, so put the best-tied firms first.
    const strength = new Map();
    for (const e of network.edges) {
      strength.set(e.source, (strength.get(e.source) || 0) + e.weight);
      strength.set(e.target, (strength.get(e.target) || 0) + e.weight);
    }
    keep.sort((a, b) => (strength.get(b.id) || 0) - (strength.get(a.id) || 0) || (a.id < b.id ? -1 : 1));
  }
  const radius = keep.length > 150 ? 5 : keep.length > 60 ? 7 : 9;
  const nodes = keep.map((n) => ({ id: n.id, name: n.name, type: "Enterprise", color: color(n.cluster), radius,
    title: `${n.name} · ${n.cluster || "—"}` }));
  const edges = network.edges.filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e) => ({ source: e.source, target: e.target, width: 0.6 + Math.min(3, e.weight) }));
  return { nodes, edges };
}

function metricsTable(clusters, color) {
  const cols = [
    ["clusters.firms", (m) => fmtNumber(m.firms)], ["clusters.techSmes", (m) => fmtNumber(m.techSmes)],
    ["clusters.revenue", (m) => fmtUnit(m.revenue, "元")], ["clusters.employees", (m) => fmtNumber(m.employees)],
    ["clusters.patents", (m) => fmtNumber(m.patents)], ["clusters.inventionShare", (m) => pct(m.inventionShare)],
    ["clusters.revenueGrowth", (m) => pct(m.revenueGrowth)], ["clusters.patentGrowth", (m) => pct(m.patentGrowth)],
    ["clusters.lq", (m) => num(m.locationQuotient)],
  ];
  return h("table", { class: "targets", id: "cluster-metrics" },
    h("thead", {}, h("tr", {}, h("th", {}, t("common.name")), h("th", {}, t("clusters.terms")),
      cols.map(([key]) => h("th", { class: "num" }, t(key))))),
    h("tbody", {}, clusters.map((c) => h("tr", { "data-id": c.id },
      h("td", {}, h("i", { class: "swatch", style: `background:${color(c.id)}` }),
        h("a", { href: `#/clusters/${encodeURIComponent(c.id)}` }, c.name),
        c.metrics.strong ? h("span", { class: "badge ok", title: t("clusters.strongHelp") }, t("clusters.strong")) : null),
      h("td", { class: "small" }, (c.terms || []).slice(0, 3).map((x) => x.name || x.term).join("、")),
      cols.map(([, f]) => h("td", { class: "num" }, f(c.metrics)))))));
}

export async function renderClusters(main, _params, query) {
  const mode = query.get("view") === "firms" ? "firms" : "clusters";
  const body = h("div", { id: "clusters" });
  mount(main, h("section", { class: "entity-head" }, h("div", {}, h("h1", {}, t("clusters.title")), h("p", { class: "muted" }, t("clusters.lead")))), body);
  mount(body, loading());
  let list, network;
  try {
    [list, network] = await Promise.all([api("/api/v1/clusters"), api("/api/v1/clusters/network")]);
  } catch (err) {
    mount(body, errorBox(err, () => renderClusters(main, _params, query)));
    return;
  }
  const clusters = list.clusters || [];
  if (!clusters.length) {
    mount(body, h("p", { class: "empty", id: "no-clusters" }, t("clusters.none")));
    return;
  }
  const color = colorFor(clusters);
  const picture = h("div", { class: "network-box", id: "cluster-network" });
  const toggle = h("div", { class: "row" },
    h("a", { class: "btn small" + (mode === "clusters" ? " primary" : ""), href: "#/clusters", id: "view-clusters" }, t("clusters.viewClusters")),
    h("a", { class: "btn small" + (mode === "firms" ? " primary" : ""), href: "#/clusters?view=firms", id: "view-firms" }, t("clusters.viewFirms")));
  mount(body,
    h("p", { class: "muted", id: "cluster-summary" }, t("clusters.summary", {
      n: clusters.length, firms: list.firms, clustered: list.clusteredFirms, method: list.method,
      q: list.modularity === null || list.modularity === undefined ? "—" : list.modularity.toFixed(3) })),
    h("section", { class: "card" }, h("div", { class: "row spread" }, h("h3", {}, t("clusters.network")), toggle), picture,
      h("p", { class: "muted small" }, t(mode === "firms" ? "clusters.firmHint" : "clusters.clusterHint"))),
    h("section", { class: "card", style: "overflow-x:auto" }, h("h3", {}, t("clusters.metrics")), metricsTable(clusters, color),
      list.referenceIllustrative ? h("p", { class: "muted small" }, t("clusters.illustrative", { region: list.referenceRegion })) : null));
  const legend = clusters.map((c) => ({ name: c.name, color: color(c.id) }));
  if (mode === "firms") {
    const { nodes, edges } = firmGraph(clusters, network);
    drawNetwork(picture, nodes, edges, { height: 520, legend, onClick: (n) => { window.location.hash = entityHref(n.id); } });
  } else {
    const { nodes, edges } = clusterGraph(clusters, network);
    drawNetwork(picture, nodes, edges, { height: 420, legend, onClick: (n) => { window.location.hash = `#/clusters/${encodeURIComponent(n.id)}`; } });
  }
}

function namedList(items, { value = (v) => num(v, 3), link = true } = {}) {
  if (!items || !items.length) return h("p", { class: "muted small" }, "—");
  return h("ol", { class: "named" }, items.map((x) => h("li", {},
    link ? h("a", { href: entityHref(x.id) }, x.name) : x.name, h("span", { class: "muted small" }, ` ${value(x.value)}`))));
}

function clusterView(c, network, clusters) {
  const m = c.metrics;
  const en = getLang() === "en";
  const picture = h("div", { class: "network-box", id: "member-network" });
  const figure = (key, value) => h("div", { class: "figure" }, h("b", {}, value), h("span", {}, t(key)));
  const { nodes, edges } = firmGraph(clusters, network, c.id);
  const central = new Map((c.members || []).map((x) => [x.id, x.value]));
  const top = Math.max(1e-9, ...central.values());
  const keyIds = new Set((c.keyPlayers || []).map((x) => x.id));
  nodes.forEach((n) => { n.radius = 6 + 10 * ((central.get(n.id) || 0) / top); n.showLabel = keyIds.has(n.id); });
  // The most central members first, so a cluster bigger than the budget keeps its core.
  if (nodes.length > MAX_NODES) nodes.sort((a, b) => (central.get(b.id) || 0) - (central.get(a.id) || 0));
  drawNetwork(picture, nodes, edges, { height: 440, legend: false, labelLimit: 20,
    onClick: (n) => { window.location.hash = entityHref(n.id); } });
  const years = (series) => Object.entries(series || {}).sort(([a], [b]) => a - b).map(([label, value]) => ({ label, value }));
  const chartOr = (rows, draw) => (rows.length ? draw(rows) : h("p", { class: "muted" }, t("common.noData")));
  return [
    h("section", { class: "entity-head" }, h("div", {},
      h("span", { class: "badge" }, c.id), h("h1", { id: "cluster-name" }, c.name),
      c.industry ? h("p", { class: "muted" }, `${c.industry.name} · ${t("clusters.industryShare")} ${pct(c.industryShare)}`) : null)),
    h("div", { class: "figures card" },
      figure("clusters.firms", fmtNumber(m.firms)), figure("clusters.techSmes", fmtNumber(m.techSmes)),
      figure("clusters.revenue", fmtUnit(m.revenue, "元")), figure("clusters.employees", fmtNumber(m.employees)),
      figure("clusters.patents", fmtNumber(m.patents)), figure("clusters.inventionShare", pct(m.inventionShare)),
      figure("clusters.revenueGrowth", pct(m.revenueGrowth)), figure("clusters.lq", num(m.locationQuotient))),
    h("div", { class: "grid split" },
      h("section", { class: "card" }, h("h3", {}, t("clusters.members"), h("span", { class: "muted small" }, ` ${(c.members || []).length}`)),
        picture, h("p", { class: "muted small" }, t("clusters.memberHint"))),
      h("div", {},
        h("section", { class: "card" }, h("h3", {}, t("clusters.keyPlayers")), namedList(c.keyPlayers)),
        h("section", { class: "card" }, h("h3", {}, t("clusters.brokers")), namedList(c.brokers)),
        h("section", { class: "card" }, h("h3", {}, t("clusters.partners")), namedList(c.knowledgePartners, { value: (v) => fmtNumber(v) })))),
    h("div", { class: "grid two" },
      h("section", { class: "card chart" }, h("h3", {}, t("clusters.revenueByYear")),
        chartOr(years(c.revenueByYear), (rows) => columnChart(rows, { format: (v) => (en ? `${Math.round(v / 1e6)}M` : `${(v / 1e8).toFixed(2)}亿`) }))),
      h("section", { class: "card chart" }, h("h3", {}, t("clusters.patentsByYear")),
        chartOr(years(c.patentsByYear), (rows) => columnChart(rows, { format: (v) => fmtNumber(v), color: "#2b8a3e" })))),
    h("div", { class: "grid two" },
      h("section", { class: "card", id: "core-ipc" }, h("h3", {}, t("clusters.coreIpc")),
        h("table", { class: "targets" }, h("tbody", {}, (c.coreIpc || []).map((a) => h("tr", {},
          h("td", { class: "mono" }, a.code), h("td", { class: "num" }, pct(a.share)),
          h("td", { class: "small" }, a.localHolders.length
            ? a.localHolders.map((id) => h("a", { href: entityHref(id), class: "holder", "data-id": id }, id))
            : h("span", { class: "badge warn" }, t("clusters.gap")))))))),
      h("section", { class: "card" }, h("h3", {}, t("clusters.parks")), namedList(c.parks, { value: (v) => fmtNumber(v) }),
        h("h3", {}, t("clusters.isolated")), namedList(c.isolatedFirms, { value: () => "" }))),
  ];
}

// Holders come as ids; their names are looked up afterwards, one request per distinct holder.
async function nameHolders(root) {
  const links = [...root.querySelectorAll("a.holder")];
  const ids = [...new Set(links.map((a) => a.dataset.id))];
  await Promise.all(ids.map(async (id) => {
    try {
      const entity = await api(`/api/v1/entities/${encodeURIComponent(id)}`);
      links.filter((a) => a.dataset.id === id).forEach((a) => { a.textContent = entity.name; });
    } catch {
      // Keep the id: it still links to the entity page, which shows the error if there is one.
    }
  }));
}

export async function renderCluster(main, [id]) {
  const body = h("div", { id: "cluster" });
  mount(main, h("p", {}, h("a", { href: "#/clusters" }, "← ", t("clusters.back"))), body);
  load(body, async () => {
    const [cluster, network, list] = await Promise.all([api(`/api/v1/clusters/${encodeURIComponent(id)}`),
      api("/api/v1/clusters/network"), api("/api/v1/clusters")]);
    return { cluster, network, clusters: list.clusters || [] };
  }, ({ cluster, network, clusters }) => clusterView(cluster, network, clusters)).then(() => nameHolders(body));
}
