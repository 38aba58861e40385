"""Ranking metrics with bootstrap 95 % intervals, shared by the quality benchmarks.

Each query (a firm, a withheld patent) gives the 1-based ranks of its wanted items among the
candidates; recall@k and MRR are means over queries, and their intervals come from resampling
the queries (percentile bootstrap, 2,000 draws). A paired interval for the difference of two
methods resamples the same queries for both, so "better" is only claimed when it excludes 0.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DRAWS = 2000


@dataclass(frozen=True)
class Scores:
    """Per-query values of one method (same query order for every method)."""

    r1: np.ndarray
    r10: np.ndarray
    rr: np.ndarray

    @property
    def n(self) -> int:
        return len(self.rr)


def per_query(ranks: Sequence[Sequence[int]], wanted: Sequence[int]) -> Scores:
    """``ranks[q]``: ranks of query q's hits (any order); ``wanted[q]``: how many it has."""
    r1, r10, rr = [], [], []
    for hits, n in zip(ranks, wanted, strict=True):
        hits = sorted(hits)
        r1.append(sum(1 for r in hits if r <= 1) / n)
        r10.append(sum(1 for r in hits if r <= 10) / n)
        rr.append(1.0 / hits[0] if hits else 0.0)
    return Scores(np.array(r1), np.array(r10), np.array(rr))


def rank_of(scores: np.ndarray, candidates: np.ndarray, wanted: set[int], tiebreak: np.ndarray) -> list[int]:
    """1-based ranks of the ``wanted`` positions when ``candidates`` are sorted by score
    (best first), equal scores in the shared random ``tiebreak`` order."""
    order = candidates[np.lexsort((tiebreak, -np.round(scores[candidates], 12)))]
    return [r for r, pos in enumerate(order, 1) if int(pos) in wanted]


def shuffled(n: int, key: str) -> np.ndarray:
    return np.array(random.Random(key).sample(range(n), n), dtype=np.int64)


def interval(values: np.ndarray, seed: int = 0) -> tuple[float, float]:
    if len(values) == 0:
        return (0.0, 0.0)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(values), size=(DRAWS, len(values)))
    means = values[idx].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def query_values(s: Scores) -> dict[str, list[float]]:
    """Every query's values (``--per-query``: to check a change leaves each query's rank as it was)."""
    return {"recall@1": s.r1.tolist(), "recall@10": s.r10.tolist(), "rr": s.rr.tolist()}


def summary(s: Scores) -> dict[str, object]:
    return {
        "n": s.n,
        "recall@1": float(s.r1.mean()) if s.n else 0.0,
        "recall@10": float(s.r10.mean()) if s.n else 0.0,
        "mrr": float(s.rr.mean()) if s.n else 0.0,
        "recall@1_ci": interval(s.r1),
        "recall@10_ci": interval(s.r10),
        "mrr_ci": interval(s.rr),
    }


def table(
    title: str, results: Mapping[str, Scores], note: str, ours: str, best_of: Callable[[str], bool]
) -> list[str]:
    """Rows per method, then ours against the best baseline (ratio and paired interval of the
    MRR difference). ``best_of(name)`` says which rows count as baselines."""
    lines = [f"\n{title}", note]
    lines.append(
        f"{'method':34s} {'R@1':>6s} {'R@10':>6s} {'R@10 95% CI':>14s} {'MRR':>6s} {'MRR 95% CI':>14s}"
    )
    for name, s in results.items():
        m = summary(s)
        lo10, hi10 = m["recall@10_ci"]  # type: ignore[misc]
        lo, hi = m["mrr_ci"]  # type: ignore[misc]
        lines.append(
            f"{name:34s} {m['recall@1']:6.3f} {m['recall@10']:6.3f} {f'[{lo10:.3f}, {hi10:.3f}]':>14s}"
            f" {m['mrr']:6.3f} {f'[{lo:.3f}, {hi:.3f}]':>14s}"
        )
    baselines = {k: v for k, v in results.items() if best_of(k)}
    if ours in results and results[ours].n == 0:
        lines.append("no testable query: nothing to compare")
    elif ours in results and baselines:
        best = max(baselines, key=lambda k: baselines[k].rr.mean())
        mine, theirs = results[ours], baselines[best]
        ratio = mine.rr.mean() / theirs.rr.mean() if theirs.rr.mean() else float("inf")
        lo, hi = interval(mine.rr - theirs.rr)
        lines.append(
            f"{ours} vs best baseline ({best}): MRR {ratio:.2f}×, difference "
            f"{mine.rr.mean() - theirs.rr.mean():+.3f} [95% CI {lo:+.3f}, {hi:+.3f}], n = {mine.n}"
        )
        # The same for recall@10, against the baseline best at recall@10.
        best10 = max(baselines, key=lambda k: baselines[k].r10.mean())
        theirs10 = baselines[best10]
        ratio10 = mine.r10.mean() / theirs10.r10.mean() if theirs10.r10.mean() else float("inf")
        lo10, hi10 = interval(mine.r10 - theirs10.r10)
        lines.append(
            f"{ours} vs best baseline at recall@10 ({best10}): {ratio10:.2f}×, difference "
            f"{mine.r10.mean() - theirs10.r10.mean():+.3f} [95% CI {lo10:+.3f}, {hi10:+.3f}]"
        )
    return lines
