"""The match index keeps no copy of the projection (issue #14: ≤ 4 GiB at ×100).

It keeps its own typed adjacency and the few properties queries read; the projection it was
built from is freed, evidence paths are checked against the same relationships, and responses
show their entities whole from the store (the API) or from the nodes saved with the index (the
CLI). docs/benchmarks/matchmaking.md has the sizes.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import subprocess
import sys
import weakref
from functools import cache
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from api.schemas.entities import entity_public
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from match import disk_cache
from match.demands import match_demand
from match.index import MatchIndex
from match.node_fields import BUILD_READS, KEPT, KEPT_BY_LABEL
from match.partners import PartnerQuery, find_partners
from tests.match.fixture import DEMAND, FIRM, HEAT_PATENT, NEW_PARTNER, matching_changes
from text.pipeline import get_nlp

ROOT = Path(__file__).resolve().parents[2]


def _projection() -> nx.MultiDiGraph:
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    return store.projection()


@cache
def _built() -> tuple[nx.MultiDiGraph, MatchIndex]:
    graph = _projection()
    return graph, MatchIndex.from_graph(graph, get_nlp())


@pytest.fixture
def built() -> tuple[nx.MultiDiGraph, MatchIndex]:
    return _built()


def test_the_built_index_frees_its_projection() -> None:
    graph = _projection()
    gone = weakref.ref(graph)
    index = MatchIndex.from_graph(graph, get_nlp())
    del graph
    gc.collect()
    assert gone() is None  # the old index kept it as index.graph
    assert index.name(NEW_PARTNER) == "天津大学"  # and still answers from its own fields


def test_its_adjacency_is_the_projections_relationships(built: tuple[nx.MultiDiGraph, MatchIndex]) -> None:
    graph, index = built
    assert sorted(index.adjacency.edges()) == sorted(graph.edges(keys=True))
    assert len(index.adjacency) == graph.number_of_edges()


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_has_edge_agrees_with_networkx(data: st.DataObject) -> None:
    graph, index = _built()
    nodes = sorted(graph.nodes)
    u = data.draw(st.sampled_from(nodes))
    # Half the draws from u's actual neighbours, so that true answers are tested too.
    near = sorted(set(graph.successors(u)) | set(graph.predecessors(u))) or nodes
    v = data.draw(st.one_of(st.sampled_from(nodes), st.sampled_from(near)))
    rel = data.draw(st.sampled_from(list(RelType)))
    assert index.has_edge(u, v, rel) == graph.has_edge(u, v, key=rel)
    assert sorted(index.out(u, rel)) == sorted(w for _, w, k in graph.out_edges(u, keys=True) if k == rel)
    assert sorted(index.into(u, rel)) == sorted(w for w, _, k in graph.in_edges(u, keys=True) if k == rel)


def test_it_keeps_the_properties_queries_read_and_no_more(built: tuple[nx.MultiDiGraph, MatchIndex]) -> None:
    graph, index = built
    for node, attrs in graph.nodes(data=True):
        wanted = KEPT_BY_LABEL.get(attrs["label"], KEPT)  # an industry's keywords, a demand's texts
        assert index.props(node) == {k: v for k, v in attrs.items() if k in wanted}
        assert index.name(node) == str(attrs.get("name") or attrs.get("title") or attrs.get("code") or node)
    assert "revenue" not in index.props(FIRM) and "searchText" not in index.props(NEW_PARTNER)
    assert index.props(DEMAND)["description"].startswith("我司LED照明模组")
    assert "budget" not in index.props(DEMAND)


def test_an_index_built_from_only_the_properties_it_reads_answers_alike(
    built: tuple[nx.MultiDiGraph, MatchIndex],
) -> None:
    """``BUILD_READS`` is every property the build reads: a projection limited to them (what
    ``store.projection(properties=...)`` is for) gives the same index answers."""
    graph, whole = built
    narrow = graph.copy()
    for _, attrs in narrow.nodes(data=True):
        for key in [k for k in attrs if k != "label" and k not in BUILD_READS]:
            del attrs[key]
    index = MatchIndex.from_graph(narrow, get_nlp())
    everyone = tuple(NodeLabel(t) for t in ("University", "ResearchInstitute", "Person", "Enterprise"))
    for firm in [a for a in whole.actors if whole.label[a] == NodeLabel.ENTERPRISE]:
        query = PartnerQuery(firm, types=everyone)
        assert find_partners(index, query) == find_partners(whole, query)
    for demand in whole.open_demands:
        assert match_demand(index, demand) == match_demand(whole, demand)
    assert [index.props(n) for n in whole.label] == [whole.props(n) for n in whole.label]


def test_partner_response_shows_candidates_whole_from_the_store(
    loaded: GraphStore, client: TestClient, tokens: dict[str, str]
) -> None:
    body = client.get(f"/api/v1/enterprises/{FIRM}/partners", headers={"X-API-Key": tokens["analyst"]}).json()
    shown = [body["enterprise"], *(m["candidate"] for m in body["matches"] + body["existingPartners"])]
    assert len(shown) > 2
    for entity in shown:
        stored = loaded.get_node(entity["id"])
        assert stored is not None
        assert entity["properties"] == entity_public(stored, financials=True).properties
    assert body["enterprise"]["properties"]["employees"] == 180  # not a field matchmaking keeps


def test_demand_response_shows_solvers_whole_from_the_store(
    loaded: GraphStore, client: TestClient, tokens: dict[str, str]
) -> None:
    body = client.get(f"/api/v1/demands/{DEMAND}/matches", headers={"X-API-Key": tokens["analyst"]}).json()
    assert HEAT_PATENT in [m["candidate"]["id"] for m in body["matches"]]
    for entity in [body["subject"], *(m["candidate"] for m in body["matches"])]:
        stored = loaded.get_node(entity["id"])
        assert stored is not None
        assert entity["properties"] == entity_public(stored, financials=True).properties


def test_the_demand_list_shows_demands_whole_from_the_store(
    loaded: GraphStore, client: TestClient, tokens: dict[str, str]
) -> None:
    client.get(f"/api/v1/demands/{DEMAND}/matches")  # builds the index: the list reads it now
    body = client.get("/api/v1/demands", headers={"X-API-Key": tokens["analyst"]}).json()
    [listed] = [d for d in body["items"] if d["id"] == DEMAND]
    stored = loaded.get_node(DEMAND)
    assert stored is not None and listed == entity_public(stored, financials=True).model_dump()
    assert listed["properties"]["budget"] == 500000.0  # not a field matchmaking keeps


_RUN = "import sys; sys.argv[0] = 'innograph'; from innograph_cli.main import app; app()"


def _cli(data_dir: Path, *args: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    env.update(INNOGRAPH_DATA_DIR=str(data_dir), INNOGRAPH_STORE="embedded")
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _RUN, *args, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_cli_answers_alike_cold_and_warm_with_entities_whole(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph.innograph")
    store.apply(matching_changes())
    stored = {n.id: entity_public(n) for n in store.get_nodes([FIRM, NEW_PARTNER])}
    store.close()
    cold = _cli(tmp_path, "partners", FIRM)
    warm = _cli(tmp_path, "partners", FIRM)  # from the index saved on disk, the store unopened
    assert warm == cold
    assert cold["enterprise"] == stored[FIRM].model_dump()
    [partner] = [m["candidate"] for m in cold["matches"] if m["candidate"]["id"] == NEW_PARTNER]  # type: ignore[attr-defined]
    assert partner == stored[NEW_PARTNER].model_dump()


def test_an_index_file_of_the_old_layout_is_rebuilt_not_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    store = EmbeddedStore(tmp_path / "graph.innograph")
    store.apply(matching_changes())
    version = store.version()
    path = disk_cache.index_dir() / f"{disk_cache._key(store, version)}.pkl"
    path.parent.mkdir(parents=True)
    old = MatchIndex.from_graph(store.projection(), None, version=version).__dict__
    with path.open("wb") as fh:  # format 1: the index's attributes, pickled bare
        pickle.dump({k: v for k, v in old.items() if k != "_nlp"}, fh)
    builds = disk_cache.builds
    index = disk_cache.load_or_build(store)
    assert disk_cache.builds == builds + 1
    assert index.version == version
    reader = disk_cache.saved_nodes(index)
    assert reader is not None and reader([FIRM])[FIRM] == store.get_node(FIRM)
    with path.open("rb") as fh:
        assert pickle.load(fh)["format"] == disk_cache.FORMAT
    store.close()


def test_a_consumed_projection_is_emptied_and_answers_alike() -> None:
    """``build_index`` hands its projection over: the build lets its relationships and unread
    properties go early (a lower peak), and the answers are those of a build that keeps it."""
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    kept = MatchIndex.from_graph(store.projection(), get_nlp())
    handed = store.projection()
    consumed = MatchIndex.from_graph(handed, get_nlp(), consume=True)
    assert handed.number_of_edges() == 0
    assert all("searchText" not in attrs for _, attrs in handed.nodes(data=True))
    assert "searchText" in store.projection().nodes[FIRM]  # the store's own properties untouched
    query = PartnerQuery(FIRM, types=tuple(NodeLabel(t) for t in ("University", "Person", "Enterprise")))
    assert find_partners(consumed, query) == find_partners(kept, query)
    assert match_demand(consumed, DEMAND) == match_demand(kept, DEMAND)
    assert sorted(consumed.adjacency.edges()) == sorted(kept.adjacency.edges())
