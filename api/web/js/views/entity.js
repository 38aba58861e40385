// One entity: its properties, where they came from, and its neighbourhood as a network picture.
import { api, getApiKey } from "../api.js";
import { propName, relName, t, typeName } from "../i18n.js";
import { drawNetwork } from "../network.js";
import { displayName, entityHref, errorBox, fmtValue, h, loading, mount, typeBadge } from "../ui.js";
import { renderGrowth } from "./growth.js";

const PROVENANCE = ["sources", "records", "ingestRuns"];
const SKIP = new Set(["name", "searchText", ...PROVENANCE]);

export function actionsFor(entity) {
  const id = encodeURIComponent(entity.id);
  if (entity.type === "Enterprise") {
    return [h("a", { class: "btn primary", id: "partners-button", href: `#/partners/${id}` }, t("entity.partners"))];
  }
  if (entity.type === "Patent") {
    return [h("a", { class: "btn primary", id: "patent-demands-button", href: `#/patent-demands/${id}` }, t("entity.patentDemands"))];
  }
  if (entity.type === "TechDemand") {
    return [h("a", { class: "btn primary", id: "demand-matches-button", href: `#/demands/${id}` }, t("entity.demandMatches"))];
  }
  return [];
}

function propertiesTable(entity) {
  const rows = Object.entries(entity.properties || {})
    .filter(([k, v]) => !SKIP.has(k) && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0))
    .sort(([a], [b]) => a.localeCompare(b));
  return h("table", { class: "props", id: "properties" },
    h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", {}, propName(k)), h("td", {}, fmtValue(v))))));
}

function provenance(entity) {
  const p = entity.properties || {};
  const items = PROVENANCE.filter((k) => (p[k] || []).length).map((k) =>
    h("div", { class: "prov" }, h("h4", {}, t(`entity.${k}`)),
      h("ul", { class: "chips" }, p[k].map((v) => h("li", { class: "chip mono" }, v)))));
  return h("section", { class: "card", id: "provenance" }, h("h3", {}, t("entity.provenance")),
    items.length ? items : h("p", { class: "muted" }, t("entity.noProvenance")));
}

function relationsList(neighbors) {
  const groups = new Map();
  for (const n of neighbors) {
    const key = `${n.relationship.type}|${n.direction}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(n);
  }
  return h("div", { class: "relations", id: "relations" }, [...groups.entries()].map(([key, items]) => {
    const [type, direction] = key.split("|");
    return h("div", { class: "rel-group" },
      h("h4", {}, direction === "in" ? "← " : "→ ", relName(type), h("span", { class: "muted" }, ` (${items.length})`)),
      h("ul", { class: "rel-items" }, items.map((n) =>
        h("li", {}, typeBadge(n.node.type, typeName(n.node.type)), " ",
          h("a", { href: entityHref(n.node.id) }, n.node.name)))));
  }));
}

/** Nodes and edges for an entity and its one-step neighbourhood. */
export function neighbourhoodGraph(entity, neighbors) {
  const nodes = [{ id: entity.id, name: entity.name, type: entity.type, primary: true, fixed: true }];
  const seen = new Set([entity.id]);
  const edges = [];
  for (const n of neighbors) {
    if (!seen.has(n.node.id)) {
      seen.add(n.node.id);
      nodes.push({ id: n.node.id, name: n.node.name, type: n.node.type });
    }
    edges.push({ source: n.relationship.start, target: n.relationship.end, label: relName(n.relationship.type) });
  }
  return { nodes, edges };
}

function growthCard(id) {
  const card = h("section", { class: "card", id: "growth" });
  renderGrowth(card, id);
  return card;
}

export async function renderEntity(main, [id]) {
  mount(main, loading());
  let entity, neighbors;
  try {
    [entity, neighbors] = await Promise.all([
      api(`/api/v1/entities/${encodeURIComponent(id)}`),
      api(`/api/v1/entities/${encodeURIComponent(id)}/neighbors`, { params: { limit: 150 } }),
    ]);
  } catch (err) {
    mount(main, errorBox(err, () => renderEntity(main, [id])));
    return;
  }
  const picture = h("div", { class: "network-box", id: "neighborhood" });
  const p = entity.properties || {};
  const subtitle = [p.nameEn, p.pinyin, (p.aliases || []).join("、")].filter(Boolean).join(" · ");
  mount(main,
    h("section", { class: "entity-head" },
      h("div", {},
        typeBadge(entity.type, typeName(entity.type)),
        h("h1", { id: "entity-name" }, displayName(entity.name)),
        subtitle ? h("p", { class: "muted" }, subtitle) : null,
        h("p", { class: "muted small mono" }, `${t("entity.id")}: ${entity.id}`)),
      h("div", { class: "actions" }, actionsFor(entity))),
    h("div", { class: "grid entity" },
      h("div", { class: "col" },
        h("section", { class: "card" }, h("h3", {}, t("entity.properties")), propertiesTable(entity),
          entity.type === "Enterprise" && !getApiKey() ? h("p", { class: "muted small" }, t("entity.financialHidden")) : null),
        provenance(entity)),
      h("div", { class: "col wide" },
        h("section", { class: "card" },
          h("h3", {}, t("entity.neighbors"), h("span", { class: "muted small" }, ` ${neighbors.length}`)),
          neighbors.length ? [picture, h("p", { class: "muted small" }, t("entity.clickHint"))]
            : h("p", { class: "muted" }, t("entity.noNeighbors"))),
        entity.type === "Enterprise" ? growthCard(entity.id) : null,
        neighbors.length ? h("section", { class: "card" }, h("h3", {}, t("entity.relations")), relationsList(neighbors)) : null)));
  if (neighbors.length) {
    const { nodes, edges } = neighbourhoodGraph(entity, neighbors);
    drawNetwork(picture, nodes, edges, {
      height: 460,
      onClick: (node) => { if (node.id !== entity.id) window.location.hash = entityHref(node.id); },
    });
  }
}
