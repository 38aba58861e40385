// Ranked suggestions (partners for a firm, matches for a demand): score breakdown bars, evidence
// paths drawn as chains of nodes, and one network picture of all the evidence.
import { getLang, relName, t, typeName } from "./i18n.js";
import { colorOf, drawNetwork } from "./network.js";
import { entityHref, fmtNumber, h, typeBadge } from "./ui.js";

// Score components, whatever the endpoint calls them, with a name a broker understands.
const SIGNALS = {
  technology: ["技术相似度", "Technology fit"],
  ipc: ["IPC 分类重合", "IPC overlap"],
  text: ["文本相似度", "Text similarity"],
  network: ["合作网络邻近", "Network proximity"],
  complementarity: ["需求互补", "Complementarity"],
  track_record: ["成果转化记录", "Track record"],
  trackRecord: ["成果转化记录", "Track record"],
  geography: ["地理邻近", "Geography"],
  industry: ["产业相符", "Industry fit"],
  demand: ["需求来源", "Demand"],
  holder: ["所属单位", "Holder"],
  mode_fit: ["合作方式适配", "Mode fit"],
  mentioned: ["需求中点名", "Named in the demand"],
  keywords: ["关键词匹配", "Keyword match"],
  capability: ["能力匹配", "Capability"],
};

export function signalName(key) {
  const pair = SIGNALS[key];
  if (!pair) return key;
  return getLang() === "en" ? pair[1] : pair[0];
}

/** A lookup of node id → {id, name, type} from everything in a response that looks like a node. */
export function nodeIndex(...sources) {
  const index = new Map();
  const visit = (value) => {
    if (!value || typeof value !== "object") return;
    if (Array.isArray(value)) { value.forEach(visit); return; }
    if (typeof value.id === "string" && (value.name || value.title) && value.type) {
      if (!index.has(value.id)) index.set(value.id, { id: value.id, name: value.name || value.title, type: value.type });
    }
    Object.values(value).forEach(visit);
  };
  sources.forEach(visit);
  return index;
}

function asNode(value, index) {
  if (value && typeof value === "object") return { id: value.id, name: value.name || value.title || value.id, type: value.type };
  return index.get(value) || { id: String(value), name: String(value), type: guessType(String(value)) };
}

// Ids carry a label prefix (graph/model.py ID_PREFIX), which is enough to colour an unknown node.
const PREFIX_TYPES = { ent: "Enterprise", uni: "University", inst: "ResearchInstitute", incu: "Incubator", ppc: "ProductivityCenter",
  agency: "Intermediary", park: "Park", region: "Region", alliance: "Alliance", patent: "Patent", ipc: "IPC",
  industry: "Industry", person: "Person", demand: "TechDemand", achievement: "TechAchievement", project: "Project" };
function guessType(id) {
  return PREFIX_TYPES[id.split(":")[0]];
}

function breakdown(signals, weights) {
  const keys = Object.keys(signals || {}).filter((k) => typeof signals[k] === "number");
  // Sub-signals of technology (ipc, text) are listed after the weighted ones.
  const main = weights ? keys.filter((k) => k in weights) : keys;
  const rest = keys.filter((k) => !main.includes(k));
  const row = (k, sub) => {
    const v = signals[k];
    const weight = weights && weights[k];
    const label = sub ? `· ${signalName(k)}` : signalName(k) + (weight ? ` ×${weight}` : "");
    return [h("span", { class: sub ? "muted" : "" }, label),
      h("span", { class: "bar", title: String(v) }, h("i", { style: `width:${Math.max(0, Math.min(1, v)) * 100}%` })),
      h("span", { class: "mono small" }, v.toFixed(2))];
  };
  return h("div", { class: "breakdown", "data-role": "breakdown" }, main.map((k) => row(k, false)), rest.map((k) => row(k, true)));
}

/** One evidence path as a chain: node —relationship→ node …, with its one-line summary. */
export function pathChain(path, index) {
  const nodes = (path.nodes || []).map((n) => asNode(n, index));
  const rels = path.relationships || path.rels || [];
  const parts = [];
  nodes.forEach((node, i) => {
    if (i > 0) {
      const rel = rels[i - 1];
      const forward = !rel || rel.start === nodes[i - 1].id;
      parts.push(h("span", { class: "arrow" }, rel ? (forward ? `—${relName(rel.type)}→` : `←${relName(rel.type)}—`) : "—"));
    }
    parts.push(h("a", { class: "step", href: entityHref(node.id), title: typeName(node.type || "") },
      h("i", { style: `background:${colorOf(node.type)}` }), node.name));
  });
  const why = path.summary || path.explanation || path.why;
  return h("li", { class: "path", "data-signal": path.signal || "" },
    path.signal ? h("span", { class: "badge" }, signalName(path.signal)) : null, parts,
    why ? h("span", { class: "why" }, why) : null);
}

/** One ranked suggestion card. `item`: {candidate, score, signals, evidence, existing?}. */
export function suggestionCard(item, rank, index, { weights, actions } = {}) {
  const node = asNode(item.candidate, index);
  const evidence = item.evidence || [];
  const shown = evidence.slice(0, 3);
  const hidden = evidence.slice(3);
  return h("li", { class: "candidate", "data-id": node.id },
    h("div", { class: "candidate-head" },
      h("span", { class: "rank" }, t("partners.rank", { n: rank })),
      typeBadge(node.type, typeName(node.type)),
      h("a", { class: "candidate-name", href: entityHref(node.id) }, node.name),
      item.existing ? h("span", { class: "badge" }, getLang() === "en" ? "existing partner" : "已有合作") : null,
      h("span", { class: "score" }, h("small", {}, t("partners.score")), fmtNumber(Math.round(item.score * 1000) / 1000)),
      actions ? actions(node) : null),
    item.signals ? breakdown(item.signals, weights) : null,
    item.terms && item.terms.length
      ? h("div", { class: "row small" }, h("span", { class: "muted" }, getLang() === "en" ? "Shared terms:" : "共同关键词："),
        h("ul", { class: "chips" }, item.terms.slice(0, 12).map((x) => h("li", { class: "chip" }, x))))
      : null,
    evidence.length
      ? h("div", {}, h("h4", {}, t("partners.evidence"), h("span", { class: "muted small" }, ` (${evidence.length})`)),
        h("ul", { class: "evidence" }, shown.map((p) => pathChain(p, index))),
        hidden.length ? h("details", {}, h("summary", {}, `+${hidden.length}`), h("ul", { class: "evidence" }, hidden.map((p) => pathChain(p, index)))) : null)
      : null);
}

/** A network picture of `origin` (if any), the candidates and every node on their evidence paths. */
export function evidenceNetwork(container, origin, items, index, { onClick } = {}) {
  const nodes = new Map();
  const edges = new Map();
  const add = (n, extra = {}) => { if (!nodes.has(n.id)) nodes.set(n.id, { ...n, ...extra }); };
  if (origin) add(asNode(origin, index), { primary: true, fixed: true });
  const originId = origin ? asNode(origin, index).id : null;
  for (const item of items) {
    const cand = asNode(item.candidate, index);
    add(cand, { radius: 7 + 9 * Math.max(0, Math.min(1, item.score || 0)), showLabel: true });
    // The suggestion itself, drawn dashed: it keeps every candidate attached to the origin even
    // when its evidence is a path of its own (a patent like the firm's) that never touches it.
    if (originId && cand.id !== originId) {
      edges.set(`${originId}|suggest|${cand.id}`, { source: originId, target: cand.id, dashed: true,
        label: (item.score || 0).toFixed(2) });
    }
    for (const path of item.evidence || []) {
      (path.nodes || []).forEach((n) => add(asNode(n, index)));
      for (const rel of path.relationships || path.rels || []) {
        const key = `${rel.start}|${rel.type}|${rel.end}`;
        if (!edges.has(key)) edges.set(key, { source: rel.start, target: rel.end, label: relName(rel.type), highlight: true });
      }
    }
  }
  return drawNetwork(container, [...nodes.values()], [...edges.values()],
    { height: 560, onClick, showEdgeLabels: edges.size <= 16, labelLimit: 24 });
}

const TOP_IN_PICTURE = 5;

/**
 * The ranked list beside one network picture of the evidence. The picture starts with the top
 * five suggestions; 在图中查看 on a card redraws it with that suggestion's evidence alone.
 */
export function rankedWithNetwork(origin, data, items, { listId, networkId, weights } = {}) {
  const index = nodeIndex(origin, data);
  const picture = h("div", { class: "network-box", id: networkId });
  const caption = h("p", { class: "muted small", id: `${networkId}-caption` });
  const open = (node) => { window.location.hash = entityHref(node.id); };
  const show = (subset, text) => {
    caption.textContent = text;
    evidenceNetwork(picture, origin, subset, index, { onClick: open });
  };
  const showTop = () => show(items.slice(0, TOP_IN_PICTURE), t("evidence.top", { n: Math.min(TOP_IN_PICTURE, items.length) }));
  const list = h("ol", { class: "ranked", id: listId }, items.map((item, i) =>
    suggestionCard(item, i + 1, index, { weights, actions: (node) => h("button", { class: "btn small focus", type: "button",
      onclick: () => show([item], t("evidence.only", { name: node.name })) }, t("evidence.focus")) })));
  showTop();
  return h("div", { class: "grid split" }, list,
    h("section", { class: "card sticky" },
      h("div", { class: "row spread" }, h("h3", {}, t("partners.network")),
        h("button", { class: "btn small", type: "button", id: `${networkId}-all`, onclick: showTop }, t("evidence.all"))),
      caption, picture, h("p", { class: "muted small" }, t("entity.clickHint"))));
}
