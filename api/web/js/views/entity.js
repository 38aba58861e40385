// One entity: its properties, where they came from, and its neighbourhood as a network picture.
import { api, getApiKey } from "../api.js";
import { propName, relName, t, typeName } from "../i18n.js";
import { drawNetwork } from "../network.js";
import { displayName, entityHref, errorBox, fmtNumber, fmtValue, h, loading, mount, typeBadge } from "../ui.js";
import { renderGrowth } from "./growth.js";

const PROVENANCE = ["sources", "records", "ingestRuns"];
// A neighbourhood up to DRAW_ALL is fetched and drawn whole. A bigger one (a firm with
// thousands of patents) is drawn as one node per (relationship, direction, label) group with its
// count; a click opens a group PAGE neighbours at a time, up to MAX_OPEN in the picture (the list
// below pages on). Groups up to SMALL_GROUP are drawn member by member from the start.
export const DRAW_ALL = 150;
export const PAGE = 40;
const SMALL_GROUP = 12;
const MAX_OPEN = 200;
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

const groupKey = (g) => `${g.type}|${g.direction}|${g.label}`;

/** A big neighbourhood: the groups with their counts, and the members fetched so far per group. */
class Neighbourhood {
  constructor(entityId, body) {
    this.entityId = entityId;
    this.total = body.total;
    this.groups = body.groups;
    this.members = new Map(); // key -> {items, cursor, open}
  }

  state(group) {
    return this.members.get(groupKey(group)) || { items: [], cursor: null, open: false, started: false };
  }

  remaining(group) {
    return group.count - this.state(group).items.length;
  }

  /** Fetch the group's next page (its first when nothing is loaded yet). */
  async more(group, limit = PAGE) {
    const key = groupKey(group);
    const current = this.state(group);
    if (current.started && !current.cursor) return;
    const body = await api(`/api/v1/entities/${encodeURIComponent(this.entityId)}/neighborhood`, {
      params: { rel_type: group.type, direction: group.direction, label: group.label, limit, cursor: current.cursor || undefined },
    });
    this.members.set(key, { items: [...current.items, ...body.items], cursor: body.nextCursor, open: true, started: true });
  }

  /** Small groups are fetched whole up front, so the picture names them at once. */
  async prefetchSmall() {
    await Promise.all(this.groups.filter((g) => g.count <= SMALL_GROUP).map((g) => this.more(g, g.count)));
  }
}

/** The picture of a big neighbourhood: members of opened groups, one counted node per closed group. */
export function groupedGraph(entity, hood) {
  const nodes = [{ id: entity.id, name: entity.name, type: entity.type, primary: true, fixed: true }];
  const edges = [];
  const seen = new Set([entity.id]);
  const tie = (other, group, extra = {}) => edges.push(group.direction === "out"
    ? { source: entity.id, target: other, ...extra } : { source: other, target: entity.id, ...extra });
  for (const group of hood.groups) {
    const key = groupKey(group);
    const { items, open } = hood.state(group);
    if (!open) {
      nodes.push({ id: `@group|${key}`, group, name: `${typeName(group.label)} ×${fmtNumber(group.count)}`, type: group.label,
        showLabel: true, radius: 10 + 4 * Math.log10(group.count),
        title: t("entity.groupTitle", { rel: relName(group.type), type: typeName(group.label), count: fmtNumber(group.count) }) });
      tie(`@group|${key}`, group, { label: relName(group.type), width: 1 + Math.log10(group.count) });
      continue;
    }
    for (const n of items.slice(0, MAX_OPEN)) {
      if (!seen.has(n.node.id)) {
        seen.add(n.node.id);
        nodes.push({ id: n.node.id, name: n.node.name, type: n.node.type });
      }
      edges.push({ source: n.relationship.start, target: n.relationship.end, label: relName(n.relationship.type) });
    }
    const left = hood.remaining(group);
    if (left > 0 && items.length < MAX_OPEN) {
      nodes.push({ id: `@more|${key}`, group, name: t("entity.moreNode", { n: fmtNumber(left) }), type: group.label, showLabel: true,
        radius: 8, title: t("entity.moreTitle", { n: fmtNumber(left), page: PAGE }) });
      tie(`@more|${key}`, group, { dashed: true });
    }
  }
  return { nodes, edges };
}

function groupedList(hood, onMore) {
  return h("div", { class: "relations", id: "relations" }, hood.groups.map((group) => {
    const { items } = hood.state(group);
    const left = hood.remaining(group);
    return h("div", { class: "rel-group", "data-group": groupKey(group) },
      h("h4", {}, group.direction === "in" ? "← " : "→ ", relName(group.type), " · ", typeName(group.label),
        h("span", { class: "muted" }, ` (${fmtNumber(group.count)})`)),
      items.length ? h("ul", { class: "rel-items" }, items.map((n) =>
        h("li", {}, typeBadge(n.node.type, typeName(n.node.type)), " ", h("a", { href: entityHref(n.node.id) }, n.node.name)))) : null,
      left > 0 ? h("button", { class: "btn small more", type: "button", onclick: () => onMore(group) },
        items.length ? t("entity.listMore", { n: fmtNumber(left) }) : `${t("entity.showGroup")} (${fmtNumber(left)})`) : null);
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
  let entity, first;
  try {
    [entity, first] = await Promise.all([
      api(`/api/v1/entities/${encodeURIComponent(id)}`),
      api(`/api/v1/entities/${encodeURIComponent(id)}/neighborhood`, { params: { limit: DRAW_ALL } }),
    ]);
  } catch (err) {
    mount(main, errorBox(err, () => renderEntity(main, [id])));
    return;
  }
  const whole = first.nextCursor === null;
  const hood = whole ? null : new Neighbourhood(entity.id, first);
  if (hood) {
    try {
      await hood.prefetchSmall();
    } catch (err) {
      mount(main, errorBox(err, () => renderEntity(main, [id])));
      return;
    }
  }
  const neighbors = whole ? first.items : [];
  const picture = h("div", { class: "network-box", id: "neighborhood" });
  const problems = h("div", { class: "network-problems" });
  const listCard = h("section", { class: "card" });
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
          h("h3", {}, t("entity.neighbors"), h("span", { class: "muted small", id: "neighbor-total" }, ` ${fmtNumber(first.total)}`)),
          first.total ? [
            hood ? h("p", { class: "muted small", id: "grouped-hint" }, t("entity.grouped", { total: fmtNumber(first.total), page: PAGE })) : null,
            picture, problems, h("p", { class: "muted small" }, t("entity.clickHint"))]
            : h("p", { class: "muted" }, t("entity.noNeighbors"))),
        entity.type === "Enterprise" ? growthCard(entity.id) : null,
        first.total ? listCard : null)));
  if (!first.total) return;
  const open = (node) => { if (node.id !== entity.id) window.location.hash = entityHref(node.id); };
  if (whole) {
    mount(listCard, h("h3", {}, t("entity.relations")), relationsList(neighbors));
    const { nodes, edges } = neighbourhoodGraph(entity, neighbors);
    drawNetwork(picture, nodes, edges, { height: 460, onClick: open });
    return;
  }
  let busy = false;
  const expand = async (group) => {
    if (busy) return;
    busy = true;
    problems.replaceChildren();
    try {
      await hood.more(group);
    } catch (err) {
      mount(problems, errorBox(err, () => expand(group)));
    } finally {
      busy = false;
    }
    redraw();
  };
  const redraw = () => {
    // The reader may have moved on while a page was loading: a detached picture would wait for
    // a layout that never comes (drawNetwork retries until the box is in the document).
    if (!picture.isConnected) return;
    mount(listCard, h("h3", {}, t("entity.relations")), groupedList(hood, expand));
    const { nodes, edges } = groupedGraph(entity, hood);
    drawNetwork(picture, nodes, edges, { height: 460, onClick: (node) => (node.group ? expand(node.group) : open(node)) });
  };
  redraw();
}
