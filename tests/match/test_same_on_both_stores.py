"""Both stores give byte-identical matchmaking answers (the contract every query is held to)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore
from tests.match.fixture import DEMAND, FIRM, HEAT_PATENT, matching_changes

URLS = [
    f"/api/v1/enterprises/{FIRM}/partners",
    f"/api/v1/enterprises/{FIRM}/partners?exclude_existing=true&type=University,Person,Enterprise",
    f"/api/v1/demands/{DEMAND}/matches?type=Patent&type=University&type=Person&type=Enterprise",
    f"/api/v1/patents/{HEAT_PATENT}/demands",
    "/api/v1/demands?status=all",
]


@pytest.mark.neo4j
def test_embedded_and_neo4j_answer_alike(embedded_store: GraphStore, neo4j_store: GraphStore) -> None:
    answers = []
    for store in (embedded_store, neo4j_store):
        store.apply(matching_changes())
        client = TestClient(create_app(store, public_read=True))
        answers.append([client.get(url).json() for url in URLS])
    for url, embedded, neo4j in zip(URLS, *answers, strict=True):
        assert embedded == neo4j, url
        assert embedded.get("matches") or embedded.get("items"), url
