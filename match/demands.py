"""Technology-demand matching: who and what can solve a 技术需求, and which demands a work answers.

A demand is profiled from its free text (tokens, gazetteer mentions of organisations, IPC
and industry terms), its IPC codes and industries, and its cooperation mode. Solvers —
patents, achievements, experts, universities, institutes and on request firms — are scored

    total = (0.65·text + 0.20·ipc + 0.15·industry) · (0.7 + 0.3·mode_fit) + 0.2·mentioned

capped at 1, where ``mentioned`` is 1 for an organisation the demand names. Ties break by id.
``text`` is BM25 over jieba words and Chinese character bigrams (``match/text_rank.py``); its
weights, and text against IPC, come from the dev-split search of ``bench/demands_real.py``
(1.0 · body of work + 0.5 · best work; IPC 0.2–0.3 of text there, 0.31 here). The TF-IDF
cosine still decides "no good match" and scores the reverse match (:func:`demands_for_work`).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from scipy import sparse

from graph.errors import NotFoundError, ValidationError
from graph.model import NodeLabel, RelType
from match.evidence import EvidencePath, PathBuilder
from match.explain import hold
from match.index import MatchIndex
from match.ipc import normalize_ipc
from match.partners import _of_types as _actors_of_types
from match.partners import ranked
from match.text_rank import query_tokens
from text.gazetteer import Mention

L = NodeLabel
R = RelType

MODES: Final = ("技术转让", "委托开发", "合作开发", "技术咨询")
SOLVER_TYPES: Final = frozenset(
    {L.PATENT, L.TECH_ACHIEVEMENT, L.PERSON, L.UNIVERSITY, L.RESEARCH_INSTITUTE, L.ENTERPRISE}
)
DEFAULT_SOLVER_TYPES: Final = (L.PATENT, L.TECH_ACHIEVEMENT, L.PERSON, L.UNIVERSITY, L.RESEARCH_INSTITUTE)
WORK_SOLVERS: Final = frozenset({L.PATENT, L.TECH_ACHIEVEMENT})
#: How well each kind of solver suits a cooperation mode: a transfer needs something to
#: transfer (a patent, an achievement); consulting needs a person; development needs a lab.
MODE_FIT: Final[dict[str, dict[NodeLabel, float]]] = {
    "技术转让": {
        L.PATENT: 1.0,
        L.TECH_ACHIEVEMENT: 1.0,
        L.UNIVERSITY: 0.6,
        L.RESEARCH_INSTITUTE: 0.6,
        L.ENTERPRISE: 0.6,
        L.PERSON: 0.4,
    },
    "委托开发": {
        L.PATENT: 0.5,
        L.TECH_ACHIEVEMENT: 0.6,
        L.UNIVERSITY: 1.0,
        L.RESEARCH_INSTITUTE: 1.0,
        L.ENTERPRISE: 0.8,
        L.PERSON: 0.7,
    },
    "合作开发": {
        L.PATENT: 0.5,
        L.TECH_ACHIEVEMENT: 0.6,
        L.UNIVERSITY: 1.0,
        L.RESEARCH_INSTITUTE: 1.0,
        L.ENTERPRISE: 0.8,
        L.PERSON: 0.8,
    },
    "技术咨询": {
        L.PATENT: 0.3,
        L.TECH_ACHIEVEMENT: 0.4,
        L.UNIVERSITY: 0.8,
        L.RESEARCH_INSTITUTE: 0.8,
        L.ENTERPRISE: 0.5,
        L.PERSON: 1.0,
    },
}
TEXT_W, IPC_W, INDUSTRY_W, MENTION_BONUS = 0.65, 0.20, 0.15, 0.2
#: The weights :func:`match_demand` uses, as the API reports them (read from here, never copied).
DEMAND_WEIGHTS: Final = {"text": TEXT_W, "ipc": IPC_W, "industry": INDUSTRY_W, "mentioned": MENTION_BONUS}
#: "No good match": the best text similarity must reach what this share of the graph's own
#: titles, reworded and left out, reach (see :func:`chance_level`), over this many titles.
CHANCE_QUANTILE: Final = 95.0
CHANCE_SAMPLE: Final = 300
MAX_LIMIT: Final = 100


@dataclass(frozen=True)
class DemandProfile:
    demand: str
    text: sparse.csr_matrix  # 1 × vocabulary
    sub: sparse.csr_matrix
    grp: sparse.csr_matrix
    terms: list[str]
    ipc_codes: list[str]
    industries: set[str]
    mode: str | None
    mentions: list[Mention]
    excluded: set[str]  # the posters, their staff and their own works
    #: What the BM25 text signal matches on: character bigrams and words (match/text_rank.py).
    query: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemandMatch:
    item: str
    score: float
    signals: dict[str, float]
    matched_terms: list[str]
    evidence: list[EvidencePath] = field(default_factory=list)
    #: Every publication of the same invention (CN…A and CN…B), the item first.
    publications: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemandResult:
    subject: str
    total: int
    mentions: list[Mention]
    matches: list[DemandMatch]
    #: Why the list is empty or weak (e.g. "no good match"), for the user to read.
    notice: str | None = None
    weights: dict[str, float] = field(default_factory=lambda: dict(DEMAND_WEIGHTS))


def _mode_fit(mode: str | None, label: NodeLabel) -> float:
    return 1.0 if mode is None or mode not in MODE_FIT else MODE_FIT[mode].get(label, 0.5)


def _industry_overlap(a: set[str], b: set[str]) -> float:
    if a & b:
        return 1.0
    codes_a = {x for x in a if ":" not in x and len(x) >= 3}
    codes_b = {x for x in b if ":" not in x and len(x) >= 3}
    return 0.5 if any(x.startswith(y) or y.startswith(x) for x in codes_a for y in codes_b) else 0.0


def demand_profile(index: MatchIndex, demand: str) -> DemandProfile:
    """The demand's profile, computed once per index (the reverse match reads every open one)."""
    cached = index.memo.get(("demand", demand))
    if isinstance(cached, DemandProfile):
        return cached
    profile = _demand_profile(index, demand)
    index.memo[("demand", demand)] = profile
    return profile


def _demand_profile(index: MatchIndex, demand: str) -> DemandProfile:
    if demand not in index.label:
        raise NotFoundError(f"no entity with id {demand!r}")
    if index.label[demand] != L.TECH_DEMAND:
        raise ValidationError(f"{demand} is a {index.label[demand].value}, not a TechDemand", field="id")
    props = index.props(demand)
    text = " ".join(str(props.get(k) or "") for k in ("title", "name", "description", "abstract"))
    keywords = " ".join(str(k) for k in props.get("keywords") or [])
    mentions = index.gazetteer.find(text)
    codes = set(index.work_ipc[demand])
    for m in mentions:
        if m.kind == "IPC":
            code = normalize_ipc(str(index.props(m.entity_id).get("code") or ""))
            if code:
                codes.add(code)
    industries = set(index.work_industries[demand])
    for m in mentions:
        if m.kind == "INDUSTRY":
            industries.add(m.entity_id)
            if index.props(m.entity_id).get("code"):
                industries.add(str(index.props(m.entity_id)["code"]))
    sub, grp = index.ipc_vectors([sorted(codes)])
    j = index.work_pos[demand]
    posters = index.posted_by.get(demand, [])
    excluded = {demand, *posters}
    for p in posters:
        excluded |= set(index.actor_works.get(p, [])) | set(index.staff.get(p, []))
    mode = props.get("mode")
    return DemandProfile(
        demand,
        index.work_text_m[j],
        sub,
        grp,
        index.work_terms[j],
        sorted(codes),
        industries,
        str(mode) if mode else None,
        mentions,
        excluded,
        query_tokens(f"{text} {keywords}", index.work_terms[j]),
    )


def text_profile(
    index: MatchIndex, text: str, ipc_codes: Sequence[str] = (), *, mode: str | None = None
) -> DemandProfile:
    """A profile for free text that is not in the graph (``innograph match-demand --text``)."""
    if not text.strip():
        raise ValidationError("the demand text is blank", field="text")
    from text.pipeline import terms

    codes: set[str] = set()
    for raw in ipc_codes:
        code = normalize_ipc(raw)
        if code is None:
            raise ValidationError(f"{raw!r} is not an IPC code (e.g. F21V29/00)", field="ipc")
        codes.add(code)
    mentions = index.gazetteer.find(text)
    industries: set[str] = set()
    for m in mentions:
        if m.kind == "IPC" and (code := normalize_ipc(str(index.props(m.entity_id).get("code") or ""))):
            codes.add(code)
        elif m.kind == "INDUSTRY":
            industries.add(m.entity_id)
            if index.props(m.entity_id).get("code"):
                industries.add(str(index.props(m.entity_id)["code"]))
    tokens = terms(None, text)
    sub, grp = index.ipc_vectors([sorted(codes)])
    return DemandProfile(
        "text:query",
        index.weights.vectors([tokens]),
        sub,
        grp,
        tokens,
        sorted(codes),
        industries,
        mode,
        mentions,
        set(),
        query_tokens(text, tokens),
    )


def family_key(index: MatchIndex, work: str) -> str:
    """Publications of one invention share it: the application number, else the publication
    number without its kind code (CN103104575A and CN103104575B)."""
    if index.label[work] != L.PATENT:
        return work
    props = index.props(work)
    if props.get("applicationNumber"):
        return f"app:{props['applicationNumber']}"
    number = str(props.get("number") or work.split(":", 1)[-1])
    return f"pub:{re.sub(r'[A-Z][0-9]?$', '', number.upper())}"


def _open_share(
    index: MatchIndex, tokens: Sequence[str], known: Callable[[str], bool] | None = None
) -> float:
    """The share of a text's TF-IDF weight (L2) that falls on words the graph knows.

    Words the graph has never seen weigh as much as a word of one document would, and more:
    the IDF of a term in no document. The TF-IDF cosine is taken over known words only, so
    without this a demand with one known word of five (果醋发酵工艺: only 工艺) scores as if
    it were all about that word; times this share it is the cosine in a space where the
    demand's unknown words count too."""
    vocab, idf = index.weights.vocabulary, index.weights.idf_values
    unseen = math.log(1 + len(index.works) + len(index.actors)) + 1.0  # smooth IDF with df = 0
    known_sq = total_sq = 0.0
    for term, count in Counter(tokens).items():
        col = vocab.get(term)
        is_known = col is not None and (known is None or known(term))
        weight = (1.0 + math.log(count)) * (float(idf[col]) if is_known and col is not None else unseen)
        total_sq += weight * weight
        if is_known:
            known_sq += weight * weight
    return math.sqrt(known_sq / total_sq) if total_sq else 0.0


def _solver_work_rows(index: MatchIndex) -> np.ndarray:
    return np.array([index.label[w] in WORK_SOLVERS for w in index.works], dtype=bool)


#: Where :func:`chance_level` keeps its level; saved with the index (match.disk_cache), so a warm
#: CLI call does not calibrate again.
CHANCE_MEMO_KEY: Final = ("chance", "open")


def chance_level(index: MatchIndex) -> float:
    """The lowest text similarity an on-topic demand gets, calibrated on the graph itself.

    Each of up to :data:`CHANCE_SAMPLE` distinct work titles is posed as a demand reworded
    (one of its terms left out), against the *other* distinct works: its words that no other
    work uses count as unknown (:func:`_open_share`), and works with the same wording are not
    compared (the demo repeats a title under many IPC classes; the old level — a work's best
    match among other IPC subclasses — was then 1.0 and every demand got "no good match").
    The level is the :data:`CHANCE_QUANTILE` percentile of those best similarities: 95 % of
    the graph's own titles, reworded, would get results. Off-topic wording (mostly words the
    graph does not know) falls below it; see docs/benchmarks/matchmaking.md for the measured
    on-topic and off-topic pass rates."""
    cached = index.memo.get(CHANCE_MEMO_KEY)
    if isinstance(cached, float):
        return cached
    docs = [frozenset(t) for t in index.work_terms]
    wording: dict[frozenset[str], int] = {}
    same_as = np.array([wording.setdefault(d, len(wording)) for d in docs], dtype=np.int64)
    solver = _solver_work_rows(index)
    distinct: dict[frozenset[str], int] = {}
    for j in map(int, np.flatnonzero(solver)):
        if docs[j] and index.props(index.works[j]).get("title"):
            distinct.setdefault(docs[j], j)
    df: Counter[str] = Counter()
    for doc in {docs[i] for i in np.flatnonzero(solver)}:
        df.update(doc)
    rows = sorted(distinct.values())
    sample = rows[:: max(1, len(rows) // CHANCE_SAMPLE)][:CHANCE_SAMPLE]
    from text.pipeline import terms

    best: list[float] = []
    for i in sample:
        tokens = terms(None, str(index.props(index.works[i])["title"]))
        words = sorted(set(tokens))
        if len(words) >= 2:  # reworded: one term (chosen by position, so reproducible) left out
            left_out = words[i % len(words)]
            tokens = [t for t in tokens if t != left_out]
        share = _open_share(index, tokens, lambda t: df[t] >= 2)
        query = index.weights.vectors([[t for t in tokens if df[t] >= 2]])
        sims = (index.work_text_m @ query.T).toarray().ravel()
        sims[(same_as == same_as[i]) | ~solver] = 0.0
        best.append(float(sims.max()) * share if len(sims) else 0.0)
    level = float(np.percentile(best, 100.0 - CHANCE_QUANTILE)) if best else 0.0
    index.memo[CHANCE_MEMO_KEY] = level
    return level


def _ipc(
    sub_m: sparse.csr_matrix, grp_m: sparse.csr_matrix, sub: sparse.csr_matrix, grp: sparse.csr_matrix
) -> np.ndarray:
    # Against the one profile row made dense: the same sums as the sparse product's (each row's
    # terms in the same order), without building a sparse result of every row (see _cosine).
    out: np.ndarray = 0.5 * (sub_m @ sub.toarray().ravel()) + 0.5 * (grp_m @ grp.toarray().ravel())
    return out


def _cosine(text_m: sparse.csr_matrix, text: sparse.csr_matrix) -> np.ndarray:
    """``(text_m @ text.T).toarray().ravel()`` for a one-row ``text``, bit for bit: a row's sum
    runs over its own terms in its stored order either way, and a term the profile lacks adds
    +0.0 (the weights are not negative, so no sum is -0.0). The sparse product of every solver
    row with the profile, then made dense, was five times the cost at ×10."""
    out: np.ndarray = text_m @ text.toarray().ravel()
    return out


def _industry_scores(prof: DemandProfile, by_industry: dict[str, np.ndarray], n: int) -> np.ndarray:
    """1 where an item shares an industry with the demand, 0.5 where only a code nests in one."""
    out = np.zeros(n)
    if not prof.industries:
        return out
    wanted = {x for x in prof.industries if ":" not in x and len(x) >= 3}
    for code, rows in by_industry.items():
        if (
            ":" not in code
            and len(code) >= 3
            and any(code.startswith(w) or w.startswith(code) for w in wanted)
        ):
            out[rows] = np.maximum(out[rows], 0.5)
    for code in prof.industries:
        exact = by_industry.get(code)
        if exact is not None:
            out[exact] = 1.0
    return out


def _check_query(types: Sequence[NodeLabel], limit: int) -> None:
    wrong = [t for t in types if t not in SOLVER_TYPES]
    if wrong:
        raise ValidationError(
            f"type {wrong[0]} cannot solve a demand; choose from {', '.join(sorted(SOLVER_TYPES))}",
            field="type",
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}", field="limit")


def match_demand(
    index: MatchIndex,
    demand: str,
    *,
    types: Sequence[NodeLabel] = DEFAULT_SOLVER_TYPES,
    limit: int = 10,
    offset: int = 0,
) -> DemandResult:
    """Rank the solvers for ``demand`` (a TechDemand id)."""
    _check_query(types, limit)
    return match_profile(index, demand_profile(index, demand), types=types, limit=limit, offset=offset)


def _label_kinds(index: MatchIndex, group: str) -> tuple[list[str], np.ndarray]:
    """The distinct labels of a group's items (``"works"`` or ``"actors"``) and each item's
    place among them, kept in the index's memo: a demand's mode fit is then one look-up per
    label, where a Python pass read every item's label on every query (13 % of it at ×10)."""
    key = ("label-kinds", group)
    found = index.memo.get(key)
    if not isinstance(found, tuple):
        labels = index.work_labels if group == "works" else index.actor_labels
        kinds, kind_of = np.unique(labels.astype(str), return_inverse=True)
        kind_of = kind_of.astype(np.intp)
        kind_of.flags.writeable = False
        found = ([str(k) for k in kinds], kind_of)
        index.memo[key] = found
    return found


def _of_types(index: MatchIndex, group: str, wanted: Sequence[str]) -> np.ndarray:
    """Which items of a group have one of the ``wanted`` labels, kept in the index's memo per
    set of labels (the actors' mask is the partner query's, :func:`match.partners._of_types`):
    comparing every label string again was 10 % of a demand match at ×10."""
    if group == "actors":
        return _actors_of_types(index, [NodeLabel(t) for t in wanted])
    values = tuple(sorted(set(wanted)))
    key = ("work-types", ",".join(values))
    found = index.memo.get(key)
    if not isinstance(found, np.ndarray):
        found = np.isin(index.work_labels, list(values))
        found.flags.writeable = False  # shared by every query: the caller's `&` makes a new array
        index.memo[key] = found
    return found


def solver_signals(
    index: MatchIndex, prof: DemandProfile, *, actor_cosine: bool = True
) -> list[dict[str, np.ndarray]]:
    """Every signal and the total score of every work (first) and actor (second) for a demand
    profile, unfiltered — what :func:`match_profile` ranks and ``bench/demands_real.py`` measures.

    ``text`` is the fused BM25 signal over words and character bigrams (``match/text_rank.py``);
    ``cosine`` the TF-IDF cosine on words, which decides "no good match" (works only: without
    ``actor_cosine`` the actors have none, which the ranking never reads)."""
    named = {m.entity_id for m in prof.mentions if m.kind == "ORG"}
    fit_of = {label.value: _mode_fit(prof.mode, label) for label in NodeLabel}
    bm25 = index.text_rank.scores(prof.query, skip_works=index.demand_mask)
    groups = [
        (
            index.work_pos,
            index.work_labels,
            index.work_text_m,
            index.work_sub_m,
            index.work_grp_m,
            index.work_by_industry,
        ),
        (
            index.actor_pos,
            index.actor_labels,
            index.actor_text_m,
            index.actor_sub_m,
            index.actor_grp_m,
            index.actor_by_industry,
        ),
    ]
    out = []
    for group, (pos, labels, text_m, sub_m, grp_m, by_industry), text in zip(
        ("works", "actors"), groups, bm25, strict=True
    ):
        n = len(labels)
        signal: dict[str, np.ndarray] = {}
        if group == "works" or actor_cosine:
            signal["cosine"] = _cosine(text_m, prof.text)
        ipc = _ipc(sub_m, grp_m, prof.sub, prof.grp)
        industry = _industry_scores(prof, by_industry, n)
        mentioned = np.zeros(n)
        for item in named:
            if item in pos:
                mentioned[pos[item]] = 1.0
        kinds, kind_of = _label_kinds(index, group)
        fit = np.array([fit_of[label] for label in kinds], dtype=float)[kind_of]
        base = TEXT_W * text + IPC_W * ipc + INDUSTRY_W * industry
        score = np.minimum(1.0, base * (0.7 + 0.3 * fit) + MENTION_BONUS * mentioned)
        signal.update(score=score, text=text, ipc=ipc, industry=industry, mode_fit=fit, mentioned=mentioned)
        out.append(signal)
    return out


#: The signals a ranked row carries (the cosine decides "no good match" on the works alone).
RANKED: Final = ("score", "text", "ipc", "industry", "mode_fit", "mentioned")


def match_profile(
    index: MatchIndex,
    prof: DemandProfile,
    *,
    types: Sequence[NodeLabel] = DEFAULT_SOLVER_TYPES,
    limit: int = 10,
    offset: int = 0,
) -> DemandResult:
    """Rank the solvers for a demand profile (a TechDemand's or free text's): one result per
    invention, or none with the reason when nothing is closer than chance."""
    _check_query(types, limit)
    demand = prof.demand
    wanted = [NodeLabel(t).value for t in types]
    named = {m.entity_id for m in prof.mentions if m.kind == "ORG"}
    columns: dict[str, list[np.ndarray]] = defaultdict(list)
    groups = [
        (index.works, index.work_pos, "works", index.id_rank("works")),
        (index.actors, index.actor_pos, "actors", index.id_rank("actors")),
    ]
    signals = solver_signals(index, prof, actor_cosine=False)
    for group, ((_ids, pos, kind, rank), sig) in enumerate(zip(groups, signals, strict=True)):
        eligible = ((sig["text"] > 0) | (sig["ipc"] > 0) | (sig["mentioned"] > 0)) & _of_types(
            index, kind, wanted
        )
        for item in prof.excluded:
            if item in pos:
                eligible[pos[item]] = False
        keep = np.flatnonzero(eligible)
        for name in RANKED:
            columns[name].append(sig[name][keep])
        columns["rank"].append(rank[keep])
        columns["group"].append(np.full(len(keep), group))
        columns["position"].append(keep)
    merged = {name: np.concatenate(parts) for name, parts in columns.items()}
    if not prof.ipc_codes and not prof.industries and not named:
        # Only wording to go on: below chance level it is no match, said so, not five junk ones.
        # The best work's cosine in a space where the demand's unknown words count too, over
        # every solver work (not only the requested types: the question is whether the graph
        # speaks of this at all), as chance_level calibrates it.
        rows = _solver_work_rows(index)
        for item in prof.excluded:
            if item in index.work_pos:
                rows[index.work_pos[item]] = False
        cosine = signals[0]["cosine"][rows]
        best_text = float(cosine.max()) * _open_share(index, prof.terms) if len(cosine) else 0.0
        level = chance_level(index)
        if best_text <= level:
            return DemandResult(
                demand,
                0,
                prof.mentions,
                [],
                "no good match: nothing in the graph is worded as close to the demand as 95 % of "
                "its own titles, reworded, are to the rest "
                f"(best text similarity {best_text:.3f}, level {level:.3f}; words the graph "
                "does not know count against it); add IPC codes or describe the technology in other words",
            )
    # One result per invention: the best-scoring publication stands for its family. Families
    # are numbered once per index (works) and every actor is a family of its own: the first row
    # of each family in rank order is kept. A Python pass over every eligible row, reading each
    # patent's number, was half of a demand's time at ×100 (hundreds of thousands of rows).
    work_rows = merged["group"] == 0
    families = _family_ids(index)
    row_family = merged["position"].astype(np.int64) + len(index.works)  # actors: past every family
    row_family[work_rows] = families[merged["position"][work_rows]]
    rounded = np.round(merged["score"], 9)
    shown, total = first_of_families(
        rounded, merged["rank"], row_family, len(index.works) + len(index.actors), offset + limit
    )

    def item_of(k: int) -> str:
        return groups[int(merged["group"][k])][0][int(merged["position"][k])]

    # The work signals of every work, for the shown actors' best work (their evidence).
    work_sims = (signals[0]["cosine"], signals[0]["ipc"])
    matches = []
    for k in shown[offset:].tolist():
        rows = np.flatnonzero(row_family == row_family[k])
        same = [item_of(int(m)) for m in rows[np.lexsort((merged["rank"][rows], -rounded[rows]))]]
        item = item_of(k)
        signals_k = {
            name: round(float(merged[name][k]), 6)
            for name in ("text", "ipc", "industry", "mode_fit", "mentioned")
        }
        matches.append(
            DemandMatch(
                item,
                round(float(merged["score"][k]), 6),
                signals_k,
                _terms(index, prof.terms, item),
                demand_evidence(index, prof, item, work_sims),
                same if len(same) > 1 else [],
            )
        )
    return DemandResult(demand, total, prof.mentions, matches)


def first_of_families(
    rounded: np.ndarray, rank: np.ndarray, family: np.ndarray, n_ranks: int, k: int
) -> tuple[np.ndarray, int]:
    """The rows that stand for the first ``k`` families, in rank order, and how many families
    the rows hold: the rows of ``np.lexsort((rank, -rounded))`` where a family first occurs.

    ``rank`` (distinct, below ``n_ranks``) breaks ties of the ``rounded`` scores; ``family``
    numbers each row's family (non-negative). Only the best rows are sorted
    (:func:`match.partners.ranked` in rank space), as many as hold ``k`` families, where every
    eligible row was sorted and every family's first row found: 11 % of a demand match at ×10,
    more at ×100, where most solvers share some wording with a demand.

    >>> scores, ranks = np.array([0.5, 0.9, 0.9, 0.1]), np.array([3, 2, 0, 1])
    >>> first_of_families(scores, ranks, np.array([7, 7, 8, 9]), 4, 2)
    (array([2, 1]), 3)
    """
    by_rank = np.zeros(n_ranks)
    by_rank[rank] = rounded
    row_of = np.zeros(n_ranks, dtype=np.int64)
    row_of[rank] = np.arange(len(rank))
    seen = np.zeros(int(family.max()) + 1 if len(family) else 0, dtype=bool)
    seen[family] = True
    total = int(np.count_nonzero(seen))
    wanted = min(k, total)
    size = k
    while True:
        top = row_of[ranked(rank, by_rank, size)]
        _, first = np.unique(family[top], return_index=True)
        if len(first) >= wanted or size >= len(rank):
            return top[np.sort(first)[:k]], total
        size *= 2


def _family_ids(index: MatchIndex) -> np.ndarray:
    """Each work's family (:func:`family_key`) as a number, the same for the publications of one
    invention; computed once per index and kept in its memo."""
    found = index.memo.get(("family-ids", "works"))
    if not isinstance(found, np.ndarray):
        numbers: dict[str, int] = {}
        found = np.fromiter(
            (numbers.setdefault(family_key(index, w), len(numbers)) for w in index.works),
            dtype=np.int64,
            count=len(index.works),
        )
        index.memo[("family-ids", "works")] = found
    return found


def _signals(
    index: MatchIndex,
    prof: DemandProfile,
    item: str,
    text: float,
    ipc: float,
    industries: dict[str, set[str]],
    named: set[str],
) -> dict[str, float]:
    industry = _industry_overlap(prof.industries, industries.get(item, set())) if prof.industries else 0.0
    fit = _mode_fit(prof.mode, index.label[item])
    mentioned = 1.0 if item in named else 0.0
    base = TEXT_W * text + IPC_W * ipc + INDUSTRY_W * industry
    total = min(1.0, base * (0.7 + 0.3 * fit) + MENTION_BONUS * mentioned)
    return {
        "score": total,
        "text": text,
        "ipc": ipc,
        "industry": industry,
        "mode_fit": fit,
        "mentioned": mentioned,
    }


def _item_terms(index: MatchIndex, item: str) -> list[str]:
    if item in index.work_pos:
        return index.work_terms[index.work_pos[item]]
    return index.actor_terms[index.actor_pos[item]]


def _terms(index: MatchIndex, demand_terms: list[str], item: str) -> list[str]:
    return index.shared_terms(demand_terms, _item_terms(index, item))


#: Every work's text cosine and IPC similarity to a demand (:func:`solver_signals`'s).
WorkSims = tuple[np.ndarray, np.ndarray]


def _best_work(
    index: MatchIndex, prof: DemandProfile, actor: str, work_sims: WorkSims | None = None
) -> str | None:
    works = [w for w in index.actor_works[actor] if index.label[w] in WORK_SOLVERS]
    if not works:
        return None
    rows = [index.work_pos[w] for w in works]
    if work_sims is not None:
        # The ranking already has every work's signals, row by row the same sums (_cosine, _ipc):
        # slicing the actor's rows out of the matrices again was a tenth of a query at ×10.
        cosine, ipc = work_sims
        sims = TEXT_W * cosine[rows] + IPC_W * ipc[rows]
    else:
        sims = TEXT_W * _cosine(index.work_text_m[rows], prof.text) + IPC_W * _ipc(
            index.work_sub_m[rows], index.work_grp_m[rows], prof.sub, prof.grp
        )
    best = int(sims.argmax())
    return works[best] if sims[best] > 0 else None


def demand_evidence(
    index: MatchIndex, prof: DemandProfile, item: str, work_sims: WorkSims | None = None
) -> list[EvidencePath]:
    """Paths that explain why ``item`` suits the demand: what it holds, where it sits.
    ``work_sims``: every work's signals for the demand, when the caller has them."""
    paths: list[EvidencePath] = []
    demand = prof.demand
    label = index.label[item]
    shared = _terms(index, prof.terms, item)
    words = "、".join(shared)
    if label in WORK_SOLVERS:
        work: str | None = item
        holders = [h for h in index.holders.get(item, []) if h in index.actor_pos]
        if holders:
            paths.append(
                hold(index, holders[0], item).build(
                    "holder",
                    f"{index.name(holders[0])}持有《{index.name(item)}》"
                    + (f"，关键词：{words}" if words else ""),
                )
            )
        elif words:
            paths.append(PathBuilder(index.adjacency, item).build("text", f"关键词：{words}"))
    else:
        work = _best_work(index, prof, item, work_sims)
        if work is not None:
            noun = "专利" if index.label[work] == L.PATENT else "成果"
            paths.append(
                hold(index, item, work).build(
                    "text", f"{noun}《{index.name(work)}》与需求相关" + (f"：{words}" if words else "")
                )
            )
        for org in index.affiliations.get(item, [])[:1]:
            paths.append(
                PathBuilder(index.adjacency, item)
                .hop(R.AFFILIATED_WITH, org)
                .build("holder", f"任职于{index.name(org)}")
            )
    if work is not None:
        shared_ipc = sorted(set(index.out(demand, R.CLASSIFIED_AS)) & set(index.out(work, R.CLASSIFIED_AS)))
        for ipc in shared_ipc[:1]:
            paths.append(
                PathBuilder(index.adjacency, demand)
                .hop(R.CLASSIFIED_AS, ipc)
                .hop(R.CLASSIFIED_AS, work)
                .build("ipc", f"同属 IPC {index.name(ipc)}")
            )
    for ind in sorted(set(index.out(demand, R.IN_INDUSTRY)) & set(index.out(item, R.IN_INDUSTRY)))[:1]:
        paths.append(
            PathBuilder(index.adjacency, demand)
            .hop(R.IN_INDUSTRY, ind)
            .hop(R.IN_INDUSTRY, item)
            .build("industry", f"同属行业 {index.name(ind)}")
        )
    if any(m.entity_id == item and m.kind == "ORG" for m in prof.mentions):
        paths.append(PathBuilder(index.adjacency, item).build("mentioned", "需求文本中点名了该单位"))
    # Context last: who posted the demand (the reasons for the match come first).
    for poster in index.posted_by.get(demand, [])[:1]:
        paths.append(
            PathBuilder(index.adjacency, poster)
            .hop(R.POSTED, demand)
            .build("demand", f"{index.name(poster)}发布的需求")
        )
    return paths


@dataclass(frozen=True)
class _DemandBlock:
    """Every open demand's profile stacked into matrices, so a reverse match is three products."""

    profiles: list[DemandProfile]
    text: sparse.csr_matrix
    sub: sparse.csr_matrix
    grp: sparse.csr_matrix


def _open_demands(index: MatchIndex) -> _DemandBlock:
    cached = index.memo.get(("open-demands", ""))
    if cached is not None:
        return cached  # type: ignore[return-value]
    profiles = [demand_profile(index, d) for d in index.open_demands]
    width_text = index.work_text_m.shape[1]
    block = _DemandBlock(
        profiles,
        sparse.vstack([p.text for p in profiles], format="csr")
        if profiles
        else sparse.csr_matrix((0, width_text)),
        sparse.vstack([p.sub for p in profiles], format="csr")
        if profiles
        else sparse.csr_matrix((0, index.work_sub_m.shape[1])),
        sparse.vstack([p.grp for p in profiles], format="csr")
        if profiles
        else sparse.csr_matrix((0, index.work_grp_m.shape[1])),
    )
    index.memo[("open-demands", "")] = block
    return block


def demands_for_work(index: MatchIndex, work: str, *, limit: int = 10, offset: int = 0) -> DemandResult:
    """The open demands a patent or achievement may answer, best first."""
    label = index.label.get(work)
    if label is None:
        raise NotFoundError(f"no entity with id {work!r}")
    if label not in WORK_SOLVERS:
        raise ValidationError(
            f"{work} is a {label.value}; demands are matched to patents and achievements", field="id"
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    holders = set(index.holders.get(work, []))
    block = _open_demands(index)
    i = index.work_pos[work]
    text = (block.text @ index.work_text_m[i].T).toarray().ravel()
    ipc = _ipc(block.sub, block.grp, index.work_sub_m[i], index.work_grp_m[i])
    ranked = []
    for k in np.flatnonzero((text > 0) | (ipc > 0)):
        prof = block.profiles[k]
        if holders & set(index.posted_by.get(prof.demand, [])):
            continue
        s = _signals(index, prof, work, float(text[k]), float(ipc[k]), index.work_industries, set())
        ranked.append((-round(s["score"], 9), prof.demand, s, prof))
    ranked.sort(key=lambda t: (t[0], t[1]))
    matches = [
        DemandMatch(
            d,
            round(s["score"], 6),
            {k: round(v, 6) for k, v in s.items() if k != "score"},
            _terms(index, prof.terms, work),
            demand_evidence(index, prof, work),
        )
        for _, d, s, prof in ranked[offset : offset + limit]
    ]
    return DemandResult(work, len(ranked), [], matches)
