"""One :class:`~match.index.MatchIndex` per store, rebuilt when ``store.version()`` moves.

A request pays one ``version()`` round trip; the projection and every derived index are
reused until a write bumps the version. Building is serialised per store, so twenty
concurrent first requests build once, not twenty times.

After a write, building the new index takes seconds (the whole graph is re-read). With
``wait=False`` (what the API uses) a request starts the build in the background and waits
for it at most :data:`STALE_WAIT_S`; if it is not done by then, the request is answered from
the previous index — unless it needs a node the previous index does not have (``require``,
e.g. a demand that was just posted), which waits for the build. Small graphs therefore
always answer fresh; large ones follow a write within one build time and never stall readers.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterable

from spacy.language import Language

from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from match.index import MatchIndex
from text.pipeline import get_nlp

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

_cache: weakref.WeakKeyDictionary[GraphStore, MatchIndex] = weakref.WeakKeyDictionary()
_locks: weakref.WeakKeyDictionary[GraphStore, threading.Lock] = weakref.WeakKeyDictionary()
_building: weakref.WeakKeyDictionary[GraphStore, threading.Thread] = weakref.WeakKeyDictionary()
_guard = threading.Lock()
#: How long a reader waits for a rebuild before it is answered from the previous index.
STALE_WAIT_S = 2.0


def _lock(store: GraphStore) -> threading.Lock:
    with _guard:
        return _locks.setdefault(store, threading.Lock())


def build_index(store: GraphStore, nlp: Language | None = None) -> MatchIndex:
    """A fresh index of the store as it is now (no cache)."""
    version = store.version()  # read first: a write during the build makes the index stale, not wrong
    graph = store.projection(
        labels=[label for label in NodeLabel if label not in UNUSED_LABELS],
        rel_types=[t for t in RelType if t not in UNUSED_TYPES],
    )
    return MatchIndex.from_graph(graph, nlp or get_nlp(), version=version)


def _build_locked(store: GraphStore, nlp: Language | None) -> MatchIndex:
    with _lock(store):
        cached = _cache.get(store)
        if cached is not None and cached.version == store.version():
            return cached
        index = build_index(store, nlp)
        _cache[store] = index
        return index


def _rebuild_in_background(store: GraphStore, nlp: Language | None) -> threading.Thread:
    with _guard:
        running = _building.get(store)
        if running is not None and running.is_alive():
            return running

        def run() -> None:
            try:
                _build_locked(store, nlp)
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
    version = store.version()
    cached = _cache.get(store)
    if cached is not None and cached.version == version:
        return cached
    if not wait and cached is not None and all(node_id in cached.label for node_id in require):
        _rebuild_in_background(store, nlp).join(STALE_WAIT_S)
        latest = _cache.get(store)
        return latest if latest is not None else cached
    return _build_locked(store, nlp)


def prime(store: GraphStore, index: MatchIndex) -> None:
    """Make ``index`` the store's cached index (one loaded from disk by the CLI)."""
    with _lock(store):
        _cache[store] = index


def current(store: GraphStore) -> MatchIndex | None:
    """The cached index if it is of the store's current version, else None (never builds)."""
    cached = _cache.get(store)
    return cached if cached is not None and cached.version == store.version() else None


def clear() -> None:
    """Forget every cached index (tests)."""
    _cache.clear()
