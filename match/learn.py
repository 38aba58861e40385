"""Partner weights learned from the graph's own history, not chosen by hand.

The graph dates its co-applications, so it can teach itself: take the graph as it stood
before a year Y, list the firm–institution pairs that first co-applied in Y, and fit a
logistic regression that tells those new pairs from every other candidate of the same firms
(features: :func:`features`). Several years pooled give more pairs. The fitted coefficients
(on standardised features) are the weights; the ranking uses the model's decision function.

Nothing is downloaded; scikit-learn fits in well under a second on the real sets.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import networkx as nx
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from spacy.language import Language

from graph.model import NodeLabel
from match import signals
from match.index import MatchIndex

L = NodeLabel
INSTITUTIONS: Final = frozenset({L.UNIVERSITY, L.RESEARCH_INSTITUTE})
#: The features, in model order. ``firm_partners`` is the track record as a plain count of
#: distinct firms co-applied with (log-scaled): on the Taiwan set it alone beats every
#: technology signal, so it is a feature of its own rather than a 0.05 share of a sum.
#: Technology features are scaled by the firm's best candidate (its best match is 1), so one
#: model fits firms with broad and narrow portfolios alike; ``fit_x_partners`` lets a strong
#: track record count more where the field fits. (Chosen among six variants on the Taiwan 2016
#: split and checked on 2017 and 2018: docs/benchmarks/matchmaking.md.)
FEATURES: Final = (
    "ipc",
    "text",
    "network",
    "ipc_adamic_adar",
    "firm_partners",
    "geography",
    "fit_x_partners",
)
PARTNER_TIES: Final = frozenset({"coapplication", "transfer", "project"})


def _kinds(index: MatchIndex, a: str, b: str) -> set[str]:
    """The kinds of the tie between two neighbours of the tie graph."""
    tie = index.tie(a, b)
    return set() if tie is None else set(tie.via)


def firm_partner_counts(index: MatchIndex) -> np.ndarray:
    """How many distinct firms each actor co-applied, transferred or ran a project with."""
    cached = index.memo.get(("firm-partners", ""))
    if cached is None:
        counts = np.zeros(len(index.actors))
        for i, a in enumerate(index.actors):
            if a in index.ties:
                counts[i] = sum(
                    1
                    for b in index.ties.neighbors(a)
                    if index.label.get(b) == L.ENTERPRISE and PARTNER_TIES & _kinds(index, a, b)
                )
        index.memo[("firm-partners", "")] = counts
        cached = counts
    return cached  # type: ignore[return-value]


def activity(index: MatchIndex) -> np.ndarray:
    """How many works each actor holds (patents, achievements, projects)."""
    cached = index.memo.get(("activity", ""))
    if cached is None:
        cached = np.array([float(len(index.actor_works[a])) for a in index.actors])
        index.memo[("activity", "")] = cached
    return cached  # type: ignore[return-value]


def _ipc_holders(index: MatchIndex) -> dict[str, list[int]]:
    cached = index.memo.get(("ipc-holders", ""))
    if cached is None:
        holders: dict[str, list[int]] = defaultdict(list)
        for i, a in enumerate(index.actors):
            for code in (*index.actor_sub[a], *index.actor_grp[a]):
                holders[code].append(i)
        index.memo[("ipc-holders", "")] = dict(holders)
        cached = dict(holders)
    return cached  # type: ignore[return-value]


def ipc_adamic_adar(index: MatchIndex, firm: str) -> np.ndarray:
    """Adamic–Adar on the actor–IPC graph: Σ 1/log(holders of z) over the subclasses and main
    groups z the firm and the candidate both hold (a rare shared field says more)."""
    out = np.zeros(len(index.actors))
    holders = _ipc_holders(index)
    for code in (*index.actor_sub[firm], *index.actor_grp[firm]):
        rows = holders.get(code, [])
        if len(rows) > 1:
            out[rows] += 1.0 / math.log(len(rows))
    return out


def features(index: MatchIndex, firm: str) -> np.ndarray:
    """One row per actor, one column per :data:`FEATURES` entry."""
    ipc, text = signals.technology(index, firm)
    prox = signals.proximity(index, firm)
    network = prox.scores(index)
    ipc, text, aa = _by_best(ipc), _by_best(text), _by_best(np.log1p(ipc_adamic_adar(index, firm)))
    partners = np.log1p(firm_partner_counts(index))
    columns = [ipc, text, network, aa, partners, signals.geography(index, firm), ipc * partners]
    return np.column_stack(columns)


def _by_best(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else values


@dataclass(frozen=True)
class LearnedWeights:
    """A fitted ranking model and what it learned from."""

    model: Pipeline
    weights: dict[str, float]  # coefficient per standardised feature
    years: tuple[int, ...]
    positives: int
    firms: int

    def score(self, index: MatchIndex, firm: str) -> np.ndarray:
        return np.asarray(self.model.decision_function(features(index, firm)))

    def describe(self) -> dict[str, object]:
        return {
            "method": "logistic regression on standardised features, fitted on the graph's own history",
            "weights": self.weights,
            "years": list(self.years),
            "positives": self.positives,
            "firms": self.firms,
        }


def training_rows(
    index: MatchIndex, targets: Mapping[str, set[str]], existing: Mapping[str, set[str]]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Feature rows and 0/1 labels: each firm's candidate institutions, new partners marked."""
    is_inst = np.isin(index.actor_labels, [lab.value for lab in INSTITUTIONS])
    xs, ys = [], []
    for firm in sorted(targets):
        if firm not in index.actor_pos:
            continue
        mask = is_inst.copy()
        for a in existing.get(firm, set()):
            if a in index.actor_pos:
                mask[index.actor_pos[a]] = False
        rows = np.flatnonzero(mask)
        label = np.zeros(len(rows))
        wanted = {index.actor_pos[i] for i in targets[firm] if i in index.actor_pos}
        label[[k for k, r in enumerate(rows) if r in wanted]] = 1.0
        if label.any():
            xs.append(features(index, firm)[rows])
            ys.append(label)
    return xs, ys


def _fold_splits(
    graph: nx.MultiDiGraph, folds: int, seed: int
) -> list[tuple[nx.MultiDiGraph, dict[str, set[str]]]]:
    """Every past co-application becomes a training example, not only the last years' few."""
    from match.evaluation import fold_splits  # evaluation imports the partner scorer this feeds

    return fold_splits(graph, folds, seed)


def learn_weights(
    graph: nx.MultiDiGraph,
    nlp: Language,
    years: Sequence[int] = (),
    *,
    folds: int = 5,
    c: float = 0.1,
    seed: int = 0,
) -> LearnedWeights | None:
    """Fit on the graph's own history: the pairs first co-applied in each of ``years`` (graph
    before that year each time) and, with ``folds``, every known pair hidden in turn. None when
    the history holds no pair at all. Pass the graph as it stood before the evaluation year."""
    from match.evaluation import coapplicant_graph, hold_out

    splits: list[tuple[nx.MultiDiGraph, dict[str, set[str]]]] = []
    for year in years:
        split = hold_out(graph, year, until=year + 1)
        if split.targets:
            splits.append((split.train, split.targets))
    if folds > 1:
        splits += _fold_splits(graph, folds, seed)
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for train, targets in splits:
        if not targets:
            continue
        index = MatchIndex.from_graph(train, nlp)
        coapp = coapplicant_graph(train)
        existing = {f: set(coapp.neighbors(f)) if f in coapp else set() for f in targets}
        x, y = training_rows(index, targets, existing)
        xs += x
        ys += y
    if not ys:
        return None
    x_all, y_all = np.vstack(xs), np.concatenate(ys)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=1000))
    model.fit(x_all, y_all)
    coef = model[-1].coef_.ravel()
    weights = {name: round(float(w), 4) for name, w in zip(FEATURES, coef, strict=True)}
    return LearnedWeights(model, weights, tuple(years), int(y_all.sum()), len(ys))


def learned_for(index: MatchIndex, projection: Callable[[], nx.MultiDiGraph]) -> LearnedWeights | None:
    """Weights learned from the index's own graph (memoised per index version): trained on the
    new pairs of the last three years with data and on five folds of hidden pairs. None when
    the graph has no dated firm–institution co-application to learn from.

    ``projection``: reads the graph the index was built from (``match.cache.projection`` of
    the store), called only when nothing is memoised yet — the index keeps no graph, and
    learning needs the relationships' dates, which it does not keep either."""
    cached = index.memo.get(("learned-partners", ""))
    if cached is None:
        years = [y for y in index.year.values() if y is not None]
        model = learn_weights(projection(), index.nlp, history_years(max(years) + 1)) if years else None
        cached = model if model is not None else False
        index.memo[("learned-partners", "")] = cached
    return cached or None  # type: ignore[return-value]


def history_years(before: int, *, span: int = 3) -> list[int]:
    """The ``span`` years before ``before`` (the training years of a split at ``before``)."""
    return list(range(before - span, before))
