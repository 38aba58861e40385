"""Shared pieces of the security tests: an app over a seeded store with one key per role, the
operations its OpenAPI schema declares (so endpoints added later are covered without edits),
a request-body builder, and a content hash of the whole graph."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.ratelimit import RateLimiter
from api.security import KeyStore, Role
from graph.records import Node
from graph.store import GraphStore
from tests.contract.fixture_graph import fixture_changes

#: Values that would do harm if anything formatted them into Cypher, a path or a log line.
INJECTION_PAYLOADS: list[str] = [
    "' OR 1=1 //",
    '" OR true //',
    "}) DETACH DELETE n //",
    "x'}) MATCH (n) DETACH DELETE n RETURN 1 //",
    "ent:A' OR '1'='1",
    "$(x)",
    '$("Enterprise")',
    "`Enterprise`",
    "Enterprise`) DETACH DELETE n //",
    "CALL db.labels() YIELD label RETURN label",
    "\\u0027 OR 1=1",
    "../../../../etc/passwd",
    '{"$ne": null}',
]
#: Strings that break naive parsers, encoders and terminals.
ODD_STRINGS: list[str] = [
    "a" * 30_000,  # beyond every string limit, within a URL's
    "\x00",
    "nul\x00inside",
    "\x01\x02\x1b[31mred\x7f",
    "line\r\nInjected-Header: 1",
    "\u202egnp.exe",  # RTL override
    "e" + "\u0301" * 500,  # a pile of combining accents
    "\ufeff\u200b\u2028\u2029",
    "天津\U0001f600东丽",
    "\uffff\ufffe",
]
ALL_PAYLOADS = INJECTION_PAYLOADS + ODD_STRINGS

#: Path segments that are not valid UTF-8 or that try to climb out.
RAW_PATH_SEGMENTS = ["%ED%A0%80", "%FF%FE", "%00", "..%2F..%2Fetc%2Fpasswd", "%C0%AF"]


@dataclass
class Api:
    app: FastAPI
    client: TestClient
    keys: dict[Role, str]
    store: GraphStore

    def headers(self, role: Role | None) -> dict[str, str]:
        return {} if role is None else {"X-API-Key": self.keys[role]}


@contextmanager
def api_over(
    store: GraphStore, tmp_path: Path, *, public_read: bool = True, seed: bool = True
) -> Iterator[Api]:
    """The app over ``store`` (seeded with the contract fixture graph), one key per role,
    rate limits off (their own tests turn them on)."""
    if seed:
        store.apply(fixture_changes())
    keystore = KeyStore(tmp_path / "api-keys.json")
    tokens = {role: keystore.create(f"test-{role.name.lower()}", role)[1] for role in Role}
    app = create_app(store=store, keys=keystore, public_read=public_read)
    app.state.rate_limiter = RateLimiter(0, 0)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(app, client, tokens, store)


def graph_digest(store: GraphStore) -> str:
    """A hash of every node and relationship with all properties: equal iff the graph is."""
    digest = hashlib.sha256()
    for item in store.iter_all():
        if isinstance(item, Node):
            record: Any = ["node", item.label.value, item.id, item.props]
        else:
            record = ["rel", item.type.value, item.start, item.end, item.props]
        digest.update(
            json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8", "replace")
        )
    return digest.hexdigest()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return list(self.spec.get("parameters", []))

    @property
    def is_write(self) -> bool:
        return self.method != "GET"


def operations(app: FastAPI) -> list[Operation]:
    """Every operation in the app's OpenAPI schema, in a stable order."""
    schema = app.openapi()
    found = []
    for path, item in sorted(schema["paths"].items()):
        for method, spec in sorted(item.items()):
            if method in ("get", "post", "put", "patch", "delete"):
                found.append(Operation(method.upper(), path, spec))
    return found


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        schema = root["components"]["schemas"][name]
    return schema


def sample_value(schema: dict[str, Any], root: dict[str, Any], text: str, depth: int = 0) -> Any:
    """A value that fits ``schema`` except that every free-text string is ``text``."""
    schema = _resolve(schema, root)
    for combo in ("anyOf", "oneOf", "allOf"):
        if combo in schema:
            options = [_resolve(s, root) for s in schema[combo]]
            options = [s for s in options if s.get("type") != "null"] or options
            return sample_value(options[0], root, text, depth)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        props = schema.get("properties", {})
        return {name: sample_value(sub, root, text, depth + 1) for name, sub in props.items()}
    if kind == "array":
        return [sample_value(schema.get("items", {}), root, text, depth + 1)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(max(schema.get("minimum", 1), 1))
    if kind == "boolean":
        return True
    return text


def request_body(op: Operation, root: dict[str, Any], text: str) -> Any | None:
    content = op.spec.get("requestBody", {}).get("content", {})
    media = content.get("application/json")
    if media is None:
        return None
    return sample_value(media.get("schema", {}), root, text)


#: Real ids from the fixture graph, for path parameters that are not the one under attack.
SAMPLE_IDS = {"entity": "ent:A", "enterprise": "ent:A", "patent": "patent:CN1", "key": "00000000"}


def sample_path_value(name: str) -> str:
    for hint, value in SAMPLE_IDS.items():
        if hint in name.lower():
            return value
    return "ent:A"


def valid_query(op: Operation, root: dict[str, Any]) -> dict[str, Any]:
    """Required query parameters filled with harmless values."""
    params: dict[str, Any] = {}
    for param in op.parameters:
        if param["in"] == "query" and param.get("required"):
            params[param["name"]] = sample_value(param.get("schema", {}), root, "天津")
    return params


def json_reads(
    api: Api, roles: Sequence[Role | None], *, q: str
) -> Iterator[tuple[Operation, Role | None, Any]]:
    """Every GET operation of the schema called as each of ``roles``, on paths that lead to a firm
    (search text ``q``): ``(operation, role, body)`` for each 200 JSON answer."""
    root = api.app.openapi()
    for op in [op for op in operations(api.app) if op.method == "GET"]:
        url = op.path
        for param in op.parameters:
            if param["in"] == "path":
                url = url.replace("{" + param["name"] + "}", sample_path_value(param["name"]))
        params = valid_query(op, root)
        if "q" in params:
            params["q"] = q
        for role in roles:
            response = api.client.get(url, params=params, headers=api.headers(role))
            if response.status_code == 200 and "json" in response.headers.get("content-type", ""):
                yield op, role, response.json()
