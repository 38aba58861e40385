"""One :class:`~match.index.MatchIndex` per store, rebuilt when ``store.version()`` moves.

A request pays one ``version()`` round trip; the projection and every derived index are
reused until a write bumps the version. The index lives in :mod:`graph.cache` (the cache the
analyses use too), which builds each version once: twenty concurrent first requests build once,
not twenty times.

After a write, building the new index takes seconds (the whole graph is re-read). With
``wait=False`` (what the API uses) a request starts the build in the background and waits
for it at most :data:`STALE_WAIT_S`; if it is not done by then, the request is answered from
the previous index — unless it needs a node the previous index does not have (``require``,
e.g. a demand that was just posted), which waits for the build. Small graphs therefore
always answer fresh; large ones follow a write within one build time and never stall readers.

**Saved indexes** (:func:`use_source` with :func:`match.disk_cache.use_files`, what the API
does for the store it serves): before building the index of a version, the file ``innograph
index build`` (or another API process) saved for that version is loaded instead; an index
built here is saved for the next process. Loading runs where
building would — in the one build of that version, on the rebuild thread after a write — so
the previous index answers while the next is loaded, as while it is built.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, cast

import networkx as nx

from graph import cache
from graph.model import NodeLabel, RelType
from graph.records import Node
from graph.store import GraphStore
from match.index import MatchIndex
from match.node_fields import BUILD_READS, REL_DATES

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

#: Relationship types matchmaking never reads (hierarchies, incubation, yearly lists and
#: figures): left out of the projection, which is most of the cost of a rebuild.
UNUSED_TYPES = frozenset(
    {RelType.SUBCLASS_OF, RelType.PART_OF, RelType.INCUBATED_BY, RelType.LISTED_IN, RelType.REPORTED}
)
#: Node labels matchmaking never reads. ``AnnualReport`` alone is over a third of the demo
#: graph's nodes; leaving them out of the projection shrinks the index's graph accordingly
#: (docs/benchmarks/scale.md).
UNUSED_LABELS = frozenset({NodeLabel.ANNUAL_REPORT, NodeLabel.LIST_EDITION, NodeLabel.REVIEW_DECISION})

#: The index's key in :mod:`graph.cache` (pinned: the previous version answers while the next
#: builds; never carried forward, since the index reads demands).
INDEX_KEY = "match-index"
_building: weakref.WeakKeyDictionary[GraphStore, threading.Thread] = weakref.WeakKeyDictionary()
_guard = threading.Lock()
#: How long a reader waits for a rebuild before it is answered from the previous index.
STALE_WAIT_S = 2.0


class IndexSource(Protocol):
    """Where a store's index of a version comes from besides a build in this process:
    :class:`match.disk_cache.IndexFiles` (the saved file, else a build that is then saved)."""

    def load_or_build(self, store: GraphStore, nlp: Language | None) -> MatchIndex: ...

    def saved(self, store: GraphStore) -> MatchIndex | None: ...


#: Stores whose indexes come from an :class:`IndexSource` (:func:`use_source`).
_sources: weakref.WeakKeyDictionary[GraphStore, IndexSource] = weakref.WeakKeyDictionary()


def use_source(store: GraphStore, source: IndexSource | None) -> None:
    """Get ``store``'s index of a version from ``source`` (None: build in memory, the default).
    What :func:`match.disk_cache.use_files` calls for the API's store."""
    if source is None:
        _sources.pop(store, None)
    else:
        _sources[store] = source


def saved_index(store: GraphStore) -> MatchIndex | None:
    """The store's index of its current version if cached or saved — never built (the API's
    warm-up when a job builds the indexes, ``INNOGRAPH_INDEX=job``)."""
    fresh = current(store)
    source = _sources.get(store)
    if fresh is not None or source is None:
        return fresh
    loaded = source.saved(store)
    if loaded is not None:
        prime(store, loaded)
    return loaded


def projection(store: GraphStore) -> nx.MultiDiGraph:
    """What an index is built from: the store's graph without what matchmaking never reads —
    neither its labels nor, on the nodes it keeps, the properties its build does not read
    (:data:`match.node_fields.BUILD_READS`: provenance lists, ``searchText``, financial figures
    stay in the store; at ×100 on Neo4j the whole projection alone was 4.8 GiB, SCALING.md) —
    nor, of a relationship, more than its date (:data:`match.node_fields.REL_DATES`)."""
    return store.projection(
        labels=[label for label in NodeLabel if label not in UNUSED_LABELS],
        rel_types=[t for t in RelType if t not in UNUSED_TYPES],
        properties=BUILD_READS,
        rel_properties=REL_DATES,
    )


def build_index(store: GraphStore, nlp: Language | None = None) -> MatchIndex:
    """A fresh index of the store as it is now (no cache). The projection it is built from is
    freed when this returns: the index keeps no reference to it."""
    version = store.version()  # read first: a write during the build makes the index stale, not wrong
    return MatchIndex.from_graph(projection(store), nlp, version=version, consume=True)


def stored_nodes(store: GraphStore) -> Callable[[Sequence[str]], dict[str, Node]]:
    """Reads the nodes a response shows, whole, from the store (one ``get_nodes`` call): the
    index keeps only the properties matchmaking reads (:mod:`match.node_fields`)."""

    def read(node_ids: Sequence[str]) -> dict[str, Node]:
        return {node.id: node for node in store.get_nodes(sorted(set(node_ids)))}

    return read


def _build_once(store: GraphStore, nlp: Language | None) -> MatchIndex:
    """The index of the store's current version, built (or loaded, :func:`use_source`) by one
    caller while the others wait."""
    source = _sources.get(store)
    if source is None:
        return cache.cached(store, INDEX_KEY, lambda: build_index(store, nlp), pinned=True, carry=False)
    return cache.cached(store, INDEX_KEY, lambda: source.load_or_build(store, nlp), pinned=True, carry=False)


def _rebuild_in_background(store: GraphStore, nlp: Language | None) -> threading.Thread:
    with _guard:
        running = _building.get(store)
        if running is not None and running.is_alive():
            return running

        def run() -> None:
            try:
                _build_once(store, nlp)
            except Exception:  # a failed rebuild leaves the previous index serving; the next request retries
                log.exception("rebuilding the match index failed")

        thread = threading.Thread(target=run, name="match-index-rebuild", daemon=True)
        _building[store] = thread
        thread.start()
        return thread


def index_for(
    store: GraphStore, nlp: Language | None = None, *, wait: bool = True, require: Iterable[str] = ()
) -> MatchIndex:
    """The index of the store's current version.

    ``wait=False``: if an older index exists and holds every id in ``require``, rebuild in the
    background and wait for it at most :data:`STALE_WAIT_S`, then answer from the older one.
    """
    fresh = current(store)
    if fresh is not None:
        return fresh
    previous = _newest(store)
    if not wait and previous is not None and all(node_id in previous.label for node_id in require):
        _rebuild_in_background(store, nlp).join(STALE_WAIT_S)
        return _newest(store) or previous
    return _build_once(store, nlp)


def _newest(store: GraphStore) -> MatchIndex | None:
    """The newest index built for the store, of whatever version."""
    kept = cache.latest(store, INDEX_KEY)
    return None if kept is None else cast(MatchIndex, kept[1])


def prime(store: GraphStore, index: MatchIndex) -> None:
    """Make ``index`` the store's cached index (one loaded from disk by the CLI)."""
    cache.put(store, INDEX_KEY, index, version=index.version, carry=False)


def current(store: GraphStore) -> MatchIndex | None:
    """The cached index if it is of the store's current version, else None (never builds)."""
    return cast(MatchIndex | None, cache.peek(store, INDEX_KEY))


def clear() -> None:
    """Forget the cached index of every store (a new process, in tests)."""
    cache.forget(INDEX_KEY)
    _sources.clear()
