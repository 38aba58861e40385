"""The partner-finding signals, each a score in [0, 1] for every actor in the index.

Vectorised over ``index.actors`` so one request costs a few sparse products; the ranking
(:mod:`match.partners`) and the quality benchmark's baselines both read these arrays.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from match.index import MatchIndex, Tie

#: Inside technology fit: IPC profile similarity weighs more than wording, which is noisier.
IPC_SHARE = 0.6
#: Inside the IPC similarity: subclass (H01L) and main group (H01L33) count alike.
GROUP_SHARE = 0.5


class SharedNeighbours(Mapping[str, list[str]]):
    """Candidate → the neighbours it shares with the firm, strongest first (Adamic–Adar weight,
    then id). Each candidate's list is sorted when it is first read: only the few candidates a
    response shows are, where sorting every candidate's was 5 % of a partner query at ×10."""

    __slots__ = ("_found", "_sorted")

    def __init__(self, found: dict[str, list[tuple[float, str]]]) -> None:
        self._found = found  # candidate → (weight, neighbour), in the order they were found
        self._sorted: dict[str, list[str]] = {}

    def __getitem__(self, candidate: str) -> list[str]:
        done = self._sorted.get(candidate)
        if done is None:
            items = self._found[candidate]
            done = self._sorted[candidate] = [z for _, z in sorted(items, key=lambda t: (-t[0], t[1]))]
        return done

    def __iter__(self) -> Iterator[str]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)


@dataclass(frozen=True)
class Proximity:
    """Network proximity of every actor to one firm (Adamic–Adar over the tie graph)."""

    adamic_adar: dict[str, float]
    common: Mapping[str, list[str]]  # candidate -> the shared neighbours, strongest first
    direct: dict[str, Tie]  # candidates already tied to the firm

    def score(self, candidate: str) -> float:
        tie = self.direct.get(candidate)
        direct = 0.0
        if tie is not None and tie.direct:
            direct = 1.0 + math.log(sum(len(v) for v in tie.via.values()))
        return 1.0 - math.exp(-(self.adamic_adar.get(candidate, 0.0) + direct))

    def scores(self, index: MatchIndex) -> np.ndarray:
        """:meth:`score` for every actor of ``index`` (0 where there is no tie)."""
        network = np.zeros(len(index.actors))
        for c in set(self.adamic_adar) | set(self.direct):
            if c in index.actor_pos:
                network[index.actor_pos[c]] = self.score(c)
        return network


def proximity(index: MatchIndex, firm: str) -> Proximity:
    """Adamic–Adar: Σ 1/log(deg z) over the neighbours z shared with the firm.

    Shared neighbours are common partners (two-hop ties), shared alliances and shared
    inventors, since all three are nodes of the tie graph. Adamic & Adar, *Friends and
    neighbors on the Web*, Social Networks 25 (2003).
    """
    aa: dict[str, float] = defaultdict(float)
    common: dict[str, list[tuple[float, str]]] = defaultdict(list)
    direct: dict[str, Tie] = {}
    ties = index.ties
    if firm not in ties:
        return Proximity({}, {}, {})
    for z in sorted(ties.neighbors(firm)):
        found = ties.get(firm, z)
        if found is not None:
            direct[z] = found
        degree = ties.degree(z)
        if degree < 2:
            continue
        weight = 1.0 / math.log(degree)
        for c in ties.neighbors(z):
            if c != firm:
                aa[c] += weight
                common[c].append((weight, z))
    return Proximity(dict(aa), SharedNeighbours(dict(common)), direct)


def industry_ipc(index: MatchIndex, firm: str) -> list[str]:
    """Cold start: the IPC codes of the firm's industries (industry nodes it is IN_INDUSTRY of,
    one hop along the industry tree, then the IPC nodes mapped IN_INDUSTRY to them by the
    CNIPA SEI–IPC concordance). Empty when the graph has no such mapping."""
    from graph.model import NodeLabel, RelType

    industries = {
        i for i in index.actor_industries.get(firm, set()) if index.label.get(i) == NodeLabel.INDUSTRY
    }
    for ind in list(industries):
        for rel in (RelType.PART_OF, RelType.SUBCLASS_OF, RelType.IN_INDUSTRY):
            industries |= {
                n
                for n in (*index.out(ind, rel), *index.into(ind, rel))
                if index.label.get(n) == NodeLabel.INDUSTRY
            }
    codes = set()
    for ind in industries:
        for node in index.into(ind, RelType.IN_INDUSTRY):
            if index.label.get(node) == NodeLabel.IPC:
                codes.add(str(index.props(node).get("code") or node[4:]))
    return sorted(codes)


def technology(index: MatchIndex, firm: str) -> tuple[np.ndarray, np.ndarray]:
    """(IPC similarity, text similarity) of every actor's profile to the firm's; a firm without
    patents is profiled by its industries' IPC codes (:func:`industry_ipc`)."""
    i = index.actor_pos[firm]
    firm_sub, firm_grp = index.actor_sub_m[i], index.actor_grp_m[i]
    if firm_sub.nnz == 0 and (codes := industry_ipc(index, firm)):
        firm_sub, firm_grp = index.ipc_vectors([codes])
    # Matrix times a dense vector: the same products summed in the same order as the sparse
    # product (equal to the bit, tests/match), in half the time at ×100 — no sparse result to build.
    sub = index.actor_sub_m @ firm_sub.toarray().ravel()
    grp = index.actor_grp_m @ firm_grp.toarray().ravel()
    text = index.actor_text_m @ index.actor_text_m[i].toarray().ravel()
    return (1 - GROUP_SHARE) * sub + GROUP_SHARE * grp, text


@dataclass(frozen=True)
class BestDemands:
    """Which of the firm's open demands each actor answers best (for the evidence)."""

    demands: list[str]
    #: Per actor: the position of its best demand in :attr:`demands`, -1 where none scores.
    best: np.ndarray

    def __getitem__(self, actor: int) -> str | None:
        """The best demand of the actor at position ``actor``, or None."""
        k = int(self.best[actor])
        return None if k < 0 else self.demands[k]


def complementarity(index: MatchIndex, firm: str) -> tuple[np.ndarray, BestDemands]:
    """How strong each actor is where the firm has open demands but no patents of its own.

    For each open demand: similarity of the actor to the demand (IPC and text), times the
    share of the demand's subclasses the firm holds nothing in (0.5 when the demand names no
    IPC). The best demand counts; it is returned too, for the evidence.
    """
    n = len(index.actors)
    best = np.zeros(n)
    # One array write per demand: a list of every actor's demand, written in a Python loop over
    # every actor a demand scores better for (most of them, by wording), cost more than the
    # demand's products at ×100.
    which = np.full(n, -1, dtype=np.int32)
    scored: list[str] = []
    firm_subs = set(index.actor_sub[firm])
    for d in index.demands_of.get(firm, []):
        j = index.work_pos[d]
        subs = {code[:4] for code in index.work_ipc[d]}
        novelty = len(subs - firm_subs) / len(subs) if subs else 0.5
        if novelty == 0:
            continue
        ipc = index.actor_sub_m @ index.work_sub_m[j].toarray().ravel()  # dense vector: see technology
        text = index.actor_text_m @ index.work_text_m[j].toarray().ravel()
        score = novelty * (0.5 * ipc + 0.5 * text)
        better = score > best
        best = np.where(better, score, best)
        which[better] = len(scored)
        scored.append(d)
    return best, BestDemands(scored, which)


def track_record(index: MatchIndex) -> np.ndarray:
    """Past transfers to and cooperation with SMEs (the same for every firm: built once)."""
    cached = index.memo.get(("track", ""))
    if cached is None:
        cached = np.array([index.track[a] for a in index.actors])
        index.memo[("track", "")] = cached
    return cached  # type: ignore[return-value]


def geography(index: MatchIndex, firm: str) -> np.ndarray:
    """1 for the same park or district as the firm, 0.5 for the same city, else 0."""
    out = np.zeros(len(index.actors))
    for city in sorted(index.cities[firm]):
        out[_members(index, "by_city", city)] = 0.5
    for code in sorted(index.districts(firm)):
        out[_members(index, "by_district", code)] = 1.0
    for park in index.parks[firm]:
        out[_members(index, "by_park", park)] = 1.0
    return out


def _members(index: MatchIndex, table: str, place: str) -> np.ndarray:
    """The positions of ``place``'s actors as an array, kept in the index's memo: indexing with
    the index's Python list converted it on every query — 25 ms per partner query at ×100, where
    a big city holds a hundred thousand actors."""
    key = (f"places-{table}", place)
    found = index.memo.get(key)
    if not isinstance(found, np.ndarray):
        found = np.asarray(getattr(index, table).get(place, ()), dtype=np.intp)
        index.memo[key] = found
    return found
