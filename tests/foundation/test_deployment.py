"""docker-compose.yml is validated by Debian's docker-compose (`config` needs no engine)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose(*args: str, password: str | None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.fail("docker-compose is not installed; `make system-deps` installs Debian's package")
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    return subprocess.run(
        [exe, "-f", str(ROOT / "docker-compose.yml"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_compose_file_is_valid_and_wires_api_to_healthy_neo4j() -> None:
    result = _compose("config", password="s3cret")
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    neo4j, api = config["services"]["neo4j"], config["services"]["api"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "healthcheck" in neo4j and neo4j["volumes"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["INNOGRAPH_STORE"] == "neo4j"
    assert api["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert (ROOT / api["build"]["context"] / "Dockerfile").exists()


def test_compose_refuses_to_start_without_a_password() -> None:
    result = _compose("config", password=None)
    assert result.returncode != 0
    assert "NEO4J_PASSWORD" in result.stderr
