"""scripts/neo4j_local.py: a stable port per instance, a heap sized to the machine."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import neo4j_local


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(neo4j_local, "CACHE", tmp_path)
    monkeypatch.delenv("NEO4J_LOCAL_PORT", raising=False)
    return tmp_path


def test_the_port_is_chosen_once_and_reused(cache: Path) -> None:
    first = neo4j_local.choose_port("dev")
    assert (cache / "dev" / "port").read_text().strip() == str(first)
    assert neo4j_local.choose_port("dev") == first  # a restart keeps NEO4J_URI right
    neo4j_local.choose_port("other")  # other instances record their own
    assert (cache / "other" / "port").exists()


def test_explicit_port_and_variable_win_and_are_recorded(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert neo4j_local.choose_port("dev", 45678) == 45678
    assert neo4j_local.choose_port("dev") == 45678
    monkeypatch.setenv("NEO4J_LOCAL_PORT", "45679")
    assert neo4j_local.choose_port("dev") == 45679


def test_a_taken_recorded_port_is_replaced_with_a_warning(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = neo4j_local.choose_port("dev")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", recorded))
        holder.listen()
        again = neo4j_local.choose_port("dev")
    assert again != recorded
    assert "is taken" in capsys.readouterr().err


def test_heap_is_sized_to_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_LOCAL_HEAP", raising=False)
    monkeypatch.setattr(neo4j_local, "_machine_memory", lambda: 2 * 2**30)
    assert neo4j_local.default_heap() == "512m"  # a small machine: the floor
    monkeypatch.setattr(neo4j_local, "_machine_memory", lambda: 8 * 2**30)
    assert neo4j_local.default_heap() == "1024m"
    monkeypatch.setattr(neo4j_local, "_machine_memory", lambda: 64 * 2**30)
    assert neo4j_local.default_heap() == "2048m"  # the cap
    monkeypatch.setenv("NEO4J_LOCAL_HEAP", "3g")
    assert neo4j_local.default_heap() == "3g"
    assert neo4j_local.initial_heap("2g") == "256m" and neo4j_local.initial_heap("128m") == "128m"
    assert "-XX:+AlwaysPreTouch" not in neo4j_local.JVM_OPTIONS  # no 2.5 GB resident at start
