// A dependency-free network picture: a deterministic force layout drawn as SVG, with click to
// open a node, drag to move it, wheel to zoom and background drag to pan.
import { t, typeName } from "./i18n.js";
import { fmtNumber } from "./ui.js";

const SVG = "http://www.w3.org/2000/svg";

export const TYPE_COLORS = {
  Enterprise: "#d9480f", University: "#1971c2", ResearchInstitute: "#0c8599", Incubator: "#9c36b5",
  ProductivityCenter: "#5f3dc4", Intermediary: "#862e9c", Park: "#2b8a3e", Region: "#868e96",
  Alliance: "#e67700", Patent: "#495057", IPC: "#74b816", Industry: "#37b24d", Person: "#c2255c",
  TechDemand: "#f08c00", TechAchievement: "#1098ad", Project: "#3b5bdb", Cluster: "#1864ab",
};
export const colorOf = (type) => TYPE_COLORS[type] || "#868e96";
const GRAVITY = 0.3;
/** The most nodes one picture draws; the rest are left out (and counted under the picture).
 * Views aggregate first (entity.js groups a big neighbourhood), so this is the safety net. */
export const MAX_NODES = 400;
// Pair visits the layout may spend (each step visits n²/2 pairs): 120 steps of 400 nodes, so the
// pictures of the ×1 demo (the clusters page's 368 firms) keep the steps they always had.
const LAYOUT_WORK = (120 * 400 * 400) / 2;
/** Wall-clock cap on one layout, whatever the machine's load; the picture is fitted either way. */
export const LAYOUT_BUDGET_MS = 800;

/** Steps of the force layout for `n` nodes: fewer for big pictures, so the work stays bounded. */
export function layoutSteps(n) {
  const base = n > 300 ? 120 : n > 120 ? 200 : 300;
  return Math.max(20, Math.min(base, Math.floor((2 * LAYOUT_WORK) / Math.max(n * n, 1))));
}

/**
 * The nodes a picture can afford: all of them up to `max`, else the ones that must show
 * (fixed, primary, labelled) and then the others in the order given (views put the most
 * important first). Edges to a left-out node are left out with it.
 */
export function budget(nodes, edges, max = MAX_NODES) {
  if (nodes.length <= max) return { nodes, edges, omitted: 0 };
  const must = nodes.filter((n) => n.fixed || n.primary || n.showLabel).slice(0, max);
  const rest = nodes.filter((n) => !(n.fixed || n.primary || n.showLabel)).slice(0, Math.max(0, max - must.length));
  const kept = [...must, ...rest];
  const ids = new Set(kept.map((n) => n.id));
  return { nodes: kept, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)), omitted: nodes.length - kept.length };
}

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

// A small string hash, so the starting positions (and so the picture) are the same on every load.
function hash(text) {
  let x = 2166136261;
  for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), 16777619);
  return (x >>> 0) / 4294967296;
}

/**
 * Positions for `nodes` (mutated: x, y) under spring forces along `edges` and repulsion between all.
 * Stops after `iterations` steps or `budgetMs` milliseconds, whichever comes first; `stats`
 * (if given) receives the steps run and the time spent.
 */
export function layout(nodes, edges, { iterations = 300, width = 800, height = 520, budgetMs = Infinity, stats } = {}) {
  const started = performance.now();
  const n = nodes.length;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const links = edges.map((e) => [index.get(e.source), index.get(e.target)]).filter(([a, b]) => a !== undefined && b !== undefined && a !== b);
  const k = Math.sqrt((width * height) / Math.max(n, 1)) * 0.95; // ideal edge length
  nodes.forEach((node, i) => {
    if (node.fixed) { node.x = width / 2; node.y = height / 2; return; }
    const angle = 2 * Math.PI * (i / Math.max(n, 1)) + hash(node.id) * 0.5;
    const radius = (0.25 + 0.2 * hash(node.id + "r")) * Math.min(width, height);
    node.x = width / 2 + radius * Math.cos(angle);
    node.y = height / 2 + radius * Math.sin(angle);
  });
  let temperature = width / 8;
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  let step = 0;
  for (; step < iterations; step++) {
    if (step % 5 === 4 && performance.now() - started > budgetMs) break;
    dx.fill(0); dy.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let ddx = nodes[i].x - nodes[j].x;
        let ddy = nodes[i].y - nodes[j].y;
        let d2 = ddx * ddx + ddy * ddy;
        if (d2 < 0.01) { ddx = hash(`${i}:${j}`) - 0.5; ddy = 0.5 - hash(`${j}:${i}`); d2 = 0.01; }
        const f = (k * k) / d2; // repulsion k²/d, applied along the unit vector
        dx[i] += ddx * f; dy[i] += ddy * f;
        dx[j] -= ddx * f; dy[j] -= ddy * f;
      }
    }
    for (const [a, b] of links) {
      const ddx = nodes[a].x - nodes[b].x;
      const ddy = nodes[a].y - nodes[b].y;
      const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
      const f = d / k; // attraction d²/k, along the unit vector
      dx[a] -= ddx * f; dy[a] -= ddy * f;
      dx[b] += ddx * f; dy[b] += ddy * f;
    }
    for (let i = 0; i < n; i++) {
      if (nodes[i].fixed) continue;
      // A pull to the centre, linear in the distance: it balances the repulsion of all nodes at a
      // radius ~ k·√(n/G), the same scale as the layout itself, so disconnected nodes stay near
      // the rest instead of being pushed to the far corners (fit() then scales it to the box).
      dx[i] += (width / 2 - nodes[i].x) * GRAVITY;
      dy[i] += (height / 2 - nodes[i].y) * GRAVITY;
      const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
      const move = Math.min(d, temperature);
      nodes[i].x += (dx[i] / d) * move;
      nodes[i].y += (dy[i] / d) * move;
    }
    temperature = Math.max(temperature * 0.985, 1);
  }
  fit(nodes, width, height);
  if (stats) Object.assign(stats, { steps: step, ms: performance.now() - started });
  return nodes;
}

// Scale and centre the layout into the picture, leaving room for the labels under the nodes.
function fit(nodes, width, height, marginX = 70, marginTop = 24, marginBottom = 34) {
  if (!nodes.length) return;
  // In a big picture a few loose nodes may drift far out; bound by the 2nd–98th percentiles and
  // pull the stragglers in to the edge, so they cannot shrink everything else to a dot.
  const cut = nodes.length > 50 ? Math.floor(nodes.length * 0.02) : 0;
  const xs = nodes.map((n) => n.x).sort((a, b) => a - b);
  const ys = nodes.map((n) => n.y).sort((a, b) => a - b);
  const [x0, x1, y0, y1] = [xs[cut], xs[xs.length - 1 - cut], ys[cut], ys[ys.length - 1 - cut]];
  for (const n of nodes) {
    n.x = Math.min(x1, Math.max(x0, n.x));
    n.y = Math.min(y1, Math.max(y0, n.y));
  }
  const spanX = Math.max(x1 - x0, 1);
  const spanY = Math.max(y1 - y0, 1);
  // Shrink to fit; a picture of a few nodes keeps a modest size instead of reaching the corners.
  const room = Math.sqrt(nodes.length);
  const boxX = Math.min(width - 2 * marginX, 160 * room + 100);
  const boxY = Math.min(height - marginTop - marginBottom, 120 * room + 80);
  const scale = Math.min(boxX / spanX, boxY / spanY, 1.1);
  const offX = (width - spanX * scale) / 2;
  const offY = marginTop + (height - marginTop - marginBottom - spanY * scale) / 2;
  for (const n of nodes) {
    n.x = offX + (n.x - x0) * scale;
    n.y = offY + (n.y - y0) * scale;
  }
}

function shortLabel(text, max = 12) {
  const s = String(text || "");
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

/**
 * Draw a network into `container`.
 * nodes: [{id, name, type, radius?, primary?, title?}]; edges: [{source, target, label?, width?, highlight?}]
 * onClick(node) is called when a node is clicked (not dragged).
 */
export function drawNetwork(container, allNodes, allEdges, options = {}) {
  // Views build their DOM before it is attached; wait for layout so the picture gets the real width.
  if (!container.isConnected) {
    requestAnimationFrame(() => drawNetwork(container, allNodes, allEdges, options));
    return container;
  }
  const { onClick, height = 480, showEdgeLabels, legend = true, labelLimit = 80, maxNodes = MAX_NODES,
    steps, budgetMs = LAYOUT_BUDGET_MS } = options;
  const width = Math.max(container.clientWidth || 800, 320);
  // The budget: at most maxNodes drawn, O(n²) steps cut to bounded work and a time cap
  // (timings: docs/benchmarks/web.md).
  const { nodes, edges, omitted } = budget(allNodes, allEdges, maxNodes);
  const stats = {};
  const placed = layout(nodes.map((n) => ({ ...n })), edges,
    { width, height, iterations: steps ?? layoutSteps(nodes.length), budgetMs, stats });
  const byId = new Map(placed.map((n) => [n.id, n]));
  const wrap = document.createElement("div");
  wrap.className = "network";
  wrap.dataset.nodes = String(placed.length);
  wrap.dataset.steps = String(stats.steps);
  wrap.dataset.layoutMs = String(Math.round(stats.ms));
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", height, role: "img", class: "network-svg" });
  const view = svg("g", { class: "viewport" });
  root.append(view);
  const edgeLayer = svg("g", { class: "edges" });
  const labelLayer = svg("g", { class: "edge-labels" });
  const nodeLayer = svg("g", { class: "nodes" });
  view.append(edgeLayer, labelLayer, nodeLayer);
  const labelsOn = showEdgeLabels ?? edges.length <= 24;

  const edgeEls = edges.filter((e) => byId.has(e.source) && byId.has(e.target)).map((e) => {
    const line = svg("line", { class: "edge" + (e.highlight ? " highlight" : "") + (e.dashed ? " dashed" : ""), "stroke-width": e.width || 1.4 });
    edgeLayer.append(line);
    let text = null;
    if (labelsOn && e.label) {
      text = svg("text", { class: "edge-label", "text-anchor": "middle" });
      text.textContent = e.label;
      labelLayer.append(text);
    }
    return { e, line, text };
  });

  const nodeEls = placed.map((node) => {
    const g = svg("g", { class: "node" + (node.primary ? " primary" : "") + (node.group ? " group" : ""), tabindex: 0, "data-id": node.id, "data-type": node.type || "" });
    const r = node.radius || (node.primary ? 14 : 9);
    const circle = svg("circle", { r, fill: node.color || colorOf(node.type) });
    const tip = svg("title");
    tip.textContent = node.title || `${node.name}${node.type && node.type !== "Cluster" ? ` · ${typeName(node.type)}` : ""}`;
    g.append(circle, tip);
    // A crowded picture keeps only the labels of the nodes that matter; the rest show on hover.
    if (placed.length <= labelLimit || node.primary || node.showLabel) {
      const label = svg("text", { class: "node-label", x: 0, y: r + 13, "text-anchor": "middle" });
      label.textContent = shortLabel(node.name, node.group ? 22 : node.primary ? 18 : 12);
      g.append(label);
    }
    nodeLayer.append(g);
    return { node, g };
  });

  function redraw() {
    for (const { e, line, text } of edgeEls) {
      const a = byId.get(e.source);
      const b = byId.get(e.target);
      line.setAttribute("x1", a.x); line.setAttribute("y1", a.y);
      line.setAttribute("x2", b.x); line.setAttribute("y2", b.y);
      if (text) { text.setAttribute("x", (a.x + b.x) / 2); text.setAttribute("y", (a.y + b.y) / 2 - 3); }
    }
    for (const { node, g } of nodeEls) g.setAttribute("transform", `translate(${node.x},${node.y})`);
  }
  redraw();

  // Zoom and pan by rewriting the viewport transform.
  let scale = 1, panX = 0, panY = 0;
  const applyView = () => view.setAttribute("transform", `translate(${panX},${panY}) scale(${scale})`);
  const toGraph = (evt) => {
    const box = root.getBoundingClientRect();
    const sx = ((evt.clientX - box.left) / box.width) * width;
    const sy = ((evt.clientY - box.top) / box.height) * height;
    return [(sx - panX) / scale, (sy - panY) / scale];
  };
  root.addEventListener("wheel", (evt) => {
    evt.preventDefault();
    const [gx, gy] = toGraph(evt);
    const factor = evt.deltaY < 0 ? 1.15 : 1 / 1.15;
    scale = Math.min(4, Math.max(0.3, scale * factor));
    const box = root.getBoundingClientRect();
    const sx = ((evt.clientX - box.left) / box.width) * width;
    const sy = ((evt.clientY - box.top) / box.height) * height;
    panX = sx - gx * scale; panY = sy - gy * scale;
    applyView();
  }, { passive: false });

  let drag = null; // {node, moved} or {pan: [x, y, panX, panY]}
  root.addEventListener("pointerdown", (evt) => {
    const g = evt.target.closest(".node");
    if (g) drag = { node: byId.get(g.dataset.id), moved: false, start: [evt.clientX, evt.clientY] };
    else drag = { pan: [evt.clientX, evt.clientY, panX, panY] };
    root.setPointerCapture(evt.pointerId);
  });
  root.addEventListener("pointermove", (evt) => {
    if (!drag) return;
    if (drag.node) {
      if (Math.abs(evt.clientX - drag.start[0]) + Math.abs(evt.clientY - drag.start[1]) > 4) drag.moved = true;
      if (drag.moved) { [drag.node.x, drag.node.y] = toGraph(evt); redraw(); }
    } else {
      const box = root.getBoundingClientRect();
      panX = drag.pan[2] + ((evt.clientX - drag.pan[0]) / box.width) * width;
      panY = drag.pan[3] + ((evt.clientY - drag.pan[1]) / box.height) * height;
      applyView();
    }
  });
  root.addEventListener("pointerup", (evt) => {
    const d = drag;
    drag = null;
    if (d && d.node && !d.moved && onClick) onClick(d.node, evt);
  });
  root.addEventListener("keydown", (evt) => {
    const g = evt.target.closest && evt.target.closest(".node");
    if (g && evt.key === "Enter" && onClick) onClick(byId.get(g.dataset.id), evt);
  });
  // Hovering a node lights up its edges, so a broker can follow one organisation's ties.
  root.addEventListener("pointerover", (evt) => {
    const g = evt.target.closest(".node");
    if (!g) return;
    for (const { e, line } of edgeEls) line.classList.toggle("lit", e.source === g.dataset.id || e.target === g.dataset.id);
  });
  root.addEventListener("pointerout", () => edgeEls.forEach(({ line }) => line.classList.remove("lit")));

  wrap.append(root);
  if (omitted) {
    const note = document.createElement("p");
    note.className = "muted small network-omitted";
    note.textContent = t("network.omitted", { shown: fmtNumber(placed.length), total: fmtNumber(placed.length + omitted) });
    wrap.append(note);
  }
  if (Array.isArray(legend)) {
    const box = document.createElement("div");
    box.className = "legend";
    for (const { name, color } of legend) {
      const item = document.createElement("span");
      item.className = "legend-item";
      const dot = document.createElement("i");
      dot.style.background = color;
      item.append(dot, document.createTextNode(name));
      box.append(item);
    }
    wrap.append(box);
  } else if (legend) {
    const types = [...new Set(placed.map((n) => n.type).filter(Boolean))];
    const box = document.createElement("div");
    box.className = "legend";
    for (const type of types) {
      const item = document.createElement("span");
      item.className = "legend-item";
      const dot = document.createElement("i");
      dot.style.background = colorOf(type);
      item.append(dot, document.createTextNode(typeName(type)));
      box.append(item);
    }
    wrap.append(box);
  }
  container.replaceChildren(wrap);
  return wrap;
}
