"""Partner finding: universities, institutes, experts (and on request firms) for one enterprise.

The score is a weighted sum of five signals in [0, 1] (:data:`WEIGHTS`), every one reported
in the breakdown; each suggestion carries evidence paths drawn from the graph.

A firm and a university that both patent LED cooling (IPC F21V29/00); a university that does not:

>>> from graph.changeset import ChangeSet
>>> from graph.embedded import EmbeddedStore
>>> from graph.model import NodeLabel as L, RelType as R
>>> from match.cache import build_index
>>> cs = ChangeSet()
>>> _ = cs.add_node(L.IPC, {"id": "ipc:F21V29/00", "code": "F21V29/00", "level": "group", "name": "冷却"})
>>> _ = cs.add_node(L.ENTERPRISE, {"id": "ent:A", "name": "天津甲光电有限公司"})
>>> _ = cs.add_node(L.UNIVERSITY, {"id": "uni:T", "name": "天津大学"})
>>> _ = cs.add_node(L.UNIVERSITY, {"id": "uni:F", "name": "远方农业大学"})
>>> for patent, owner, label in (("pat:1", "ent:A", L.ENTERPRISE), ("pat:2", "uni:T", L.UNIVERSITY)):
...     _ = cs.add_node(L.PATENT, {"id": patent, "title": "大功率LED散热装置"})
...     cs.add_relationship(R.APPLIED_FOR, (label, owner), (L.PATENT, patent))
...     cs.add_relationship(R.CLASSIFIED_AS, (L.PATENT, patent), (L.IPC, "ipc:F21V29/00"))
>>> store = EmbeddedStore()
>>> store.apply(cs)
ApplyResult(nodes=6, relationships=4)
>>> result = find_partners(build_index(store), PartnerQuery("ent:A", limit=5))
>>> [(m.candidate, round(m.signals["technology"], 2)) for m in result.matches]
[('uni:T', 0.25)]
>>> sorted({path.signal for path in result.matches[0].evidence})
['geography', 'technology']

Technology fit is 1.0 × 1 / (1 + 3): one shared patent is thin evidence (:data:`EVIDENCE_K`);
geography comes from the 天津 in both names, since neither has an address.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np

from graph.errors import NotFoundError, ValidationError
from graph.model import NodeLabel
from graph.regions import in_any, is_region_code
from match import signals
from match.evidence import EvidencePath
from match.explain import (
    complementarity_paths,
    geography_paths,
    network_paths,
    technology_paths,
    track_paths,
)
from match.groups import GROUP_RELS, same_group
from match.index import MatchIndex

if TYPE_CHECKING:  # a type only: learn fits its model with match.evaluation, which scores with this module
    from match.learn import LearnedWeights

L = NodeLabel

#: How the five signals add up (they sum to 1, so the total stays in [0, 1]). Chosen among a
#: few candidates on a demo set generated with another seed (7) than the one the quality
#: benchmark reports (see docs/benchmarks/matchmaking.md).
WEIGHTS: Final[dict[str, float]] = {
    "technology": 0.35,
    "network": 0.35,
    "complementarity": 0.15,
    "track_record": 0.05,
    "geography": 0.10,
}
#: Technology fit counts in full only for a candidate with a body of work: it is scaled by
#: n / (n + EVIDENCE_K) for a candidate with n works, so one patent that happens to share the
#: firm's IPC group (an individual applicant, a one-off institute) no longer outranks a
#: university with eleven patents in the field. On the Taiwan time split this lifted the hand-set
#: ranking at every split (MRR 0.150 → 0.224 at T = 2016; docs/benchmarks/matchmaking.md);
#: 3 is the middle of the three values tried (1, 3, 10), which all did about as well.
EVIDENCE_K: Final = 3.0
DEFAULT_TYPES: Final = (L.UNIVERSITY, L.RESEARCH_INSTITUTE, L.PERSON)
PARTNER_TYPES: Final = frozenset({L.UNIVERSITY, L.RESEARCH_INSTITUTE, L.PERSON, L.ENTERPRISE})
MAX_LIMIT: Final = 100


@dataclass(frozen=True)
class PartnerQuery:
    enterprise: str
    types: Sequence[NodeLabel] = DEFAULT_TYPES
    region: str | None = None
    industry: str | None = None
    exclude_existing: bool = False
    limit: int = 10
    offset: int = 0


@dataclass(frozen=True)
class PartnerMatch:
    candidate: str
    score: float
    signals: dict[str, float]
    existing_partner: bool
    evidence: list[EvidencePath] = field(default_factory=list)


@dataclass(frozen=True)
class PartnerResult:
    enterprise: str
    total: int
    #: New suggestions only: never the firm's existing partners or its own group.
    matches: list[PartnerMatch]
    #: Partners the firm already has, shown apart (empty with ``exclude_existing``).
    existing: list[PartnerMatch] = field(default_factory=list)
    #: The firm's parent, branches and subsidiaries, shown apart (see :mod:`match.groups`).
    same_group: list[PartnerMatch] = field(default_factory=list)
    #: The weights this ranking used.
    weights: dict[str, float] = field(default_factory=lambda: dict(WEIGHTS))
    #: What the user should know about the list (e.g. a cold start).
    notices: list[str] = field(default_factory=list)


def _matches_region(index: MatchIndex, actor: str, region: str) -> bool:
    if region in index.region_nodes[actor] or region in index.parks[actor]:
        return True
    if is_region_code(region):
        # "1201" (Tianjin) holds "120110" (Dongli) and a university placed at "120000" (天津市):
        # the region hierarchy decides, not a string prefix (graph/regions.py).
        return any(in_any(code, (region,)) for code in index.regions[actor])
    return any(region in city for city in index.cities[actor])


def _matches_industry(index: MatchIndex, actor: str, industry: str) -> bool:
    return any(code == industry or code.startswith(industry) for code in index.actor_industries[actor])


def _check(index: MatchIndex, query: PartnerQuery) -> None:
    label = index.label.get(query.enterprise)
    if label is None:
        raise NotFoundError(f"no entity with id {query.enterprise!r}")
    if label != L.ENTERPRISE:
        raise ValidationError(
            f"{query.enterprise} is a {label.value}, not an Enterprise: partners are found for firms",
            field="id",
        )
    wrong = [t for t in query.types if t not in PARTNER_TYPES]
    if wrong:
        raise ValidationError(
            f"type {wrong[0]} cannot be a partner; choose from {', '.join(sorted(PARTNER_TYPES))}",
            field="type",
        )
    if not 1 <= query.limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    if query.region and query.region.isdigit() and not is_region_code(query.region):
        # Digits that are no division code would match nothing and look like "no partners".
        raise ValidationError(
            f"region {query.region!r} is not a division code: use 2, 4, 6 or 9 digits "
            "(12 天津市, 1201, 120110 东丽区), a region id or a city name",
            field="region",
        )


def evidence_strength(index: MatchIndex) -> np.ndarray:
    """n / (n + :data:`EVIDENCE_K`) for every actor with n works (the same for every firm)."""
    cached = index.memo.get(("evidence_strength", ""))
    if cached is None:
        n = np.array([len(index.actor_works[a]) for a in index.actors], dtype=float)
        cached = n / (n + EVIDENCE_K)
        index.memo[("evidence_strength", "")] = cached
    return cached  # type: ignore[return-value]


def score_all(
    index: MatchIndex, firm: str, *, weights: Mapping[str, float] = WEIGHTS
) -> tuple[dict[str, np.ndarray], signals.Proximity, signals.BestDemands]:
    """Every signal for every actor, the weighted total (key ``"score"``), the firm's network
    proximity and each actor's best demand of the firm (:func:`match.signals.complementarity`)."""
    ipc, text = signals.technology(index, firm)
    prox = signals.proximity(index, firm)
    network = prox.scores(index)
    comp, which_demand = signals.complementarity(index, firm)
    arrays = {
        "technology": (signals.IPC_SHARE * ipc + (1 - signals.IPC_SHARE) * text) * evidence_strength(index),
        "ipc": ipc,
        "text": text,
        "network": network,
        "complementarity": comp,
        "track_record": signals.track_record(index),
        "geography": signals.geography(index, firm),
    }
    total = np.zeros(len(index.actors))
    for name in WEIGHTS:
        total += weights[name] * arrays[name]
    arrays["score"] = total
    return arrays, prox, which_demand


def _of_types(index: MatchIndex, types: Sequence[NodeLabel]) -> np.ndarray:
    """Which actors have one of ``types``, kept in the index's memo per set of types: comparing
    every actor's label string again was 17 ms per partner query at ×100 (584,439 actors)."""
    values = tuple(sorted({NodeLabel(t).value for t in types}))
    key = ("actor-types", ",".join(values))
    found = index.memo.get(key)
    if not isinstance(found, np.ndarray):
        found = np.isin(index.actor_labels, list(values))
        found.flags.writeable = False  # shared by every query: the caller's `&=` makes a copy
        index.memo[key] = found
    return found


def _positions(index: MatchIndex, actors: Iterable[str]) -> np.ndarray:
    """The positions of ``actors`` in the index (those it holds), as an array."""
    found = [index.actor_pos[a] for a in actors if a in index.actor_pos]
    return np.array(found, dtype=np.int64)


def ranked(positions: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` of ``positions`` in rank order: best score first, equal scores in id order
    (actors are sorted by id), so both stores agree.

    Only the candidates that can be among the first ``k`` are sorted: every one scoring at least
    the k-th best score (the ties at that score included, so the id order among them decides as
    a full sort would). Sorting all of them was the largest single cost of a partner query at
    ×100, where most actors share some wording with the firm (docs/benchmarks/matchmaking.md).

    >>> ranked(np.array([0, 1, 2, 3, 4]), np.array([0.5, 0.9, 0.5, 0.1, 0.5]), 3)
    array([1, 0, 2])
    """
    if k <= 0 or len(positions) == 0:
        return positions[:0]
    keys = scores[positions]
    if len(positions) > k:
        kth = np.partition(keys, len(keys) - k)[len(keys) - k]
        keep = keys >= kth
        positions, keys = positions[keep], keys[keep]
    return positions[np.lexsort((positions, -keys))][:k]


def _work_similarity(index: MatchIndex, firm: str, candidates: np.ndarray) -> np.ndarray:
    """Text similarity to the firm's profile of the candidates' works (demands excluded), by
    work position; 0 for every other work, which no evidence path of theirs reads. Each row's
    sum is the whole product's (the same terms in the same order), for a sliver of its cost:
    every work's row was multiplied on every query."""
    rows = np.unique(
        np.concatenate(
            [index.actor_terms.work_positions(int(i)) for i in candidates.tolist()]
            or [np.zeros(0, dtype=np.int64)]
        )
    )
    sims = np.zeros(len(index.works))
    if len(rows):
        firm_text = index.actor_text_m[index.actor_pos[firm]].toarray().ravel()
        sims[rows] = index.work_text_m[rows] @ firm_text
    return sims


def find_partners(
    index: MatchIndex,
    query: PartnerQuery,
    *,
    weights: Mapping[str, float] = WEIGHTS,
    learned: LearnedWeights | None = None,
) -> PartnerResult:
    """Rank partners for ``query.enterprise``; ties broken by id, so both stores agree.

    New suggestions come in ``matches``; the firm's existing partners and its own group are
    listed apart, so the list proposes what the firm does not already have.
    """
    _check(index, query)
    firm = query.enterprise
    arrays, prox, which_demand = score_all(index, firm, weights=weights)
    used = dict(weights)
    if learned is not None:
        # The learned model's probability-like score replaces the hand-set sum; the signals
        # stay in the breakdown, and the response reports the coefficients actually used.
        arrays["score"] = 1.0 / (1.0 + np.exp(-learned.score(index, firm)))
        used = dict(learned.weights)
    scores = np.round(arrays["score"], 9)
    mask = (arrays["technology"] > 0) | (arrays["network"] > 0) | (arrays["complementarity"] > 0)
    mask &= (scores > 0) & _of_types(index, query.types)
    mask[index.actor_pos[firm]] = False
    for person in index.staff.get(firm, []):
        mask[index.actor_pos[person]] = False
    positions = np.flatnonzero(mask)
    if query.region or query.industry:
        positions = np.array(
            [
                i
                for i in positions
                if (not query.region or _matches_region(index, index.actors[i], query.region))
                and (not query.industry or _matches_industry(index, index.actors[i], query.industry))
            ],
            dtype=np.int64,
        )
    group = _positions(index, same_group(index, firm))
    existing = _positions(index, (a for a, tie in prox.direct.items() if tie.direct))
    # Split with array masks, not a Python loop over every candidate (55 ms per query at ×100).
    in_group = np.isin(positions, group)
    in_existing = np.isin(positions, existing)
    fresh = positions[~in_group & ~in_existing]
    old = positions[:0] if query.exclude_existing else positions[in_existing & ~in_group]
    own = positions[in_group]
    # Only the shown candidates are sorted (see ranked), and evidence reads the wording of their
    # works only.
    first = ranked(fresh, scores, query.offset + query.limit)
    new_shown, old_shown, own_shown = (
        first[query.offset :],
        ranked(old, scores, query.limit),
        ranked(own, scores, query.limit),
    )
    work_sims = _work_similarity(index, firm, np.concatenate((new_shown, old_shown, own_shown)))

    def build(i: int) -> PartnerMatch:
        a = index.actors[i]
        values = {name: round(float(arrays[name][i]), 6) for name in (*WEIGHTS, "ipc", "text")}
        found = prox.direct.get(a)
        evidence = [
            *network_paths(index, firm, a, prox),
            *technology_paths(index, firm, a, work_sims),
            *complementarity_paths(
                index, firm, a, which_demand[i] if values["complementarity"] > 0 else None
            ),
            *track_paths(index, a),
            *geography_paths(index, firm, a),
        ]
        return PartnerMatch(
            a, round(float(arrays["score"][i]), 6), values, found is not None and found.direct, evidence
        )

    notices = []
    if learned is not None:
        notices.append(
            f"ranked by weights learned from the graph's own history ({learned.positives} new "
            f"firm–institution pairs, years {', '.join(map(str, learned.years))} and hidden earlier pairs)"
        )
    if not index.actor_works[firm]:
        via = signals.industry_ipc(index, firm)
        notices.append(
            "cold start: the firm has no patents or projects in the graph; "
            + (
                f"its technology is read from its industries ({len(via)} IPC codes via the SEI–IPC "
                "concordance) and its own description"
                if via
                else "the graph maps none of its industries to IPC codes, so only its own "
                "description, ties and place rank partners"
            )
            + "; treat the list as leads, not matches"
        )
    if len(first) and (note := _led_by_place(arrays, int(first[0]), weights)) is not None:
        notices.append(note)
    if len(own):
        notices.append(
            f"{len(own)} organisation(s) of the firm's own group are listed apart "
            f"({'by BRANCH_OF/SUBSIDIARY_OF and ' if GROUP_RELS else ''}by the same name core)"
        )
    return PartnerResult(
        firm,
        len(fresh),
        [build(i) for i in new_shown.tolist()],
        [build(i) for i in old_shown.tolist()],
        [build(i) for i in own_shown.tolist()],
        used,
        notices,
    )


#: Signals that say what a partner could do with the firm, and those that only say where and
#: how active it is. A list led by the second kind is a list of neighbours, not of matches.
SUBSTANCE_SIGNALS: Final = ("technology", "network", "complementarity")
CONTEXT_SIGNALS: Final = ("geography", "track_record")


def _led_by_place(arrays: Mapping[str, np.ndarray], top: int, weights: Mapping[str, float]) -> str | None:
    """A notice when the first suggestion owes more to place and track record than to technology,
    ties and complementary demands: a firm whose field nobody nearby shares gets its nearest
    busy university first, and the user must read that as a lead, not a match."""
    substance = sum(weights[n] * float(arrays[n][top]) for n in SUBSTANCE_SIGNALS)
    context = sum(weights[n] * float(arrays[n][top]) for n in CONTEXT_SIGNALS)
    if context <= substance:
        return None
    return (
        "weak match: the first suggestion is ranked more by place and track record "
        f"({context:.3f}) than by technology, ties and demands ({substance:.3f}); "
        "no candidate shares much of the firm's technology — treat the list as leads"
    )


def existing_partners(index: MatchIndex, firm: str) -> list[str]:
    """Actors already tied to the firm (co-applications, transfers, projects, people)."""
    prox = signals.proximity(index, firm)
    return sorted(a for a, tie in prox.direct.items() if tie.direct)
