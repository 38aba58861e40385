"""The one cache of what is derived from the graph: results keyed by the store's version.

``GraphStore.version()`` grows with every write, so ``(store, version, key)`` identifies a result
exactly. Matchmaking (``match.cache``: the match index) and analytics (``analytics.service``: the
projection, clusters, monitor …) both keep their results here, so one policy decides what is
computed, kept and waited for:

* **One build per key.** Concurrent callers asking for the same missing result share one
  computation (a build lock per ``(store, version, key)``): twenty first requests for the
  clusters, or for the match index, compute it once, not twenty times side by side.
* **Pinned results** (the default partition everyone reads, the match index) are kept until a
  newer version of the same key replaces them, whatever else is computed meanwhile; the previous
  version stays readable (:func:`latest`) so a reader can be answered while the next one builds.
  Unpinned results share a small per-store LRU (:data:`MAX_ENTRIES`).
* **Carry forward.** A write the analyses do not read (a posted demand) may carry their results
  over to the new version (:func:`carry_forward`); results stored with ``carry=False`` (the
  match index, which does read demands) never are.
* **Saved results** (issue #14). A store may have a :class:`SavedResults` source
  (:func:`use_saved`; ``analytics/saved.py``, the analyses' files): a pinned result it keeps is
  looked for in its file before it is computed, and saved once computed. Under
  :func:`saved_only` (the API's warm-up with ``INNOGRAPH_ANALYSES=job``) a miss loads the file or
  raises :class:`~graph.errors.NotSavedError` — nothing is computed on that thread.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from graph.errors import NotSavedError
from graph.store import GraphStore

T = TypeVar("T")
#: Unpinned results kept per store and kind (the last few partitions an analyst asked for).
MAX_ENTRIES = 8
#: Kinds with an LRU of their own, of this size; every other kind shares one of
#: :data:`MAX_ENTRIES`. Name searches are many and small (≤ ``SEARCH_CANDIDATES`` nodes each),
#: and a province's popular ones ("天津", "科技") cost Neo4j about a second each to recompute;
#: in their own LRU a burst of them never evicts an analyst's partitions.
KIND_ENTRIES: dict[Hashable, int] = {"search": 256}


def _lru_of(key: Hashable) -> Hashable:
    """Which LRU keeps ``key``: its kind's own, or the shared one (None)."""
    kind = kind_of(key)
    return kind if kind in KIND_ENTRIES else None


@dataclass(frozen=True)
class _Entry:
    version: int
    value: Any
    carry: bool


_lock = threading.Lock()
#: Unpinned results: store → LRU (:func:`_lru_of`) → (version, key) → entry, least recent first.
_Recent = OrderedDict[tuple[int, Hashable], _Entry]
_recent: weakref.WeakKeyDictionary[Any, dict[Hashable, _Recent]] = weakref.WeakKeyDictionary()
#: Pinned results: store → key → the entry of the newest version computed.
_pinned: weakref.WeakKeyDictionary[Any, dict[Hashable, _Entry]] = weakref.WeakKeyDictionary()
#: Builds in progress: (store id, version, key) → the event their result is ready on.
_flights: dict[tuple[int, int, Hashable], threading.Event] = {}


class SavedResults(Protocol):
    """Where a store's pinned results are saved between processes (``analytics.saved``)."""

    def keeps(self, key: Hashable) -> bool:
        """Whether results of ``key`` are saved at all."""
        ...

    def obtain(
        self, store: GraphStore, key: Hashable, version: int, by_inputs: bool, compute: Callable[[], T]
    ) -> T:
        """The saved result of ``key`` at ``version`` (``by_inputs``: a version of the result's
        inputs, not the store's), else ``compute()``'s, then saved."""
        ...

    def carried(self, store: GraphStore, keys: list[Hashable], before: int, after: int) -> None:
        """``keys``' results at ``before`` hold at ``after`` too (:func:`carry_forward`)."""
        ...


#: Stores whose pinned results are also saved to files (:func:`use_saved`).
_saved: weakref.WeakKeyDictionary[Any, SavedResults] = weakref.WeakKeyDictionary()
#: Results computed in this process, by kind (a key's first element): tests check that a result
#: was loaded, not computed.
computed: Counter[Hashable] = Counter()


_local = threading.local()


@contextlib.contextmanager
def saved_only() -> Iterator[None]:
    """On this thread, load missing results from their files but compute none (raise
    :class:`~graph.errors.NotSavedError` instead): the API's warm-up when a job computes the analyses."""
    before = getattr(_local, "saved_only", False)
    _local.saved_only = True
    try:
        yield
    finally:
        _local.saved_only = before


def use_saved(store: GraphStore, source: SavedResults | None) -> None:
    """Look ``store``'s pinned results up in ``source`` before computing them, and save them there
    (None: in memory only, the default)."""
    with _lock:
        if source is None:
            _saved.pop(store, None)
        else:
            _saved[store] = source


def kind_of(key: Hashable) -> Hashable:
    """A key's kind: its first element (``("clusters", options)`` → ``"clusters"``), or itself."""
    return key[0] if isinstance(key, tuple) and key else key


def _obtain(
    store: GraphStore, key: Hashable, version: int, by_inputs: bool, compute: Callable[[], T], pinned: bool
) -> T:
    """``compute()``'s result, or the saved one (caller holds the key's flight, not ``_lock``)."""
    only_saved = getattr(_local, "saved_only", False)

    def run() -> T:
        if only_saved:
            raise NotSavedError(f"{kind_of(key)!r} of version {version} is not saved")
        computed[kind_of(key)] += 1
        return compute()

    source = _saved.get(store) if pinned else None
    if source is not None and source.keeps(key):
        return source.obtain(store, key, version, by_inputs, run)
    return run()


def _lookup(store: GraphStore, version: int, key: Hashable) -> _Entry | None:
    """The entry for ``key`` at ``version`` (caller holds ``_lock``)."""
    recent = _recent.get(store, {}).get(_lru_of(key))
    if recent is not None and (version, key) in recent:
        recent.move_to_end((version, key))
        return recent[(version, key)]
    kept = _pinned.get(store, {}).get(key)
    return kept if kept is not None and kept.version == version else None


def _store(store: GraphStore, key: Hashable, entry: _Entry, *, pinned: bool) -> None:
    """Keep ``entry`` (caller holds ``_lock``); a pinned one never replaces a newer version."""
    if pinned:
        pins = _pinned.setdefault(store, {})
        kept = pins.get(key)
        if kept is None or kept.version <= entry.version:
            pins[key] = entry
        return
    lru = _lru_of(key)
    recent = _recent.setdefault(store, {}).setdefault(lru, OrderedDict())
    recent[(entry.version, key)] = entry
    while len(recent) > KIND_ENTRIES.get(lru, MAX_ENTRIES):
        recent.popitem(last=False)


def cached(
    store: GraphStore,
    key: Hashable,
    compute: Callable[[], T],
    *,
    pinned: bool = False,
    carry: bool = True,
    version: int | None = None,
) -> T:
    """``compute()`` once per (store, store version, key); later calls return the same object,
    and calls while it runs wait for it (if it fails, the next waiter tries itself). ``pinned``:
    kept until a newer version replaces it (see the module docstring); ``carry=False``: never
    carried over to a later version by :func:`carry_forward`. ``version``: key by this instead
    of ``store.version()`` — the version of what ``compute`` reads (``graph.stamps.
    inputs_version``), so writes that touch none of it keep the result; always the same kind of
    version for one ``key``, read before ``compute`` runs, and never carried (``carry=False``)."""
    by_inputs = version is not None
    version = store.version() if version is None else version
    flight_key = (id(store), version, key)
    while True:
        with _lock:
            entry = _lookup(store, version, key)
            if entry is not None:
                return entry.value  # type: ignore[no-any-return]
            running = _flights.get(flight_key)
            if running is None:
                done = _flights[flight_key] = threading.Event()
                break
        running.wait()
    try:
        value = _obtain(store, key, version, by_inputs, compute, pinned)
        with _lock:
            _store(store, key, _Entry(version, value, carry), pinned=pinned)
        return value
    finally:
        with _lock:
            _flights.pop(flight_key, None)
        done.set()


def peek(store: GraphStore, key: Hashable) -> Any | None:
    """The result for ``key`` at the store's current version, or None (never computes)."""
    version = store.version()
    with _lock:
        entry = _lookup(store, version, key)
        return None if entry is None else entry.value


def is_cached(store: GraphStore, key: Hashable) -> bool:
    """Whether ``key`` is cached for the store's current version (the answer would be cheap)."""
    version = store.version()
    with _lock:
        return _lookup(store, version, key) is not None


def latest(store: GraphStore, key: Hashable) -> tuple[int, Any] | None:
    """The newest pinned result for ``key`` and its version, however old (stale serving)."""
    with _lock:
        kept = _pinned.get(store, {}).get(key)
        return None if kept is None else (kept.version, kept.value)


def put(store: GraphStore, key: Hashable, value: object, *, version: int, carry: bool = True) -> None:
    """Pin ``value`` as the result for ``key`` at ``version`` (one computed elsewhere, e.g. loaded
    from disk)."""
    with _lock:
        _store(store, key, _Entry(version, value, carry), pinned=True)


def carry_forward(store: GraphStore, before: int, after: int) -> int:
    """Reuse the results cached at version ``before`` for version ``after``, for a write that the
    caller knows none of them read; returns how many were carried. Only when ``after`` is
    ``before + 1`` — any other write in between could have changed what they read. Saved pinned
    results are carried too (:class:`SavedResults`), so other processes load them at ``after``."""
    if after != before + 1:
        return 0
    with _lock:
        pins = _pinned.get(store, {})
        moved = [key for key, e in pins.items() if e.version == before and e.carry]
        for key in moved:
            pins[key] = _Entry(after, pins[key].value, True)
        source = _saved.get(store)
        carried = []
        for lru, recent in _recent.get(store, {}).items():
            of_kind = [(k, e) for (v, k), e in recent.items() if v == before and e.carry]
            for key, entry in of_kind:
                recent.setdefault((after, key), _Entry(after, entry.value, True))
            while len(recent) > KIND_ENTRIES.get(lru, MAX_ENTRIES):
                recent.popitem(last=False)
            carried += of_kind
    if source is not None and moved:
        source.carried(store, moved, before, after)
    return len(carried) + len(moved)


def forget(key: Hashable) -> None:
    """Drop ``key`` from every store's cache (a new process, in tests)."""
    with _lock:
        for pins in _pinned.values():
            pins.pop(key, None)
        for kinds in _recent.values():
            recent = kinds.get(_lru_of(key), OrderedDict())
            for full_key in [k for k in recent if k[1] == key]:
                del recent[full_key]


def clear() -> None:
    """Forget everything cached."""
    with _lock:
        _recent.clear()
        _pinned.clear()
        _saved.clear()
