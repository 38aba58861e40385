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

from collections.abc import Sequence
from typing import Final

import bm25s
import numpy as np

from text.ngrams import cjk_bigrams

#: Dev-split weights of ``bench/demands_real.py`` (PatSnap title + abstract / + IPC, Taiwan +
#: IPC): the organisation's body of work, its best single work.
PROFILE_W: Final = 1.0
BEST_WORK_W: Final = 0.5
_EMPTY: Final = "∅"  # bm25s needs a token in every document


def query_tokens(text: str, words: Sequence[str]) -> list[str]:
    """What a text is matched on: its character bigrams and its jieba words."""
    return cjk_bigrams(text) + list(words)


def _bm25(docs: list[list[str]]) -> bm25s.BM25 | None:
    if not docs:
        return None
    model = bm25s.BM25()
    model.index([d or [_EMPTY] for d in docs], show_progress=False)
    return model


def _unit(values: np.ndarray) -> np.ndarray:
    """Scaled so the best candidate scores 1."""
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else values


class TextRank:
    """BM25 indexes over works and actors (words + bigrams) and the actor → work edges."""

    def __init__(
        self,
        work_docs: list[list[str]],
        actor_docs: list[list[str]],
        edges: Sequence[tuple[int, int]],
    ) -> None:
        self.n_works = len(work_docs)
        self.n_actors = len(actor_docs)
        self.vocab = frozenset(t for d in (*work_docs, *actor_docs) for t in d)
        self.work_bm25 = _bm25(work_docs)
        self.actor_bm25 = _bm25(actor_docs)
        self.edge_actor = np.array([a for a, _ in edges], dtype=np.int64)
        self.edge_work = np.array([w for _, w in edges], dtype=np.int64)

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
            works = np.asarray(self.work_bm25.get_scores(known), dtype=float)
            if skip_works is not None:
                works[skip_works] = 0.0
        if self.actor_bm25 is not None and self.n_actors:
            profile = np.asarray(self.actor_bm25.get_scores(known), dtype=float)
        if len(self.edge_actor):
            np.maximum.at(best, self.edge_actor, works[self.edge_work])
        return _unit(works), _unit(profile), _unit(best)

    def scores(
        self, tokens: Sequence[str], *, skip_works: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(works, actors) text signals in [0, 1]: a work's BM25; an actor's body of work and
        best single work fused with the dev-split weights."""
        works, profile, best = self.parts(tokens, skip_works=skip_works)
        fused = (PROFILE_W * profile + BEST_WORK_W * best) / (PROFILE_W + BEST_WORK_W)
        return works, fused
