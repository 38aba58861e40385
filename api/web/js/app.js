// The page shell: header, language switch, settings (API key) and a hash router over the views.
import { getLang, setLang, t } from "./i18n.js";
import { getApiKey, setApiKey } from "./api.js";
import { errorBox, h, mount } from "./ui.js";
import { renderHome, renderSearch } from "./views/search.js";
import { renderEntity } from "./views/entity.js";
import { renderPartners } from "./views/partners.js";
import { renderDemands, renderDemandMatches, renderPatentDemands } from "./views/demands.js";
import { renderClusters, renderCluster } from "./views/clusters.js";
import { renderMonitor } from "./views/monitor.js";
import { renderReview } from "./views/review.js";
import { renderRoadmap } from "./views/roadmap.js";

// Route patterns → views. Each view gets (main element, decoded path parameters, query parameters).
const ROUTES = [
  [/^$/, renderHome],
  [/^search$/, renderSearch],
  [/^entity\/(.+)$/, renderEntity],
  [/^partners\/(.+)$/, renderPartners],
  [/^demands$/, renderDemands],
  [/^demands\/(.+)$/, renderDemandMatches],
  [/^patent-demands\/(.+)$/, renderPatentDemands],
  [/^clusters$/, renderClusters],
  [/^clusters\/(.+)$/, renderCluster],
  [/^monitor$/, renderMonitor],
  [/^review$/, renderReview],
  [/^roadmap$/, renderRoadmap],
];

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?");
  return { path, query: new URLSearchParams(query) };
}

function header() {
  const { path } = parseHash();
  const section = path.split("/")[0];
  const link = (href, key, name) =>
    h("a", { href, class: "nav-link" + (section === name ? " active" : ""), "data-nav": name }, t(key));
  return h("header", { class: "topbar" },
    h("a", { class: "brand", href: "#/" },
      h("span", { class: "logo", "aria-hidden": "true" }, "◎"),
      h("span", { class: "brand-name" }, t("app.title")),
      h("span", { class: "brand-sub" }, t("app.subtitle"))),
    h("nav", { class: "nav" },
      link("#/search", "nav.search", "search"),
      link("#/demands", "nav.demands", "demands"),
      link("#/clusters", "nav.clusters", "clusters"),
      link("#/monitor", "nav.monitor", "monitor"),
      link("#/review", "nav.review", "review"),
      link("#/roadmap", "nav.roadmap", "roadmap")),
    h("div", { class: "tools" },
      h("button", { class: "btn ghost", id: "settings-button", onclick: openSettings },
        t("nav.settings"), getApiKey() ? h("span", { class: "key-dot", title: t("settings.keySet") }) : null),
      h("button", { class: "btn ghost", id: "lang-switch", onclick: switchLanguage }, t("lang.switch"))));
}

function openSettings() {
  const input = h("input", { id: "api-key-input", type: "password", autocomplete: "off", value: getApiKey(), placeholder: "ig_…" });
  const note = h("span", { class: "muted", id: "settings-note" });
  const dialog = h("dialog", { class: "settings", id: "settings-dialog" },
    h("form", { method: "dialog", onsubmit: (evt) => { evt.preventDefault(); setApiKey(input.value); note.textContent = t("settings.saved"); refreshHeader(); dialog.close(); } },
      h("h2", {}, t("settings.title")),
      h("label", { for: "api-key-input" }, t("settings.apiKey")),
      input,
      h("p", { class: "muted small" }, t("settings.apiKeyHelp")),
      h("div", { class: "row" },
        h("button", { class: "btn primary", type: "submit", id: "settings-save" }, t("settings.save")),
        h("button", { class: "btn", type: "button", onclick: () => { setApiKey(""); input.value = ""; note.textContent = t("settings.cleared"); refreshHeader(); } }, t("settings.clear")),
        h("button", { class: "btn ghost", type: "button", onclick: () => dialog.close() }, t("common.close")),
        note)));
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  input.focus();
}

function switchLanguage() {
  setLang(getLang() === "zh" ? "en" : "zh");
  render();
}

function refreshHeader() {
  document.querySelector("header.topbar").replaceWith(header());
}

function render() {
  document.title = `${t("app.title")} · ${t("app.subtitle")}`;
  const { path, query } = parseHash();
  const app = document.getElementById("app");
  const main = h("main", { id: "view", class: "view" });
  mount(app, header(), main);
  for (const [pattern, view] of ROUTES) {
    const match = pattern.exec(path);
    if (match) {
      let params;
      try {
        params = match.slice(1).map(decodeURIComponent);
      } catch {
        // A malformed address (e.g. #/entity/%E0%A4%A): say so instead of a blank page.
        mount(main, h("div", { id: "bad-route" }, errorBox({ title: t("error.badRoute"), detail: t("error.badRouteDetail", { path: path.slice(0, 200) }) })));
        return;
      }
      view(main, params, query);
      window.scrollTo(0, 0);
      return;
    }
  }
  renderHome(main, [], query);
}

setLang(getLang());
window.addEventListener("hashchange", render);
render();
