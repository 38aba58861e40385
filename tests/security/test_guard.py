"""One guard for every route (issue #16, finding 2): key check and rate limit everywhere.

Before the fix ``/api/v1/clusters/network``, ``/api/v1/stats`` and ``/healthz`` checked no key
and no limit: a private deployment gave every firm's id and name to anyone, revoked keys got
200 there, and ``/healthz`` showed the store's path on disk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts

from api.ratelimit import RateLimiter
from api.security import Role, get_principal
from graph.store import GraphStore
from tests.security.harness import (
    Api,
    Operation,
    api_over,
    operations,
    request_body,
    sample_path_value,
    valid_query,
)

#: Routes outside the guard, on purpose: the page, Swagger UI and their files (no data in them).
UNGUARDED = {"/", "/static/{asset}", "/docs", "/docs/assets/{name}"}
#: Routes a private deployment answers without a key (still rate-limited).
OPEN_WITHOUT_KEY = {"/healthz"}


def _depends_on_guard(dependant: Any) -> bool:
    return any(dep.call is get_principal or _depends_on_guard(dep) for dep in dependant.dependencies)


def _call(api: Api, op: Operation, headers: dict[str, str]) -> int:
    url = op.path
    for param in op.parameters:
        if param["in"] == "path":
            url = url.replace("{" + param["name"] + "}", sample_path_value(param["name"]))
    root = api.app.openapi()
    body = request_body(op, root, "天津")
    response = api.client.request(op.method, url, params=valid_query(op, root), json=body, headers=headers)
    return response.status_code


def test_every_route_goes_through_the_guard(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        schema_paths = {op.path for op in operations(api.app)}
        # fastapi's own walk over included routers, with the dependencies each inclusion adds.
        routes = [c for c in iter_route_contexts(api.app.routes) if isinstance(c.original_route, APIRoute)]
        assert (
            {r.path_format for r in routes}
            >= schema_paths
            >= {"/healthz", "/api/v1/stats", "/api/v1/clusters/network"}
        )
        for route in routes:
            if route.path_format in UNGUARDED:
                assert not route.original_route.include_in_schema
                continue
            assert _depends_on_guard(route.dependant), f"{route.path_format} is not guarded"


def test_private_deployment_refuses_every_operation_without_a_valid_key(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    with api_over(embedded_store, tmp_path, public_read=False) as api:
        token = api.keys[Role.READER]
        revoked = api.app.state.keys.create("gone", Role.ADMIN)[1]
        api.app.state.keys.revoke(revoked.split("_")[1])
        ops = operations(api.app)
        assert len(ops) > 10
        for op in ops:
            anonymous = _call(api, op, {})
            if op.path in OPEN_WITHOUT_KEY:
                assert anonymous == 200, op.id
            else:
                assert anonymous == 401, f"{op.id} answered {anonymous} without a key"
            for bad in (revoked, token + "x", "ig__", "x" * 300):
                assert _call(api, op, {"X-API-Key": bad}) == 401, f"{op.id} let {bad[:12]}… through"


def test_every_operation_is_rate_limited(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        for op in operations(api.app):
            for headers in ({}, api.headers(Role.ADMIN)):
                api.app.state.rate_limiter = RateLimiter(1, 1, burst=1)
                _call(api, op, headers)
                assert _call(api, op, headers) == 429, (
                    f"{op.id} is not rate-limited ({headers or 'anonymous'})"
                )


def test_healthz_says_ok_and_shows_details_to_admins_only(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        for role in (None, Role.READER, Role.EDITOR):
            response = api.client.get("/healthz", headers=api.headers(role))
            assert response.status_code == 200 and response.json()["status"] == "ok"
            text = json.dumps(response.json())
            assert "path" not in text and str(tmp_path) not in text and response.json()["detail"] == {}
        admin = api.client.get("/healthz", headers=api.headers(Role.ADMIN)).json()
        assert admin["detail"]["ok"] is True and "store" in admin["detail"]
