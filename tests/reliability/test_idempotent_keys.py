"""``Idempotency-Key`` on ``POST /api/v1/keys`` (issue #17): an admin whose key creation got a
503 or no answer retries with the same key; the retry returns the first answer and writes
nothing. Before, a retry made a second key.

The first answer holds a secret (the new key's token, shown once), so a replay must not hand it
to anyone else: the token is derived from the creating admin's own token (never stored), and
the lookup is scoped to that admin key — another admin with the same idempotency key string
makes a key of their own and never sees the first one's token. The key routes do not touch the
graph, but the app is run over both stores all the same (the `store` fixture).
"""

from __future__ import annotations

import json
from pathlib import Path

from api.idempotency import HEADER, REPLAYED_HEADER
from api.security import Role
from graph.store import GraphStore
from tests.security.harness import api_over

BODY = {"name": "合作伙伴门户", "role": "editor"}


def _key_file(tmp_path: Path) -> bytes:
    return (tmp_path / "api-keys.json").read_bytes()


def test_a_retry_returns_the_first_key_and_token_and_writes_nothing(
    store: GraphStore, tmp_path: Path
) -> None:
    with api_over(store, tmp_path) as api:
        headers = {**api.headers(Role.ADMIN), HEADER: "0b5e-create-portal-key"}
        first = api.client.post("/api/v1/keys", json=BODY, headers=headers)
        assert first.status_code == 201, first.text
        assert REPLAYED_HEADER not in first.headers
        token = first.json()["token"]
        # The minted key works, and only its hash is on disk, as for every key.
        assert api.client.get("/api/v1/demands", headers={"X-API-Key": token}).status_code == 200
        on_disk = _key_file(tmp_path)
        assert token.encode() not in on_disk
        assert HEADER.encode() not in on_disk and b"0b5e-create-portal-key" not in on_disk
        for _ in range(3):  # the admin never saw ``first`` (a 503 from a proxy, a timeout)
            retry = api.client.post("/api/v1/keys", json=BODY, headers=headers)
            assert retry.status_code == 201, retry.text
            assert retry.headers[REPLAYED_HEADER] == "true"
            assert retry.json() == first.json()  # token included: same admin key, same request
        assert _key_file(tmp_path) == on_disk, "a replay wrote to the key file"
        listed = api.client.get("/api/v1/keys", headers=api.headers(Role.ADMIN)).json()
        assert [k["name"] for k in listed].count(BODY["name"]) == 1
        assert all("idempotency" not in k and "hash" not in k for k in listed)
        # The same key with another body: refused, nothing written.
        other = api.client.post("/api/v1/keys", json={**BODY, "role": "admin"}, headers=headers)
        assert other.status_code == 422 and HEADER in other.text, other.text
        assert _key_file(tmp_path) == on_disk
        # A new idempotency key is a new API key, with a token of its own.
        again = api.client.post("/api/v1/keys", json=BODY, headers={**headers, HEADER: "0b5e-2"})
        assert again.status_code == 201 and REPLAYED_HEADER not in again.headers
        assert again.json()["id"] != first.json()["id"] and again.json()["token"] != token


def test_a_replay_never_shows_the_token_to_another_admin(store: GraphStore, tmp_path: Path) -> None:
    with api_over(store, tmp_path) as api:
        alice = {**api.headers(Role.ADMIN), HEADER: "shared-key-1"}
        bob = {"X-API-Key": api.app.state.keys.create("admin-2", Role.ADMIN)[1], HEADER: "shared-key-1"}
        a = api.client.post("/api/v1/keys", json=BODY, headers=alice)
        b = api.client.post("/api/v1/keys", json=BODY, headers=bob)
        assert a.status_code == b.status_code == 201, (a.text, b.text)
        # Bob's request with the same string is his own first attempt, not a replay of Alice's.
        assert REPLAYED_HEADER not in b.headers
        assert b.json()["id"] != a.json()["id"] and b.json()["token"] != a.json()["token"]
        assert a.json()["token"] not in b.text
        # Non-admins never get as far as the key: no replay, no token.
        for role in (Role.EDITOR, Role.READER):
            refused = api.client.post(
                "/api/v1/keys", json=BODY, headers={**api.headers(role), HEADER: "shared-key-1"}
            )
            assert refused.status_code == 403 and a.json()["token"] not in refused.text
        # Each admin's retry gets their own key back.
        assert api.client.post("/api/v1/keys", json=BODY, headers=alice).json() == a.json()
        assert api.client.post("/api/v1/keys", json=BODY, headers=bob).json() == b.json()


def test_malformed_keys_are_refused_and_no_key_means_a_new_key(store: GraphStore, tmp_path: Path) -> None:
    with api_over(store, tmp_path) as api:
        admin = api.headers(Role.ADMIN)
        before = _key_file(tmp_path)
        for bad in ("", " ", "a" * 256, "键".encode(), "two words", "tab\there"):
            refused = api.client.post(
                "/api/v1/keys",
                json=BODY,
                headers={**admin, HEADER: bad},  # type: ignore[dict-item]
            )
            assert refused.status_code == 400, (bad, refused.text)
        assert _key_file(tmp_path) == before
        # Without the header a POST behaves as before: every call is a new key.
        ids = {api.client.post("/api/v1/keys", json=BODY, headers=admin).json()["id"] for _ in range(2)}
        assert len(ids) == 2
        names = [r["name"] for r in json.loads(_key_file(tmp_path)).values()]
        assert names.count(BODY["name"]) == 2
