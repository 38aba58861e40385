"""Export and import: the round trip is identical on each store and from one store to the other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.backup import BackupError, export_graph, import_graph
from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel, RelType
from graph.records import Node, Relationship
from graph.store import GraphStore
from tests.contract.fixture_graph import fixture_changes


def dump(store: GraphStore) -> list[Node | Relationship]:
    return list(store.iter_all())


def hostile_changes() -> ChangeSet:
    """Values a careless serialiser would mangle: quotes, newlines, NUL, RTL marks, astral chars."""
    cs = fixture_changes()
    cs.add_node(
        NodeLabel.ENTERPRISE,
        {
            "id": "ent:odd\"'`\n",
            "name": "天津\u202e反向\u0000公司\U0001f600e\u0301",
            "aliases": ["a\tb", "}) DETACH DELETE n //"],
            "revenue": 0.1 + 0.2,
            "employees": 2**62,
            "revenueSeries": [1.0, 2.5, 1e300],
            "sources": ["s1", "s2"],
            "records": ["f.csv#1"],
        },
    )
    cs.add_relationship(
        RelType.APPLIED_FOR,
        (NodeLabel.ENTERPRISE, "ent:odd\"'`\n"),
        (NodeLabel.PATENT, "patent:CN1"),
        {"sources": ["patents"]},
    )
    return cs


def files_of(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*.jsonl"))}


def test_round_trip_on_each_store(store: GraphStore, tmp_path: Path) -> None:
    store.apply(hostile_changes())
    before = dump(store)
    summary = export_graph(store, tmp_path / "export")
    assert summary.nodes == sum(1 for x in before if isinstance(x, Node))
    assert summary.edges == sum(1 for x in before if isinstance(x, Relationship))

    store.clear()
    assert dump(store) == []
    import_graph(store, tmp_path / "export")

    assert dump(store) == before
    # Exporting the restored graph gives byte-identical files.
    export_graph(store, tmp_path / "again")
    assert files_of(tmp_path / "again") == files_of(tmp_path / "export")


def test_provenance_is_in_the_export(embedded_store: GraphStore, tmp_path: Path) -> None:
    embedded_store.apply(fixture_changes())
    export_graph(embedded_store, tmp_path / "x")
    lines = (tmp_path / "x" / "nodes" / "Enterprise.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert first["id"] == "ent:A"
    assert first["props"]["sources"] == ["registry"]
    assert first["props"]["records"] == ["registry.csv#2"]
    assert first["props"]["ingestRuns"] == ["run:1"]
    assert "searchText" not in first["props"]
    manifest = json.loads((tmp_path / "x" / "manifest.json").read_text())
    assert manifest["counts"]["labels"]["Enterprise"] == len(lines)
    assert manifest["files"]["nodes/Enterprise.jsonl"]["count"] == len(lines)


@pytest.mark.parametrize("direction", ["embedded->neo4j", "neo4j->embedded"])
def test_round_trip_across_stores(
    direction: str, embedded_store: GraphStore, neo4j_store: GraphStore, tmp_path: Path
) -> None:
    source, target = (
        (embedded_store, neo4j_store) if direction.startswith("embedded") else (neo4j_store, embedded_store)
    )
    source.apply(hostile_changes())
    export_graph(source, tmp_path / "export")
    import_graph(target, tmp_path / "export", replace=True)
    assert dump(target) == dump(source)
    export_graph(target, tmp_path / "back")
    assert files_of(tmp_path / "back") == files_of(tmp_path / "export")


def test_import_replace_drops_what_was_there(store: GraphStore, tmp_path: Path) -> None:
    store.apply(fixture_changes())
    export_graph(store, tmp_path / "export")
    before = dump(store)
    extra = ChangeSet()
    extra.add_node(NodeLabel.ENTERPRISE, {"id": "ent:extra", "name": "多余公司"})
    store.apply(extra)

    import_graph(store, tmp_path / "export")  # merge: the extra node stays
    assert store.get_node("ent:extra") is not None
    import_graph(store, tmp_path / "export", replace=True)
    assert dump(store) == before


@pytest.mark.parametrize(
    "damage",
    ["edit-line", "truncate", "drop-file", "no-manifest", "bad-record"],
)
def test_damaged_export_is_refused_before_any_write(damage: str, store: GraphStore, tmp_path: Path) -> None:
    store.apply(fixture_changes())
    export_graph(store, tmp_path / "export")
    target = tmp_path / "export" / "nodes" / "Enterprise.jsonl"
    if damage == "edit-line":
        target.write_bytes(target.read_bytes().replace("晶辉".encode(), "晶晖".encode()))
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:-7])
    elif damage == "drop-file":
        target.unlink()
    elif damage == "no-manifest":
        (tmp_path / "export" / "manifest.json").unlink()
    elif damage == "bad-record":
        # A record that does not fit the model, with a manifest that vouches for it.
        bad = json.dumps({"id": "ent:x", "props": {"revenue": "lots", "id": "ent:x"}}).encode() + b"\n"
        target.write_bytes(target.read_bytes() + bad)
        manifest_path = tmp_path / "export" / "manifest.json"
        manifest = json.loads(manifest_path.read_text())
        import hashlib

        entry = manifest["files"]["nodes/Enterprise.jsonl"]
        entry["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
        entry["count"] += 1
        manifest_path.write_text(json.dumps(manifest))
    store.clear()
    with pytest.raises(BackupError) as caught:
        import_graph(store, tmp_path / "export", replace=True)
    assert "Enterprise.jsonl" in str(caught.value) or "manifest.json" in str(caught.value)
    if damage == "bad-record":
        assert "revenue" in str(caught.value)
    assert dump(store) == []  # nothing was written, not even the --replace clear


def test_export_refuses_a_non_empty_directory(embedded_store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(BackupError, match="not empty"):
        export_graph(embedded_store, tmp_path / "x")
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_cli_export_and_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from innograph_cli.main import app

    monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path / "a"))
    source = EmbeddedStore(tmp_path / "a" / "graph.innograph")
    source.apply(hostile_changes())
    runner = CliRunner()

    result = runner.invoke(app, ["export", str(tmp_path / "export")])
    assert result.exit_code == 0, result.output
    nodes = sum(1 for x in dump(source) if isinstance(x, Node))
    assert f"exported {nodes} nodes" in result.output

    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path / "b"))
    result = runner.invoke(app, ["import", str(tmp_path / "export"), "--replace"])
    assert result.exit_code == 0, result.output
    assert dump(EmbeddedStore(tmp_path / "b" / "graph.innograph")) == dump(source)

    result = runner.invoke(app, ["import", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "manifest.json is missing" in " ".join(result.output.split())
