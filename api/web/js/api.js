// The one way the page reaches the server: JSON over fetch, errors turned into ApiError with the
// problem+json `detail` the API sends, and the API key (if any).
//
// The key is kept in this module's memory only — not in sessionStorage or localStorage, where any
// script that ever ran on the origin could read it back later. The trade-off: reloading the page
// asks for the key again (docs/SECURITY.md, "The web page").
let apiKey = "";

export class ApiError extends Error {
  constructor(status, title, detail, path) {
    super(detail || title || `HTTP ${status}`);
    this.status = status; // 0: the server could not be reached
    this.title = title;
    this.detail = detail;
    this.path = path;
  }
}

export function getApiKey() {
  return apiKey;
}

export function setApiKey(key) {
  apiKey = key ? key.trim() : "";
}

function url(path, params) {
  const u = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === "") continue;
    for (const v of Array.isArray(value) ? value : [value]) u.searchParams.append(name, v);
  }
  return u.pathname + u.search;
}

/** GET (or `method`) `path` and return the parsed JSON; throws ApiError on any failure. */
export async function api(path, { params, method = "GET", body } = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  const key = getApiKey();
  if (key) headers["X-API-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const target = url(path, params);
  let response;
  try {
    response = await fetch(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, "network", String(e.message || e), target);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const title = (data && data.title) || response.statusText;
    let detail = data && data.detail;
    if (detail && typeof detail !== "string") detail = JSON.stringify(detail);
    throw new ApiError(response.status, title, detail || text.slice(0, 300), target);
  }
  return data;
}
