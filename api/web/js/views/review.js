// 待审核链接: pairs an ingest was unsure about. Anyone may look; an editor key accepts (merge with
// provenance) or rejects (never merged again). Decisions go to POST /api/v1/review/{id}.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { entityHref, errorBox, fmtNumber, h, load, mount } from "../ui.js";

const STATUSES = ["pending", "accepted", "rejected", "all"];

function side(entity) {
  return h("div", {}, h("a", { href: entityHref(entity.id) }, entity.name), h("div", { class: "mono small muted" }, entity.id));
}

function actions(item, rerender) {
  if (item.status !== "pending" && item.status !== "rejected") {
    return h("span", { class: "muted small" }, `${item.decidedBy || ""} ${item.decidedAt || ""}`);
  }
  const cell = h("td", { class: "review-actions" });
  const decide = async (decision) => {
    for (const button of cell.querySelectorAll("button")) button.disabled = true;
    try {
      await api(`/api/v1/review/${encodeURIComponent(item.id)}`, { method: "POST", body: { decision } });
      rerender();
    } catch (err) {
      cell.append(errorBox(err));
      for (const button of cell.querySelectorAll("button")) button.disabled = false;
    }
  };
  mount(cell,
    h("button", { class: "btn small primary", "data-action": "accept", onclick: () => decide("accept") }, t("review.accept")),
    item.status === "pending" ? h("button", { class: "btn small", "data-action": "reject", onclick: () => decide("reject") }, t("review.reject")) : null);
  return cell;
}

function row(item, rerender) {
  const act = actions(item, rerender);
  return h("tr", { "data-id": item.id },
    h("td", {}, side(item.left)),
    h("td", {}, side(item.right)),
    h("td", { class: "num" }, fmtNumber(Math.round(item.score))),
    h("td", {}, h("span", { class: "badge" }, t(`review.status.${item.status}`))),
    h("td", { class: "small" }, (item.records || []).slice(0, 2).join(", ")),
    act.tagName === "TD" ? act : h("td", {}, act));
}

function reviewView(data, rerender) {
  if (!data.items.length) return h("p", { class: "empty", id: "review-empty" }, t("review.none"));
  return [
    h("p", { class: "muted" }, t("review.count", { n: fmtNumber(data.total) })),
    h("section", { class: "card", style: "overflow-x:auto" },
      h("table", { class: "targets", id: "review-table" },
        h("thead", {}, h("tr", {},
          h("th", {}, t("review.left")), h("th", {}, t("review.right")), h("th", { class: "num" }, t("review.score")),
          h("th", {}, t("review.statusCol")), h("th", {}, t("review.records")), h("th", {}, ""))),
        h("tbody", {}, data.items.map((item) => row(item, rerender))))),
    h("p", { class: "muted small" }, t("review.help")),
  ];
}

export function renderReview(main, _params, query) {
  const status = STATUSES.includes(query.get("status")) ? query.get("status") : "pending";
  const body = h("div", { id: "review" });
  const tabs = h("div", { class: "row", id: "review-tabs" }, STATUSES.map((s) =>
    h("a", { class: "btn small" + (s === status ? " primary" : ""), href: `#/review?status=${s}` }, t(`review.status.${s}`))));
  mount(main, h("section", { class: "entity-head" }, h("div", {}, h("h1", {}, t("review.title")), h("p", { class: "muted" }, t("review.lead")))), tabs, body);
  const fetcher = () => api("/api/v1/review", { params: { status, limit: 200 } });
  const rerender = () => load(body, fetcher, (data) => reviewView(data, rerender));
  rerender();
}
