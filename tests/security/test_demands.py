"""Demand ownership and text hygiene (issue #16, findings 6 and 8).

Before the fix a demand's id was a hash of its public fields, so any editor could re-post
another editor's demand and overwrite it (keywords, budget, mode) or reopen a closed one; the
poster's key id was public in ``records``; bidi overrides, zero-width characters and NUL were
stored as posted.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from api.security import Role
from api.texthygiene import clean_text, suspicious
from graph.model import NodeLabel, make_id
from graph.store import GraphStore
from tests.security.harness import Api, api_over

DEMAND = {"title": "大功率LED散热技术需求", "description": "散热", "keywords": ["散热"], "budget": 100000.0}


def _second_editor(api: Api) -> dict[str, str]:
    return {"X-API-Key": api.app.state.keys.create("editor-2", Role.EDITOR)[1]}


def test_only_the_poster_changes_a_demand(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        alice, bob = api.headers(Role.EDITOR), _second_editor(api)
        posted = api.client.post("/api/v1/demands", json=DEMAND, headers=alice)
        assert posted.status_code == 201
        demand_id = posted.json()["id"]
        # Bob re-posts the same fields with his own terms: a demand of his own, Alice's unchanged.
        hijack = api.client.post(
            "/api/v1/demands", json={**DEMAND, "keywords": ["劫持"], "budget": 1.0}, headers=bob
        )
        assert hijack.status_code == 201 and hijack.json()["id"] != demand_id
        mine = api.client.get(f"/api/v1/demands/{demand_id}").json()["properties"]
        assert mine["keywords"] == ["散热"] and mine["budget"] == 100000.0
        # Bob may not change or close it; Alice may.
        for change in ({"status": "closed"}, {"keywords": ["劫持"]}):
            refused = api.client.patch(f"/api/v1/demands/{demand_id}", json=change, headers=bob)
            assert refused.status_code == 403, refused.text
        closed = api.client.patch(f"/api/v1/demands/{demand_id}", json={"status": "closed"}, headers=alice)
        assert closed.status_code == 200 and closed.json()["properties"]["status"] == "closed"
        # Closed stays closed: re-posting does not reopen it, only its owner does.
        again = api.client.post("/api/v1/demands", json=DEMAND, headers=alice)
        assert again.json()["id"] == demand_id and again.json()["properties"]["status"] == "closed"
        reopen = api.client.patch(f"/api/v1/demands/{demand_id}", json={"status": "open"}, headers=bob)
        assert reopen.status_code == 403
        reopened = api.client.patch(f"/api/v1/demands/{demand_id}", json={"status": "open"}, headers=alice)
        assert reopened.json()["properties"]["status"] == "open"
        assert api.client.patch("/api/v1/demands/demand:nope", json={}, headers=alice).status_code == 404


def test_demand_ids_are_not_guessable_and_poster_keys_are_not_shown(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    with api_over(embedded_store, tmp_path) as api:
        posted = api.client.post("/api/v1/demands", json=DEMAND, headers=api.headers(Role.EDITOR)).json()
        # The old id: a hash of the public fields.
        public = "\x1f".join(["", DEMAND["title"], DEMAND["description"]])
        assert posted["id"] != make_id(
            NodeLabel.TECH_DEMAND, hashlib.sha256(public.encode()).hexdigest()[:16]
        )
        key_id = api.keys[Role.EDITOR].split("_")[1]
        for role in (None, Role.READER, Role.ANALYST, Role.EDITOR):
            for url in (
                f"/api/v1/demands/{posted['id']}",
                "/api/v1/demands",
                f"/api/v1/entities/{posted['id']}",
            ):
                body = api.client.get(url, headers=api.headers(role)).text
                assert key_id not in body and "owner" not in json.loads(body).get("properties", {}), (
                    role,
                    url,
                )


def test_posted_text_is_cleaned(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        editor = api.headers(Role.EDITOR)
        spoof = {
            "title": "需求\u202egnp.exe\u200b 散热😀天津",
            "description": "第一行\n第二行\u2066x\u2069",
            "keywords": ["\ufeffLED"],
        }
        posted = api.client.post("/api/v1/demands", json=spoof, headers=editor)
        assert posted.status_code == 201, posted.text
        props = posted.json()["properties"]
        assert posted.json()["name"] == props["title"] == "需求gnp.exe 散热😀天津"
        assert props["description"] == "第一行\n第二行x" and props["keywords"] == ["LED"]
        for bad in ({"title": "nul\x00inside"}, {"title": "ok", "description": "bell\x07"}):
            refused = api.client.post("/api/v1/demands", json=bad, headers=editor)
            assert refused.status_code == 422 and "control character" in refused.text


def test_clean_text_keeps_cjk_and_emoji() -> None:
    family = "👨\u200d👩\u200d👧"  # the zero-width joiner builds one emoji
    assert clean_text(f"天津{family}東麗") == f"天津{family}東麗"
    assert clean_text("a\u202eb\u200fc\u2060") == "abc"
    assert suspicious("晶辉\u202e光电") and not suspicious("晶辉光电 😀")
