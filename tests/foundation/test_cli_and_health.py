"""The command line and the API's health endpoint, on both stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from graph.store import GraphStore
from innograph_cli.main import app as cli
from tests.contract.fixture_graph import fixture_changes


def test_stats_json_counts_labels_and_types(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.embedded import EmbeddedStore

    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("INNOGRAPH_STORE", raising=False)
    EmbeddedStore(tmp_path / "graph.innograph").apply(fixture_changes())
    result = CliRunner().invoke(cli, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["store"] == "embedded"
    assert data["labels"]["Enterprise"] == 2
    assert data["relationships"]["APPLIED_FOR"] == 3


def test_stats_on_neo4j(neo4j_store: GraphStore, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    neo4j_store.apply(fixture_changes())
    monkeypatch.setenv("INNOGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    result = CliRunner().invoke(cli, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["labels"]["University"] == 1


def test_unreachable_neo4j_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")  # discard port: nothing listens
    result = CliRunner().invoke(cli, ["stats", "--json"])
    assert result.exit_code == 1
    assert "unreachable" in result.output


def test_store_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.config import Settings

    monkeypatch.setenv("INNOGRAPH_STORE", "sqlite")
    with pytest.raises(ValueError, match="INNOGRAPH_STORE must be"):
        Settings.from_env()
    monkeypatch.setenv("INNOGRAPH_STORE", "neo4j")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(ValueError, match="needs NEO4J_URI"):
        Settings.from_env()


def test_healthz_reports_the_store(store: GraphStore) -> None:
    client = TestClient(create_app(store))
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["store"] == store.kind


def test_entities_endpoints(store: GraphStore) -> None:
    store.apply(fixture_changes())
    client = TestClient(create_app(store))
    hits = client.get("/api/v1/entities", params={"q": "UNIV TIANJIN"}).json()
    assert hits["items"][0]["id"] == "uni:4112010056"
    firm = client.get("/api/v1/entities/ent:A").json()
    assert firm["type"] == "Enterprise" and "revenue" not in firm["properties"]  # anonymous: no financials
    around = client.get("/api/v1/entities/patent:CN1/neighbors").json()
    assert {n["node"]["id"] for n in around} == {"ent:A", "uni:4112010056", "ipc:H01L33/00", "person:1"}
    missing = client.get("/api/v1/entities/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/entities", params={"q": "x", "type": "Nope"}).status_code == 422
