"""The demand text signal: BM25 over jieba words *and* Chinese character bigrams, fused.

jieba cuts a compound one way in a patent title and another in a demand (电动垂直起降 vs
电动 / 垂直 / 起降); the bigrams (:func:`text.ngrams.cjk_bigrams`) match either way. On the
withheld-patent holder test (``bench/demands_real.py``, PatSnap and Taiwan) BM25 over words +
bigrams beat TF-IDF and word BM25, and the dev-split weight search kept two text signals for an
organisation: BM25 of its whole body of work (weight 1.0) and the BM25 of its best single work
(0.5). Those are the weights here; the benchmark scores this module, not a copy of it.

Built once per index (:class:`match.index.MatchIndex` holds it, so the on-disk index carries it
and a query costs two sparse score look-ups). BM25 scores have no fixed range, so each is scaled
to the best candidate of its group: the text signal says how close a solver is *relative to the
best one*, and "no good match" is decided on the TF-IDF cosine instead (``match.demands``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Final

import bm25s
import numpy as np
from bm25s import scoring
from scipy import sparse

from text.ngrams import cjk_bigrams

#: Dev-split weights of ``bench/demands_real.py`` (PatSnap title + abstract / + IPC, Taiwan +
#: IPC): the organisation's body of work, its best single work.
PROFILE_W: Final = 1.0
BEST_WORK_W: Final = 0.5
_EMPTY: Final = "∅"  # bm25s needs a token in every document


def query_tokens(text: str, words: Sequence[str]) -> list[str]:
    """What a text is matched on: its character bigrams and its jieba words."""
    return cjk_bigrams(text) + list(words)


#: Documents tokenised and counted at a time: the token lists (a text's character bigrams are
#: as many strings as it has characters) exist for one chunk, not for every document at once.
CHUNK: Final = 20_000


def _counts(docs: Iterable[Sequence[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    """Term counts, one row per document, columns by ``vocab``'s ids (new tokens are added, in
    the order they first occur). ``docs`` is read :data:`CHUNK` documents at a time."""
    parts: list[sparse.csr_matrix] = []
    setdefault = vocab.setdefault
    found = iter(docs)
    while chunk := list(itertools.islice(found, CHUNK)):
        lengths = np.fromiter((len(d) for d in chunk), dtype=np.int64, count=len(chunk))
        cols = np.fromiter(
            (setdefault(t, len(vocab)) for d in chunk for t in d), dtype=np.int64, count=int(lengths.sum())
        )
        rows = np.repeat(np.arange(len(chunk), dtype=np.int64), lengths)
        parts.append(_summed(rows, cols, (len(chunk), len(vocab))))
        del chunk, cols, rows
    n_tokens = len(vocab)
    if not parts:
        return sparse.csr_matrix((0, n_tokens), dtype=np.int64)
    if len(parts) == 1:
        return _widened(parts[0], n_tokens)
    return sparse.csr_matrix(sparse.vstack([_widened(m, n_tokens) for m in parts], format="csr"))


def _summed(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """Integer counts of each (row, col) pair, canonical (sorted, no duplicates)."""
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=shape)
    m.sum_duplicates()
    return m


def _widened(m: sparse.csr_matrix, n_cols: int) -> sparse.csr_matrix:
    """The same counts with room for the vocabulary's later tokens."""
    return sparse.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], n_cols))


def _with_empty(m: sparse.csr_matrix, vocab: dict[str, int]) -> sparse.csr_matrix:
    """An empty document counts one :data:`_EMPTY`, as ``bm25s.BM25.index`` was handed it."""
    empty = np.flatnonzero(np.diff(m.indptr) == 0)
    if not len(empty):
        return m
    token = vocab.setdefault(_EMPTY, len(vocab))
    filler = _summed(empty, np.full(len(empty), token, dtype=np.int64), (m.shape[0], len(vocab)))
    out = _widened(m, len(vocab)) + filler
    out.sum_duplicates()
    return sparse.csr_matrix(out)


def _bm25(tf: sparse.csr_matrix, vocab: dict[str, int], ids: set[int]) -> bm25s.BM25 | None:
    """A :class:`bm25s.BM25` whose scores are those ``index`` computes for the documents whose
    term counts are ``tf`` (rows: documents, columns: ``vocab``'s ids).

    Why not ``index``: bm25s takes token lists only, and an actor's document is every token of
    all its works (at ×100 the concatenations and bm25s's per-document Counter were ~40 s of
    the build, docs/benchmarks/matchmaking.md). Here the counts come from one sparse product
    and every figure from bm25s's own functions (document frequencies → ``_build_idf_array``,
    the term-frequency component → its ``method``'s scorer), applied to all documents at once
    in the same float types, so the stored scores are the library's bit for bit
    (tests/match/test_fast_index.py checks them against ``index`` on the demo and a real set).
    """
    n_docs = tf.shape[0]
    if not n_docs:
        return None
    model = bm25s.BM25()
    if model.method in model.methods_requiring_nonoccurrence:  # pragma: no cover - not ours
        raise ValueError(f"BM25 method {model.method} needs the library's own index")
    n_vocab = tf.shape[1]
    lengths = np.asarray(tf.sum(axis=1)).ravel().astype(np.int64)
    avg_doc_len = lengths.mean()  # as bm25s: the mean of an int64 array of document lengths
    doc_freqs = np.bincount(tf.indices, minlength=n_vocab)
    idf = scoring._build_idf_array(
        doc_frequencies=dict(enumerate(doc_freqs.tolist())),
        n_docs=n_docs,
        compute_idf_fn=scoring._select_idf_scorer(model.idf_method),
        dtype=model.dtype,
    )
    tfc = scoring._select_tfc_scorer(model.method)(
        tf_array=tf.data.astype(model.dtype),
        l_d=np.repeat(lengths, np.diff(tf.indptr)),
        l_avg=avg_doc_len,
        k1=model.k1,
        b=model.b,
        delta=model.delta,
    )
    values = (idf[tf.indices] * tfc).astype(model.dtype)
    by_token = sparse.csr_matrix((values, tf.indices, tf.indptr), shape=tf.shape).tocsc()
    model.scores = {
        "data": by_token.data,
        "indices": by_token.indices.astype(model.int_dtype),
        "indptr": by_token.indptr,
        "num_docs": n_docs,
    }
    model.nonoccurrence_array = None  # as index() leaves it for a method that needs none
    model.vocab_dict = vocab
    model.unique_token_ids_set = ids
    return model


def relevance(model: bm25s.BM25, tokens: list[str]) -> np.ndarray:
    """``model.get_scores(tokens)``, bit for bit, for an index :func:`_bm25` built.

    bm25s adds each query token's column of precomputed scores with ``np.add.at``, which is
    made for repeated targets and pays for that on every element: it was 40 % of a demand
    match at ×10 (117 tokens a query). Here the query's columns, in query order, become one
    sparse matrix (a repeated token is a column again), multiplied by ones in the scores' float32:
    the product adds column after column into each document's float32 sum, the library's
    additions in the library's order (a column's documents are distinct: the scores come from a
    canonical count matrix). tests/match/test_demand_query_cost.py holds it to the library's."""
    found = model.scores
    data, indices, indptr = found["data"], found["indices"], found["indptr"]
    ids = np.asarray(model.get_tokens_ids(tokens), dtype=np.dtype(model.int_dtype))
    starts = indptr[ids].astype(np.int64)
    lengths = indptr[ids + 1].astype(np.int64) - starts
    columns = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(lengths, out=columns[1:])
    at = np.arange(columns[-1], dtype=np.int64) + np.repeat(starts - columns[:-1], lengths)
    chosen = sparse.csc_matrix((data[at], indices[at], columns), shape=(found["num_docs"], len(ids)))
    scores: np.ndarray = chosen @ np.ones(len(ids), dtype=data.dtype)
    return scores.astype(np.dtype(model.dtype), copy=False)


#: The actor → work edges grouped by actor: each actor that has works, where its run of works
#: starts, and the works in those runs.
EdgesByActor = tuple[np.ndarray, np.ndarray, np.ndarray]


def edges_by_actor(edge_actor: np.ndarray, edge_work: np.ndarray) -> EdgesByActor:
    order = np.argsort(edge_actor, kind="stable")
    actors, starts = np.unique(edge_actor[order], return_index=True)
    return actors, starts, edge_work[order]


def best_of_actors(edges: EdgesByActor, works: np.ndarray, n_actors: int) -> np.ndarray:
    """Each actor's best work score (0 without works): ``np.maximum.at(zeros, edge_actor,
    works[edge_work])``, exactly — a maximum rounds nothing, so any grouping gives the same
    value — as one ``np.maximum.reduceat`` over the edges grouped by actor, without ``.at``'s
    cost per edge (with the BM25's ``np.add.at`` it made up most of the text signal at ×10)."""
    actors, starts, grouped = edges
    best = np.zeros(n_actors)
    if len(actors):
        best[actors] = np.maximum(np.maximum.reduceat(works[grouped], starts), 0.0)
    return best


def _unit(values: np.ndarray) -> np.ndarray:
    """Scaled so the best candidate scores 1."""
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else values


class TextRank:
    """BM25 indexes over works and actors (words + bigrams) and the actor → work edges.

    An actor's document is its own text followed by the documents of its works ``edges`` names
    (in order). Both indexes share one vocabulary (bm25s's ``vocab_dict``): a token absent from
    one side has an empty column there and scores nothing, as an unknown token did before.
    """

    def __init__(
        self,
        work_docs: Iterable[Sequence[str]],
        actor_own: Iterable[Sequence[str]],
        edges: Sequence[tuple[int, int]],
    ) -> None:
        """``work_docs`` and ``actor_own`` may be generators: each is read once, in order, a
        chunk at a time (:func:`_counts`)."""
        self.edge_actor = np.array([a for a, _ in edges], dtype=np.int64)
        self.edge_work = np.array([w for _, w in edges], dtype=np.int64)
        vocab: dict[str, int] = {}
        works = _counts(work_docs, vocab)
        own = _counts(actor_own, vocab)
        self.n_works = works.shape[0]
        self.n_actors = own.shape[0]
        #: Every token of a document (what a query token must be to score).
        self.vocab = frozenset(vocab)
        n_tokens = len(vocab)
        # The actors' counts: their own, plus their works' (a sparse actor × work incidence).
        incidence = _summed(self.edge_actor, self.edge_work, (self.n_actors, self.n_works))
        actors = sparse.csr_matrix(_widened(own, n_tokens) + incidence @ _widened(works, n_tokens))
        actors.sum_duplicates()
        works = _with_empty(_widened(works, n_tokens), vocab)
        actors = _with_empty(actors, vocab)
        n_columns = len(vocab)
        if "" not in vocab:  # bm25s's empty token, after the corpus's (index(create_empty_token=True))
            vocab[""] = n_columns
        ids = set(vocab.values())
        self.work_bm25 = _bm25(_widened(works, n_columns), vocab, ids)
        self.actor_bm25 = _bm25(_widened(actors, n_columns), vocab, ids)

    def _edges_by_actor(self) -> EdgesByActor:
        """The edges grouped by actor, made on first use and kept (an index saved before this
        existed has none until then)."""
        found: EdgesByActor | None = self.__dict__.get("_by_actor")
        if found is None:
            found = edges_by_actor(self.edge_actor, self.edge_work)
            self.__dict__["_by_actor"] = found
        return found

    def parts(
        self, tokens: Sequence[str], *, skip_works: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(works, actors' body of work, actors' best single work), each scaled to its best, for
        the query ``tokens`` (:func:`query_tokens`). ``skip_works`` (a boolean mask) are works
        that are no solvers (demands): they neither score nor set the scale nor count as an
        actor's best work."""
        known = [t for t in tokens if t in self.vocab]
        works = np.zeros(self.n_works)
        profile = np.zeros(self.n_actors)
        best = np.zeros(self.n_actors)
        if not known:
            return works, profile, best
        if self.work_bm25 is not None and self.n_works:
            works = np.asarray(relevance(self.work_bm25, known), dtype=float)
            if skip_works is not None:
                works[skip_works] = 0.0
        if self.actor_bm25 is not None and self.n_actors:
            profile = np.asarray(relevance(self.actor_bm25, known), dtype=float)
        if len(self.edge_actor):
            best = best_of_actors(self._edges_by_actor(), works, self.n_actors)
        return _unit(works), _unit(profile), _unit(best)

    def scores(
        self, tokens: Sequence[str], *, skip_works: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(works, actors) text signals in [0, 1]: a work's BM25; an actor's body of work and
        best single work fused with the dev-split weights."""
        works, profile, best = self.parts(tokens, skip_works=skip_works)
        fused = (PROFILE_W * profile + BEST_WORK_W * best) / (PROFILE_W + BEST_WORK_W)
        return works, fused
