// A line chart for one plan indicator over the years: observed values, the fitted trend to the
// target year (dashed) and the target as a horizontal line.
import { el } from "./charts.js";

/**
 * points: [{year, value}], target: number|null, projected: {year, value}|null → SVG.
 * format(value) labels the axis; the x axis runs from the first year to the target year.
 */
export function lineChart(points, { target = null, projected = null, lastYear, format = String, width = 320, height = 180 } = {}) {
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "line-chart" });
  const known = points.filter((p) => p.value !== null && p.value !== undefined);
  if (!known.length) return svg;
  const left = 74, right = 12, top = 12, bottom = 24;
  const firstYear = Math.min(...known.map((p) => p.year));
  const endYear = Math.max(lastYear ?? firstYear, ...known.map((p) => p.year), projected ? projected.year : firstYear);
  const values = [...known.map((p) => p.value), target ?? 0, projected ? projected.value : 0, 0];
  const max = Math.max(...values) * 1.08 || 1;
  const x = (year) => left + ((year - firstYear) / Math.max(1, endYear - firstYear)) * (width - left - right);
  const y = (value) => height - bottom - (value / max) * (height - top - bottom);
  svg.append(el("line", { x1: left, x2: width - right, y1: y(0), y2: y(0), stroke: "#ced4da" }));
  for (const frac of [0.5, 1]) {
    const v = (max / 1.08) * frac;
    svg.append(el("text", { x: left - 4, y: y(v) + 4, "text-anchor": "end", class: "axis" }, format(v)));
  }
  for (let year = firstYear; year <= endYear; year += 1) {
    svg.append(el("text", { x: x(year), y: height - 6, "text-anchor": "middle", class: "axis" }, String(year).slice(2)));
  }
  if (target !== null && target !== undefined) {
    svg.append(el("line", { x1: left, x2: width - right, y1: y(target), y2: y(target), stroke: "#c92a2a", "stroke-dasharray": "4 3", class: "target-line" }));
  }
  const last = known[known.length - 1];
  if (projected && projected.value !== null && projected.year > last.year) {
    svg.append(el("line", { x1: x(last.year), y1: y(last.value), x2: x(projected.year), y2: y(projected.value), stroke: "#1c7ed6", "stroke-dasharray": "5 4", class: "trend-line" }));
    svg.append(el("circle", { cx: x(projected.year), cy: y(projected.value), r: 3, fill: "#fff", stroke: "#1c7ed6" }));
  }
  svg.append(el("polyline", { points: known.map((p) => `${x(p.year)},${y(p.value)}`).join(" "), fill: "none", stroke: "#1c7ed6", "stroke-width": 2, class: "series-line" }));
  for (const p of known) svg.append(el("circle", { cx: x(p.year), cy: y(p.value), r: 3, fill: "#1c7ed6" }));
  return svg;
}
