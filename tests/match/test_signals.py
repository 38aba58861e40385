"""Signals, evidence and the index on hand-built graphs (embedded only: pure computation)."""

from __future__ import annotations

import math
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel
from graph.store import GraphStore
from match import cache, signals
from match.cache import index_for
from match.demands import match_demand
from match.index import MatchIndex
from match.ipc import main_group, normalize_ipc, subclass
from match.partners import PartnerQuery, find_partners
from tests.match.fixture import EXISTING_PARTNER, FIRM, NEW_PARTNER, matching_changes
from text.pipeline import get_nlp


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    return MatchIndex.from_graph(store.projection(), get_nlp(), version=store.version())


def test_ipc_normalisation() -> None:
    assert normalize_ipc("H01L 33/48") == "H01L33/48"
    assert normalize_ipc("h01l0033/48") == "H01L33/48"
    assert normalize_ipc("B64C") == "B64C"
    assert normalize_ipc("drone") is None
    assert (
        subclass("H01L33/48") == "H01L"
        and main_group("H01L33/48") == "H01L33/00"
        and main_group("B64C") is None
    )


@given(st.from_regex(r"[A-H]\d\d[A-Z] ?\d{1,4}/\d{1,5}", fullmatch=True))
def test_ipc_normalisation_is_idempotent(code: str) -> None:
    once = normalize_ipc(code)
    assert once is not None and normalize_ipc(once) == once


def test_adamic_adar_counts_shared_alliance_and_common_partners(index: MatchIndex) -> None:
    prox = signals.proximity(index, FIRM)
    # uni:tju shares the alliance (members: firm, tju → degree 2) with the firm.
    assert prox.adamic_adar[NEW_PARTNER] == pytest.approx(1 / math.log(2))
    assert "alliance:led" in prox.common[NEW_PARTNER]
    assert prox.direct[EXISTING_PARTNER].direct and NEW_PARTNER not in prox.direct


def test_complementarity_points_at_the_open_demand(index: MatchIndex) -> None:
    comp, which = signals.complementarity(index, FIRM)
    i = index.actor_pos[NEW_PARTNER]
    assert comp[i] > comp[index.actor_pos["uni:far"]] and which[i] == "demand:heat"


def test_geography_levels(index: MatchIndex) -> None:
    geo = signals.geography(index, FIRM)
    assert geo[index.actor_pos[EXISTING_PARTNER]] == 1.0  # same district
    assert geo[index.actor_pos[NEW_PARTNER]] == 0.5  # same city (1201)
    assert geo[index.actor_pos["uni:far"]] == 0.0


def test_irrelevant_candidates_are_not_suggested(index: MatchIndex) -> None:
    result = find_partners(index, PartnerQuery(FIRM, types=(NodeLabel.UNIVERSITY,)))
    assert [m.candidate for m in result.matches] == [NEW_PARTNER]


def test_every_evidence_hop_is_a_projection_edge(index: MatchIndex) -> None:
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    graph = store.projection()  # the index keeps no graph: check its paths against a fresh one
    result = find_partners(
        index,
        PartnerQuery(
            FIRM,
            types=tuple(NodeLabel(t) for t in ("University", "ResearchInstitute", "Person", "Enterprise")),
        ),
    )
    hops = [r for m in result.matches for p in m.evidence for r in p.relationships]
    assert hops
    for r in hops:
        assert graph.has_edge(r.start, r.end, key=r.type)


def test_cache_rebuilds_only_after_a_write() -> None:
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    first = index_for(store)
    assert index_for(store) is first
    store.apply(matching_changes())
    assert index_for(store) is not first


def test_readers_get_the_previous_index_while_a_new_one_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    first = index_for(store)
    extra = ChangeSet()
    extra.add_node(NodeLabel.TECH_DEMAND, {"id": "demand:new", "title": "新需求"})
    store.apply(extra)
    # Not waiting: the old index answers when the rebuild takes longer than STALE_WAIT_S…
    gate = threading.Event()
    real_build = cache.build_index

    def slow_build(s: GraphStore, nlp: Language | None = None) -> MatchIndex:
        gate.wait(30)
        return real_build(s, nlp)

    monkeypatch.setattr(cache, "build_index", slow_build)
    monkeypatch.setattr(cache, "STALE_WAIT_S", 0.05)
    assert index_for(store, wait=False, require=[FIRM]) is first
    gate.set()
    # …unless the request needs a node only the new version has.
    fresh = index_for(store, wait=False, require=["demand:new"])
    assert fresh.version == store.version() and "demand:new" in fresh.label


def test_a_demand_that_names_an_organisation_ranks_it_and_says_why() -> None:
    store = EmbeddedStore(None)
    changes = matching_changes()
    changes.add_node(
        NodeLabel.TECH_DEMAND,
        {
            "id": "demand:named",
            "title": "希望与天津大学合作",
            "description": "蜂箱温控改造",
            "status": "open",
        },
    )
    store.apply(changes)
    index = index_for(store)
    result = match_demand(index, "demand:named", types=(NodeLabel.UNIVERSITY,))
    # The organisation named and the technology term (蜂箱 is the title of IPC A01K47) are found.
    assert [(m.kind, m.entity_id) for m in result.mentions] == [
        ("ORG", NEW_PARTNER),
        ("IPC", "ipc:A01K47/00"),
    ]
    by_item = {m.item: m for m in result.matches}
    assert by_item[NEW_PARTNER].signals["mentioned"] == 1.0
    assert any(p.signal == "mentioned" for p in by_item[NEW_PARTNER].evidence)
    # The beekeeping university holds the bee-hive patent the text asks about: it ranks first.
    assert [m.item for m in result.matches] == ["uni:far", NEW_PARTNER]
    assert by_item["uni:far"].signals["ipc"] == 1.0
