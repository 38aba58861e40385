"""``GET /api/v1/entities/{id}/neighborhood``: counts per group and cursor paging, on both stores."""

from __future__ import annotations

import base64
import json

from fastapi.testclient import TestClient

from api.app import create_app
from api.neighborhood import encode_cursor
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.records import Neighbor, Node, Relationship
from graph.store import GraphStore


def _hub() -> ChangeSet:
    cs = ChangeSet()
    cs.add_node(L.ENTERPRISE, {"id": "ent:hub", "name": "枢纽企业", "revenue": 5.0e8})
    for i in range(130):
        cs.add_node(L.PATENT, {"id": f"patent:H{i:04d}", "number": f"H{i}", "title": f"专利{i}"})
        cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, "ent:hub"), (L.PATENT, f"patent:H{i:04d}"))
    for i in range(3):
        cs.add_node(L.ENTERPRISE, {"id": f"ent:branch{i}", "name": f"分公司{i}", "revenue": 1.0e6})
        cs.add_relationship(R.BRANCH_OF, (L.ENTERPRISE, f"ent:branch{i}"), (L.ENTERPRISE, "ent:hub"))
    cs.add_node(L.PARK, {"id": "park:hub", "name": "园区"})
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, "ent:hub"), (L.PARK, "park:hub"))
    return cs


def test_groups_and_pages_cover_every_neighbour_once(store: GraphStore) -> None:
    store.apply(_hub())
    client = TestClient(create_app(store))
    url = "/api/v1/entities/ent:hub/neighborhood"
    first = client.get(url, params={"limit": 40}).json()
    assert first["total"] == 134
    assert first["groups"] == [
        {"type": "APPLIED_FOR", "direction": "out", "label": "Patent", "count": 130},
        {"type": "BRANCH_OF", "direction": "in", "label": "Enterprise", "count": 3},
        {"type": "LOCATED_IN", "direction": "out", "label": "Park", "count": 1},
    ]
    seen, body = [], first
    while True:
        seen += [(n["relationship"]["type"], n["node"]["id"]) for n in body["items"]]
        if body["nextCursor"] is None:
            break
        body = client.get(url, params={"limit": 40, "cursor": body["nextCursor"]}).json()
    assert len(seen) == len(set(seen)) == 134
    assert seen[:2] == [("APPLIED_FOR", "patent:H0000"), ("APPLIED_FOR", "patent:H0001")]
    assert seen[-1] == ("LOCATED_IN", "park:hub")
    # One group, as the page expands it; financial figures stay hidden from an anonymous reader.
    branches = client.get(
        url, params={"rel_type": "BRANCH_OF", "direction": "in", "label": "Enterprise", "limit": 2}
    ).json()
    assert [n["node"]["id"] for n in branches["items"]] == ["ent:branch0", "ent:branch1"]
    assert all("revenue" not in n["node"]["properties"] for n in branches["items"])
    rest = client.get(
        url,
        params={
            "rel_type": "BRANCH_OF",
            "direction": "in",
            "label": "Enterprise",
            "cursor": branches["nextCursor"],
        },
    ).json()
    assert [n["node"]["id"] for n in rest["items"]] == ["ent:branch2"] and rest["nextCursor"] is None
    assert rest["total"] == 134  # the groups always describe the whole neighbourhood


def test_a_cursor_not_issued_by_the_api_is_refused(store: GraphStore) -> None:
    store.apply(_hub())
    client = TestClient(create_app(store))
    url = "/api/v1/entities/ent:hub/neighborhood"
    real = encode_cursor(Neighbor(Relationship(R.APPLIED_FOR, "a", "b", {}), Node("b", L.PATENT, {}), "out"))
    assert client.get(url, params={"cursor": real}).status_code == 200
    forged = [
        base64.urlsafe_b64encode(json.dumps(key).encode()).decode()
        for key in (["NOPE", "out", "x"], ["APPLIED_FOR", "up", "x"], ["APPLIED_FOR", "out", 3], {"a": 1}, [])
    ]
    for bad in ("not a cursor", "%%%", *forged):
        response = client.get(url, params={"cursor": bad})
        assert response.status_code == 422, bad
        assert response.headers["content-type"] == "application/problem+json"
        assert "cursor" in response.json()["detail"]
    assert client.get("/api/v1/entities/nope/neighborhood").status_code == 404
