"""Keys, roles, financial figures and rate limits."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.ratelimit import KeyedLimiter, RateLimiter
from api.schemas import FINANCIAL_PROPERTIES
from api.security import KeyStore, Role
from graph.store import GraphStore
from tests.security.harness import api_over, json_reads

#: A firm of the fixture graph that has revenue and staff figures.
FIRM = "ent:A"


def _is_firm(body: dict[str, object]) -> bool:
    firm_id = body.get("id") or body.get("enterpriseId") or body.get("firmId")
    return body.get("type") == "Enterprise" or (isinstance(firm_id, str) and firm_id.startswith("ent:"))


def _financial_keys(body: object, *, in_firm: bool = False) -> set[str]:
    """Financial property names shown for one firm anywhere in a JSON body (aggregates over a
    cluster of firms are public statistics and are not counted)."""
    found: set[str] = set()
    if isinstance(body, dict):
        in_firm = in_firm or _is_firm(body)
        for key, value in body.items():
            if in_firm and key in FINANCIAL_PROPERTIES and value is not None:
                found.add(key)
            found |= _financial_keys(value, in_firm=in_firm and key in ("properties", "firm", "node"))
    elif isinstance(body, list):
        for item in body:
            found |= _financial_keys(item, in_firm=in_firm)
    return found


def test_financial_figures_only_for_analysts_and_above(embedded_store: GraphStore, tmp_path: Path) -> None:
    """Every read operation of the schema, called as each role, on paths that lead to a firm."""
    with api_over(embedded_store, tmp_path) as api:
        seen_by_analyst: set[str] = set()
        roles = (None, Role.READER, Role.ANALYST, Role.EDITOR, Role.ADMIN)
        for op, role, body in json_reads(api, roles, q="晶辉"):
            leaked = _financial_keys(body)
            if role is None or role < Role.ANALYST:
                assert not leaked, f"{op.id} showed {leaked} to {role}"
            else:
                seen_by_analyst |= leaked
        # The test can fail: analysts do see the figures somewhere (entity lookup at least).
        assert {"revenue", "employees"} <= seen_by_analyst


def test_private_deployment_needs_a_key_for_reads(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path, public_read=False) as api:
        response = api.client.get(f"/api/v1/entities/{FIRM}")
        assert response.status_code == 401
        assert "X-API-Key" in response.json()["detail"]
        assert api.client.get(f"/api/v1/entities/{FIRM}", headers=api.headers(Role.READER)).status_code == 200


def test_unknown_revoked_and_malformed_keys_are_refused(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        token = api.keys[Role.READER]
        key_id = token.split("_")[1]
        for bad in ["ig_00000000_nope", token + "x", "ig_" + key_id, "x" * 5000, "ig__", "' OR 1=1 //"]:
            response = api.client.get(f"/api/v1/entities/{FIRM}", headers={"X-API-Key": bad})
            assert response.status_code == 401, bad
        assert api.client.get(f"/api/v1/entities/{FIRM}", headers={"X-API-Key": token}).status_code == 200
        api.app.state.keys.revoke(key_id)
        assert api.client.get(f"/api/v1/entities/{FIRM}", headers={"X-API-Key": token}).status_code == 401


def test_keys_are_stored_hashed(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "k.json")
    _, token = keys.create("web", Role.EDITOR)
    text = (tmp_path / "k.json").read_text()
    assert token not in text and token.split("_", 2)[2] not in text
    assert (tmp_path / "k.json").stat().st_mode & 0o077 == 0  # owner-only file
    principal = keys.verify(token)
    assert principal is not None and principal.role is Role.EDITOR


def test_key_admin_endpoints_need_admin(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        for role in (None, Role.READER, Role.ANALYST, Role.EDITOR):
            response = api.client.get("/api/v1/keys", headers=api.headers(role))
            assert response.status_code == (401 if role is None else 403), role
            response = api.client.post("/api/v1/keys", json={"name": "x"}, headers=api.headers(role))
            assert response.status_code == (401 if role is None else 403), role
        admin = api.headers(Role.ADMIN)
        created = api.client.post("/api/v1/keys", json={"name": "partner", "role": "analyst"}, headers=admin)
        assert created.status_code == 201
        token, key_id = created.json()["token"], created.json()["id"]
        listed = api.client.get("/api/v1/keys", headers=admin).json()
        assert key_id in {k["id"] for k in listed} and all(
            "token" not in k and "hash" not in k for k in listed
        )
        assert api.client.get(f"/api/v1/entities/{FIRM}", headers={"X-API-Key": token}).json()["properties"][
            "revenue"
        ]
        assert api.client.delete(f"/api/v1/keys/{key_id}", headers=admin).status_code == 200
        assert api.client.delete(f"/api/v1/keys/{key_id}", headers=admin).status_code == 404
        assert api.client.get(f"/api/v1/entities/{FIRM}", headers={"X-API-Key": token}).status_code == 401


def test_keys_cli_create_list_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from innograph_cli.main import app

    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "web-frontend", "--role", "editor"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("ig_")
    principal = KeyStore(tmp_path / "api-keys.json").verify(token)
    assert principal is not None and principal.role is Role.EDITOR

    listed = runner.invoke(app, ["keys", "list", "--json"])
    assert listed.exit_code == 0
    keys = json.loads(listed.stdout)
    assert [k["name"] for k in keys] == ["web-frontend"] and token not in listed.stdout

    assert runner.invoke(app, ["keys", "revoke", keys[0]["id"]]).exit_code == 0
    assert KeyStore(tmp_path / "api-keys.json").verify(token) is None
    again = runner.invoke(app, ["keys", "revoke", keys[0]["id"]])
    assert again.exit_code == 1

    for bad in [
        ["keys", "create", "x", "--role", "root"],
        ["keys", "create", "bad\nname"],
        ["keys", "create", "\x00"],
        ["keys", "revoke", "' OR 1=1 //"],
    ]:
        result = runner.invoke(app, bad)
        assert result.exit_code == 1, (bad, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_moving_window_allows_the_burst_then_the_rate() -> None:
    # 120 a minute with a burst of 2: two at once, then a slot frees after 1 s.
    limiter = KeyedLimiter(120, burst=2)
    assert [limiter.take("k") for _ in range(2)] == [0.0, 0.0]
    wait = limiter.take("k")
    assert 0 < wait <= 1.0
    assert limiter.take("other") == 0.0  # counted per caller
    time.sleep(wait + 0.05)
    assert limiter.take("k") == 0.0
    assert KeyedLimiter(0).take("k") == 0.0  # 0 turns the limit off


def test_rate_limits_answer_429_with_retry_after(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        api.app.state.rate_limiter = RateLimiter(60, 30, burst=5)
        url = f"/api/v1/entities/{FIRM}"
        statuses = [api.client.get(url, headers=api.headers(Role.READER)).status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]
        refused = api.client.get(url, headers=api.headers(Role.READER))
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.headers["content-type"].startswith("application/problem+json")
        # Another key has its own bucket; anonymous callers are limited by address.
        assert api.client.get(url, headers=api.headers(Role.ANALYST)).status_code == 200
        anonymous = [api.client.get(url).status_code for _ in range(6)]
        assert anonymous == [200] * 5 + [429]
        # Guessing keys draws on the address's bucket too.
        assert api.client.get(url, headers={"X-API-Key": "ig_0_guess"}).status_code == 429


def test_rate_limit_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOGRAPH_RATE_LIMIT", "30")
    monkeypatch.setenv("INNOGRAPH_ANON_RATE_LIMIT", "0")
    limiter = RateLimiter.from_env()
    assert limiter.keys.per_minute == 30 and not limiter.anonymous.enabled
    assert limiter.storage == "memory://"
    monkeypatch.setenv("INNOGRAPH_RATE_LIMIT_STORAGE", "nosuch://x")
    with pytest.raises(ValueError, match="INNOGRAPH_RATE_LIMIT_STORAGE"):
        RateLimiter.from_env()
    monkeypatch.delenv("INNOGRAPH_RATE_LIMIT_STORAGE")
    monkeypatch.setenv("INNOGRAPH_RATE_LIMIT", "lots")
    with pytest.raises(ValueError, match="INNOGRAPH_RATE_LIMIT"):
        RateLimiter.from_env()


def test_tokens_whose_secret_holds_underscores_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # token_urlsafe may emit "_" anywhere, even first; the secret is everything after the id.
    monkeypatch.setattr("api.security.secrets.token_urlsafe", lambda n: "_x_y_")
    keys = KeyStore(tmp_path / "k.json")
    key_id, token = keys.create("web", Role.READER)
    assert token == f"ig_{key_id}__x_y_"
    assert "_x_y_" not in (tmp_path / "k.json").read_text()
    principal = keys.verify(token)
    assert principal is not None and principal.key_id == key_id
