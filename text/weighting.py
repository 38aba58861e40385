"""Term weighting: TF-IDF (scikit-learn) over pre-tokenised documents.

Tokenising is the pipeline's job (:func:`text.pipeline.terms`); this module only weights.
Vectors are L2-normalised, so a dot product is a cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class TermWeights:
    """TF-IDF fitted on a corpus of token lists; ``vectors`` maps new token lists into it."""

    def __init__(self, corpus: Sequence[list[str]]) -> None:
        self._vectorizer = TfidfVectorizer(
            analyzer=_identity, sublinear_tf=True, norm="l2", min_df=1, dtype=np.float64
        )
        self._fitted = any(corpus)
        if self._fitted:
            self._vectorizer.fit(list(corpus))

    @property
    def vocabulary_size(self) -> int:
        return len(self._vectorizer.vocabulary_) if self._fitted else 0

    def vectors(self, docs: Sequence[list[str]]) -> sparse.csr_matrix:
        """One L2-normalised row per document (all zeros when it shares no term)."""
        if not self._fitted:
            return sparse.csr_matrix((len(docs), 1), dtype=np.float64)
        return sparse.csr_matrix(self._vectorizer.transform(list(docs)))

    def idf(self, term: str) -> float:
        if not self._fitted:
            return 0.0
        col = self._vectorizer.vocabulary_.get(term)
        return 0.0 if col is None else float(self._vectorizer.idf_[col])


def normalize_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
