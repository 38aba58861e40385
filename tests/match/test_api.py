"""The matchmaking API on the known-answer fixture, on both stores."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from api.schemas import Mode
from graph.model import RelType
from graph.store import GraphStore
from match.demands import MODES
from tests.match.fixture import DEMAND, EXISTING_PARTNER, EXPERT, FIRM, HEAT_PATENT, NEW_PARTNER

PROBLEM = "application/problem+json"


def assert_evidence_exists(store: GraphStore, body: dict[str, Any]) -> int:
    """Every relationship on every evidence path is in the store, and paths are connected."""
    checked = 0
    listed = {n["id"] for n in body["nodes"]}
    for match in body["matches"]:
        for path in match["evidence"]:
            assert set(path["nodes"]) <= listed, path
            assert len(path["relationships"]) == len(path["nodes"]) - 1, path
            for i, rel in enumerate(path["relationships"]):
                assert {rel["start"], rel["end"]} == {path["nodes"][i], path["nodes"][i + 1]}, path
                out = store.neighbors(
                    rel["start"], rel_types=[RelType(rel["type"])], direction="out", limit=1000
                )
                assert rel["end"] in {n.node.id for n in out}, f"{rel} is not in the graph"
                checked += 1
    return checked


def test_partners_rank_the_known_new_partner_first(client: TestClient, loaded: GraphStore) -> None:
    r = client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"exclude_existing": True})
    assert r.status_code == 200, r.text
    body = r.json()
    ids = [m["candidate"]["id"] for m in body["matches"]]
    assert ids[0] == NEW_PARTNER
    assert EXISTING_PARTNER not in ids and "uni:far" not in ids
    top = body["matches"][0]
    assert set(top["signals"]) >= {"technology", "network", "complementarity", "track_record", "geography"}
    assert top["signals"]["complementarity"] > 0 and top["signals"]["track_record"] > 0
    signals = {p["signal"] for p in top["evidence"]}
    assert {"network", "technology", "complementarity", "track_record", "geography"} <= signals
    assert assert_evidence_exists(loaded, body) >= 5
    assert sum(body["weights"].values()) == pytest.approx(1.0)


def test_existing_partners_are_shown_apart_from_new_suggestions(client: TestClient) -> None:
    # Issue #12: "by default a firm's existing partners fill the top of its list".
    body = client.get(f"/api/v1/enterprises/{FIRM}/partners").json()
    assert EXISTING_PARTNER not in {m["candidate"]["id"] for m in body["matches"]}
    assert body["matches"][0]["candidate"]["id"] == NEW_PARTNER
    apart = {m["candidate"]["id"]: m for m in body["existingPartners"]}
    assert apart[EXISTING_PARTNER]["existingPartner"] is True
    excluded = client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"exclude_existing": True}).json()
    assert excluded["existingPartners"] == []
    by_id = {m["candidate"]["id"]: m for m in [*body["matches"], *body["existingPartners"]]}
    assert by_id[NEW_PARTNER]["existingPartner"] is False
    # The co-application is shown as a drawable path firm → patent ← institute.
    direct = next(p for p in by_id[EXISTING_PARTNER]["evidence"] if p["signal"] == "network")
    assert direct["nodes"] == [FIRM, "patent:led-2", EXISTING_PARTNER]
    # Own staff (person:li works for the firm) is never suggested.
    assert "person:li" not in by_id


def test_partner_filters(client: TestClient) -> None:
    people = client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"type": "Person"}).json()
    assert [m["candidate"]["id"] for m in people["matches"]] == [EXPERT]
    unis = client.get(
        f"/api/v1/enterprises/{FIRM}/partners", params=[("type", "University"), ("type", "ResearchInstitute")]
    ).json()
    assert {m["candidate"]["type"] for m in unis["matches"]} <= {"University", "ResearchInstitute"}
    dongli = client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"region": "120110"}).json()
    assert [m["candidate"]["id"] for m in dongli["existingPartners"]] == [EXISTING_PARTNER]
    assert dongli["matches"] == []  # the only Dongli candidate is an existing partner, shown apart
    led = client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"industry": "industry:sei-led"}).json()
    assert [m["candidate"]["id"] for m in led["matches"]] == [NEW_PARTNER]
    firms = client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"type": "Enterprise"}).json()
    assert [m["candidate"]["id"] for m in firms["matches"]] == ["ent:lamp"]
    page = client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"limit": 1, "offset": 1}).json()
    full = client.get(f"/api/v1/enterprises/{FIRM}/partners").json()
    assert page["total"] == full["total"] and page["matches"][0] == full["matches"][1]


def test_financials_only_for_analysts(client: TestClient, tokens: dict[str, str]) -> None:
    anonymous = client.get(f"/api/v1/enterprises/{FIRM}/partners").json()
    assert "revenue" not in anonymous["enterprise"]["properties"]
    analyst = client.get(
        f"/api/v1/enterprises/{FIRM}/partners", headers={"X-API-Key": tokens["analyst"]}
    ).json()
    assert analyst["enterprise"]["properties"]["revenue"] == 1.2e8


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/enterprises/ent:nope/partners", 404),
        (f"/api/v1/enterprises/{NEW_PARTNER}/partners", 404),  # a university is not an enterprise
        (f"/api/v1/enterprises/{FIRM}/partners?limit=0", 422),
        (f"/api/v1/enterprises/{FIRM}/partners?limit=101", 422),
        (f"/api/v1/enterprises/{FIRM}/partners?type=Patent", 422),
        (f"/api/v1/enterprises/{FIRM}/partners?type=Bogus", 422),
        (f"/api/v1/enterprises/{FIRM}/partners?exclude_existing=maybe", 422),
        ("/api/v1/demands/demand:nope/matches", 404),
        (f"/api/v1/demands/{HEAT_PATENT}/matches", 404),
        (f"/api/v1/demands/{DEMAND}/matches?type=Region", 422),
        (f"/api/v1/demands/{DEMAND}/matches?offset=-1", 422),
        ("/api/v1/demands/demand:nope", 404),
        ("/api/v1/demands?status=maybe", 422),
        ("/api/v1/patents/patent:nope/demands", 404),
        (f"/api/v1/patents/{FIRM}/demands", 404),
        ("/api/v1/achievements/achievement:nope/demands", 404),
    ],
)
def test_errors_are_problems(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["detail"]


def test_demand_matches_rank_the_known_solver_first(client: TestClient, loaded: GraphStore) -> None:
    body = client.get(f"/api/v1/demands/{DEMAND}/matches").json()
    ids = [m["candidate"]["id"] for m in body["matches"]]
    assert ids[0] == NEW_PARTNER  # 合作开发 wants a lab, and the university holds the heat-sink patents
    assert FIRM not in ids and "patent:led-1" not in ids  # never the poster or its own patents
    assert body["matches"][0]["matchedTerms"]
    assert assert_evidence_exists(loaded, body) >= 3
    assert any(m["kind"] == "INDUSTRY" for m in body["mentions"])
    patents = client.get(f"/api/v1/demands/{DEMAND}/matches", params={"type": "Patent"}).json()
    assert patents["matches"][0]["candidate"]["id"] == HEAT_PATENT
    ipc_paths = [p for p in patents["matches"][0]["evidence"] if p["signal"] == "ipc"]
    assert ipc_paths and ipc_paths[0]["nodes"] == [DEMAND, "ipc:F21V29/00", HEAT_PATENT]


def test_patent_demands_reverse_match(client: TestClient, loaded: GraphStore) -> None:
    body = client.get(f"/api/v1/patents/{HEAT_PATENT}/demands").json()
    ids = [m["candidate"]["id"] for m in body["matches"]]
    assert ids == [DEMAND]  # the beekeeping demand shares nothing; the closed one is not open
    assert assert_evidence_exists(loaded, body) >= 1


def test_list_open_demands(client: TestClient) -> None:
    body = client.get("/api/v1/demands").json()
    assert {d["id"] for d in body["items"]} == {DEMAND, "demand:bee"} and body["total"] == 2
    closed = client.get("/api/v1/demands", params={"status": "closed"}).json()
    assert [d["id"] for d in closed["items"]] == ["demand:closed"]
    page = client.get("/api/v1/demands", params={"limit": 1, "offset": 1}).json()
    assert len(page["items"]) == 1 and page["total"] == 2


NEW_DEMAND = {
    "title": "LED驱动电源散热",
    "description": "寻求高校合作开发大功率LED散热器",
    "poster": "ent:lamp",
    "ipcCodes": ["F21V 29/51"],
    "mode": "合作开发",
    "budget": 200000,
}


def test_post_demand_needs_an_editor_key(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.post("/api/v1/demands", json=NEW_DEMAND).status_code == 401
    r = client.post("/api/v1/demands", json=NEW_DEMAND, headers={"X-API-Key": tokens["reader"]})
    assert r.status_code == 403 and r.headers["content-type"].startswith(PROBLEM)
    assert (
        client.post("/api/v1/demands", json=NEW_DEMAND, headers={"X-API-Key": tokens["analyst"]}).status_code
        == 403
    )
    assert (
        client.post("/api/v1/demands", json=NEW_DEMAND, headers={"X-API-Key": "ig_bad_key"}).status_code
        == 401
    )


def test_post_demand_creates_node_and_posted(
    client: TestClient, loaded: GraphStore, tokens: dict[str, str]
) -> None:
    r = client.post("/api/v1/demands", json=NEW_DEMAND, headers={"X-API-Key": tokens["editor"]})
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["type"] == "TechDemand" and created["properties"]["status"] == "open"
    assert created["properties"]["ipcCodes"] == ["F21V29/51"]
    around = loaded.neighbors(created["id"], limit=50)
    assert ("POSTED", "ent:lamp") in {(n.rel.type.value, n.node.id) for n in around}
    assert ("CLASSIFIED_AS", "ipc:F21V29/00") in {(n.rel.type.value, n.node.id) for n in around}
    # The cached index follows the write: the new demand is listed and matched at once.
    assert created["id"] in {d["id"] for d in client.get("/api/v1/demands").json()["items"]}
    matches = client.get(f"/api/v1/demands/{created['id']}/matches").json()
    # 合作开发 wants a lab or a person: the university, its heat-sink inventor and the patent.
    assert {m["candidate"]["id"] for m in matches["matches"][:3]} == {NEW_PARTNER, EXPERT, HEAT_PATENT}
    assert "ent:lamp" not in {m["candidate"]["id"] for m in matches["matches"]}
    # Posting the same demand again updates the same node.
    again = client.post("/api/v1/demands", json=NEW_DEMAND, headers={"X-API-Key": tokens["editor"]})
    assert again.json()["id"] == created["id"]


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"title": "   "},
        {"mode": "白送"},
        {"ipcCodes": ["not-ipc"]},
        {"budget": -1},
        {"poster": "ent:nope"},
        {"poster": "patent:led-1"},
        {"unknown": 1},
    ],
)
def test_post_demand_rejects_bad_bodies(
    client: TestClient, tokens: dict[str, str], change: dict[str, Any]
) -> None:
    r = client.post("/api/v1/demands", json={**NEW_DEMAND, **change}, headers={"X-API-Key": tokens["editor"]})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)


def test_api_modes_match_the_matcher() -> None:
    assert set(get_args(Mode)) == set(MODES)


def test_partners_with_learned_weights_report_them(client: TestClient) -> None:
    body = client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"weights": "learned"}).json()
    hand = client.get(f"/api/v1/enterprises/{FIRM}/partners").json()
    if any("learned from the graph's own history" in n for n in body["notices"]):
        assert body["weights"] != hand["weights"] and "firm_partners" in body["weights"]
    else:  # too little dated history in the fixture: said so, and the hand-set weights reported
        assert any("hand-set weights used" in n for n in body["notices"])
        assert body["weights"] == hand["weights"]
    assert client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"weights": "magic"}).status_code == 422
