"""Why the hand-set partner score loses at later Taiwan splits, and one principled change tried.

    INNOGRAPH_SHARED_DATA=/work/shared/data .venv/bin/python -m bench.partners_prior --years 2016 2017 2018

For each test year T (embedded projection, the split of ``bench/partners_real.py``: same
candidates, same random tie-break), the MRR of every signal of ``match.partners.score_all``
alone, of the API default, and of the baselines; then the change tried: the track record (the
institution's past cooperation with firms) given weight ``w`` and the other weights scaled to
1 − w. ``w`` is chosen on a split strictly before T — the graph before T, split at T − 1 — and
only then scored at T; the test split never chooses it.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import real_sets  # noqa: E402
from bench.partners_real import testable_firms  # noqa: E402
from bench.ranking_stats import Scores, interval, per_query, rank_of, shuffled  # noqa: E402
from match.evaluation import coapplicant_graph, graph_before, hold_out  # noqa: E402
from match.index import MatchIndex  # noqa: E402
from match.learn import activity, firm_partner_counts  # noqa: E402
from match.partners import WEIGHTS, score_all  # noqa: E402
from text.pipeline import get_nlp  # noqa: E402

SIGNALS = ("technology", "ipc", "text", "network", "complementarity", "track_record", "geography")
GRID = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
BASELINES = ("distinct firm partners before T", "popularity (patents before T)")


@dataclass
class Query:
    arrays: dict[str, np.ndarray]  # every signal and baseline over the candidates
    wanted: set[int]  # positions among the candidates
    tiebreak: np.ndarray


def queries(graph: nx.MultiDiGraph, year: int, seed: int = 0) -> list[Query]:
    split = hold_out(graph, year)
    index = MatchIndex.from_graph(split.train, get_nlp())
    coapp = coapplicant_graph(split.train)
    out = []
    for firm, candidates, wanted in testable_firms(index, coapp, split.targets):
        arrays, _, _ = score_all(index, firm)
        arrays = {k: v for k, v in arrays.items() if k in (*SIGNALS, "score")}
        arrays[BASELINES[0]] = firm_partner_counts(index)
        arrays[BASELINES[1]] = activity(index)
        counts = arrays[BASELINES[0]]
        arrays["log prior"] = np.log1p(counts) / max(float(np.log1p(counts.max())), 1e-12)
        where = {int(c): k for k, c in enumerate(candidates)}
        out.append(
            Query(
                {k: v[candidates] for k, v in arrays.items()},
                {where[w] for w in wanted},
                shuffled(len(index.actors), f"{seed}:{firm}")[candidates],
            )
        )
    return out


def reweighted(q: Query, w: float, prior: str = "track_record") -> np.ndarray:
    """The API score with the track record at weight ``w`` and the rest scaled to 1 − w.
    ``prior`` "log": the track record as log(1 + distinct firm partners) over the graph's
    largest, which does not saturate (1 − exp(−n/3) gives 0.96 at 10 firms and 0.99995 at 30)."""
    rest = sum(v for k, v in WEIGHTS.items() if k != "track_record")
    total = w * q.arrays["log prior" if prior == "log" else "track_record"]
    for name, weight in WEIGHTS.items():
        if name != "track_record":
            total = total + (1 - w) * weight / rest * q.arrays[name]
    return total


def scores(qs: list[Query], rank: str | float, prior: str = "track_record") -> Scores:
    ranks, wanted = [], []
    for q in qs:
        values = q.arrays[rank] if isinstance(rank, str) else reweighted(q, rank, prior)
        ranks.append(rank_of(values, np.arange(len(values)), q.wanted, q.tiebreak))
        wanted.append(len(q.wanted))
    return per_query(ranks, wanted)


def paired(a: Scores, b: Scores) -> str:
    lo, hi = interval(a.rr - b.rr)
    return f"{a.rr.mean() - b.rr.mean():+.3f} [{lo:+.3f}, {hi:+.3f}]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=sorted(real_sets.LOADERS), default="tw")
    parser.add_argument("--years", type=int, nargs="+", default=[2016, 2017, 2018])
    args = parser.parse_args(argv)
    graph = real_sets.projection(real_sets.LOADERS[args.set]())
    for year in args.years:
        t0 = time.perf_counter()
        test = queries(graph, year)
        # Validation: the splits at T − 3, T − 2 and T − 1, each on the graph before the next
        # year, pooled (one year alone gave 5 firms at T − 1 = 2015).
        valid = [q for y in range(year - 3, year) for q in queries(graph_before(graph, y + 1), y)]
        print(
            f"\nT = {year}: {len(test)} firms, {sum(len(q.wanted) for q in test)} pairs; "
            f"validation {year - 3}–{year - 1}: {len(valid)} firm splits; {time.perf_counter() - t0:.0f} s"
        )
        print("MRR of each signal alone (test | validation):")
        for name in (*SIGNALS, "score", *BASELINES):
            label = "API default (hand-set)" if name == "score" else name
            print(f"  {label:34s} {scores(test, name).rr.mean():6.3f} | {scores(valid, name).rr.mean():6.3f}")
        best_base = max(BASELINES, key=lambda b: scores(test, b).rr.mean())
        base, hand = scores(test, best_base), scores(test, "score")
        print(f"  API default vs best baseline ({best_base}) {base.rr.mean():.3f}: {paired(hand, base)}")
        for prior in ("track_record", "log"):
            val_mrr = {w: scores(valid, w, prior).rr.mean() for w in GRID}
            chosen = max(GRID, key=lambda w: (val_mrr[w], -w))
            new = scores(test, chosen, prior)
            lo, hi = interval(new.rr)
            print(
                f"prior {prior}: validation MRR by w "
                + ", ".join(f"{w}: {m:.3f}" for w, m in val_mrr.items())
            )
            print(
                f"  chosen w = {chosen}; at T = {year}: MRR {new.rr.mean():.3f} [{lo:.3f}, {hi:.3f}], "
                f"R@10 {new.r10.mean():.3f}; vs API default {paired(new, hand)}; "
                f"vs {best_base} {paired(new, base)}"
            )
            print(
                "  (test MRR at every w, for reading only: "
                + ", ".join(f"{w}: {scores(test, w, prior).rr.mean():.3f}" for w in GRID)
                + ")"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
