"""Helpers that compare a match index with the reference build (tests/match/reference_index.py)
structure by structure: what differs, by name, or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import sparse

#: Attributes that are not index structures, or are compared by their own function below.
#: ``_gazetteer`` is built on first use by code this change did not touch, from structures
#: compared here (each module keeps its own last gazetteer, so the two objects differ).
_SKIP = frozenset(
    {
        "_gazetteer",
        "_nlp",
        "memo",
        "version",
        "ties",
        "text_rank",
        "weights",
        "actor_terms",
        "adjacency",
        "fields",
    }
)


def _same(a: Any, b: Any) -> bool:
    if sparse.issparse(a) or sparse.issparse(b):
        if not (sparse.issparse(a) and sparse.issparse(b)) or a.shape != b.shape or a.dtype != b.dtype:
            return False
        a, b = sparse.csr_matrix(a), sparse.csr_matrix(b)
        a.sort_indices()
        b.sort_indices()
        return (
            np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices)
            and np.array_equal(a.data, b.data)
        )
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and np.array_equal(a, b)
        )
    if isinstance(a, dict) and isinstance(b, dict):
        # Order too: readers iterate some of them (by_city, staff …).
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and type(a) is type(b)


def differences(reference: Any, index: Any) -> list[str]:
    """Names of the structures where ``index`` differs from ``reference``."""
    found = []
    names = set(vars(reference)) - _SKIP
    for name in sorted(names | (set(vars(index)) - _SKIP - {"__slots__"})):
        if name not in vars(reference) or name not in vars(index):
            found.append(f"{name}: only in one")
        elif not _same(vars(reference)[name], vars(index)[name]):
            found.append(name)
    if list(reference.adjacency.edges()) != list(index.adjacency.edges()):
        found.append("adjacency")
    if any(reference.fields.props(n) != index.fields.props(n) for n in reference.label):
        found.append("fields")
    if reference.weights.vocabulary != index.weights.vocabulary or not np.array_equal(
        reference.weights.idf_values, index.weights.idf_values
    ):
        found.append("weights")
    if len(reference.actor_terms) != len(index.actor_terms) or any(
        reference.actor_terms[i] != index.actor_terms[i] for i in range(len(reference.actor_terms))
    ):
        found.append("actor_terms")
    found.extend(tie_differences(reference.ties, index.ties))
    found.extend(text_rank_differences(reference.text_rank, index.text_rank))
    return found


def tie_differences(reference: Any, ties: Any) -> list[str]:
    """The tie graph: same nodes, in the same order, each with the same neighbours in the same
    order and the same kinds and linking nodes."""
    nodes = list(reference.nodes)
    if [n for n in nodes] != [n for n in ties._adj]:
        return ["ties: nodes"]
    for n in nodes:
        if list(reference.neighbors(n)) != list(ties.neighbors(n)) or reference.degree(n) != ties.degree(n):
            return [f"ties: neighbours of {n}"]
        for m in reference.neighbors(n):
            old, new = reference.edges[n, m]["tie"], ties.get(n, m)
            if new is None or dict(old.via) != dict(new.via) or list(old.via) != list(new.via):
                return [f"ties: {n} – {m}"]
    return []


def _by_token(model: Any, tokens: Iterable[str]) -> sparse.csr_matrix:
    """The model's stored BM25 scores, documents × ``tokens`` (in that order)."""
    scores = model.scores
    n_vocab = len(scores["indptr"]) - 1
    m = sparse.csc_matrix(
        (scores["data"], scores["indices"], scores["indptr"]), shape=(scores["num_docs"], n_vocab)
    )
    cols = [model.vocab_dict[t] for t in tokens]
    return sparse.csr_matrix(m[:, cols])


def text_rank_differences(reference: Any, text_rank: Any) -> list[str]:
    """BM25 of works and actors: every stored score (document × token) bit for bit, by token."""
    found = []
    for name in ("n_works", "n_actors", "vocab"):
        if getattr(reference, name) != getattr(text_rank, name):
            found.append(f"text_rank.{name}")
    for name in ("edge_actor", "edge_work"):
        if not np.array_equal(getattr(reference, name), getattr(text_rank, name)):
            found.append(f"text_rank.{name}")
    for name in ("work_bm25", "actor_bm25"):
        old, new = getattr(reference, name), getattr(text_rank, name)
        if (old is None) != (new is None):
            found.append(f"text_rank.{name}: built in one only")
            continue
        if old is None:
            continue
        tokens = sorted(t for t in old.vocab_dict if t)
        if any(t not in new.vocab_dict for t in tokens):
            found.append(f"text_rank.{name}: vocabulary")
            continue
        if not _same(_by_token(old, tokens), _by_token(new, tokens)):
            found.append(f"text_rank.{name}: scores")
        extra = [t for t in new.vocab_dict if t and t not in old.vocab_dict]
        if extra and _by_token(new, extra).nnz:
            found.append(f"text_rank.{name}: scores for tokens it did not hold")
        if set(vars(old)) != set(vars(new)) or any(
            getattr(old, k) != getattr(new, k)
            for k in vars(old)
            if k not in ("scores", "vocab_dict", "unique_token_ids_set")
        ):
            found.append(f"text_rank.{name}: the model's state")
        if old.scores["num_docs"] != new.scores["num_docs"]:
            found.append(f"text_rank.{name}: documents")
    return found
