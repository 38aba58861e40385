"""One :class:`~match.index.MatchIndex` per store, rebuilt when ``store.version()`` moves.

A request pays one ``version()`` round trip; the projection and every derived index are
reused until a write bumps the version. Building is serialised per store, so twenty
concurrent first requests build once, not twenty times.

After a write, building the new index takes seconds (the whole graph is re-read). With
``wait=False`` (what the API uses) a request is answered from the previous index while the
new one builds in the background — unless the request needs a node the previous index does
not have (``require``, e.g. a demand that was just posted), which waits for the build.
Answers therefore follow a write within one build time, and never block readers for it.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterable

from spacy.language import Language

from graph.model import RelType
from graph.store import GraphStore
from match.index import MatchIndex
from text.pipeline import get_nlp

log = logging.getLogger(__name__)

#: Relationship types matchmaking never reads (hierarchies and incubation): left out of the
#: projection, which is most of the cost of a rebuild.
UNUSED_TYPES = frozenset({RelType.SUBCLASS_OF, RelType.PART_OF, RelType.INCUBATED_BY})

_cache: weakref.WeakKeyDictionary[GraphStore, MatchIndex] = weakref.WeakKeyDictionary()
_locks: weakref.WeakKeyDictionary[GraphStore, threading.Lock] = weakref.WeakKeyDictionary()
_building: weakref.WeakSet[GraphStore] = weakref.WeakSet()
_guard = threading.Lock()


def _lock(store: GraphStore) -> threading.Lock:
    with _guard:
        return _locks.setdefault(store, threading.Lock())


def build_index(store: GraphStore, nlp: Language | None = None) -> MatchIndex:
    """A fresh index of the store as it is now (no cache)."""
    version = store.version()  # read first: a write during the build makes the index stale, not wrong
    graph = store.projection(rel_types=[t for t in RelType if t not in UNUSED_TYPES])
    return MatchIndex.from_graph(graph, nlp or get_nlp(), version=version)


def _build_locked(store: GraphStore, nlp: Language | None) -> MatchIndex:
    with _lock(store):
        cached = _cache.get(store)
        if cached is not None and cached.version == store.version():
            return cached
        index = build_index(store, nlp)
        _cache[store] = index
        return index


def _rebuild_in_background(store: GraphStore, nlp: Language | None) -> None:
    with _guard:
        if store in _building:
            return
        _building.add(store)

    def run() -> None:
        try:
            _build_locked(store, nlp)
        except Exception:  # a failed rebuild leaves the previous index serving; the next request retries
            log.exception("rebuilding the match index failed")
        finally:
            with _guard:
                _building.discard(store)

    threading.Thread(target=run, name="match-index-rebuild", daemon=True).start()


def index_for(
    store: GraphStore, nlp: Language | None = None, *, wait: bool = True, require: Iterable[str] = ()
) -> MatchIndex:
    """The index of the store's current version.

    ``wait=False``: if an older index exists and holds every id in ``require``, return it at
    once and rebuild in the background.
    """
    version = store.version()
    cached = _cache.get(store)
    if cached is not None and cached.version == version:
        return cached
    if not wait and cached is not None and all(node_id in cached.label for node_id in require):
        _rebuild_in_background(store, nlp)
        return cached
    return _build_locked(store, nlp)


def clear() -> None:
    """Forget every cached index (tests)."""
    _cache.clear()
