"""The same graph gives byte-identical JSON on both stores — not only equal content: property
keys come out in one order whichever store answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.model import NodeLabel, RelType
from graph.records import Node, Relationship
from graph.store import GraphStore
from tests.contract.fixture_graph import fixture_changes
from tests.security.harness import api_over

pytestmark = pytest.mark.neo4j

URLS = [
    "/api/v1/entities/ent:A",
    "/api/v1/entities/ent:A/neighbors",
    "/api/v1/entities/ent:A/neighborhood?limit=1",
    "/api/v1/entities?q=天津",
    "/api/v1/stats",
]


def _dump(value: object) -> bytes:
    # No sort_keys: the order the store produced is what is compared.
    return json.dumps(value, ensure_ascii=False, default=str).encode()


def _store_bytes(store: GraphStore) -> list[bytes]:
    out = []
    for item in store.iter_all():
        if isinstance(item, Node):
            out.append(_dump([item.label.value, item.id, item.props]))
        else:
            assert isinstance(item, Relationship)
            out.append(_dump([item.type.value, item.start, item.end, item.props]))
    for label in NodeLabel:
        out.append(_dump([n.props for n in store.nodes(label)]))
    for rel_type in RelType:
        out.append(_dump([r.props for r in store.relationships(rel_type)]))
    return out


def test_store_output_is_byte_identical(embedded_store: GraphStore, neo4j_store: GraphStore) -> None:
    embedded_store.apply(fixture_changes())
    neo4j_store.apply(fixture_changes())
    left, right = _store_bytes(embedded_store), _store_bytes(neo4j_store)
    assert len(left) == len(right)
    for a, b in zip(left, right, strict=True):
        assert a == b


def test_api_json_is_byte_identical(
    embedded_store: GraphStore, neo4j_store: GraphStore, tmp_path: Path
) -> None:
    bodies: dict[str, list[bytes]] = {}
    for name, store in (("embedded", embedded_store), ("neo4j", neo4j_store)):
        with api_over(store, tmp_path / name) as api:
            responses = [api.client.get(url) for url in URLS]
            assert [r.status_code for r in responses] == [200] * len(URLS), [r.text for r in responses]
            bodies[name] = [r.content for r in responses]
    for url, a, b in zip(URLS, bodies["embedded"], bodies["neo4j"], strict=True):
        assert a == b, url
