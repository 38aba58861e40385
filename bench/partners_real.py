"""Partner finding on a real time split: which institution will a firm co-apply with next?

    INNOGRAPH_SHARED_DATA=/work/shared/data .venv/bin/python -m bench.partners_real --year 2016

Graph before T (the Taiwan academic patents by default); the test pairs are firm–institution
pairs first co-applied at or after T where both sides have a patent before T. Candidates for a
firm: the institutions with a patent before T that it has not co-applied with yet. Every
method ranks the same candidates with the same random tie-break; see bench/ranking_stats.py.

Methods: random among the active; popularity (patents before T); distinct firm partners before
T; IPC cosine; Adamic–Adar on the firm–IPC–institution graph; Adamic–Adar on the co-applicant
network; InnoGraph with its hand-set weights (match.partners.WEIGHTS); InnoGraph with weights
learned from the graph's own history before T (match.learn, years T-3…T-1).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import real_sets  # noqa: E402
from bench.ranking_stats import Scores, per_query, query_values, rank_of, shuffled, summary, table  # noqa: E402
from match import signals  # noqa: E402
from match.evaluation import INSTITUTIONS, coapplicant_graph, graph_before, hold_out  # noqa: E402
from match.index import MatchIndex  # noqa: E402
from match.learn import (  # noqa: E402
    activity,
    firm_partner_counts,
    history_years,
    ipc_adamic_adar,
    learn_weights,
)
from match.partners import score_all  # noqa: E402
from text.pipeline import get_nlp  # noqa: E402

OURS = "InnoGraph, learned weights"
HAND = "InnoGraph, hand-set weights (API default)"
Ranker = Callable[[MatchIndex, str], np.ndarray]


def testable_firms(
    index: MatchIndex, coapp: nx.Graph, targets: dict[str, set[str]]
) -> Iterator[tuple[str, np.ndarray, set[int]]]:
    """Each test firm with its candidates and the positions of its new partners among them.

    Candidates: institutions with a work before T that are not already the firm's co-applicants
    (a suggestion must be new); firms outside the index or with no new partner among the
    candidates are not testable. Shared by ``bench.partners_real`` and ``bench.partners_prior``,
    so both score the same queries."""
    is_inst = np.isin(index.actor_labels, [lab.value for lab in INSTITUTIONS])
    active = np.array([len(index.actor_works[a]) > 0 for a in index.actors])
    for firm in sorted(targets):
        if firm not in index.actor_pos:
            continue
        mask = is_inst & active
        for a in set(coapp.neighbors(firm)) if firm in coapp else set():
            if a in index.actor_pos:
                mask[index.actor_pos[a]] = False
        candidates = np.flatnonzero(mask)
        wanted = {index.actor_pos[i] for i in targets[firm] if i in index.actor_pos} & set(
            candidates.tolist()
        )
        if wanted:
            yield firm, candidates, wanted


def evaluate(
    graph: nx.MultiDiGraph, year: int, *, seed: int = 0
) -> tuple[dict[str, Scores], dict[str, object]]:
    nlp = get_nlp()
    split = hold_out(graph, year)
    index = MatchIndex.from_graph(split.train, nlp)
    coapp = coapplicant_graph(split.train)
    learned = learn_weights(graph_before(graph, year), nlp, history_years(year))

    def adamic_adar(ix: MatchIndex, firm: str) -> np.ndarray:
        out = np.zeros(len(ix.actors))
        if firm in coapp:
            for z in coapp.neighbors(firm):
                d = coapp.degree(z)
                if d > 1:
                    for c in coapp.neighbors(z):
                        if c != firm and c in ix.actor_pos:
                            out[ix.actor_pos[c]] += 1.0 / np.log(d)
        return out

    methods: dict[str, Ranker] = {
        "random among the active": lambda ix, f: np.zeros(len(ix.actors)),
        "popularity (patents before T)": lambda ix, f: activity(ix),
        "distinct firm partners before T": lambda ix, f: firm_partner_counts(ix),
        "IPC cosine": lambda ix, f: signals.technology(ix, f)[0],
        "Adamic–Adar firm–IPC–institution": ipc_adamic_adar,
        "Adamic–Adar co-applicants": adamic_adar,
        HAND: lambda ix, f: score_all(ix, f)[0]["score"],
    }
    if learned is not None:
        methods[OURS] = learned.score
    ranks: dict[str, list[list[int]]] = {name: [] for name in methods}
    wanted_n: list[int] = []
    candidates_n: list[int] = []
    for firm, candidates, wanted in testable_firms(index, coapp, split.targets):
        tiebreak = shuffled(len(index.actors), f"{seed}:{firm}")[candidates]
        wanted_n.append(len(wanted))
        candidates_n.append(len(candidates))
        for name, method in methods.items():
            ranks[name].append(rank_of(method(index, firm), candidates, wanted, tiebreak))
    results = {name: per_query(r, wanted_n) for name, r in ranks.items()}
    info: dict[str, object] = {
        "year": year,
        "pairs held out": split.pairs_all,
        "firms tested": len(wanted_n),
        "pairs tested": sum(wanted_n),
        "cold firms": split.cold_firms,
        "cold institutions": split.cold_institutions,
        "candidates per firm (median)": float(np.median(candidates_n)) if candidates_n else 0,
        "learned": learned.describe() if learned else None,
    }
    return results, info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=sorted(real_sets.LOADERS), default="tw")
    parser.add_argument("--year", type=int, default=2016)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--per-query", type=Path, help="every query's r@1, r@10 and RR per method (JSON)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    graph = real_sets.projection(real_sets.LOADERS[args.set]())
    results, info = evaluate(graph, args.year)
    note = (
        f"pairs first co-applied ≥ {args.year}: {info['pairs held out']}; "
        f"tested {info['pairs tested']} pairs of {info['firms tested']} firms "
        f"(both sides with patents before T); median "
        f"{info['candidates per firm (median)']:.0f} candidates per firm; {time.perf_counter() - t0:.0f} s"
    )
    lines = table(
        f"Partners, {args.set}, time split T = {args.year}",
        results,
        note,
        OURS,
        lambda name: not name.startswith("InnoGraph"),
    )
    # The API's default ranking against the same baselines (the line above is the learned one).
    lines.extend(
        line
        for line in table("", results, "", HAND, lambda name: not name.startswith("InnoGraph"))
        if line.startswith(f"{HAND} vs")
    )
    learned = info["learned"]
    if isinstance(learned, dict):
        lines.append(f"learned weights (standardised features): {learned['weights']}")
        lines.append(
            f"learned from years {learned['years']} and 5 folds of the pairs before T: "
            f"{learned['positives']} new pairs of {learned['firms']} firm splits"
        )
    print("\n".join(lines))
    if args.json:
        out = {"info": info, "results": {k: summary(v) for k, v in results.items()}}
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.per_query:
        found = {k: query_values(v) for k, v in results.items()}
        args.per_query.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
