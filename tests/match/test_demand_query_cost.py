"""A demand match does less work and answers exactly as before (issue #14, CPU at province scale).

Its BM25 adds each token's scores with a fancy-indexed ``+=`` (:func:`match.text_rank.relevance`),
the cosine and IPC similarities are products with the profile made dense, the mode fit and the
requested types are read from per-index label tables, only the rows that hold a page's families
are sorted (:func:`match.demands.first_of_families`), and a shown actor's best work reads the
work signals the ranking already has. Each is checked here against the computation it replaced,
to the bit, on the demo ×1 graph (and the ranking on drawn scores and families).
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graph.model import NodeLabel as L
from match import demands
from match.demands import (
    SOLVER_TYPES,
    _best_work,
    _cosine,
    _ipc,
    _label_kinds,
    _mode_fit,
    _of_types,
    demand_profile,
    first_of_families,
    solver_signals,
)
from match.index import MatchIndex
from match.text_rank import best_of_actors, edges_by_actor, relevance


def _demands(index: MatchIndex, step: int = 7) -> list[str]:
    return sorted(index.open_demands)[::step]


def _families_as_before(rounded: np.ndarray, rank: np.ndarray, family: np.ndarray) -> list[int]:
    """The ranking as it was: every row sorted (score, then rank), each family's first row."""
    order = np.lexsort((rank, -rounded))
    _, first = np.unique(family[order], return_index=True)
    return order[np.sort(first)].tolist()


@given(
    st.lists(st.tuples(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9]), st.integers(0, 12)), max_size=80),
    st.data(),
)
def test_the_first_families_are_the_full_sort_s(rows: list[tuple[float, int]], data: st.DataObject) -> None:
    """Few distinct scores and few families, so the cut falls inside ties and a family's rows
    spread over the whole order (the sorted prefix must grow to hold k families)."""
    rounded = np.array([s for s, _ in rows], dtype=float)
    family = np.array([f for _, f in rows], dtype=np.int64)
    n_ranks = len(rows) + data.draw(st.integers(0, 5))
    rank = np.array(data.draw(st.permutations(range(n_ranks)))[: len(rows)], dtype=np.int64)
    k = data.draw(st.integers(1, len(rows) + 3))
    shown, total = first_of_families(rounded, rank, family, n_ranks, k)
    before = _families_as_before(rounded, rank, family)
    assert shown.tolist() == before[:k]
    assert total == len(before)


def test_bm25_relevance_is_the_library_s(demo_index: MatchIndex) -> None:
    """For every sampled demand's query (repeated tokens and all), on works and actors."""
    rank = demo_index.text_rank
    checked = 0
    for demand in _demands(demo_index):
        known = [t for t in demand_profile(demo_index, demand).query if t in rank.vocab]
        for model in (rank.work_bm25, rank.actor_bm25):
            if known and model is not None:
                expected = model.get_scores(known)
                found = relevance(model, known)
                assert found.dtype == expected.dtype
                assert found.tobytes() == expected.tobytes()
                checked += 1
    assert checked >= 40


@given(st.data())
def test_bm25_relevance_on_drawn_tokens(demo_index: MatchIndex, data: st.DataObject) -> None:
    """Any tokens of the vocabulary, repeated or not, in any order."""
    vocab = sorted(demo_index.text_rank.vocab)
    tokens = data.draw(st.lists(st.sampled_from(vocab), min_size=1, max_size=40))
    for model in (demo_index.text_rank.work_bm25, demo_index.text_rank.actor_bm25):
        assert relevance(model, tokens).tobytes() == model.get_scores(tokens).tobytes()


def test_cosine_and_ipc_are_the_sparse_products(demo_index: MatchIndex) -> None:
    """Every work's and actor's, to the bit, for the sampled demands."""
    index = demo_index
    nonzero = 0
    for demand in _demands(index):
        prof = demand_profile(index, demand)
        for text_m, sub_m, grp_m in (
            (index.work_text_m, index.work_sub_m, index.work_grp_m),
            (index.actor_text_m, index.actor_sub_m, index.actor_grp_m),
        ):
            cosine = (text_m @ prof.text.T).toarray().ravel()
            ipc = 0.5 * (sub_m @ prof.sub.T).toarray().ravel() + 0.5 * (grp_m @ prof.grp.T).toarray().ravel()
            assert _cosine(text_m, prof.text).tobytes() == cosine.tobytes()
            assert _ipc(sub_m, grp_m, prof.sub, prof.grp).tobytes() == ipc.tobytes()
            nonzero += int(np.count_nonzero(cosine)) + int(np.count_nonzero(ipc))
    assert nonzero > 1000


def test_mode_fit_and_types_are_read_from_the_labels(demo_index: MatchIndex) -> None:
    """The mode fit of every item for every mode, and the mask of every set of solver types, as
    a pass over every item's label made them."""
    index = demo_index
    for mode in (*demands.MODES, None, "其他"):
        prof = next(
            (p for p in map(lambda d: demand_profile(index, d), _demands(index, 1)) if p.mode == mode),
            None,
        )
        if prof is None:
            continue
        signals = solver_signals(index, prof)
        for labels, sig in zip((index.work_labels, index.actor_labels), signals, strict=True):
            before = np.array([_mode_fit(mode, L(label)) for label in labels])
            assert sig["mode_fit"].tobytes() == before.tobytes()
    for group, labels in (("works", index.work_labels), ("actors", index.actor_labels)):
        kinds, kind_of = _label_kinds(index, group)
        assert [kinds[k] for k in kind_of.tolist()] == labels.tolist()
        for size in (1, 2, len(SOLVER_TYPES)):
            for types in itertools.combinations(sorted(SOLVER_TYPES), size):
                wanted = [t.value for t in types]
                assert _of_types(index, group, wanted).tolist() == np.isin(labels, wanted).tolist()


def _best_work_as_before(index: MatchIndex, prof: demands.DemandProfile, actor: str) -> str | None:
    works = [w for w in index.actor_works[actor] if index.label[w] in demands.WORK_SOLVERS]
    if not works:
        return None
    rows = [index.work_pos[w] for w in works]
    sims = demands.TEXT_W * (index.work_text_m[rows] @ prof.text.T).toarray().ravel() + demands.IPC_W * (
        0.5 * (index.work_sub_m[rows] @ prof.sub.T).toarray().ravel()
        + 0.5 * (index.work_grp_m[rows] @ prof.grp.T).toarray().ravel()
    )
    best = int(sims.argmax())
    return works[best] if sims[best] > 0 else None


def test_an_actor_s_best_work_is_as_computed_before(demo_index: MatchIndex) -> None:
    """From the ranking's work signals and from the actor's own rows, for every actor with works."""
    index = demo_index
    actors = [a for a in index.actors if index.actor_works[a]]
    found = 0
    for demand in _demands(index, 29):
        prof = demand_profile(index, demand)
        works = solver_signals(index, prof)[0]
        sims = (works["cosine"], works["ipc"])
        for actor in actors:
            before = _best_work_as_before(index, prof, actor)
            assert _best_work(index, prof, actor, sims) == before
            assert _best_work(index, prof, actor) == before
            found += before is not None
    assert found > 100


@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 14)), max_size=60),
    st.lists(st.sampled_from([0.0, 0.3, 0.5, 1.0, 2.5]), min_size=15, max_size=15),
)
def test_each_actor_s_best_work_score_is_np_maximum_at_s(
    edges: list[tuple[int, int]], values: list[float]
) -> None:
    """Actors with no works, several, repeated edges; works of equal scores."""
    edge_actor = np.array([a for a, _ in edges], dtype=np.int64)
    edge_work = np.array([w for _, w in edges], dtype=np.int64)
    works = np.array(values)
    before = np.zeros(10)
    np.maximum.at(before, edge_actor, works[edge_work])
    found = best_of_actors(edges_by_actor(edge_actor, edge_work), works, 10)
    assert found.tobytes() == before.tobytes()


def test_the_text_signal_s_best_works_are_np_maximum_at_s(demo_index: MatchIndex) -> None:
    """On the demo index's BM25 work scores (demands skipped) for the sampled demands."""
    rank = demo_index.text_rank
    grouped = rank._edges_by_actor()
    checked = 0
    for demand in _demands(demo_index, 13):
        known = [t for t in demand_profile(demo_index, demand).query if t in rank.vocab]
        if not known:
            continue
        works = np.asarray(relevance(rank.work_bm25, known), dtype=float)
        works[demo_index.demand_mask] = 0.0
        before = np.zeros(rank.n_actors)
        np.maximum.at(before, rank.edge_actor, works[rank.edge_work])
        assert best_of_actors(grouped, works, rank.n_actors).tobytes() == before.tobytes()
        checked += int(np.count_nonzero(before))
    assert checked > 1000
