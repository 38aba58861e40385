"""Hostile input to every API operation, on both stores: never a 5xx, errors are clear problem
documents, and the graph is unchanged (reads) or changed only by what a write reported.

The operations come from the app's OpenAPI schema, so endpoints added later are attacked too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from api.security import Role
from graph.records import Node
from graph.store import GraphStore
from tests.security.harness import (
    ALL_PAYLOADS,
    INJECTION_PAYLOADS,
    RAW_PATH_SEGMENTS,
    Api,
    Operation,
    api_over,
    graph_digest,
    operations,
    request_body,
    sample_path_value,
    valid_query,
)


def _url(op: Operation, path_values: dict[str, str]) -> str:
    url = op.path
    for name, value in path_values.items():
        url = url.replace("{" + name + "}", value)
    return url


def _attacks(op: Operation, root: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, request kwargs) for every place a string can enter this operation."""
    path_params = [p["name"] for p in op.parameters if p["in"] == "path"]
    query_params = [p for p in op.parameters if p["in"] == "query"]
    defaults = {name: quote(sample_path_value(name), safe="") for name in path_params}
    base_query = valid_query(op, root)
    attacks: list[tuple[str, dict[str, Any]]] = []
    for payload in ALL_PAYLOADS:
        for name in path_params:
            url = _url(op, {**defaults, name: quote(payload, safe="")})
            attacks.append((f"path {name}={payload[:30]!r}", {"url": url, "params": base_query}))
        for param in query_params:
            params = {**base_query, param["name"]: payload}
            attacks.append(
                (f"query {param['name']}={payload[:30]!r}", {"url": _url(op, defaults), "params": params})
            )
        body = request_body(op, root, payload)
        if body is not None:
            attacks.append((f"body {payload[:30]!r}", {"url": _url(op, defaults), "json": body}))
    for raw in RAW_PATH_SEGMENTS:
        for name in path_params:
            attacks.append(
                (f"raw path {name}={raw}", {"url": _url(op, {**defaults, name: raw}), "params": base_query})
            )
    if "requestBody" in op.spec:
        # Lone surrogates are legal JSON escapes but not Unicode: they must not reach a store.
        body = request_body(op, root, "PLACEHOLDER")
        text = json.dumps(body).replace("PLACEHOLDER", "\\ud800 \\udfff")
        attacks.append(
            (
                "body lone surrogates",
                {"url": _url(op, defaults), "content": text, "headers": {"Content-Type": "application/json"}},
            )
        )
        huge = request_body(op, root, "x" * 200_000)
        attacks.append(("body 200k strings", {"url": _url(op, defaults), "json": huge}))
        attacks.append(
            (
                "body not JSON",
                {
                    "url": _url(op, defaults),
                    "content": b"\xff\xfe{'",
                    "headers": {"Content-Type": "application/json"},
                },
            )
        )
        attacks.append(
            (
                "body nested deep",
                {
                    "url": _url(op, defaults),
                    "content": "[" * 5000 + "]" * 5000,
                    "headers": {"Content-Type": "application/json"},
                },
            )
        )
    return attacks


def _check_response(op: Operation, where: str, response: httpx.Response, failures: list[str]) -> None:
    label = f"{op.id} [{where}] → {response.status_code}"
    if response.status_code >= 500:
        failures.append(f"{label}: {response.text[:300]}")
    elif response.status_code >= 400:
        if not response.headers.get("content-type", "").startswith("application/problem+json"):
            failures.append(f"{label}: error is not application/problem+json")
            return
        detail = response.json().get("detail")
        if not isinstance(detail, str) or not detail.strip():
            failures.append(f"{label}: error without a detail message")


def _snapshot(store: GraphStore) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any]]:
    nodes: dict[str, Any] = {}
    rels: dict[tuple[str, str, str], Any] = {}
    for item in store.iter_all():
        if isinstance(item, Node):
            nodes[item.id] = (item.label, item.props)
        else:
            rels[(item.type.value, item.start, item.end)] = item.props
    return nodes, rels


def _attack_operation(api: Api, op: Operation, role: Role, failures: list[str]) -> list[str]:
    """Send every attack; returns the bodies of successful writes (to account for what they made)."""
    root = api.app.openapi()
    written: list[str] = []
    for where, kwargs in _attacks(op, root):
        kwargs = dict(kwargs)
        headers = {**api.headers(role), **kwargs.pop("headers", {})}
        response = api.client.request(op.method, kwargs.pop("url"), headers=headers, **kwargs)
        _check_response(op, where, response, failures)
        if op.is_write and response.status_code < 300:
            written.append(response.text)
    return written


@pytest.mark.slow
def test_read_operations_survive_hostile_input(store: GraphStore, tmp_path: Path) -> None:
    with api_over(store, tmp_path) as api:
        before = graph_digest(store)
        failures: list[str] = []
        reads = [op for op in operations(api.app) if not op.is_write]
        assert reads, "the schema lists no read operations"
        for op in reads:
            _attack_operation(api, op, Role.ANALYST, failures)
            if graph_digest(store) != before:
                failures.append(f"{op.id}: the graph changed during read requests")
                before = graph_digest(store)
        assert not failures, "\n".join(failures[:40])


@pytest.mark.slow
def test_write_operations_survive_hostile_input(store: GraphStore, tmp_path: Path) -> None:
    with api_over(store, tmp_path) as api:
        failures: list[str] = []
        for op in [op for op in operations(api.app) if op.is_write]:
            nodes_before, rels_before = _snapshot(store)
            written = " ".join(_attack_operation(api, op, Role.ADMIN, failures))
            nodes_after, rels_after = _snapshot(store)
            # Nothing that was there may be gone or altered ...
            for node_id, value in nodes_before.items():
                if nodes_after.get(node_id) != value:
                    failures.append(f"{op.id}: node {node_id} was deleted or altered")
            for key, props in rels_before.items():
                if rels_after.get(key) != props:
                    failures.append(f"{op.id}: relationship {key} was deleted or altered")
            # ... and whatever is new was reported to the client that created it.
            new_ids = set(nodes_after) - set(nodes_before)
            for node_id in new_ids:
                if json.dumps(node_id)[1:-1] not in written and node_id not in written:
                    failures.append(f"{op.id}: node {node_id} appeared without a successful write naming it")
            for key in set(rels_after) - set(rels_before):
                if key[1] not in new_ids and key[2] not in new_ids:
                    failures.append(f"{op.id}: relationship {key} appeared between existing nodes")
        assert not failures, "\n".join(failures[:40])


def test_search_injection_matches_nothing(store: GraphStore, tmp_path: Path) -> None:
    """A payload is text to look for, not a query: it matches no entity of the fixture graph."""
    with api_over(store, tmp_path) as api:
        for payload in INJECTION_PAYLOADS:
            response = api.client.get("/api/v1/entities", params={"q": payload[:200]})
            assert response.status_code == 200, (payload, response.text)
            assert response.json()["total"] == 0, payload
        # The same route still finds real data afterwards.
        assert api.client.get("/api/v1/entities", params={"q": "天津大学"}).json()["total"] >= 1


def test_static_files_do_not_escape_the_web_folder(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        for path in [
            "/static/../../pyproject.toml",
            "/static/..%2F..%2Fpyproject.toml",
            "/static/%2e%2e/%2e%2e/graph/model.py",
            "/static//etc/passwd",
            "/static/index.html%00.js",
        ]:
            response = api.client.get(path)
            assert response.status_code in (404, 400), (path, response.status_code)
            assert "[project]" not in response.text and "root:" not in response.text
