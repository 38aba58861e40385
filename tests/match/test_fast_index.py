"""The faster match index build answers exactly as the one before it (issue #14, province scale).

The build no longer adds a networkx edge per tie, nor concatenates every actor's works' token
lists for BM25 and TF-IDF: ties are a dict of dicts, an actor's term counts are a sparse product
of its works' (``match/text_rank.py``, ``text/weighting.py``). The reference is the build as it
was (tests/match/reference_index.py). Compared here, on the demo ×1 graph and on a real set
(PatSnap): every structure the queries read — BM25 scores bit for bit, the tie graph with its
order — and the answers of partner finding and demand matching for a sample of queries.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import bm25s
import numpy as np
import pytest

from bench import real_sets
from bench.index_answers import index_answers
from graph.embedded import EmbeddedStore
from match import text_rank
from match.index import ActorTerms, MatchIndex
from match.text_rank import TextRank
from tests.conftest import SHARED_DATA
from tests.match.index_equivalence import differences, tie_differences
from tests.match.reference_index import ReferenceIndex, ReferenceTextRank
from text import weighting

pytestmark = pytest.mark.slow


@cache
def _demo_file(root: Path) -> Path:
    from demo.build import build_demo

    path = root / "graph.innograph"
    store = EmbeddedStore(path)
    build_demo(store, root / "demo-x1", scale=1, seed=20101231, shared_data=SHARED_DATA, reference=False)
    store.close()
    return path


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _demo_file(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def demo_pair(demo_file: Path) -> tuple[ReferenceIndex, MatchIndex]:
    store = EmbeddedStore(demo_file)
    reference = ReferenceIndex.from_graph(store.projection(), None, consume=True)
    index = MatchIndex.from_graph(store.projection(), None, consume=True)
    store.close()
    return reference, index


def test_every_structure_the_queries_read_is_the_references(
    demo_pair: tuple[ReferenceIndex, MatchIndex],
) -> None:
    reference, index = demo_pair
    assert len(index.actors) > 5_000 and index.ties.number_of_edges() > 1_000  # the whole demo
    assert differences(reference, index) == []


def test_counted_a_chunk_of_documents_at_a_time_the_index_is_the_references(
    demo_file: Path, demo_pair: tuple[ReferenceIndex, MatchIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    """BM25 and TF-IDF counts are gathered a chunk of documents at a time (their token lists for
    every document at once were the build's peak); chunks far smaller than the demo's thousands
    of documents, so every chunk boundary case occurs, change no structure and no score."""
    monkeypatch.setattr(text_rank, "CHUNK", 97)
    monkeypatch.setattr(weighting, "_CHUNK", 89)
    reference, _ = demo_pair
    store = EmbeddedStore(demo_file)
    index = MatchIndex.from_graph(store.projection(), None, consume=True)
    store.close()
    assert len(index.works) > 10 * 97 and len(index.actors) > 10 * 89
    assert differences(reference, index) == []


def test_partner_and_demand_answers_are_the_references(demo_pair: tuple[ReferenceIndex, MatchIndex]) -> None:
    reference, index = demo_pair
    before, after = index_answers(reference, 40, 40), index_answers(index, 40, 40)
    assert len(before["partners"]) == 40 and len(before["demands"]) > 100 and len(before["works"]) == 40
    assert sum(len(v["matches"]) for v in before["partners"].values()) >= 80  # answers, not empties
    assert after == before  # candidates, scores (repr), signals, notices, evidence paths


def test_the_comparison_sees_a_change(demo_pair: tuple[ReferenceIndex, MatchIndex]) -> None:
    """The equivalence checks can fail: one ulp on one BM25 score, one tie's neighbours in
    another order, one actor's terms one short are each reported."""
    reference, index = demo_pair
    model = index.text_rank.actor_bm25
    assert model is not None
    data = model.scores["data"]
    saved = data[7]
    data[7] = np.nextafter(saved, np.float32(math.inf))
    try:
        assert "text_rank.actor_bm25: scores" in differences(reference, index)
    finally:
        data[7] = saved
    firm = next(a for a in index.actors if index.ties.degree(a) >= 2)
    row = index.ties._adj[firm]
    original = dict(row)
    row.clear()
    row.update(reversed(original.items()))
    try:
        assert tie_differences(reference.ties, index.ties) == [f"ties: neighbours of {firm}"]
    finally:
        row.clear()
        row.update(original)
    own = index.actor_terms._own
    i = next(i for i in range(len(own)) if own[i])
    kept = own[i]
    own[i] = kept[:-1]
    try:
        assert differences(reference, index) == ["actor_terms"]
    finally:
        own[i] = kept
    assert differences(reference, index) == []


@pytest.mark.skipif(
    not (SHARED_DATA / "real-patsnap-green-aviation").exists(), reason="needs the shared PatSnap file"
)
def test_same_index_and_answers_on_a_real_set() -> None:
    records = real_sets.load_patsnap()
    reference = ReferenceIndex.from_graph(real_sets.projection(records), None)
    index = MatchIndex.from_graph(real_sets.projection(records), None)
    assert len(index.works) > 1_500
    assert differences(reference, index) == []
    # Demand-style queries: every 20th patent's title against works and actors.
    for w in index.works[::20]:
        tokens = index.text_rank.vocab & set(index.work_terms[index.work_pos[w]])
        query = sorted(tokens)
        for a, b in zip(reference.text_rank.parts(query), index.text_rank.parts(query), strict=True):
            assert np.array_equal(a, b)


def _docs(seed: int) -> tuple[list[list[str]], list[list[str]], list[tuple[int, int]]]:
    rng = np.random.default_rng(seed)
    words = [f"词{i}" for i in range(40)]
    work_docs = [[str(t) for t in rng.choice(words, size=int(rng.integers(0, 12)))] for _ in range(60)]
    own = [[str(t) for t in rng.choice(words, size=int(rng.integers(0, 4)))] for _ in range(25)]
    edges = [
        (a, w) for a in range(25) for w in sorted(rng.choice(60, size=int(rng.integers(0, 6)), replace=False))
    ]
    return work_docs, own, edges


@pytest.mark.parametrize("seed", range(5))
def test_bm25_from_counts_scores_as_bm25s_indexes_the_concatenated_documents(seed: int) -> None:
    """Against the library itself, with empty documents, actors without works and shared works."""
    work_docs, own, edges = _docs(seed)
    actor_docs = [list(d) for d in own]
    for a, w in edges:
        actor_docs[a].extend(work_docs[w])
    fast = TextRank(work_docs, own, edges)
    slow = ReferenceTextRank(work_docs, actor_docs, edges)
    library = bm25s.BM25()
    library.index([d or ["∅"] for d in actor_docs], show_progress=False)
    assert fast.actor_bm25 is not None
    for query in (["词1"], ["词2", "词3", "词2"], [f"词{i}" for i in range(0, 40, 3)], ["∅", "词5"]):
        known = [t for t in query if t in fast.vocab]
        if not known:
            continue
        expected = library.get_scores(known)
        got = fast.actor_bm25.get_scores(known)
        assert np.allclose(got, expected, rtol=1e-6, atol=0)
        assert np.array_equal(got, expected)  # bit for bit, in fact
        for a, b in zip(slow.parts(query), fast.parts(query), strict=True):
            assert np.array_equal(a, b)


def test_actor_terms_are_the_concatenations() -> None:
    work_docs, own, edges = _docs(7)
    terms = ActorTerms(own, work_docs, edges)
    expected = [list(d) for d in own]
    for a, w in edges:
        expected[a].extend(work_docs[w])
    assert len(terms) == len(expected)
    assert [terms[i] for i in range(len(terms))] == expected
    assert terms[-1] == expected[-1] and terms[3:6] == expected[3:6]
    assert list(terms) == expected


def test_partner_signals_equal_the_sparse_products_to_the_bit(
    demo_pair: tuple[ReferenceIndex, MatchIndex],
) -> None:
    """The partner signals multiply the index's matrices by a dense vector and index places and
    types through arrays kept in the memo (half the time at ×100, docs/benchmarks/matchmaking.md):
    the figures must be the very ones the sparse products and the lists gave, or rankings could
    move on a tie."""
    from graph.model import NodeLabel
    from match import signals
    from match.partners import DEFAULT_TYPES, _of_types

    _, index = demo_pair
    firms = [a for a, label in zip(index.actors, index.actor_labels, strict=True) if label == "Enterprise"]
    assert len(firms) > 500
    for firm in firms[::7]:
        i = index.actor_pos[firm]
        ipc, text = signals.technology(index, firm)
        firm_sub, firm_grp = index.actor_sub_m[i], index.actor_grp_m[i]
        if firm_sub.nnz == 0 and (codes := signals.industry_ipc(index, firm)):
            firm_sub, firm_grp = index.ipc_vectors([codes])
        sub = (index.actor_sub_m @ firm_sub.T).toarray().ravel()
        grp = (index.actor_grp_m @ firm_grp.T).toarray().ravel()
        assert np.array_equal(text, (index.actor_text_m @ index.actor_text_m[i].T).toarray().ravel())
        assert np.array_equal(ipc, (1 - signals.GROUP_SHARE) * sub + signals.GROUP_SHARE * grp)
        expected = np.zeros(len(index.actors))
        for city in sorted(index.cities[firm]):
            expected[index.by_city[city]] = 0.5
        for code in sorted(index.districts(firm)):
            expected[index.by_district[code]] = 1.0
        for park in index.parks[firm]:
            expected[index.by_park[park]] = 1.0
        assert np.array_equal(signals.geography(index, firm), expected)
    for types in (DEFAULT_TYPES, (NodeLabel.UNIVERSITY,), (NodeLabel.ENTERPRISE, NodeLabel.PERSON)):
        wanted = [NodeLabel(t).value for t in types]
        assert np.array_equal(_of_types(index, types), np.isin(index.actor_labels, wanted))
