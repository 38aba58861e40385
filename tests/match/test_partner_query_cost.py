"""A partner query does less work and answers exactly as before (issue #14, p95 at ×100).

It sorts only the candidates a page can show (:func:`match.partners.ranked`), keeps each actor's
best demand as one array, reads a candidate's works by position and by IPC column
(``match.explain``), multiplies only the shown candidates' works by the firm's text, and sorts a
candidate's shared neighbours when they are read. Each is checked here against the computation it
replaced, on the demo ×1 graph (to the bit where it is arithmetic); and the IPC columns it keeps in
the index's memo are the current graph's after a write.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel as L
from graph.model import RelType as R
from match import explain, signals
from match.cache import index_for
from match.groups import same_group
from match.index import MatchIndex
from match.ipc import levels
from match.partners import PartnerQuery, _work_similarity, find_partners, ranked, score_all
from tests.match.fixture import FIRM, NEW_PARTNER, _patent, matching_changes


def _full_sort(positions: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The ranking as it was: every candidate sorted, best score first, ties in id order."""
    return positions[np.lexsort((positions, -scores[positions]))] if len(positions) else positions


@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9]), max_size=60),
    st.data(),
)
def test_the_first_k_are_the_full_sort_s_first_k(values: list[float], data: st.DataObject) -> None:
    """Few distinct scores, so the k-th best is tied with others: the ties at the cut are all
    kept and ordered by position, as the full sort orders them."""
    scores = np.array(values)
    positions = np.array(
        data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), unique=True).map(sorted))
        if values
        else [],
        dtype=np.int64,
    )
    k = data.draw(st.integers(0, len(positions) + 2))
    assert ranked(positions, scores, k).tolist() == _full_sort(positions, scores)[:k].tolist()


def _firms(index: MatchIndex, step: int) -> list[str]:
    return [a for a in index.actors if index.label[a] == L.ENTERPRISE and index.actor_works[a]][::step]


def _reference_lists(index: MatchIndex, firm: str) -> tuple[list[str], list[str], list[str]]:
    """New suggestions, existing partners and own group of every type, in full, as the ranking
    before issue #14's change made them: every candidate sorted, then split."""
    arrays, prox, _ = score_all(index, firm)
    scores = np.round(arrays["score"], 9)
    mask = (arrays["technology"] > 0) | (arrays["network"] > 0) | (arrays["complementarity"] > 0)
    mask &= scores > 0
    mask[index.actor_pos[firm]] = False
    for person in index.staff.get(firm, []):
        mask[index.actor_pos[person]] = False
    order = [index.actors[i] for i in _full_sort(np.flatnonzero(mask), scores).tolist()]
    group = same_group(index, firm)
    existing = {a for a, tie in prox.direct.items() if tie.direct}
    return (
        [a for a in order if a not in group and a not in existing],
        [a for a in order if a in existing and a not in group],
        [a for a in order if a in group],
    )


@pytest.mark.slow
def test_every_page_is_the_full_sort_s(demo_index: MatchIndex) -> None:
    """New suggestions at several offsets, existing partners and the own group: the candidates
    and the total of a full sort of every candidate."""
    index = demo_index
    every = (L.UNIVERSITY, L.RESEARCH_INSTITUTE, L.PERSON, L.ENTERPRISE)
    long_lists = 0
    for firm in _firms(index, 23):
        fresh, existing, group = _reference_lists(index, firm)
        for offset, limit in ((0, 100), (0, 1), (3, 7), (95, 10)):
            page = find_partners(index, PartnerQuery(firm, types=every, limit=limit, offset=offset))
            assert page.total == len(fresh)
            assert [m.candidate for m in page.matches] == fresh[offset : offset + limit]
            assert [m.candidate for m in page.existing] == existing[:limit]
            assert [m.candidate for m in page.same_group] == group[:limit]
        long_lists += len(fresh) > 100
    assert long_lists >= 20  # firms whose pages cut a long list, not empties


@pytest.mark.slow
def test_a_candidate_s_works_under_a_code_are_those_its_codes_name(demo_index: MatchIndex) -> None:
    """By IPC column, as parsing each work's every code gave them (main group and subclass)."""
    index = demo_index
    seen = 0
    for actor in index.actors[::5]:
        for level, profile in (("group", index.actor_grp[actor]), ("subclass", index.actor_sub[actor])):
            pick = 1 if level == "group" else 0
            for code in profile:
                expected = [
                    w
                    for w in index.actor_works[actor]
                    if index.label[w] != L.TECH_DEMAND
                    and any(levels(c)[pick] == code for c in index.work_ipc[w])
                ]
                assert explain._works_with(index, actor, level, code) == expected
                seen += len(expected)
    assert seen > 1_000


@pytest.mark.slow
def test_the_shown_candidates_works_have_the_whole_product_s_similarity(demo_index: MatchIndex) -> None:
    """To the bit for every work of a shown candidate (new, existing or own group), so their
    wording evidence is the one the product of every work gave."""
    index = demo_index
    every = (L.UNIVERSITY, L.RESEARCH_INSTITUTE, L.PERSON, L.ENTERPRISE)
    texts = 0
    for firm in _firms(index, 37):
        result = find_partners(index, PartnerQuery(firm, types=every, limit=20))
        listed = [*result.matches, *result.existing, *result.same_group]
        shown = np.array([index.actor_pos[m.candidate] for m in listed], dtype=np.int64)
        whole = (index.work_text_m @ index.actor_text_m[index.actor_pos[firm]].T).toarray().ravel()
        rows = [index.actor_terms.work_positions(i) for i in shown.tolist()]
        rows_at = np.unique(np.concatenate([*rows, np.zeros(0, dtype=np.int64)]))
        assert np.array_equal(_work_similarity(index, firm, shown)[rows_at], whole[rows_at])
        for m in listed:
            shown_paths = [p for p in m.evidence if p.signal == "technology"]
            assert shown_paths == explain.technology_paths(index, firm, m.candidate, whole)
            texts += sum("相近" in p.summary for p in shown_paths)
    assert texts > 100


def _best_demands_as_before(index: MatchIndex, firm: str) -> tuple[np.ndarray, list[str | None]]:
    """Each actor's best demand, as the per-actor loop over sparse products found it."""
    expected: list[str | None] = [None] * len(index.actors)
    top = np.zeros(len(index.actors))
    firm_subs = set(index.actor_sub[firm])
    for d in index.demands_of.get(firm, []):
        j = index.work_pos[d]
        subs = {code[:4] for code in index.work_ipc[d]}
        novelty = len(subs - firm_subs) / len(subs) if subs else 0.5
        if novelty == 0:
            continue
        ipc = (index.actor_sub_m @ index.work_sub_m[j].T).toarray().ravel()
        text = (index.actor_text_m @ index.work_text_m[j].T).toarray().ravel()
        score = novelty * (0.5 * ipc + 0.5 * text)
        for k in np.flatnonzero(score > top):
            expected[k] = d
        top = np.maximum(top, score)
    return top, expected


def test_each_actor_answers_the_demand_it_scores_best_on() -> None:
    """Two open demands of the firm, each best answered by another university."""
    store = EmbeddedStore(None)
    changes = matching_changes()
    changes.add_node(
        L.TECH_DEMAND,
        {"id": "demand:hive", "title": "蜂箱温控", "ipcCodes": ["A01K47/00"], "status": "open"},
    )
    changes.add_relationship(R.POSTED, (L.ENTERPRISE, FIRM), (L.TECH_DEMAND, "demand:hive"))
    store.apply(changes)
    index = MatchIndex.from_graph(store.projection(), None)
    best, which = signals.complementarity(index, FIRM)
    top, expected = _best_demands_as_before(index, FIRM)
    assert which[index.actor_pos["uni:far"]] == "demand:hive"
    assert which[index.actor_pos[NEW_PARTNER]] == "demand:heat"
    assert np.array_equal(best, top)
    assert [which[i] for i in range(len(index.actors))] == expected


@pytest.mark.slow
def test_best_demands_and_shared_neighbours_are_as_computed_before(demo_index: MatchIndex) -> None:
    """Each actor's best demand as the per-actor loop found it; each candidate's shared
    neighbours in the order of the eager sort; asking whether a candidate has any adds none."""
    index = demo_index
    with_demands = [a for a in index.actors if index.demands_of.get(a)]
    assert len(with_demands) > 20
    for firm in with_demands:
        best, which = signals.complementarity(index, firm)
        top, expected = _best_demands_as_before(index, firm)
        assert np.array_equal(best, top)
        assert [which[i] for i in range(len(index.actors))] == expected
    for firm in _firms(index, 29):
        prox = signals.proximity(index, firm)
        raw = prox.common._found  # type: ignore[attr-defined]
        assert "nobody" not in prox.common and len(prox.common) == len(raw)
        for candidate, items in list(raw.items())[:200]:
            assert prox.common[candidate] == [z for _, z in sorted(items, key=lambda t: (-t[0], t[1]))]


def test_the_works_by_code_follow_a_write(tmp_path: Path) -> None:
    """The IPC columns kept in the index's memo are the version's: a patent the new partner
    files under the firm's code after a first query counts in the next answer's evidence."""
    store = EmbeddedStore(None)
    store.apply(matching_changes())
    query = PartnerQuery(FIRM, exclude_existing=True)

    def claim() -> str:
        match = next(m for m in find_partners(index_for(store), query).matches if m.candidate == NEW_PARTNER)
        return next(p.summary for p in match.evidence if p.signal == "technology" and "IPC" in p.summary)

    before = claim()
    code = before.split("IPC ")[1].split(" ")[1]
    changes = ChangeSet()
    _patent(changes, "patent:tju-later", "LED散热结构", [code], 2020, [(L.UNIVERSITY, NEW_PARTNER)])
    store.apply(changes)
    after = claim()
    count = int(before.split(" 有 ")[1].split(" ")[0])
    assert f" 有 {count + 1} 项" in after and f" 有 {count} 项" in before
