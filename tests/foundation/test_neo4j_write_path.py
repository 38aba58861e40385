"""The Neo4j write path: the merge statements' plans and the driver's codec.

Both are about bulk-load speed on a small machine (docs/benchmarks/ingest.md); the figures
live in the benchmark, these tests pin the properties that produce them.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.cypher_catalog import render
from graph.model import ORGANIZATION_LABELS, REL_SPECS, NodeLabel
from graph.neo4j_store import ENTITY_LABEL, ORGANIZATION_LABEL, Neo4jStore

pytestmark = pytest.mark.neo4j


def _operators(plan: Any) -> list[str]:
    return [plan["operatorType"].split("@")[0]] + [
        op for child in plan.get("children", []) for op in _operators(child)
    ]


def _node_statements() -> list[str]:
    return [
        render(
            "merge_nodes",
            label=label,
            extra_labels=(ENTITY_LABEL, ORGANIZATION_LABEL)
            if label in ORGANIZATION_LABELS
            else (ENTITY_LABEL,),
        )
        for label in NodeLabel
    ]


def _relationship_statements() -> list[str]:
    return [
        render("merge_relationships", start_label=start, end_label=end, rel_type=rel_type)
        for rel_type, spec in REL_SPECS.items()
        for start in sorted(spec.start)
        for end in sorted(spec.end)
    ]


def _plan(store: Neo4jStore, statement: str) -> list[str]:
    with store._driver.session(database=store.database) as session:
        summary = session.run("EXPLAIN " + statement, rows=[]).consume()
    assert summary.plan is not None
    return _operators(summary.plan)


def test_node_merge_plans_have_no_eager(neo4j_store: Neo4jStore) -> None:
    # An Eager operator materialises the whole batch before the next step: separate SET
    # clauses after MERGE brought three of them, and with them a slower, hungrier load.
    for statement in _node_statements():
        operators = _plan(neo4j_store, statement)
        assert "Eager" not in operators, statement.splitlines()[10]
        assert "NodeUniqueIndexSeek(Locking)" in operators


def test_relationship_merge_plans_have_at_most_one_eager(neo4j_store: Neo4jStore) -> None:
    # `r += row.props` writes keys the planner cannot see, so it keeps one Eager after the
    # endpoint look-ups; every other write sits inside ON CREATE / ON MATCH.
    for statement in _relationship_statements():
        operators = _plan(neo4j_store, statement)
        assert operators.count("Eager") <= 1, statement.splitlines()[8]
        assert operators.count("NodeUniqueIndexSeek(Locking)") == 2


def test_health_reports_the_rust_codec(neo4j_store: Neo4jStore) -> None:
    # neo4j-rust-ext is a declared dependency; without it every bulk write costs the client
    # ~3x the CPU, which on two cores the server pays for.
    assert neo4j_store.health()["driverCodec"] == "rust"


def test_no_unique_index_is_kept_twice(neo4j_store: Neo4jStore) -> None:
    # Every Organization is an Entity and nothing looks one up by that label: a constraint on
    # it would be one more unique index to maintain per organisation written (~5 % of a load).
    neo4j_store.ensure_schema()
    with neo4j_store._driver.session(database=neo4j_store.database) as session:
        constrained = [
            row["labelsOrTypes"] for row in session.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties")
        ]
    assert ["Entity"] in constrained and ["Enterprise"] in constrained
    assert ["Organization"] not in constrained
