"""Term weighting: TF-IDF (fitted with scikit-learn) over pre-tokenised documents.

Tokenising is the pipeline's job (:func:`text.pipeline.terms`); this module only weights.
Vectors are L2-normalised, so a dot product is a cosine similarity.

scikit-learn fits the vocabulary and IDF; what is kept afterwards is only those two, and
:meth:`TermWeights.vectors` applies them with scipy (sublinear TF × IDF, L2 norm — the
vectorizer's own ``transform``, checked equal by ``tests/text/test_weighting.py``). Why: the
match index is saved on disk for the CLI, and unpickling a ``TfidfVectorizer`` imports
scikit-learn — over a second, more than the whole warm ``innograph match-demand`` call may take.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from scipy import sparse

#: Documents whose term ids are gathered at a time by :meth:`TermWeights.counts`.
_CHUNK = 20_000


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class TermWeights:
    """TF-IDF fitted on a corpus of token lists; ``vectors`` maps new token lists into it."""

    def __init__(self, corpus: Sequence[list[str]]) -> None:
        self.vocabulary: dict[str, int] = {}
        self.idf_values = np.zeros(0, dtype=np.float64)
        if any(corpus):
            # Imported here: only a build fits, and a saved index never needs scikit-learn.
            from sklearn.feature_extraction.text import TfidfVectorizer

            vectorizer = TfidfVectorizer(
                analyzer=_identity, sublinear_tf=True, norm="l2", min_df=1, dtype=np.float64
            )
            vectorizer.fit(list(corpus))
            self.vocabulary = {str(t): int(i) for t, i in vectorizer.vocabulary_.items()}
            self.idf_values = np.asarray(vectorizer.idf_, dtype=np.float64)

    @property
    def vocabulary_size(self) -> int:
        return len(self.vocabulary)

    def vectors(self, docs: Sequence[list[str]]) -> sparse.csr_matrix:
        """One L2-normalised row per document (all zeros when it shares no term)."""
        return self.weighted(self.counts(docs))

    def counts(self, docs: Sequence[list[str]]) -> sparse.csr_matrix:
        """How often each vocabulary term occurs in each document (terms outside it dropped).
        Counts add: a document made of others is the sum of their rows (``match.index`` builds
        an actor's from its works' this way instead of concatenating their terms)."""
        if not self.vocabulary:
            return sparse.csr_matrix((len(docs), 1), dtype=np.float64)
        # Column ids into arrays a chunk of documents at a time: lists of every term's row and
        # column were the largest transient of an index build's TF-IDF step (docs/benchmarks).
        get = self.vocabulary.get
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        for start in range(0, len(docs), _CHUNK):
            found = [[c for t in doc if (c := get(t)) is not None] for doc in docs[start : start + _CHUNK]]
            lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
            cols.append(
                np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64, count=int(lengths.sum()))
            )
            rows.append(np.repeat(np.arange(start, start + len(found), dtype=np.int64), lengths))
            del found
        row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        del rows, cols
        counts = sparse.csr_matrix(
            (np.ones(len(row), dtype=np.float64), (row, col)),
            shape=(len(docs), len(self.vocabulary)),
        )
        counts.sum_duplicates()
        return counts

    def weighted(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """Rows of :meth:`counts` as L2-normalised sublinear TF × IDF vectors."""
        if not self.vocabulary:
            return sparse.csr_matrix((counts.shape[0], 1), dtype=np.float64)
        counts = sparse.csr_matrix(counts)
        counts.sum_duplicates()  # canonical: the row norms below sum in column order
        data = (np.log(counts.data) + 1.0) * self.idf_values[counts.indices]  # sublinear TF × IDF
        return normalize_rows(sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape))

    def idf(self, term: str) -> float:
        col = self.vocabulary.get(term)
        return 0.0 if col is None else float(self.idf_values[col])


def normalize_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
