// Small DOM helpers. Everything from the server goes in as text nodes, never as HTML.
import { t } from "./i18n.js";

/** `h("a", {href: "#/x", class: "c", onclick: f}, "text", child)` → an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    // CSSOM, not a style attribute: the Content-Security-Policy refuses inline style attributes.
    else if (name === "style") el.style.cssText = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace the contents of `el` with `children`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function loading(label) {
  return h("div", { class: "loading", role: "status", "aria-live": "polite" },
    h("span", { class: "spinner", "aria-hidden": "true" }), label || t("loading"));
}

/** An error box for an ApiError (or any Error): the server's `detail` first, then its status. */
export function errorBox(err, onRetry) {
  if (err && err.status === 404 && err.detail && /Not Found$/i.test(err.detail) && err.path) {
    return unavailable(err.path);
  }
  const status = err && err.status
    ? t("error.status", { status: err.status, title: err.title || "" })
    : t("error.network", { msg: (err && err.message) || "" });
  return h("div", { class: "error-box", role: "alert" },
    h("strong", {}, t("error.title")),
    h("p", { class: "error-detail" }, (err && err.detail) || (err && err.message) || String(err)),
    h("p", { class: "error-status muted" }, status),
    onRetry ? h("button", { class: "btn", onclick: onRetry }, t("error.retry")) : null);
}

/** The state shown when the server lacks an endpoint: said plainly, never faked. */
export function unavailable(path) {
  return h("div", { class: "unavailable", role: "note" },
    h("strong", {}, t("unavailable.title")),
    h("p", {}, t("unavailable.body", { path: (path || "").split("?")[0] })));
}

/** Load `fetcher()` into `el`: a spinner while waiting, `render(data)` after, an error box on failure. */
export async function load(el, fetcher, render) {
  mount(el, loading());
  try {
    const data = await fetcher();
    mount(el, render(data));
  } catch (err) {
    console.error(err);
    mount(el, errorBox(err, () => load(el, fetcher, render)));
  }
}

export function fmtNumber(value) {
  if (value === null || value === undefined) return "—"; // e.g. a figure withheld from readers
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("zh-CN");
  return value.toLocaleString("zh-CN", { maximumFractionDigits: 3 });
}

export function fmtValue(value) {
  if (value === true) return t("common.yes");
  if (value === false) return t("common.no");
  if (Array.isArray(value)) return value.map(fmtValue).join("、");
  if (value && typeof value === "object") return JSON.stringify(value);
  return fmtNumber(value);
}

// Invisible characters that can make a name read differently from what it is (bidi overrides,
// zero-width spaces) or that no name should hold (controls) — api/texthygiene.py strips them from
// posted text; names from ingested files may still have them.
const SUSPICIOUS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\u2060\ufeff\u180e\u2061-\u2064\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export function suspicious(text) {
  return typeof text === "string" && SUSPICIOUS.test(text);
}

/** A name from the server, isolated (<bdi>) so a bidi override inside cannot reorder the text
 *  around it, with a warning mark when it holds invisible characters. */
export function displayName(name) {
  const text = String(name ?? "");
  return [
    h("bdi", { class: "name" }, text),
    suspicious(text) ? h("span", { class: "spoof-mark", title: t("text.suspicious"), "aria-label": t("text.suspicious") }, "⚠") : null,
  ];
}

export const entityHref = (id) => `#/entity/${encodeURIComponent(id)}`;

export function typeBadge(type, label) {
  return h("span", { class: `badge type-${type}` }, label);
}
