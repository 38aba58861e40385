// 技术需求: pick an open demand or post one (with an editor key), and see its matches with evidence.
import { api, getApiKey } from "../api.js";
import { getLang, t, typeName } from "../i18n.js";
import { rankedWithNetwork } from "../evidence.js";
import { suggestions } from "./partners.js";
import { displayName, entityHref, errorBox, h, load, loading, mount } from "../ui.js";

const MODES = ["合作开发", "委托开发", "技术转让", "技术咨询"];
const MODE_EN = { 合作开发: "joint development", 委托开发: "commissioned development", 技术转让: "technology transfer", 技术咨询: "consulting" };

const splitList = (text) => text.split(/[,，、;；\s]+/).map((x) => x.trim()).filter(Boolean);

function demandRows(data) {
  const list = Array.isArray(data) ? data : data.items || data.demands || [];
  return list.map((d) => ({
    id: d.id, title: d.title || d.name || (d.properties && d.properties.title) || d.id,
    props: d.properties || d,
    poster: d.poster || d.postedBy || null,
  }));
}

function demandList(data) {
  const rows = demandRows(data);
  if (!rows.length) return h("p", { class: "muted", id: "no-demands" }, t("demands.none"));
  return h("ul", { class: "demand-list", id: "demand-list" }, rows.map((d) =>
    h("li", { "data-id": d.id },
      h("div", {},
        h("a", { href: entityHref(d.id), class: "demand-title" }, displayName(d.title)),
        h("div", { class: "muted small" }, [d.props.mode, d.props.postedDate, (d.props.keywords || []).join("、"),
          d.poster && (d.poster.name || d.poster)].filter(Boolean).join(" · "))),
      h("a", { class: "btn small primary", href: `#/demands/${encodeURIComponent(d.id)}` }, t("demands.view")))));
}

/** A name box that looks organisations up as you type and keeps the chosen one's id. */
function posterPicker() {
  const hidden = h("input", { type: "hidden", name: "poster", id: "demand-poster-id" });
  const list = h("ul", { class: "picker-list", id: "poster-options", role: "listbox" });
  const chosen = h("span", { class: "muted small", id: "poster-chosen" });
  let timer = null;
  let asked = "";
  const input = h("input", { id: "demand-poster", autocomplete: "off", placeholder: t("demands.form.posterSearch"),
    role: "combobox", "aria-controls": "poster-options", oninput: () => {
      hidden.value = /^[a-z]+:\S+$/.test(input.value.trim()) ? input.value.trim() : "";
      chosen.textContent = "";
      clearTimeout(timer);
      const q = input.value.trim();
      if (!q || hidden.value) { list.replaceChildren(); return; }
      timer = setTimeout(async () => {
        asked = q;
        try {
          const data = await api("/api/v1/entities", { params: { q, limit: 8,
            type: ["Enterprise", "University", "ResearchInstitute", "Person", "Intermediary", "Incubator"] } });
          if (asked !== q) return; // a newer keystroke has asked again
          list.replaceChildren(...data.items.map((hit) => h("li", { role: "option", "data-id": hit.id, onmousedown: (evt) => {
            evt.preventDefault();
            hidden.value = hit.id;
            input.value = hit.name;
            chosen.textContent = t("demands.form.posterPicked", { name: `${hit.name} (${hit.id})` });
            list.replaceChildren();
          } }, hit.name, h("span", { class: "muted small" }, ` · ${typeName(hit.type)}`))));
        } catch {
          list.replaceChildren();
        }
      }, 200);
    }, onblur: () => setTimeout(() => list.replaceChildren(), 150) });
  return h("div", { class: "picker" }, input, hidden, list, chosen);
}

function postForm() {
  const field = (name, key, control) => h("div", { class: name === "description" || name === "title" ? "full" : "" },
    h("label", { for: `demand-${name}` }, t(key)), control);
  const notice = h("div", { id: "post-result" });
  const submit = h("button", { class: "btn primary", type: "submit", id: "demand-submit" }, t("demands.form.submit"));
  const form = h("form", { class: "form-grid", id: "demand-form", onsubmit: async (evt) => {
    evt.preventDefault();
    const data = new FormData(form);
    const body = {
      title: String(data.get("title")).trim(),
      description: String(data.get("description")).trim(),
      keywords: splitList(String(data.get("keywords"))),
      ipcCodes: splitList(String(data.get("ipc"))),
      mode: String(data.get("mode")),
    };
    const poster = String(data.get("poster")).trim();
    if (poster) body.poster = poster;
    const budget = String(data.get("budget")).trim();
    if (budget) body.budget = Number(budget);
    submit.disabled = true;
    mount(notice, loading());
    try {
      const created = await api("/api/v1/demands", { method: "POST", body });
      const id = created.id || (created.demand && created.demand.id);
      sessionStorage.setItem("innograph.justPosted", id);
      window.location.hash = `#/demands/${encodeURIComponent(id)}`;
    } catch (err) {
      mount(notice, errorBox(err));
    } finally {
      submit.disabled = false;
    }
  } },
  field("title", "demands.form.title", h("input", { id: "demand-title", name: "title", required: true, maxlength: 200 })),
  field("description", "demands.form.description", h("textarea", { id: "demand-description", name: "description", maxlength: 5000 })),
  field("keywords", "demands.form.keywords", h("input", { id: "demand-keywords", name: "keywords" })),
  field("ipc", "demands.form.ipc", h("input", { id: "demand-ipc", name: "ipc", placeholder: "H01L33/00" })),
  field("poster", "demands.form.poster", posterPicker()),
  field("budget", "demands.form.budget", h("input", { id: "demand-budget", name: "budget", type: "number", min: 0, step: "any" })),
  field("mode", "demands.form.mode", h("select", { id: "demand-mode", name: "mode" },
    MODES.map((m) => h("option", { value: m }, getLang() === "en" ? MODE_EN[m] : m)))),
  h("div", { class: "full row" }, submit, getApiKey() ? null : h("span", { class: "muted small", id: "need-key" }, t("demands.form.needKey"))),
  h("div", { class: "full" }, notice));
  return form;
}

export function renderDemands(main) {
  const list = h("div", {});
  mount(main,
    h("section", { class: "entity-head" }, h("div", {}, h("h1", {}, t("demands.title")), h("p", { class: "muted" }, t("demands.lead")))),
    h("div", { class: "grid two" },
      h("section", { class: "card" }, h("h2", {}, t("demands.open")), list),
      h("section", { class: "card" }, h("h2", {}, t("demands.post")), postForm())));
  load(list, () => api("/api/v1/demands", { params: { status: "open", limit: 50 } }), demandList);
}

function matchesView(origin, data, emptyKey) {
  const items = suggestions(data);
  if (!items.length) return h("p", { class: "empty", id: "no-matches" }, t(emptyKey));
  return rankedWithNetwork(origin, data, items, { listId: "match-list", networkId: "match-network", weights: data.weights });
}

export async function renderDemandMatches(main, [id]) {
  const justPosted = sessionStorage.getItem("innograph.justPosted") === id;
  sessionStorage.removeItem("innograph.justPosted");
  const title = h("h1", { id: "matches-title" }, t("demands.matches"));
  const body = h("div", { id: "matches" });
  mount(main,
    justPosted ? h("div", { class: "notice", id: "posted-notice" }, t("demands.posted")) : null,
    h("section", { class: "entity-head" }, h("div", {}, title, h("p", { class: "muted mono small" }, id)),
      h("div", { class: "actions" }, h("a", { class: "btn", href: entityHref(id) }, t("common.open")),
        h("a", { class: "btn", href: "#/demands" }, t("demands.title")))),
    body);
  mount(body, loading());
  try {
    const [demand, data] = await Promise.all([
      api(`/api/v1/entities/${encodeURIComponent(id)}`),
      api(`/api/v1/demands/${encodeURIComponent(id)}/matches`, { params: { limit: 10 } }),
    ]);
    title.textContent = t("demands.matchesFor", { title: demand.name });
    mount(body, matchesView(demand, data, "demands.noMatches"));
  } catch (err) {
    mount(body, errorBox(err, () => renderDemandMatches(main, [id])));
  }
}

export async function renderPatentDemands(main, [id]) {
  const title = h("h1", { id: "patent-demands-title" }, t("entity.patentDemands"));
  const body = h("div", { id: "matches" });
  mount(main, h("section", { class: "entity-head" }, h("div", {}, title),
    h("div", { class: "actions" }, h("a", { class: "btn", href: entityHref(id) }, t("common.open")))), body);
  mount(body, loading());
  try {
    const [patent, data] = await Promise.all([
      api(`/api/v1/entities/${encodeURIComponent(id)}`),
      api(`/api/v1/patents/${encodeURIComponent(id)}/demands`, { params: { limit: 10 } }),
    ]);
    title.textContent = t("patentDemands.title", { name: patent.name });
    mount(body, matchesView(patent, data, "patentDemands.none"));
  } catch (err) {
    mount(body, errorBox(err, () => renderPatentDemands(main, [id])));
  }
}
