"""``GET /api/v1/review`` and ``POST /api/v1/review/{id}``: anyone may read the list, only an
editor key (or above) decides; an accepted pair is merged in the graph."""

from __future__ import annotations

from pathlib import Path

from api.security import Role
from graph.model import RelType
from graph.store import GraphStore
from tests.ingest.review_pairs import pending_pair
from tests.security.harness import api_over

LEFT, RIGHT = "ent:nreviewleft", "ent:nreviewright"


def _seed(store: GraphStore) -> str:
    rid, changes = pending_pair(
        (LEFT, "天津华鑫科技有限公司"), (RIGHT, "天津华信科技有限公司"), ("CNREVIEW1", "一种无人机"), 86.0
    )
    store.apply(changes)
    return rid


def test_review_list_is_public_and_deciding_needs_an_editor(store: GraphStore, tmp_path: Path) -> None:
    with api_over(store, tmp_path) as api:
        rid = _seed(store)
        listed = api.client.get("/api/v1/review")
        assert listed.status_code == 200
        body = listed.json()
        assert body["total"] == 1 and body["items"][0]["id"] == rid
        assert body["items"][0]["left"] == {"id": LEFT, "name": "天津华鑫科技有限公司"}

        url = f"/api/v1/review/{rid}"
        assert api.client.post(url, json={"decision": "accept"}).status_code == 401
        for role in (Role.READER, Role.ANALYST):
            assert (
                api.client.post(url, json={"decision": "accept"}, headers=api.headers(role)).status_code
                == 403
            )
        assert store.get_node(LEFT) is not None  # nothing changed by the refused calls

        bad = api.client.post(url, json={"decision": "maybe"}, headers=api.headers(Role.EDITOR))
        assert bad.status_code in (400, 422)
        missing = api.client.post(
            "/api/v1/review/review:nope", json={"decision": "accept"}, headers=api.headers(Role.EDITOR)
        )
        assert missing.status_code == 404

        done = api.client.post(
            url, json={"decision": "accept", "note": "typo"}, headers=api.headers(Role.EDITOR)
        )
        assert done.status_code == 200, done.text
        decided = done.json()
        assert decided["status"] == "accepted" and decided["note"] == "typo"
        assert decided["decidedBy"].startswith("api:key:")
        assert store.get_node(LEFT) is None
        assert [
            (r.start, r.end) for r in store.relationships(RelType.APPLIED_FOR) if r.end == "patent:CNREVIEW1"
        ] == [(RIGHT, "patent:CNREVIEW1")]
        assert api.client.get("/api/v1/review").json()["total"] == 0
        accepted = api.client.get("/api/v1/review", params={"status": "accepted"}).json()
        assert [i["id"] for i in accepted["items"]] == [rid]
