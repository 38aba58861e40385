"""Hostile values at the store boundary, on both stores: data is stored verbatim as data,
names that would reach Cypher (labels, types, property keys) are refused unless allow-listed,
and a refused write changes nothing — in memory or on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.errors import ValidationError
from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from graph.validation import parse_label, parse_rel_type
from tests.contract.fixture_graph import fixture_changes
from tests.security.harness import INJECTION_PAYLOADS, ODD_STRINGS, graph_digest


def test_hostile_text_is_stored_verbatim_as_data(store: GraphStore) -> None:
    store.apply(fixture_changes())
    before = store.counts()
    cs = ChangeSet()
    texts = [t[:2_000] for t in INJECTION_PAYLOADS + ODD_STRINGS]
    for i, text in enumerate(texts):
        cs.add_node(NodeLabel.ENTERPRISE, {"id": f"ent:hostile-{i}", "name": text, "aliases": [text]})
    store.apply(cs)

    after = store.counts()
    assert after.labels["Enterprise"] == before.labels["Enterprise"] + len(texts)
    assert after.relationships == before.relationships  # no DETACH DELETE ran, nothing else moved
    for i, text in enumerate(texts):
        node = store.get_node(f"ent:hostile-{i}")
        assert node is not None and node.props["name"] == text and node.props["aliases"] == [text]


def test_hostile_ids_are_only_ids(store: GraphStore) -> None:
    store.apply(fixture_changes())
    digest = graph_digest(store)
    for node_id in [p[:200] for p in INJECTION_PAYLOADS] + ["\x00", "ent:\u202e"]:
        assert store.get_node(node_id) is None, node_id
        assert store.neighbors(node_id) == [], node_id
        assert store.delete_nodes([node_id]) == 0, node_id
    assert graph_digest(store) == digest


@pytest.mark.parametrize("name", ["Enterprise`) DETACH DELETE n //", "Entity", "$(x)", "enterprise", ""])
def test_labels_and_types_come_only_from_the_model(name: str) -> None:
    with pytest.raises(ValidationError):
        parse_label(name)
    with pytest.raises(ValidationError):
        parse_rel_type(name)


@pytest.mark.parametrize("key", ["name`}) DETACH DELETE n //", "searchText` = 1, n.x", "$(x)", "id\x00", ""])
def test_property_keys_come_only_from_the_model(key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ChangeSet().add_node(NodeLabel.ENTERPRISE, {"id": "ent:1", key: "v"})
    assert caught.value.field == key


def test_store_methods_refuse_labels_outside_the_model(store: GraphStore) -> None:
    """Neo4j must refuse before any Cypher runs; the embedded store has no query language and
    may simply find nothing. Either way nothing is read beyond the model, nothing changes."""
    store.apply(fixture_changes())
    digest = graph_digest(store)
    calls = [
        lambda bad: store.nodes(bad),
        lambda bad: store.relationships(bad),
        lambda bad: store.neighbors("ent:A", rel_types=[bad]),
    ]
    for bad in ["Enterprise`) DETACH DELETE n //", "Entity"]:
        for call in calls:
            try:
                assert call(bad) == [], bad
            except ValueError:
                pass
            else:
                assert store.kind == "embedded", f"Neo4j accepted the label or type {bad!r}"
    assert graph_digest(store) == digest


@pytest.mark.parametrize("where", ["name", "aliases", "id"])
def test_lone_surrogates_are_refused_before_any_store(where: str) -> None:
    props = {"id": "ent:1", "name": "ok"}
    if where == "aliases":
        props["aliases"] = ["\ud800"]  # type: ignore[assignment]
    else:
        props[where] = "x\udfff"
    with pytest.raises(ValidationError, match="lone surrogate"):
        ChangeSet().add_node(NodeLabel.ENTERPRISE, props)
    with pytest.raises(ValidationError, match="lone surrogate"):
        ChangeSet().add_relationship(
            RelType.APPLIED_FOR, (NodeLabel.ENTERPRISE, "ent:\ud800"), (NodeLabel.PATENT, "patent:CN1")
        )


def test_failed_persist_leaves_memory_equal_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: a write that failed while persisting used to stay visible in memory."""
    store = EmbeddedStore(tmp_path / "g.innograph")
    store.apply(fixture_changes())
    digest = graph_digest(store)

    def broken(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(EmbeddedStore, "_record", broken)
    cs = ChangeSet()
    cs.add_node(NodeLabel.ENTERPRISE, {"id": "ent:new", "name": "新"})
    with pytest.raises(RuntimeError):
        store.apply(cs)
    assert store.get_node("ent:new") is None
    assert graph_digest(store) == digest
    monkeypatch.undo()
    assert graph_digest(EmbeddedStore(tmp_path / "g.innograph")) == digest


@pytest.mark.parametrize(
    ("props", "field"),
    [
        ({"name": "名" * 2_001}, "name"),
        ({"name": "n", "aliases": ["别名" * 3_000, "另一个" * 3_000]}, "aliases"),
    ],
)
def test_values_too_large_for_neo4j_indexes_are_refused_on_both_stores(
    props: dict[str, object], field: str
) -> None:
    """Regression: a 20 000-character name passed validation, then Neo4j failed (500) on its index."""
    with pytest.raises(ValidationError) as caught:
        ChangeSet().add_node(NodeLabel.ENTERPRISE, {"id": "ent:big", **props})
    assert caught.value.field == field


def test_largest_allowed_values_are_written_by_both_stores(store: GraphStore) -> None:
    cs = ChangeSet()
    cs.add_node(
        NodeLabel.ENTERPRISE,
        {"id": "ent:big", "name": "名" * 2_000, "aliases": ["别" * 2_000] * 1, "description": "描" * 20_000},
    )
    cs.add_node(NodeLabel.PATENT, {"id": "patent:big", "number": "CN9", "title": "题" * 9_000})
    store.apply(cs)
    node = store.get_node("ent:big")
    assert node is not None and len(node.props["description"]) == 20_000
