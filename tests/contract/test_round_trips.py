"""Property tests of the store's round trips, on both stores (the ``store`` fixture):

* a ChangeSet's node, applied and read back, is the node that went in (every typed property);
* the embedded store's journal, replayed on reopening, rebuilds exactly the graph that was live.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graph.embedded
from graph.backup import DERIVED_PROPERTIES
from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.store import GraphStore

#: Chinese and Latin letters, digits and the punctuation firm names carry.
_NAME_CHARS = st.characters(codec="utf-8", categories=("Lo", "Lu", "Ll", "Nd"), max_codepoint=0x9FFF)
names = st.text(_NAME_CHARS, min_size=1, max_size=30)
amounts = st.floats(min_value=0, max_value=1e13, allow_nan=False, allow_infinity=False)
keys = st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True)


@st.composite
def enterprises(draw: st.DrawFn) -> dict[str, Any]:
    """An Enterprise as ingest would write one: only valid values, optional fields left out."""
    props: dict[str, Any] = {"id": f"ent:{draw(keys)}", "name": draw(names)}
    optional = {
        "revenue": amounts,
        "employees": st.integers(min_value=0, max_value=2_000_000),
        "techSme": st.booleans(),
        "aliases": st.lists(names, max_size=4, unique=True),
        "revenueYears": st.lists(st.integers(min_value=1990, max_value=2030), max_size=5, unique=True),
        "revenueSeries": st.lists(amounts, max_size=5),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            props[key] = draw(strategy)
    return props


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    firm=enterprises(),
    patent=st.fixed_dictionaries({"id": keys.map("patent:{}".format), "title": names}),
    order=st.integers(min_value=1, max_value=50),
)
def test_a_node_reads_back_as_it_was_written(
    store: GraphStore, firm: dict[str, Any], patent: dict[str, Any], order: int
) -> None:
    store.clear()
    changes = ChangeSet()
    changes.add_node(L.ENTERPRISE, firm)
    changes.add_node(L.PATENT, patent)
    changes.add_relationship(
        R.APPLIED_FOR, (L.ENTERPRISE, firm["id"]), (L.PATENT, patent["id"]), {"order": order}
    )
    store.apply(changes)
    node = store.get_node(firm["id"])
    assert node is not None and node.label is L.ENTERPRISE and node.name == firm["name"]
    # The store adds what it derives (searchText, for search); everything written comes back.
    stored = {k: v for k, v in node.props.items() if k not in DERIVED_PROPERTIES}
    assert stored == changes.nodes[L.ENTERPRISE][firm["id"]]
    assert [(n.rel.type, n.node.id, n.rel.props) for n in store.neighbors(firm["id"])] == [
        (R.APPLIED_FOR, patent["id"], {"order": order})
    ]


#: One step of a history: upsert a firm (by key), or delete one.
_steps = st.lists(
    st.one_of(
        st.tuples(st.just("upsert"), enterprises()),
        st.tuples(st.just("delete"), keys.map("ent:{}".format)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(steps=_steps, fold=st.booleans())
def test_reopening_replays_the_journal_to_the_live_graph(
    steps: list[tuple[str, Any]], fold: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """``fold``: every write also folds the journal into the snapshot (or none does, so reopening
    replays the whole history from the journal)."""
    path: Path = tmp_path_factory.mktemp("replay") / "graph.innograph"
    saved = graph.embedded.MIN_JOURNAL_BYTES
    graph.embedded.MIN_JOURNAL_BYTES = 1 if fold else 1 << 40
    try:
        live = EmbeddedStore(path)
        for kind, arg in steps:
            if kind == "upsert":
                changes = ChangeSet()
                changes.add_node(L.ENTERPRISE, arg)
                live.apply(changes)
            else:
                live.delete_nodes([arg])
        expected, version = list(live.iter_all()), live.version()
        live.close()
        reopened = EmbeddedStore(path)
        assert list(reopened.iter_all()) == expected
        assert reopened.version() == version
        reopened.close()
    finally:
        graph.embedded.MIN_JOURNAL_BYTES = saved
