"""`innograph bootstrap`, the first-start loader of the compose file: loads the user's specs
(else the demo) once, and leaves a loaded graph alone — tested without Docker, on the
embedded store and against the local Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.model import NodeLabel
from graph.store import GraphStore

PARKS = "园区名称,园区类型\n东丽经济技术开发区,国家级开发区\n华明高新技术产业区,高新区\n"
SPEC = """[source]
name = "user_parks"
file = "parks.csv"

[row]
label = "Park"
key = "name"

[columns.name]
headers = ["园区名称"]
type = "str"
required = true

[columns.kind]
headers = ["园区类型"]
"""


def _import_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "parks.csv").write_text(PARKS, encoding="utf-8")
    (folder / "parks.toml").write_text(SPEC, encoding="utf-8")
    return folder


def _run(*args: str) -> tuple[int, str]:
    from innograph_cli.main import app

    result = CliRunner().invoke(app, ["bootstrap", *args])
    return result.exit_code, result.output


def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, uri: str | None) -> None:
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("INNOGRAPH_IMPORT_DIR", raising=False)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    if uri is None:
        monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
        monkeypatch.delenv("NEO4J_URI", raising=False)
    else:
        monkeypatch.setenv("INNOGRAPH_STORE", "neo4j")
        monkeypatch.setenv("NEO4J_URI", uri)


def test_user_specs_are_loaded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.embedded import EmbeddedStore

    _env(monkeypatch, tmp_path, None)
    folder = _import_dir(tmp_path)
    code, out = _run("--import", str(folder), "--no-reference")
    assert code == 0, out
    store_path = tmp_path / "data" / "graph.innograph"
    names = {n.props["name"] for n in EmbeddedStore(store_path).nodes(NodeLabel.PARK)}
    assert names == {"东丽经济技术开发区", "华明高新技术产业区"}
    version = EmbeddedStore(store_path).version()
    code, out = _run("--import", str(folder), "--no-reference")
    assert code == 0 and "nothing to do" in out
    assert EmbeddedStore(store_path).version() == version  # not a single write the second time


def test_an_interrupted_load_runs_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A graph without the marker (the loader died part-way) is loaded again — safely, since
    ingest merges by id."""
    from graph.embedded import EmbeddedStore

    _env(monkeypatch, tmp_path, None)
    folder = _import_dir(tmp_path)
    assert _run("--import", str(folder), "--no-reference")[0] == 0
    (tmp_path / "data" / "bootstrap.json").unlink()
    code, out = _run("--import", str(folder), "--no-reference")
    assert code == 0 and "loading" in out
    assert len(EmbeddedStore(tmp_path / "data" / "graph.innograph").nodes(NodeLabel.PARK)) == 2


def test_a_short_neo4j_password_is_refused_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, tmp_path, None)
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    code, out = _run("--no-reference")
    assert code == 1 and "at least 8" in out
    assert not (tmp_path / "data" / "graph.innograph").exists()


@pytest.mark.neo4j
@pytest.mark.slow
def test_demo_bootstrap_on_neo4j_is_idempotent(
    neo4j_uri: str, neo4j_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env(monkeypatch, tmp_path, neo4j_uri)
    neo4j_store.clear()
    code, out = _run("--no-reference", "--scale", "1")
    assert code == 0, out
    loaded = neo4j_store.counts()
    assert loaded.labels["Enterprise"] > 100  # the demo, not an empty graph
    version = neo4j_store.version()
    code, out = _run("--no-reference", "--scale", "1")
    assert code == 0 and "nothing to do" in out
    assert neo4j_store.version() == version and neo4j_store.counts() == loaded
