// The home page (search box, graph figures, shortcuts) and the search results.
import { api } from "../api.js";
import { NODE_TYPES, t, typeName } from "../i18n.js";
import { displayName, entityHref, errorBox, fmtNumber, h, load, loading, mount, typeBadge } from "../ui.js";

const PAGE = 20;
// The types a broker searches most come first in the filter.
const FILTER_TYPES = ["Enterprise", "University", "ResearchInstitute", "Person", "Patent",
  ...NODE_TYPES.filter((x) => !["Enterprise", "University", "ResearchInstitute", "Person", "Patent"].includes(x))];

function searchForm(q = "", type = "", big = false) {
  const input = h("input", { type: "search", name: "q", id: "search-input", value: q, placeholder: t("search.placeholder"),
    "aria-label": t("search.placeholder"), required: true, maxlength: 200, autocomplete: "off" });
  const select = h("select", { name: "type", id: "search-type", "aria-label": t("common.type") },
    h("option", { value: "" }, t("search.type.all")),
    FILTER_TYPES.map((x) => h("option", { value: x, selected: x === type }, typeName(x))));
  const form = h("form", { class: "search-form" + (big ? " big" : ""), role: "search", onsubmit: (evt) => {
    evt.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const params = new URLSearchParams({ q: text });
    if (select.value) params.set("type", select.value);
    window.location.hash = `#/search?${params}`;
  } }, input, select, h("button", { class: "btn primary", type: "submit", id: "search-button" }, t("search.button")));
  return form;
}

export function renderHome(main) {
  const stats = h("section", { class: "card", id: "stats" });
  mount(main,
    h("section", { class: "hero" },
      h("h1", {}, t("app.title"), h("small", {}, t("app.subtitle"))),
      h("p", { class: "lead" }, t("home.lead")),
      searchForm("", "", true)),
    h("div", { class: "grid two" },
      stats,
      h("section", { class: "card" },
        h("h2", {}, t("home.quick")),
        h("ul", { class: "quick" },
          h("li", {}, h("a", { href: "#/demands" }, t("home.quick.demands"))),
          h("li", {}, h("a", { href: "#/clusters" }, t("home.quick.clusters"))),
          h("li", {}, h("a", { href: "#/monitor" }, t("home.quick.monitor")))))));
  document.getElementById("search-input").focus();
  load(stats, () => api("/api/v1/stats"), (data) => {
    const labels = Object.entries(data.labels || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    return [h("h2", {}, t("home.stats")),
      h("div", { class: "figures" }, labels.map(([label, n]) =>
        h("div", { class: "figure", "data-label": label },
          h("b", {}, fmtNumber(n)), h("span", {}, typeName(label)))))];
  });
}

function hitCard(hit) {
  const p = hit.properties || {};
  const extra = [p.nameEn, p.pinyin, (p.aliases || []).slice(0, 3).join("、"), p.number].filter(Boolean).join(" · ");
  return h("li", { class: "hit", "data-id": hit.id, "data-type": hit.type },
    h("div", { class: "hit-main" },
      typeBadge(hit.type, typeName(hit.type)),
      h("a", { class: "hit-name", href: entityHref(hit.id) }, displayName(hit.name)),
      extra ? h("div", { class: "muted small" }, extra) : null),
    hit.type === "Enterprise"
      ? h("a", { class: "btn small", href: `#/partners/${encodeURIComponent(hit.id)}` }, t("entity.partners"))
      : null);
}

export function renderSearch(main, _params, query) {
  const q = (query.get("q") || "").trim();
  const type = query.get("type") || "";
  const results = h("section", { class: "results", id: "results" });
  mount(main, h("section", { class: "card" }, searchForm(q, type)), results);
  if (!q) return;
  const list = h("ul", { class: "hits" });
  const summary = h("p", { class: "muted", id: "result-count" });
  const more = h("div", { class: "more" });
  let offset = 0;

  async function page() {
    mount(more, loading());
    try {
      const data = await api("/api/v1/entities", { params: { q, type: type || undefined, limit: PAGE, offset } });
      if (offset === 0 && data.items.length === 0) {
        mount(results, h("p", { class: "empty", id: "no-results" }, t("search.none", { q })));
        return;
      }
      summary.textContent = t("search.results", { n: data.total });
      list.append(...data.items.map(hitCard));
      offset += data.items.length;
      mount(more, offset < data.total
        ? h("button", { class: "btn", id: "more-button", onclick: page }, t("search.more"))
        : null);
    } catch (err) {
      mount(more, errorBox(err, page));
    }
  }
  mount(results, summary, list, more);
  page();
}
