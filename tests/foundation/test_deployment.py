"""docker-compose.yml is validated by Debian's docker-compose (`config` needs no engine)."""

from __future__ import annotations

import os
import re
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
    result = _compose("config", password="s3cret-long")
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    neo4j, api = config["services"]["neo4j"], config["services"]["api"]
    assert neo4j["image"] == "innograph-neo4j:5.26"
    assert neo4j["build"]["dockerfile"] == "docker/neo4j.Dockerfile"
    assert "healthcheck" in neo4j and neo4j["volumes"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["INNOGRAPH_STORE"] == "neo4j"
    assert api["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert (ROOT / api["build"]["context"] / "Dockerfile").exists()


def test_compose_refuses_to_start_without_a_password() -> None:
    result = _compose("config", password=None)
    assert result.returncode != 0
    assert "NEO4J_PASSWORD" in result.stderr


def test_api_is_published_on_localhost_unless_told_otherwise() -> None:
    config = yaml.safe_load(_compose("config", password="s3cret-long").stdout)
    ports = config["services"]["api"]["ports"]
    rendered = [p if isinstance(p, str) else f"{p.get('host_ip', '')}:{p['published']}" for p in ports]
    assert all(p.startswith("127.0.0.1:") for p in rendered), rendered
    exposed = subprocess.run(
        [
            shutil.which("docker-compose") or "docker-compose",
            "-f",
            str(ROOT / "docker-compose.yml"),
            "config",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "NEO4J_PASSWORD": "s3cret-long", "INNOGRAPH_BIND": "0.0.0.0"},
        cwd=ROOT,
        timeout=60,
    )
    assert "0.0.0.0" in exposed.stdout


def test_api_loads_the_graph_on_first_start() -> None:
    config = yaml.safe_load(_compose("config", password="s3cret-long").stdout)
    api = config["services"]["api"]
    assert "innograph bootstrap &&" in " ".join(api["command"])
    assert api["environment"]["INNOGRAPH_IMPORT_DIR"] == "/import"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY build/reference ./reference" in dockerfile
    assert "INNOGRAPH_SHARED_DATA=/app/reference" in dockerfile


def test_neo4j_image_carries_the_warmup_extension_and_its_statements() -> None:
    """The image is never built here (no Docker engine): what can be checked without one is
    that it is the official 5.26 image, compiles the extension's sources, and points the
    extension at the committed statements file, every path it copies being in the repository."""
    dockerfile = (ROOT / "docker" / "neo4j.Dockerfile").read_text()
    assert dockerfile.count("FROM neo4j:5.26-community") == 2  # the jars it compiles against, and the base
    assert "ENV INNOGRAPH_WARMUP_FILE=/innograph/warmup-statements.json" in dockerfile
    assert "COPY scripts/neo4j/warmup/statements.json /innograph/warmup-statements.json" in dockerfile
    for source in re.findall(r"^COPY (?!--from)(\S+)", dockerfile, flags=re.M):
        assert (ROOT / source).exists(), source
    assert not any(
        line.strip().startswith(("scripts", "docker"))
        for line in (ROOT / ".dockerignore").read_text().splitlines()
    )


@pytest.mark.parametrize(("password", "ok"), [("x", False), ("1234567", False), ("12345678", True)])
def test_neo4j_entrypoint_checks_the_password_length(password: str, ok: bool) -> None:
    config = yaml.safe_load(_compose("config", password=password).stdout)
    assert config["services"]["neo4j"]["entrypoint"] == ["/innograph/neo4j-start.sh"]
    result = subprocess.run(
        ["sh", str(ROOT / "docker" / "neo4j-start.sh"), "neo4j"],
        capture_output=True,
        text=True,
        env={"NEO4J_AUTH": f"neo4j/{password}", "NEO4J_ENTRYPOINT": "/bin/echo", "PATH": os.environ["PATH"]},
        timeout=10,
    )
    if ok:
        assert result.returncode == 0 and result.stdout.strip() == "neo4j"  # hands over to Neo4j
    else:
        assert result.returncode == 64
        assert f"is {len(password)} characters; Neo4j 5 needs at least 8" in result.stderr


def test_reference_bundle_carries_reference_lists_only(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "reference_bundle", ROOT / "scripts" / "reference_bundle.py"
    )
    assert spec is not None and spec.loader is not None
    bundle = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bundle)
    assert not any(name.startswith("real-") or "patents" in name for name in bundle.FOLDERS)
    source = Path(os.environ.get("INNOGRAPH_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not source.is_dir():
        pytest.skip(f"no shared data at {source}")
    copied = bundle.bundle(source, tmp_path / "reference")
    assert sorted(p.name for p in copied) == sorted(bundle.FOLDERS)
    assert all((p / "PROVENANCE.md").exists() for p in copied)
    from ingest.reference import reference_changes

    changes = reference_changes(tmp_path / "reference")  # everything the loader needs is there
    assert changes.node_count > 3000
