"""What every matchmaking query reads, built once per graph version from a projection.

Building reads the whole graph (one ``store.projection()``), tokenises every work and actor
text once, and lays the results out as sparse matrices so that scoring all candidates for a
request is a handful of matrix–vector products. :mod:`match.cache` keeps one index per store
keyed by ``store.version()``; the quality benchmark builds indexes from hand-made
projections (the graph as it was before a year T).

The built index does not keep the projection: it keeps its own typed adjacency
(:class:`match.adjacency.Adjacency`) and the few properties queries read
(:class:`match.node_fields.NodeFields`), so the projection is freed once the build returns
(at ×1 it was 36 of the index's 60 MiB; docs/benchmarks/matchmaking.md).
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, overload

import networkx as nx
import numpy as np
from scipy import sparse

from graph.collector import collector_paused
from graph.model import ORGANIZATION_LABELS, NodeLabel, RelType
from graph.records import Node
from graph.regions import city_of, is_region_code
from match.adjacency import Adjacency
from match.ipc import levels, normalize_ipc
from match.node_fields import NodeFields
from match.places import city_from_name
from match.text_rank import TextRank, query_tokens
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


@dataclass(slots=True)
class Tie:
    """Why two actors (or an actor and an alliance) are linked: kind → the nodes that link them."""

    via: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def direct(self) -> bool:
        return any(kind in DIRECT_TIES for kind in self.via)


class Ties:
    """The undirected tie graph: node → {neighbour: its :class:`Tie`}, one shared object per pair.

    What a networkx ``Graph`` held here before, without its per-edge attribute dicts and views
    (adding the ties through them was 15 s of a ×100 build). Same order as networkx's: nodes
    and each node's neighbours in the order they were first added, so the readers (proximity,
    partner counts, track record) see them as before."""

    __slots__ = ("_adj",)

    def __init__(self, nodes: Iterable[str]) -> None:
        self._adj: dict[str, dict[str, Tie]] = {n: {} for n in nodes}

    def add(self, a: str, b: str, kind: str, via: str) -> None:
        """Record that ``via`` ties ``a`` and ``b`` by ``kind`` (no tie of a node with itself)."""
        if a == b:
            return
        adj = self._adj
        row = adj.get(a)
        if row is None:
            row = adj[a] = {}
        tie = row.get(b)
        if tie is None:
            tie = row[b] = Tie()
            other = adj.get(b)
            if other is None:
                other = adj[b] = {}
            other[a] = tie
        tie.via[kind].add(via)

    def __contains__(self, node: object) -> bool:
        return node in self._adj

    def neighbors(self, node: str) -> Iterator[str]:
        """The node's neighbours (KeyError for a node not in the graph)."""
        return iter(self._adj[node])

    def degree(self, node: str) -> int:
        return len(self._adj[node])

    def get(self, a: str, b: str) -> Tie | None:
        row = self._adj.get(a)
        return None if row is None else row.get(b)

    def number_of_edges(self) -> int:
        return sum(len(row) for row in self._adj.values()) // 2


class ActorTerms(Sequence[list[str]]):
    """Each actor's terms: its own, then its works' (``edges``, in order), put together when read.

    The index used to keep every actor's concatenation (a person's or a university's whole body
    of work, again); only explanations (the shared terms) and offline benchmarks read them."""

    __slots__ = ("_own", "_starts", "_work_ids", "_works")

    def __init__(
        self, own: list[list[str]], works: list[list[str]], edges: Sequence[tuple[int, int]]
    ) -> None:
        self._own = own
        self._works = works
        self._work_ids = np.array([j for _, j in edges], dtype=np.int64)
        actor_ids = np.array([i for i, _ in edges], dtype=np.int64)
        self._starts = np.searchsorted(actor_ids, np.arange(len(own) + 1))

    def __len__(self) -> int:
        return len(self._own)

    def work_positions(self, i: int) -> np.ndarray:
        """The positions of actor ``i``'s works, demands excluded, in the order of its works
        (a view: do not mutate). Evidence reads them without a Python pass over the works."""
        return self._work_ids[self._starts[i] : self._starts[i + 1]]

    @overload
    def __getitem__(self, i: int) -> list[str]: ...
    @overload
    def __getitem__(self, i: slice) -> list[list[str]]: ...
    def __getitem__(self, i: int | slice) -> list[str] | list[list[str]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        doc = list(self._own[i])
        works = self._works
        for j in self._work_ids[self._starts[i] : self._starts[i + 1]].tolist():
            doc.extend(works[j])
        return doc


#: The build normalises the same IPC codes and splits them into levels ~10⁶ times at ×100 (a
#: parse each): memoised, codes being few (tens of thousands of main groups).
_levels = lru_cache(maxsize=1 << 16)(levels)
_normalized = lru_cache(maxsize=1 << 16)(normalize_ipc)


def _ipc(code: object) -> str | None:
    """:func:`match.ipc.normalize_ipc`, memoised for the strings a property list holds."""
    return _normalized(code) if isinstance(code, str) else normalize_ipc(code)


def _profile(codes: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
    """How often each subclass and each main group occurs among ``codes``.

    Plain dicts, not Counters: an index build makes ~10⁵ of them and Counter() is slow to create.
    """
    sub: dict[str, int] = {}
    grp: dict[str, int] = {}
    for code in codes:
        s, g = _levels(code)
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


class MatchIndex:
    """Indexes over one graph version. Build with :meth:`from_graph`; never mutated after.

    Holds no reference to ``graph`` once built: relationships are in :attr:`adjacency`, the
    properties queries read in :attr:`fields` (offline evaluation that needs the whole graph
    takes it as an argument, see :mod:`match.evaluation` and :mod:`match.learn`)."""

    def __init__(
        self, graph: nx.MultiDiGraph, nlp: Language | None, *, version: int = 0, consume: bool = False
    ) -> None:
        # The build keeps ~10⁶ new containers at ×100 (sets, lists, ties): with the cyclic
        # collector on, every threshold they cross rescans them and the projection (graph.collector).
        with collector_paused():
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
            #: Whether the build may empty ``graph`` (see :meth:`_read_last`).
            self._consuming = consume
            try:
                self._index_works()
                self._index_actors()
                self._index_ties(graph)
                if consume:
                    _let_go(graph)
                self._index_places()
                self._index_vectors()
            finally:
                del self._building, self._consuming
        # The gazetteer is built on first use (:attr:`gazetteer`): partner finding never reads it.

    @classmethod
    def from_graph(
        cls, graph: nx.MultiDiGraph, nlp: Language | None, *, version: int = 0, consume: bool = False
    ) -> MatchIndex:
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

    def _index_text_rank(self, own_terms: list[list[str]], edges: list[tuple[int, int]]) -> None:
        """BM25 over words + character bigrams (the demand text signal, ``match/text_rank.py``),
        built here so the index on disk carries it. An actor's document is its own text and the
        documents of its works (``edges``), counted without concatenating them. The documents
        are made as they are counted, a chunk at a time (a text's bigrams are as many strings as
        it has characters: every document's at once were the largest list of the build)."""
        work_docs = (
            query_tokens(_text(self.props(w), _WORK_TEXT_FIELDS), self.work_terms[j])
            for j, w in enumerate(self.works)
        )
        actor_own = (
            query_tokens(_text(self.props(a), _ACTOR_TEXT_FIELDS), own_terms[i])
            for i, a in enumerate(self.actors)
        )
        self.text_rank = TextRank(work_docs, actor_own, edges)

    def _read_last(self) -> None:
        """The build has read its last property: a projection handed over (``consume``) lets its
        nodes go — their texts are most of what is left of it — before the term matrices are
        built beside them. A later :meth:`props` read during the build fails loudly (KeyError)."""
        building = self.__dict__.get("_building")
        if building is not None and self.__dict__.get("_consuming"):
            building.clear()

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
            codes = {_ipc(c) for c in props.get("ipcCodes") or []}
            codes |= {_ipc(str(self.props(i).get("code") or i[4:])) for i in self.out(w, R.CLASSIFIED_AS)}
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
            own = [_ipc(c) for c in self.props(a).get("ipcCodes") or []]
            codes = [c for c in own if c] + [
                c for w in self.actor_works[a] if self.label[w] != L.TECH_DEMAND for c in self.work_ipc[w]
            ]
            codes += [c for o in self.out(a, R.CLASSIFIED_AS) for c in [_ipc(o[4:])] if c]
            self.actor_sub[a], self.actor_grp[a] = _profile(codes)

    # -- ties (network proximity) -----------------------------------------------------------
    def _index_ties(self, graph: nx.MultiDiGraph) -> None:
        """An undirected graph of actors and alliances: co-applications, transfers, shared
        projects, inventors and affiliations link actors; memberships link actors to alliances."""
        self.ties = ties = Ties(self.actors)
        tie = ties.add
        for w in self.works:
            holders = self.holders[w]
            kind = "project" if self.label[w] == L.PROJECT else "coapplication"
            if self.label[w] == L.TECH_ACHIEVEMENT:
                continue
            for i, a in enumerate(holders):
                for b in holders[i + 1 :]:
                    tie(a, b, kind, w)
            for person in self.inventors.get(w, []):
                for a in holders:
                    tie(person, a, "inventor", w)
        actor_pos = self.actor_pos
        label = self.label
        for u, v, k in graph.edges(keys=True):  # the projection's order, as ever (ties' order)
            if k == R.TRANSFERRED_TO and u in actor_pos and v in actor_pos:
                tie(u, v, "transfer", u)
            elif k == R.AFFILIATED_WITH and v in actor_pos:
                tie(u, v, "affiliation", v)
            elif k in (R.MEMBER_OF, R.AFFILIATED_WITH) and label.get(v) == L.ALLIANCE:
                tie(u, v, "member", v)
        # Track record: technology transferred to, and cooperation with, SMEs.
        self.track: dict[str, float] = {}
        self.track_via: dict[str, list[str]] = {}
        for a in self.actors:
            partners = []
            if a in ties:
                for b in sorted(ties.neighbors(a)):
                    found = ties.get(a, b)
                    if (
                        self.label.get(b) == L.ENTERPRISE
                        and self._is_sme(b)
                        and found is not None
                        and ({"coapplication", "transfer", "project"} & found.via.keys())
                    ):
                        partners.append(b)
            transfers = sum(1 for v in self.out(a, R.TRANSFERRED_TO) if self.label.get(v) == L.ENTERPRISE)
            self.track[a] = 1.0 - math.exp(-(transfers + len(partners)) / 3.0)
            self.track_via[a] = partners

    def _is_sme(self, firm: str) -> bool:
        """A firm counts as an SME unless the graph says it is not a recognised tech SME."""
        return self.props(firm).get("techSme") is not False

    def tie(self, a: str, b: str) -> Tie | None:
        return self.ties.get(a, b)

    # -- geography -----------------------------------------------------------------------
    def _index_places(self) -> None:
        self.regions: dict[str, set[str]] = {}  # region codes (district level and above)
        self.region_nodes: dict[str, list[str]] = {}
        self.parks: dict[str, list[str]] = {}
        self.cities: dict[str, set[str]] = {}
        #: Cities known only from the place in an organisation's name (match/places.py): a
        #: weaker signal than an address, so it gives city credit only and is labelled.
        self.name_cities: dict[str, set[str]] = {}
        # A province's firms share a few thousand region codes: each code's city looked up once.
        city_memo: dict[str, str | None] = {}
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
            for c in codes:
                if c in city_memo:
                    city = city_memo[c]
                else:
                    city = city_memo[c] = city_of(c) if is_region_code(c) else None
                if city is not None:
                    cities.add(city)
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
                s, g = _levels(code)
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
        # One string object per distinct token (the tokeniser makes a new one per occurrence:
        # at ×1 23,163 strings for 278 values), so the index keeps and pickles each once.
        one: dict[str, str] = {}
        self.work_terms = [
            [one.setdefault(t, t) for t in terms(None, _text(self.props(w), _WORK_TEXT_FIELDS))]
            for w in self.works
        ]
        own_terms = [
            [one.setdefault(t, t) for t in terms(None, _text(self.props(a), _ACTOR_TEXT_FIELDS))]
            for a in self.actors
        ]
        del one
        # An actor's document is its own terms followed by its works' (demands excluded): the
        # actor → work edges, in that order. Its counts are a sparse product, not a concatenation.
        edges = [
            (i, self.work_pos[w])
            for i, a in enumerate(self.actors)
            for w in self.actor_works[a]
            if self.label[w] != L.TECH_DEMAND
        ]
        # The BM25 indexes read the texts once more (bigrams): the last read of the projection.
        self._index_text_rank(own_terms, edges)
        self._read_last()
        self.weights = TermWeights(self.work_terms + own_terms)
        work_counts = self.weights.counts(self.work_terms)
        self.work_text_m = self.weights.weighted(work_counts)
        incidence = sparse.csr_matrix(
            (np.ones(len(edges)), ([i for i, _ in edges], [j for _, j in edges])),
            shape=(len(self.actors), len(self.works)),
        )
        self.actor_text_m = self.weights.weighted(self.weights.counts(own_terms) + incidence @ work_counts)
        self.actor_terms = ActorTerms(own_terms, self.work_terms, edges)
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
