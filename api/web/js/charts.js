// Small SVG charts for the plan monitor: horizontal progress bars against a 100 % target line.
const SVG = "http://www.w3.org/2000/svg";

// One SVG element builder for every chart module (linechart.js imports it).
export function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** rows: [{label, ratio (0…∞, 1 = target met), note}] → an SVG bar chart. */
export function progressChart(rows, { width = 640, barHeight = 22, labelWidth = 220 } = {}) {
  const gap = 10;
  const height = rows.length * (barHeight + gap) + 30;
  const plot = width - labelWidth - 70;
  const maxRatio = Math.max(1.2, ...rows.map((r) => (Number.isFinite(r.ratio) ? Math.min(r.ratio, 1.5) : 0)));
  const x = (ratio) => labelWidth + (Math.min(ratio, maxRatio) / maxRatio) * plot;
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "progress-chart" });
  rows.forEach((row, i) => {
    const y = 10 + i * (barHeight + gap);
    const label = row.label.length > 16 ? row.label.slice(0, 15) + "…" : row.label;
    svg.append(el("text", { x: labelWidth - 8, y: y + barHeight * 0.7, "text-anchor": "end" }, label));
    svg.append(el("rect", { x: labelWidth, y, width: plot, height: barHeight, rx: 4, fill: "#edf2f7" }));
    if (Number.isFinite(row.ratio)) {
      // Below the baseline the bar stays empty and the (negative) figure is printed at its start.
      const shown = Math.max(0, row.ratio);
      const fill = row.ratio >= 1 ? "#2b8a3e" : row.ratio >= 0.5 ? "#1c7ed6" : "#e8590c";
      svg.append(el("rect", { x: labelWidth, y, width: Math.max(2, x(shown) - labelWidth), height: barHeight, rx: 4, fill }));
      svg.append(el("text", { x: Math.min(x(shown) + 6, width - 40), y: y + barHeight * 0.7 }, `${Math.round(row.ratio * 100)}%`));
    } else {
      svg.append(el("text", { x: labelWidth + 6, y: y + barHeight * 0.7, fill: "#868e96" }, row.note || "—"));
    }
  });
  // The target line: 100 % of each indicator's goal.
  const tx = x(1);
  svg.append(el("line", { x1: tx, x2: tx, y1: 4, y2: height - 22, stroke: "#c92a2a", "stroke-dasharray": "4 3" }));
  svg.append(el("text", { x: tx, y: height - 8, "text-anchor": "middle", fill: "#c92a2a" }, "100%"));
  return svg;
}

/** Columns for a series: rows [{label, value}] → an SVG column chart (e.g. revenue by year). */
export function columnChart(rows, { width = 420, height = 200, format = String, color = "#1c7ed6" } = {}) {
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "column-chart" });
  if (!rows.length) return svg;
  const top = 18, bottom = 22, left = 8;
  const max = Math.max(...rows.map((r) => r.value), 0) || 1;
  const slot = (width - left * 2) / rows.length;
  const bar = Math.min(46, slot * 0.7);
  rows.forEach((row, i) => {
    const x = left + i * slot + (slot - bar) / 2;
    const h = ((height - top - bottom) * Math.max(0, row.value)) / max;
    const y = height - bottom - h;
    svg.append(el("rect", { x, y, width: bar, height: Math.max(h, 1), rx: 3, fill: color }));
    svg.append(el("text", { x: x + bar / 2, y: y - 4, "text-anchor": "middle" }, format(row.value)));
    svg.append(el("text", { x: x + bar / 2, y: height - 6, "text-anchor": "middle" }, String(row.label)));
  });
  return svg;
}

/** Paired horizontal bars: rows [{label, a, b}] for two series (e.g. baseline vs current). */
export function pairedBars(rows, names, { width = 560, labelWidth = 150, colors = ["#adb5bd", "#1c7ed6"] } = {}) {
  const barH = 10, group = 2 * barH + 12;
  const height = rows.length * group + 34;
  const plot = width - labelWidth - 60;
  const max = Math.max(1, ...rows.flatMap((r) => [r.a || 0, r.b || 0]));
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "paired-chart" });
  rows.forEach((row, i) => {
    const y = 6 + i * group;
    svg.append(el("text", { x: labelWidth - 8, y: y + barH + 4, "text-anchor": "end" }, row.label));
    [row.a, row.b].forEach((v, k) => {
      const w = v === null || v === undefined ? 0 : (plot * v) / max;
      svg.append(el("rect", { x: labelWidth, y: y + k * barH, width: Math.max(w, 1), height: barH - 1, rx: 2, fill: colors[k] }));
      svg.append(el("text", { x: labelWidth + w + 4, y: y + k * barH + barH - 1 }, v === null || v === undefined ? "—" : String(v)));
    });
  });
  names.forEach((name, k) => {
    const x = labelWidth + k * 120;
    svg.append(el("rect", { x, y: height - 16, width: 10, height: 10, fill: colors[k] }));
    svg.append(el("text", { x: x + 14, y: height - 7 }, name));
  });
  return svg;
}
