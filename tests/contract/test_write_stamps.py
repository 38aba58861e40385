"""Write stamps (``graph.stamps``) on both stores: the version of the last write per label and
relationship type, and ``*`` for deletes and clears — what keys the monitor series' cache."""

from __future__ import annotations

import pytest

from graph.changeset import ChangeSet
from graph.errors import ValidationError
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.stamps import ANY, inputs_version
from graph.store import GraphStore


def test_each_write_stamps_what_it_touched(store: GraphStore) -> None:
    start = store.write_stamps()
    cs = ChangeSet()
    cs.add_node(L.ENTERPRISE, {"id": "ent:1", "name": "甲"})
    cs.add_node(L.PARK, {"id": "park:1", "name": "园区"})
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, "ent:1"), (L.PARK, "park:1"))
    store.apply(cs)
    v1 = store.version()
    cs = ChangeSet()
    cs.add_node(L.TECH_DEMAND, {"id": "demand:1", "title": "求购"})
    store.apply(cs)
    v2 = store.version()
    stamps = store.write_stamps()
    assert {
        k: stamps[k] for k in ("label:Enterprise", "label:Park", "rel:LOCATED_IN", "label:TechDemand")
    } == {
        "label:Enterprise": v1,
        "label:Park": v1,
        "rel:LOCATED_IN": v1,
        "label:TechDemand": v2,
    }
    # Untouched keys keep what earlier writes stamped (a Neo4j test store keeps them over clears).
    assert all(stamps.get(k, 0) == start.get(k, 0) for k in ("label:Patent", "rel:LISTED_IN", ANY))
    # The firms' inputs did not move with the demand; anything reading demands did.
    assert inputs_version(store, [L.ENTERPRISE, L.PARK], [R.LOCATED_IN]) == v1
    assert inputs_version(store, [L.TECH_DEMAND], []) == v2
    # A failed write stamps nothing.
    bad = ChangeSet()
    bad.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, "ent:missing"), (L.PARK, "park:1"))
    with pytest.raises(ValidationError):
        store.apply(bad)
    assert store.write_stamps() == stamps
    # A delete may take any relationship with it: everything's inputs move.
    assert store.delete_nodes(["demand:1"]) == 1
    assert inputs_version(store, [L.ENTERPRISE], []) == store.version() > v2
    store.clear()
    assert store.write_stamps()[ANY] == store.version()
