"""What matchmaking costs as the graph grows (issue #14): the gazetteer, which only demand text
needs, is built on first use, once, however many readers ask for it at the same time; a firm's
own group is looked up by name core instead of comparing every organisation, with the same answer."""

from __future__ import annotations

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel as L
from graph.model import RelType as R
from match import cache
from match.explain import segment
from match.groups import MIN_PREFIX, _Cores, _related_cores
from match.index import MatchIndex
from match.partners import PartnerQuery, find_partners
from tests.match.fixture import FIRM, NEW_PARTNER, matching_changes
from text.gazetteer import Gazetteer
from text.pipeline import get_nlp


def _index() -> MatchIndex:
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    return MatchIndex.from_graph(store.projection(), get_nlp(), version=store.version())


def test_partner_finding_does_not_build_the_gazetteer() -> None:
    index = _index()
    result = find_partners(index, PartnerQuery(FIRM))
    assert NEW_PARTNER in [m.candidate for m in result.matches]
    # Neither the index build nor partner finding tokenised the organisations' names.
    assert "gazetteer" not in vars(index) and "_gazetteer" not in vars(index)


def test_the_gazetteer_is_built_once_for_concurrent_first_readers() -> None:
    index = _index()
    name = str(index.props(NEW_PARTNER)["name"])
    seen: list[Gazetteer] = []
    threads = [threading.Thread(target=lambda: seen.append(index.gazetteer)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(g is seen[0] for g in seen)
    assert [m.entity_id for m in seen[0].find(f"寻找{name}合作")] == [NEW_PARTNER]


def _brute_force(cores: dict[str, str], firm: str) -> set[str]:
    """The group rule as it read before the core index: every organisation compared in turn."""
    mine = cores.get(firm, "")
    return {
        actor
        for actor, core in cores.items()
        if mine
        and core
        and actor != firm
        and (
            core == mine
            or (min(len(core), len(mine)) >= MIN_PREFIX and (core.startswith(mine) or mine.startswith(core)))
        )
    }


#: Cores that extend one another at every length around MIN_PREFIX, and random ones besides.
_STEMS = ["", "华信", "华信科", "华信科技", "华信科技天", "华信科技天津", "天津华信", "信科技天津", "科技"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_STEMS) | st.text(alphabet="华信科技天津", max_size=7), max_size=40))
def test_the_core_index_finds_the_same_group_as_comparing_every_organisation(names: list[str]) -> None:
    of = {f"ent:{i}": core for i, core in enumerate(names)}
    by_core: dict[str, list[str]] = {}
    for actor, core in of.items():
        if core:
            by_core.setdefault(core, []).append(actor)
    cores = _Cores(of, by_core, sorted(by_core))
    for firm, mine in of.items():
        found = {a for core in (_related_cores(cores, mine) if mine else []) for a in by_core[core]} - {firm}
        assert found == _brute_force(of, firm), (firm, mine)


def test_the_index_leaves_out_what_matchmaking_never_reads_and_answers_the_same() -> None:
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    extra = ChangeSet()
    for year in (2013, 2014):
        extra.add_node(L.ANNUAL_REPORT, {"id": f"annual:led:{year}", "year": year, "revenue": 1e7})
        extra.add_relationship(
            R.REPORTED, (L.ENTERPRISE, FIRM), (L.ANNUAL_REPORT, f"annual:led:{year}"), {"year": year}
        )
    edition = "list:techsme:2014"
    extra.add_node(L.LIST_EDITION, {"id": edition, "kind": "techSme", "year": 2014, "name": "名单"})
    extra.add_relationship(
        R.LISTED_IN, (L.ENTERPRISE, FIRM), (L.LIST_EDITION, edition), {"year": 2014, "level": "区级"}
    )
    store.apply(extra)
    narrow = cache.build_index(store, get_nlp())
    whole = MatchIndex.from_graph(store.projection(), get_nlp(), version=store.version())
    assert "annual:led:2014" in whole.label and edition in whole.label
    assert not {"annual:led:2013", "annual:led:2014", edition} & set(narrow.label)
    a, b = find_partners(narrow, PartnerQuery(FIRM)), find_partners(whole, PartnerQuery(FIRM))
    ranked = [(m.candidate, m.score) for m in a.matches]
    assert ranked and ranked == [(m.candidate, m.score) for m in b.matches]
    assert [m.candidate for m in a.existing] == [m.candidate for m in b.existing]


def test_an_inventor_tie_to_a_person_who_applied_explains_without_failing() -> None:
    """Found by bench.scale: partner queries answered 500 at ×1 and ×10 when a person was the
    applicant (individual applicants are people) and another person the inventor."""
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    cs = ChangeSet()
    cs.add_node(L.PERSON, {"id": "person:applicant", "name": "王申请"})
    cs.add_node(L.PERSON, {"id": "person:inventor", "name": "李发明"})
    cs.add_node(L.PATENT, {"id": "patent:solo", "title": "一种LED散热装置", "ipcCodes": ["H01L33/64"]})
    cs.add_relationship(R.APPLIED_FOR, (L.PERSON, "person:applicant"), (L.PATENT, "patent:solo"))
    cs.add_relationship(R.INVENTED, (L.PERSON, "person:inventor"), (L.PATENT, "patent:solo"))
    store.apply(cs)
    index = cache.build_index(store, get_nlp())
    for a, b in (("person:applicant", "person:inventor"), ("person:inventor", "person:applicant")):
        found = segment(index, a, b)
        assert found is not None and found[1] == "inventor"
        path, _ = found
        assert path.nodes == [a, "patent:solo", b]
        assert {r.type for r in path.rels} == {"APPLIED_FOR", "INVENTED"}
