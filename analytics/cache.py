"""Results cached by the store's version: the analysis reruns only after the graph changed.

``GraphStore.version()`` grows with every write, so ``(store, version, options)`` identifies a
result exactly. The cache is per process and small (the last few results per store).
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
_caches: weakref.WeakKeyDictionary[Any, OrderedDict[Hashable, Any]] = weakref.WeakKeyDictionary()


def cached(store: GraphStore, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per (store, store version, key); later calls return the same object."""
    full_key = (store.version(), key)
    with _lock:
        entries = _caches.setdefault(store, OrderedDict())
        if full_key in entries:
            entries.move_to_end(full_key)
            return entries[full_key]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        entries = _caches.setdefault(store, OrderedDict())
        entries[full_key] = value
        while len(entries) > MAX_ENTRIES:
            entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _caches.clear()
