"""The match index's build as it was before it was made fast (issue #14, branch indexspeed), kept
as the reference the fast build must agree with exactly: every structure the queries read, and
their answers (tests/match/test_fast_index.py).

A copy of ``match/index.py`` and ``match/text_rank.py``'s ``TextRank`` as of f9c39bd (main
before this branch): a networkx graph for the ties, BM25 indexed from each actor's concatenated token
lists, TF-IDF vectors from the same lists. Slow on purpose: only the tests build it.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import bm25s
import networkx as nx
import numpy as np
from scipy import sparse

from graph.model import ORGANIZATION_LABELS, NodeLabel, RelType
from graph.records import Node
from graph.regions import city_of, is_region_code
from match.adjacency import Adjacency
from match.ipc import levels, normalize_ipc
from match.node_fields import NodeFields
from match.places import city_from_name
from match.text_rank import BEST_WORK_W, PROFILE_W, query_tokens
from text.gazetteer import Gazetteer, GazetteerTerm
from text.pipeline import get_nlp, terms
from text.weighting import TermWeights, normalize_rows

if TYPE_CHECKING:
    from spacy.language import Language

L = NodeLabel
R = RelType

#: Who can be a partner or a solver: organisations and people.
ACTOR_LABELS: Final = frozenset(ORGANIZATION_LABELS | {L.PERSON})
#: What carries technology content.
WORK_LABELS: Final = frozenset({L.PATENT, L.TECH_ACHIEVEMENT, L.TECH_DEMAND, L.PROJECT})
#: Tie kinds that mean two actors already work together (an "existing partner").
DIRECT_TIES: Final = frozenset({"coapplication", "transfer", "project", "affiliation", "inventor"})
#: Order in which a tie is explained when it has several kinds: the strongest evidence first.
TIE_PRIORITY: Final = ("coapplication", "transfer", "project", "inventor", "affiliation", "member")

_WORK_TEXT_FIELDS: Final = ("title", "name", "abstract", "description")
_ACTOR_TEXT_FIELDS: Final = ("expertise", "field", "description")


def _year(props: Mapping[str, Any]) -> int | None:
    for key in ("applicationYear", "year"):
        value = props.get(key)
        if isinstance(value, int):
            return value
    for key in ("applicationDate", "postedDate", "startDate"):
        value = props.get(key)
        if isinstance(value, str) and value[:4].isdigit():
            return int(value[:4])
    return None


def _text(props: Mapping[str, Any], fields: Iterable[str]) -> str:
    parts = [str(props[f]) for f in fields if props.get(f)]
    parts.extend(str(k) for k in props.get("keywords") or [])
    return " ".join(parts)


@dataclass
class Tie:
    """Why two actors (or an actor and an alliance) are linked: kind → the nodes that link them."""

    via: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def direct(self) -> bool:
        return any(kind in DIRECT_TIES for kind in self.via)


class TieGraph(nx.Graph):  # type: ignore[type-arg]
    """The reference's networkx tie graph, with the one reader method today's query code calls
    (``match.signals.proximity``: ``ties.get(a, b)``), so the reference answers queries too."""

    def get(self, a: str, b: str) -> Tie | None:
        return self.edges[a, b]["tie"] if self.has_edge(a, b) else None  # type: ignore[no-any-return]


def _profile(codes: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
    """How often each subclass and each main group occurs among ``codes``.

    Plain dicts, not Counters: an index build makes ~10⁵ of them and Counter() is slow to create.
    """
    sub: dict[str, int] = {}
    grp: dict[str, int] = {}
    for code in codes:
        s, g = levels(code)
        sub[s] = sub.get(s, 0) + 1
        if g:
            grp[g] = grp.get(g, 0) + 1
    return sub, grp


def _inverted(sets: list[set[str]]) -> dict[str, np.ndarray]:
    """code -> positions of the rows whose set holds it."""
    found: dict[str, list[int]] = defaultdict(list)
    for i, codes in enumerate(sets):
        for code in codes:
            found[code].append(i)
    return {code: np.array(rows, dtype=np.int64) for code, rows in found.items()}


_last_gazetteer: dict[str, tuple[tuple[GazetteerTerm, ...], Gazetteer]] = {}
#: One gazetteer build at a time: concurrent first demand requests share it.
_gazetteer_lock = threading.Lock()


def _gazetteer(nlp: Language | None, found: list[GazetteerTerm]) -> Gazetteer:
    """Reuse the last gazetteer when the names have not changed (a new demand changes none)."""
    key = tuple(sorted(found, key=lambda t: (t.kind, t.entity_id, t.phrase)))
    last = _last_gazetteer.get("last")
    if last is not None and last[0] == key:
        return last[1]
    gazetteer = Gazetteer(nlp, key)
    _last_gazetteer["last"] = (key, gazetteer)
    return gazetteer


#: Properties no step of the build reads (provenance, the search text): a consumed projection
#: lets them go before the text indexes are built.
_UNREAD: Final = ("sources", "records", "ingestRuns", "searchText")


def _let_go(graph: nx.MultiDiGraph) -> None:
    """Empty what the rest of the build does not read of a projection it was handed: every
    relationship (read into the adjacency and the ties by now) and the unread properties. The
    build's peak is then the index beside the nodes' remaining properties, not beside the whole
    projection (its adjacency alone was a third of the index's memory at ×1). The node property
    dicts are the projection's own (values may be shared with an embedded store: not mutated)."""
    graph.clear_edges()
    for _, attrs in graph.nodes(data=True):
        for key in _UNREAD:
            attrs.pop(key, None)


class ReferenceActorTerms(list[list[str]]):
    """Every actor's concatenated terms, as the build kept them, and the positions of its works
    (demands excluded) the queries read since issue #14, found the plain way."""

    def __init__(self, docs: list[list[str]], positions: list[np.ndarray]) -> None:
        super().__init__(docs)
        self._positions = positions

    def work_positions(self, i: int) -> np.ndarray:
        return self._positions[i]


class ReferenceIndex:
    """Indexes over one graph version. Build with :meth:`from_graph`; never mutated after.

    Holds no reference to ``graph`` once built: relationships are in :attr:`adjacency`, the
    properties queries read in :attr:`fields` (offline evaluation that needs the whole graph
    takes it as an argument, see :mod:`match.evaluation` and :mod:`match.learn`)."""

    def __init__(
        self, graph: nx.MultiDiGraph, nlp: Language | None, *, version: int = 0, consume: bool = False
    ) -> None:
        self.version = version
        self._nlp = nlp
        #: Per-version memo for derived values computed on first use (e.g. demand profiles).
        self.memo: dict[tuple[str, str], object] = {}
        self.label: dict[str, NodeLabel] = {n: NodeLabel(a["label"]) for n, a in graph.nodes(data=True)}
        # Adjacency by relationship type, in one pass: the index asks "out(x, R)" ~10⁵ times.
        self.adjacency = Adjacency(graph.edges(keys=True))
        self.fields = NodeFields((n, self.label[n], a) for n, a in graph.nodes(data=True))
        # The build reads every property; queries afterwards only the kept ones (:meth:`props`).
        self._building: nx.MultiDiGraph | None = graph
        try:
            self._index_works()
            self._index_actors()
            self._index_ties(graph)
            if consume:
                _let_go(graph)
            self._index_places()
            self._index_vectors()
        finally:
            del self._building
        # The gazetteer is built on first use (:attr:`gazetteer`): partner finding never reads it.

    @classmethod
    def from_graph(
        cls, graph: nx.MultiDiGraph, nlp: Language | None, *, version: int = 0, consume: bool = False
    ) -> ReferenceIndex:
        """The index of ``graph``. ``consume``: the caller hands the graph over (a projection
        read for this build, :func:`match.cache.build_index`) and the build empties it as it goes."""
        return cls(graph, nlp, version=version, consume=consume)

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, built on first use: tokens and the gazetteer come from jieba
        directly, so an index loaded from disk answers without spaCy (a second to load)."""
        nlp = self.__dict__.get("_nlp")
        if nlp is None:
            nlp = self._nlp = get_nlp()
        return nlp

    def _index_text_rank(self, own_terms: list[list[str]]) -> None:
        """BM25 over words + character bigrams (the demand text signal, ``match/text_rank.py``),
        built here so the index on disk carries it."""
        work_docs = [
            query_tokens(_text(self.props(w), _WORK_TEXT_FIELDS), self.work_terms[j])
            for j, w in enumerate(self.works)
        ]
        actor_docs: list[list[str]] = []
        edges: list[tuple[int, int]] = []
        for i, a in enumerate(self.actors):
            doc = query_tokens(_text(self.props(a), _ACTOR_TEXT_FIELDS), own_terms[i])
            for w in self.actor_works[a]:
                if self.label[w] != L.TECH_DEMAND:
                    doc.extend(work_docs[self.work_pos[w]])
                    edges.append((i, self.work_pos[w]))
            actor_docs.append(doc)
        self.text_rank = ReferenceTextRank(work_docs, actor_docs, edges)

    # -- node access -------------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        """The node with the properties the index keeps (:mod:`match.node_fields`): its name,
        codes and numbers; a demand whole. A response showing an entity reads the stored node
        (:func:`match.cache.stored_nodes`)."""
        return Node(node_id, self.label[node_id], self.fields.props(node_id))

    def props(self, node_id: str) -> dict[str, Any]:
        """While building, every property of the node; afterwards the kept ones (do not mutate)."""
        building = self.__dict__.get("_building")
        if building is not None:
            return building.nodes[node_id]  # type: ignore[no-any-return]
        return self.fields.props(node_id)

    def name(self, node_id: str) -> str:
        get = self.fields.get
        return str(get(node_id, "name") or get(node_id, "title") or get(node_id, "code") or node_id)

    def out(self, node_id: str, rel: RelType) -> list[str]:
        """Ends of ``node_id``'s outgoing ``rel`` relationships, by id."""
        return self.adjacency.out(node_id, rel)

    def into(self, node_id: str, rel: RelType) -> list[str]:
        """Starts of the ``rel`` relationships pointing at ``node_id``, by id."""
        return self.adjacency.into(node_id, rel)

    def has_edge(self, u: str, v: str, key: RelType) -> bool:
        """Whether a ``key`` relationship goes from ``u`` to ``v``."""
        return self.adjacency.has_edge(u, v, key)

    def of_label(self, *labels: NodeLabel) -> list[str]:
        wanted = set(labels)
        return sorted(n for n, lab in self.label.items() if lab in wanted)

    # -- works -------------------------------------------------------------------------
    def _index_works(self) -> None:
        self.works = self.of_label(*WORK_LABELS)
        self.year: dict[str, int | None] = {}
        self.work_ipc: dict[str, list[str]] = {}
        self.work_industries: dict[str, set[str]] = {}
        for w in self.works:
            props = self.props(w)
            self.year[w] = _year(props)
            codes = {normalize_ipc(c) for c in props.get("ipcCodes") or []}
            codes |= {
                normalize_ipc(str(self.props(i).get("code") or i[4:])) for i in self.out(w, R.CLASSIFIED_AS)
            }
            self.work_ipc[w] = sorted(c for c in codes if c)
            inds = set(props.get("industryCodes") or [])
            inds |= {str(self.props(i).get("code") or i) for i in self.out(w, R.IN_INDUSTRY)}
            inds |= set(self.out(w, R.IN_INDUSTRY))
            self.work_industries[w] = inds
        # An achievement protected by patents inherits their classification.
        for a in self.of_label(L.TECH_ACHIEVEMENT):
            extra = [c for p in self.out(a, R.PROTECTED_BY) for c in self.work_ipc.get(p, [])]
            self.work_ipc[a] = sorted(set(self.work_ipc[a]) | set(extra))
        self.holders: dict[str, list[str]] = {
            w: sorted(
                set(self.into(w, R.APPLIED_FOR))
                | set(self.into(w, R.OFFERS))
                | set(self.into(w, R.UNDERTOOK))
            )
            for w in self.works
        }
        self.inventors: dict[str, list[str]] = {p: self.into(p, R.INVENTED) for p in self.of_label(L.PATENT)}
        demands = self.of_label(L.TECH_DEMAND)
        self.open_demands = [d for d in demands if str(self.props(d).get("status") or "open") != "closed"]
        self.posted_by: dict[str, list[str]] = {d: self.into(d, R.POSTED) for d in demands}

    # -- actors ------------------------------------------------------------------------
    def _index_actors(self) -> None:
        self.actors = self.of_label(*ACTOR_LABELS)
        self.actor_pos = {a: i for i, a in enumerate(self.actors)}
        self.actor_works: dict[str, list[str]] = {}
        self.affiliations: dict[str, list[str]] = {}
        self.staff: dict[str, list[str]] = defaultdict(list)
        self.actor_industries: dict[str, set[str]] = {}
        self.demands_of: dict[str, list[str]] = {}
        open_demands = set(self.open_demands)
        for a in self.actors:
            works = (
                set(self.out(a, R.APPLIED_FOR)) | set(self.out(a, R.OFFERS)) | set(self.out(a, R.UNDERTOOK))
            )
            if self.label[a] == L.PERSON:
                works |= set(self.out(a, R.INVENTED))
                self.affiliations[a] = [
                    o for o in self.out(a, R.AFFILIATED_WITH) if self.label[o] != L.ALLIANCE
                ]
                for org in self.affiliations[a]:
                    self.staff[org].append(a)
            self.actor_works[a] = sorted(works)
            props = self.props(a)
            inds = {str(props["industryCode"])} if props.get("industryCode") else set()
            targets = self.out(a, R.IN_INDUSTRY)
            inds |= set(targets) | {str(self.props(i).get("code") or i) for i in targets}
            for w in self.actor_works[a]:
                inds |= self.work_industries.get(w, set())
            self.actor_industries[a] = inds
            self.demands_of[a] = [d for d in self.out(a, R.POSTED) if d in open_demands]
        # IPC profile: how often each subclass / main group appears in the actor's works.
        self.actor_sub: dict[str, dict[str, int]] = {}
        self.actor_grp: dict[str, dict[str, int]] = {}
        for a in self.actors:
            own = [normalize_ipc(c) for c in self.props(a).get("ipcCodes") or []]
            codes = [c for c in own if c] + [
                c for w in self.actor_works[a] if self.label[w] != L.TECH_DEMAND for c in self.work_ipc[w]
            ]
            codes += [c for o in self.out(a, R.CLASSIFIED_AS) for c in [normalize_ipc(o[4:])] if c]
            self.actor_sub[a], self.actor_grp[a] = _profile(codes)

    # -- ties (network proximity) -----------------------------------------------------------
    def _tie(self, a: str, b: str, kind: str, via: str) -> None:
        if a == b:
            return
        if not self.ties.has_edge(a, b):
            self.ties.add_edge(a, b, tie=Tie())
        self.ties.edges[a, b]["tie"].via[kind].add(via)

    def _index_ties(self, graph: nx.MultiDiGraph) -> None:
        """An undirected graph of actors and alliances: co-applications, transfers, shared
        projects, inventors and affiliations link actors; memberships link actors to alliances."""
        self.ties: nx.Graph = TieGraph()
        self.ties.add_nodes_from(self.actors)
        for w in self.works:
            holders = self.holders[w]
            kind = "project" if self.label[w] == L.PROJECT else "coapplication"
            if self.label[w] == L.TECH_ACHIEVEMENT:
                continue
            for i, a in enumerate(holders):
                for b in holders[i + 1 :]:
                    self._tie(a, b, kind, w)
            for person in self.inventors.get(w, []):
                for a in holders:
                    self._tie(person, a, "inventor", w)
        for u, v, k in graph.edges(keys=True):  # the projection's order, as ever (ties' order)
            if k == R.TRANSFERRED_TO and u in self.actor_pos and v in self.actor_pos:
                self._tie(u, v, "transfer", u)
            elif k == R.AFFILIATED_WITH and v in self.actor_pos:
                self._tie(u, v, "affiliation", v)
            elif k in (R.MEMBER_OF, R.AFFILIATED_WITH) and self.label.get(v) == L.ALLIANCE:
                self._tie(u, v, "member", v)
        # Track record: technology transferred to, and cooperation with, SMEs.
        self.track: dict[str, float] = {}
        self.track_via: dict[str, list[str]] = {}
        for a in self.actors:
            partners = []
            if a in self.ties:
                for b in sorted(self.ties.neighbors(a)):
                    tie: Tie = self.ties.edges[a, b]["tie"]
                    if (
                        self.label.get(b) == L.ENTERPRISE
                        and self._is_sme(b)
                        and ({"coapplication", "transfer", "project"} & tie.via.keys())
                    ):
                        partners.append(b)
            transfers = sum(1 for v in self.out(a, R.TRANSFERRED_TO) if self.label.get(v) == L.ENTERPRISE)
            self.track[a] = 1.0 - math.exp(-(transfers + len(partners)) / 3.0)
            self.track_via[a] = partners

    def _is_sme(self, firm: str) -> bool:
        """A firm counts as an SME unless the graph says it is not a recognised tech SME."""
        return self.props(firm).get("techSme") is not False

    def tie(self, a: str, b: str) -> Tie | None:
        if self.ties.has_edge(a, b):
            return self.ties.edges[a, b]["tie"]  # type: ignore[no-any-return]
        return None

    # -- geography -----------------------------------------------------------------------
    def _index_places(self) -> None:
        self.regions: dict[str, set[str]] = {}  # region codes (district level and above)
        self.region_nodes: dict[str, list[str]] = {}
        self.parks: dict[str, list[str]] = {}
        self.cities: dict[str, set[str]] = {}
        #: Cities known only from the place in an organisation's name (match/places.py): a
        #: weaker signal than an address, so it gives city credit only and is labelled.
        self.name_cities: dict[str, set[str]] = {}
        for a in self.actors:
            orgs = self.affiliations.get(a, []) if self.label[a] == L.PERSON else [a]
            codes: set[str] = set()
            cities: set[str] = set()
            region_nodes: set[str] = set()
            parks: set[str] = set()
            for org in orgs:
                props = self.props(org)
                known = bool(props.get("regionCode") or props.get("city"))
                if props.get("regionCode"):
                    codes.add(str(props["regionCode"]))
                if props.get("city"):
                    cities.add(str(props["city"]))
                for r in self.out(org, R.IN_REGION):
                    region_nodes.add(r)
                    if self.props(r).get("code"):
                        codes.add(str(self.props(r)["code"]))
                parks |= set(self.out(org, R.LOCATED_IN))
                unplaced = not (known or self.out(org, R.IN_REGION) or self.out(org, R.LOCATED_IN))
                if unplaced and (city := city_from_name(str(props.get("name") or ""))) is not None:
                    self.name_cities.setdefault(a, set()).add(city)
            # The city of each code from the region hierarchy: a municipality is one city, so a
            # university placed at 120000 (天津市) shares the city of a firm in 120110 (东丽区).
            cities |= {city for c in codes if is_region_code(c) and (city := city_of(c)) is not None}
            self.regions[a] = codes
            self.cities[a] = cities | self.name_cities.get(a, set())
            self.region_nodes[a] = sorted(region_nodes)
            self.parks[a] = sorted(parks)
        # Inverted lists, so the geography of every candidate is a few array writes.
        self.by_park: dict[str, list[int]] = defaultdict(list)
        self.by_district: dict[str, list[int]] = defaultdict(list)
        self.by_city: dict[str, list[int]] = defaultdict(list)
        for i, a in enumerate(self.actors):
            for park in self.parks[a]:
                self.by_park[park].append(i)
            for code in self.districts(a):
                self.by_district[code].append(i)
            for city in self.cities[a]:
                self.by_city[city].append(i)

    def districts(self, a: str) -> set[str]:
        return {c for c in self.regions[a] if len(c) >= 6}

    def geography(self, a: str, b: str) -> float:
        """1 for the same park or district, 0.5 for the same city, else 0."""
        if set(self.parks[a]) & set(self.parks[b]):
            return 1.0
        if self.districts(a) & self.districts(b):
            return 1.0
        if self.cities[a] & self.cities[b]:
            return 0.5
        return 0.0

    # -- vectors -------------------------------------------------------------------------
    def _ipc_matrix(
        self, profiles: list[dict[str, int]], vocab: dict[str, int], idf: np.ndarray
    ) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for i, profile in enumerate(profiles):
            for code, count in profile.items():
                j = vocab.get(code)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    vals.append((1.0 + math.log(count)) * idf[j])
        m = sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(profiles), max(len(vocab), 1)), dtype=np.float64
        )
        return normalize_rows(m)

    def ipc_vectors(self, code_lists: list[list[str]]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Subclass and main-group vectors (unit length, IDF-weighted) for lists of IPC codes."""
        subs: list[dict[str, int]] = []
        grps: list[dict[str, int]] = []
        for codes in code_lists:
            s, g = _profile(codes)
            subs.append(s)
            grps.append(g)
        return (
            self._ipc_matrix(subs, self.sub_vocab, self.sub_idf),
            self._ipc_matrix(grps, self.grp_vocab, self.grp_idf),
        )

    def _index_vectors(self) -> None:
        # IPC: IDF over actors, so a subclass everybody holds (G06F) says less than a rare one.
        sub_df: Counter[str] = Counter()
        grp_df: Counter[str] = Counter()
        for a in self.actors:
            sub_df.update(self.actor_sub[a].keys())
            grp_df.update(self.actor_grp[a].keys())
        for w in self.works:
            for code in self.work_ipc[w]:
                s, g = levels(code)
                sub_df.setdefault(s, 0)
                if g:
                    grp_df.setdefault(g, 0)
        n = max(len(self.actors), 1)
        self.sub_vocab = {c: i for i, c in enumerate(sorted(sub_df))}
        self.grp_vocab = {c: i for i, c in enumerate(sorted(grp_df))}
        self.sub_idf = np.array([math.log((1 + n) / (1 + sub_df[c])) + 1.0 for c in sorted(sub_df)])
        self.grp_idf = np.array([math.log((1 + n) / (1 + grp_df[c])) + 1.0 for c in sorted(grp_df)])
        self.actor_sub_m = self._ipc_matrix(
            [self.actor_sub[a] for a in self.actors], self.sub_vocab, self.sub_idf
        )
        self.actor_grp_m = self._ipc_matrix(
            [self.actor_grp[a] for a in self.actors], self.grp_vocab, self.grp_idf
        )
        self.work_pos = {w: i for i, w in enumerate(self.works)}
        self.work_sub_m, self.work_grp_m = self.ipc_vectors([self.work_ipc[w] for w in self.works])
        # Text: TF-IDF over works and the actors' own descriptions.
        self.work_terms = [terms(None, _text(self.props(w), _WORK_TEXT_FIELDS)) for w in self.works]
        own_terms = [terms(None, _text(self.props(a), _ACTOR_TEXT_FIELDS)) for a in self.actors]
        self.weights = TermWeights(self.work_terms + own_terms)
        self.work_text_m = self.weights.vectors(self.work_terms)
        actor_docs = []
        positions = []
        for i, a in enumerate(self.actors):
            doc = list(own_terms[i])
            mine = []
            for w in self.actor_works[a]:
                if self.label[w] != L.TECH_DEMAND:
                    doc.extend(self.work_terms[self.work_pos[w]])
                    mine.append(self.work_pos[w])
            actor_docs.append(doc)
            positions.append(np.array(mine, dtype=np.int64))
        self.actor_terms = ReferenceActorTerms(actor_docs, positions)
        self.actor_text_m = self.weights.vectors(actor_docs)
        self._index_text_rank(own_terms)
        self.demand_mask = np.array([self.label[w] == L.TECH_DEMAND for w in self.works], dtype=bool)
        # Label arrays and industry inverted lists: filters over all candidates as array ops.
        self.actor_labels = np.array([self.label[a].value for a in self.actors], dtype=object)
        self.work_labels = np.array([self.label[w].value for w in self.works], dtype=object)
        self.actor_by_industry = _inverted([self.actor_industries[a] for a in self.actors])
        self.work_by_industry = _inverted([self.work_industries[w] for w in self.works])

    # -- gazetteer ---------------------------------------------------------------------
    @property
    def gazetteer(self) -> Gazetteer:
        """Organisation, IPC and industry names to spot in demand text, built on first use.

        Tokenising every organisation's names is about 40 % of an eager build at ×1 and grows
        with the number of organisations (docs/benchmarks/scale.md); only demand profiling reads
        it, so partner finding is answered without waiting for it."""
        built = self.__dict__.get("_gazetteer")
        if built is None:
            with _gazetteer_lock:
                built = self.__dict__.get("_gazetteer")
                if built is None:
                    self._index_gazetteer()
                    built = self.__dict__["_gazetteer"]
        return built  # type: ignore[no-any-return]

    def _index_gazetteer(self) -> None:
        found: list[GazetteerTerm] = []
        for a in self.actors:
            if self.label[a] == L.PERSON:
                continue  # people's names are too ambiguous to spot in free text
            props = self.props(a)
            for phrase in [props.get("name"), props.get("nameEn"), *(props.get("aliases") or [])]:
                if phrase:
                    found.append(GazetteerTerm(str(phrase), "ORG", a))
        for i in self.of_label(L.IPC):
            props = self.props(i)
            code = normalize_ipc(str(props.get("code") or i[4:]))
            if props.get("name") and code:
                found.append(GazetteerTerm(str(props["name"]), "IPC", i))
        for i in self.of_label(L.INDUSTRY):
            props = self.props(i)
            for phrase in [props.get("name"), *(props.get("keywords") or [])]:
                if phrase:
                    found.append(GazetteerTerm(str(phrase), "INDUSTRY", i))
        self._gazetteer = _gazetteer(None, found)

    # -- helpers for scoring -----------------------------------------------------------------
    def id_rank(self, group: str) -> np.ndarray:
        """Each work's / actor's position among all works and actors sorted by id (tie-breaks)."""
        cached = self.memo.get(("id-rank", group))
        if cached is None:
            order = {node_id: i for i, node_id in enumerate(sorted([*self.works, *self.actors]))}
            for name, ids in (("works", self.works), ("actors", self.actors)):
                self.memo[("id-rank", name)] = np.array([order[i] for i in ids], dtype=np.int64)
            cached = self.memo[("id-rank", group)]
        return cached  # type: ignore[return-value]

    def shared_terms(self, a: list[str], b: list[str], limit: int = 5) -> list[str]:
        """The most distinctive terms two token lists share (highest IDF first)."""
        common = set(a) & set(b)
        return sorted(common, key=lambda t: (-self.weights.idf(t), t))[:limit]


_EMPTY: Final = "∅"  # bm25s needs a token in every document


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


class ReferenceTextRank:
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
