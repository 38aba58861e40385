"""Temporal hold-out evaluation of partner finding (used by ``bench/match_quality.py``).

Hide the firm–university / institute co-applications that first appear in or after a year
T, rebuild the graph as it stood before T, rank partners for every firm that gained one, and
score the rankings: recall@k and mean reciprocal rank (MRR). Baselines — random, common
neighbours and Adamic–Adar on the co-applicant network, IPC similarity alone — rank the same
candidates with the same random tie-breaking, so only the scores differ.

Liben-Nowell & Kleinberg, *The link-prediction problem for social networks*, JASIST 58 (2007).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import networkx as nx
import numpy as np
from spacy.language import Language

from graph.model import NodeLabel, RelType
from match import signals
from match.index import WORK_LABELS, MatchIndex, _year
from match.node_fields import REL_DATES
from match.partners import score_all

L = NodeLabel
INSTITUTIONS: Final = frozenset({L.UNIVERSITY, L.RESEARCH_INSTITUTE})
#: Relationship properties that date a relationship (a year, or an ISO date starting with one).
_DATE_PROPS: Final = REL_DATES  # what an index's projection keeps of a relationship


def _rel_year(props: Mapping[str, Any]) -> int | None:
    for key in _DATE_PROPS:
        value = props.get(key)
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value[:4].isdigit():
            return int(value[:4])
    return None


def graph_before(graph: nx.MultiDiGraph, year: int) -> nx.MultiDiGraph:
    """The graph as it stood before ``year``: later works and later-dated relationships removed."""
    out: nx.MultiDiGraph = graph.copy()
    late = [
        n
        for n, a in graph.nodes(data=True)
        if a["label"] in WORK_LABELS and (y := _year(a)) is not None and y >= year
    ]
    out.remove_nodes_from(late)
    dated = [
        (u, v, k)
        for u, v, k, a in out.edges(keys=True, data=True)
        if (y := _rel_year(a)) is not None and y >= year
    ]
    out.remove_edges_from(dated)
    return out


def first_coapplications(graph: nx.MultiDiGraph) -> dict[tuple[str, str], int]:
    """(firm, institution) -> the year of their first co-applied patent."""
    first: dict[tuple[str, str], int] = {}
    for p, attrs in graph.nodes(data=True):
        if attrs["label"] != L.PATENT or (y := _year(attrs)) is None:
            continue
        applicants = [u for u, _, k in graph.in_edges(p, keys=True) if k == RelType.APPLIED_FOR]
        firms = [a for a in applicants if graph.nodes[a]["label"] == L.ENTERPRISE]
        insts = [a for a in applicants if graph.nodes[a]["label"] in INSTITUTIONS]
        for f in firms:
            for i in insts:
                first[(f, i)] = min(y, first.get((f, i), y))
    return first


@dataclass(frozen=True)
class HoldOut:
    year: int
    train: nx.MultiDiGraph
    targets: dict[str, set[str]]  # firm -> institutions it first co-applied with in or after `year`
    pairs_all: int  # held-out pairs before dropping cold starts
    cold_firms: int  # firms with no history before `year` (nobody can rank for them)
    cold_institutions: int  # held-out institutions with no history before `year`


def hold_out(graph: nx.MultiDiGraph, year: int, *, until: int | None = None) -> HoldOut:
    """Pairs first co-applied in [year, until) (no end by default) and the graph before ``year``."""
    first = first_coapplications(graph)
    train = graph_before(graph, year)
    late = {pair for pair, y in first.items() if y >= year and (until is None or y < until)}
    targets: dict[str, set[str]] = defaultdict(set)
    cold: set[str] = set()
    cold_insts: set[str] = set()

    def has_history(node: str) -> bool:
        return node in train and train.degree(node) > 0

    # Link prediction scores pairs of nodes that both exist before T: a firm or institution
    # with no history at all is a cold start that no method (ours included) can rank.
    for firm, inst in sorted(late):
        if not has_history(firm):
            cold.add(firm)
        elif not has_history(inst):
            cold_insts.add(inst)
        else:
            targets[firm].add(inst)
    return HoldOut(year, train, dict(targets), len(late), len(cold), len(cold_insts))


def coapplicant_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Applicants linked when they co-applied for a patent: the classic link-prediction network."""
    g: nx.Graph = nx.Graph()
    for p, attrs in graph.nodes(data=True):
        if attrs["label"] != L.PATENT:
            continue
        applicants = sorted(u for u, _, k in graph.in_edges(p, keys=True) if k == RelType.APPLIED_FOR)
        for i, a in enumerate(applicants):
            for b in applicants[i + 1 :]:
                g.add_edge(a, b)
    return g


def index_coapplicants(index: MatchIndex) -> nx.Graph:
    """:func:`coapplicant_graph` of the graph ``index`` was built from, read from the index
    (which keeps no graph): patents in the projection's order, applicants sorted, as there."""
    g: nx.Graph = nx.Graph()
    for p, label in index.label.items():
        if label != L.PATENT:
            continue
        applicants = index.into(p, RelType.APPLIED_FOR)
        for i, a in enumerate(applicants):
            for b in applicants[i + 1 :]:
                g.add_edge(a, b)
    return g


Ranker = Callable[[MatchIndex, str], np.ndarray]  # scores over index.actors


def rankers(index: MatchIndex, *, seed: int = 0) -> dict[str, Ranker]:
    coapp = index_coapplicants(index)

    def neighbour_scores(firm: str, weight: Callable[[str], float]) -> np.ndarray:
        out = np.zeros(len(index.actors))
        if firm not in coapp:
            return out
        for z in coapp.neighbors(firm):
            w = weight(z)
            for c in coapp.neighbors(z):
                if c != firm and c in index.actor_pos:
                    out[index.actor_pos[c]] += w
        return out

    def adamic_adar_weight(z: str) -> float:
        d = coapp.degree(z)
        return 1.0 / math.log(d) if d > 1 else 0.0

    def tie_graph_adamic_adar(ix: MatchIndex, firm: str) -> np.ndarray:
        out = np.zeros(len(ix.actors))
        for c, value in signals.proximity(ix, firm).adamic_adar.items():
            if c in ix.actor_pos:
                out[ix.actor_pos[c]] = value
        return out

    return {
        "random": lambda ix, firm: np.zeros(len(ix.actors)),
        "common neighbours": lambda ix, firm: neighbour_scores(firm, lambda z: 1.0),
        "Adamic–Adar": lambda ix, firm: neighbour_scores(firm, adamic_adar_weight),
        # A stronger network baseline: Adamic–Adar over every tie we know (alliances, inventors,
        # projects, transfers), i.e. our network signal alone.
        "Adamic–Adar, all ties": tie_graph_adamic_adar,
        "IPC similarity": lambda ix, firm: signals.technology(ix, firm)[0],
        "InnoGraph (ours)": lambda ix, firm: score_all(ix, firm)[0]["score"],
    }


@dataclass(frozen=True)
class Metrics:
    recall_at_k: float
    mrr: float
    firms: int
    pairs: int


def evaluate(
    index: MatchIndex,
    targets: Mapping[str, set[str]],
    *,
    k: int = 10,
    seed: int = 0,
    methods: Mapping[str, Ranker] | None = None,
) -> dict[str, Metrics]:
    """Recall@k (mean over firms) and MRR of each method on the held-out partners.

    Candidates: every university and institute in the training graph the firm has not yet
    co-applied with (earlier projects or transfers do not make a pair "old": the held-out
    event is the first co-application). Ties are broken by one random order per firm, shared
    by all methods.
    """
    methods = methods or rankers(index, seed=seed)
    coapp = index_coapplicants(index)
    is_inst = np.isin(index.actor_labels, [lab.value for lab in INSTITUTIONS])
    sums = {name: [0.0, 0.0] for name in methods}
    firms = [f for f in sorted(targets) if f in index.actor_pos and targets[f]]
    pairs = evaluated = 0
    for firm in firms:
        existing = set(coapp.neighbors(firm)) if firm in coapp else set()
        mask = is_inst.copy()
        for a in existing:
            if a in index.actor_pos:
                mask[index.actor_pos[a]] = False
        positions = np.flatnonzero(mask)
        tiebreak = np.array(random.Random(f"{seed}:{firm}").sample(range(len(positions)), len(positions)))
        wanted = {index.actor_pos[i] for i in targets[firm] if i in index.actor_pos} - {
            index.actor_pos[a] for a in existing if a in index.actor_pos
        }
        if not wanted:
            continue
        evaluated += 1
        pairs += len(wanted)
        for name, method in methods.items():
            scores = method(index, firm)[positions]
            order = positions[np.lexsort((tiebreak, -np.round(scores, 12)))]
            hits = [r for r, pos in enumerate(order, 1) if pos in wanted]
            sums[name][0] += sum(1 for r in hits if r <= k) / len(wanted)
            sums[name][1] += 1.0 / hits[0] if hits else 0.0
    counted = max(evaluated, 1)
    return {name: Metrics(r / counted, m / counted, evaluated, pairs) for name, (r, m) in sums.items()}


def evaluate_hold_out(
    graph: nx.MultiDiGraph, year: int, nlp: Language, *, k: int = 10, seed: int = 0, until: int | None = None
) -> tuple[HoldOut, dict[str, Metrics]]:
    split = hold_out(graph, year, until=until)
    index = MatchIndex.from_graph(split.train, nlp)
    return split, evaluate(index, split.targets, k=k, seed=seed)


def pool(results: list[dict[str, Metrics]]) -> dict[str, Metrics]:
    """Several evaluations as one: metrics averaged over all their firms."""
    names = list(results[0]) if results else []
    pooled = {}
    for name in names:
        firms = sum(r[name].firms for r in results)
        pairs = sum(r[name].pairs for r in results)
        denominator = max(firms, 1)
        pooled[name] = Metrics(
            sum(r[name].recall_at_k * r[name].firms for r in results) / denominator,
            sum(r[name].mrr * r[name].firms for r in results) / denominator,
            firms,
            pairs,
        )
    return pooled


def evaluate_rolling(
    graph: nx.MultiDiGraph, years: range, nlp: Language, *, k: int = 10, seed: int = 0
) -> tuple[list[HoldOut], dict[str, Metrics]]:
    """Rolling origin: for each year T, learn from before T and test the pairs first seen in T.

    Every held-out pair is tested once, with all the history before its year — the most a
    sparse sample (few firms with any history) can give.
    """
    splits, results = [], []
    for year in years:
        split, metrics = evaluate_hold_out(graph, year, nlp, k=k, seed=seed, until=year + 1)
        splits.append(split)
        results.append(metrics)
    return splits, pool(results)


def fold_splits(
    graph: nx.MultiDiGraph, folds: int, seed: int
) -> list[tuple[nx.MultiDiGraph, dict[str, set[str]]]]:
    """Hide each fold of the known firm–institution pairs (the patents they share removed):
    per fold, the graph without them and the hidden pairs whose two sides keep some history.
    ``match.learn`` learns the partner weights from them."""
    pairs = sorted(first_coapplications(graph))
    random.Random(seed).shuffle(pairs)
    out = []
    for f in range(folds):
        hidden = set(pairs[f::folds])
        shared = [
            p
            for p, attrs in graph.nodes(data=True)
            if attrs["label"] == L.PATENT
            and any((u, v) in hidden for u in graph.predecessors(p) for v in graph.predecessors(p))
        ]
        train: nx.MultiDiGraph = graph.copy()
        train.remove_nodes_from(shared)
        targets: dict[str, set[str]] = defaultdict(set)
        for firm, inst in hidden:
            if train.degree(firm) > 0 and train.degree(inst) > 0:
                targets[firm].add(inst)
        out.append((train, dict(targets)))
    return out
