"""What a match index build pays for (issue #14): the gazetteer, which only demand text needs,
is built on first use, once, however many readers ask for it at the same time."""

from __future__ import annotations

import threading

from graph.embedded import EmbeddedStore
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
