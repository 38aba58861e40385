"""Results cached by the store's version: the analysis reruns only after the graph changed.

``GraphStore.version()`` grows with every write, so ``(store, version, options)`` identifies a
result exactly. The cache is per process and small (the last few results per store).

Concurrent callers asking for the same missing result share one computation (single flight):
eight requests for a new partition compute it once, not eight times side by side. A write the
analyses do not read (a posted demand) may carry the cached results over to the new version
(:func:`carry_forward`) instead of making every analysis run again.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from graph.store import GraphStore

T = TypeVar("T")
MAX_ENTRIES = 8

_lock = threading.Lock()
_caches: weakref.WeakKeyDictionary[Any, OrderedDict[tuple[int, Hashable], Any]] = weakref.WeakKeyDictionary()
#: Pinned results: store → key → (version, value); one per key, replaced when the version moves.
_pinned: weakref.WeakKeyDictionary[Any, dict[Hashable, tuple[int, Any]]] = weakref.WeakKeyDictionary()
#: Computations in progress: (store id, version, key) → the event their result is ready on.
_flights: dict[tuple[int, Hashable], threading.Event] = {}


def cached(store: GraphStore, key: Hashable, compute: Callable[[], T], *, pinned: bool = False) -> T:
    """``compute()`` once per (store, store version, key); later calls return the same object,
    and calls while it runs wait for it. A ``pinned`` result (the default partition everyone
    reads) is kept until the version changes, whatever else is computed meanwhile: eight
    analysts' partitions must not push it out and make every reader wait for it again."""
    full_key = (store.version(), key)
    flight_key = (id(store), full_key)
    while True:
        with _lock:
            entries = _caches.setdefault(store, OrderedDict())
            if full_key in entries:
                entries.move_to_end(full_key)
                return entries[full_key]  # type: ignore[no-any-return]
            kept = _pinned.get(store, {}).get(key)
            if kept is not None and kept[0] == full_key[0]:
                return kept[1]  # type: ignore[no-any-return]
            running = _flights.get(flight_key)
            if running is None:
                done = _flights[flight_key] = threading.Event()
                break
        # Another thread computes it: wait, then read its result (or, if it failed, try ourselves).
        running.wait()
    try:
        value = compute()
        with _lock:
            if pinned:
                _pinned.setdefault(store, {})[key] = (full_key[0], value)
            else:
                entries = _caches.setdefault(store, OrderedDict())
                entries[full_key] = value
                while len(entries) > MAX_ENTRIES:
                    entries.popitem(last=False)
        return value
    finally:
        with _lock:
            _flights.pop(flight_key, None)
        done.set()


def is_cached(store: GraphStore, key: Hashable) -> bool:
    """Whether ``key`` is cached for the store's current version (the answer would be cheap)."""
    version = store.version()
    with _lock:
        kept = _pinned.get(store, {}).get(key)
        return (version, key) in _caches.get(store, {}) or (kept is not None and kept[0] == version)


def carry_forward(store: GraphStore, before: int, after: int) -> int:
    """Reuse the results cached at version ``before`` for version ``after``, for a write that the
    caller knows none of them read; returns how many were carried. Only when ``after`` is
    ``before + 1`` — any other write in between could have changed what they read."""
    if after != before + 1:
        return 0
    with _lock:
        pins = _pinned.get(store, {})
        moved = [key for key, (version, _) in pins.items() if version == before]
        for key in moved:
            pins[key] = (after, pins[key][1])
        entries = _caches.get(store)
        if entries is None:
            return len(moved)
        carried: list[tuple[Hashable, Any]] = [
            (full_key[1], value) for full_key, value in entries.items() if full_key[0] == before
        ]
        for key, value in carried:
            entries.setdefault((after, key), value)
        while len(entries) > MAX_ENTRIES:
            entries.popitem(last=False)
        return len(carried) + len(moved)


def clear() -> None:
    with _lock:
        _caches.clear()
        _pinned.clear()
