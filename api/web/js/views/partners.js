// 寻找合作伙伴: ranked research partners for one enterprise, with score breakdowns and evidence.
import { api } from "../api.js";
import { t, typeName } from "../i18n.js";
import { rankedWithNetwork } from "../evidence.js";
import { entityHref, errorBox, h, loading, mount } from "../ui.js";

const PARTNER_TYPES = ["University", "ResearchInstitute", "Person", "Enterprise"];
const DEFAULT_TYPES = ["University", "ResearchInstitute", "Person"];

/** The list of suggestions in a partners response, in one shape: {candidate, score, signals, evidence, existing}. */
export function suggestions(data) {
  const found = Array.isArray(data) ? data : data.matches || data.items || data.partners || data.candidates || [];
  // New suggestions first; the firm's existing partners (sent apart) after them, marked as such.
  const list = Array.isArray(data) ? found : [...found, ...(data.existingPartners || [])];
  return list.map((m) => ({
    candidate: m.candidate || m.item || m.partner || m.demand || m.entity || m.node || m.id,
    score: m.score ?? m.total ?? 0,
    signals: m.signals || m.breakdown || m.components || null,
    evidence: m.evidence || m.paths || [],
    existing: m.existingPartner ?? m.existing_partner ?? m.existing ?? false,
    terms: m.matchedTerms || m.matched_terms || [],
  }));
}

export async function renderPartners(main, [id], query) {
  const types = (query.get("type") || "").split(",").filter((x) => PARTNER_TYPES.includes(x));
  const chosen = types.length ? types : DEFAULT_TYPES;
  const results = h("div", { id: "partners" });
  const title = h("h1", { id: "partners-title" }, t("partners.title", { name: id }));
  const filter = h("div", { class: "row", id: "partner-types" },
    PARTNER_TYPES.map((type) => h("label", { class: "small" },
      h("input", { type: "checkbox", value: type, checked: chosen.includes(type), onchange: () => {
        const picked = [...filter.querySelectorAll("input:checked")].map((x) => x.value);
        window.location.hash = `#/partners/${encodeURIComponent(id)}?type=${picked.join(",")}`;
      } }), " ", typeName(type))));
  mount(main,
    h("section", { class: "entity-head" },
      h("div", {}, title, h("p", { class: "muted" }, t("partners.lead")), filter),
      h("div", { class: "actions" }, h("a", { class: "btn", href: entityHref(id) }, t("partners.back")))),
    results);
  mount(results, loading());
  let firm, data;
  try {
    [firm, data] = await Promise.all([
      api(`/api/v1/entities/${encodeURIComponent(id)}`),
      api(`/api/v1/enterprises/${encodeURIComponent(id)}/partners`, { params: { type: chosen, limit: 10 } }),
    ]);
  } catch (err) {
    mount(results, errorBox(err, () => renderPartners(main, [id], query)));
    return;
  }
  title.textContent = t("partners.title", { name: firm.name });
  const items = suggestions(data);
  if (!items.length) {
    mount(results, h("p", { class: "empty", id: "no-partners" }, t("partners.none")));
    return;
  }
  mount(results,
    h("p", { class: "muted", id: "partner-total" }, t("partners.total", { n: data.total ?? items.length, shown: items.length })),
    rankedWithNetwork(firm, data, items, { listId: "partner-list", networkId: "partner-network", weights: data.weights }));
}
