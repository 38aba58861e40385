"""Admission for requests that may start a costly computation (a new cluster partition, ~3 s).

``analytics.cache`` already makes concurrent requests for the same result share one
computation. This bounds the rest: at most ``max_running`` different computations at once
(``INNOGRAPH_MAX_RECOMPUTES``, default 2) and at most ``max_waiting`` requests waiting for any
one of them (``INNOGRAPH_MAX_WAITING``, default 16). Beyond either, the request is answered
``503`` with ``Retry-After`` at once instead of piling up threads and memory. Requests whose
answer is cached never wait here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from fastapi import HTTPException

from analytics import cache
from graph.errors import ConfigError
from graph.store import GraphStore

T = TypeVar("T")

DEFAULT_MAX_RUNNING = 2
DEFAULT_MAX_WAITING = 16
RETRY_AFTER_S = 5


class Admission:
    def __init__(
        self, max_running: int = DEFAULT_MAX_RUNNING, max_waiting: int = DEFAULT_MAX_WAITING
    ) -> None:
        if max_running < 1 or max_waiting < 0:
            raise ConfigError("INNOGRAPH_MAX_RECOMPUTES must be >= 1 and INNOGRAPH_MAX_WAITING >= 0")
        self.max_running = max_running
        self.max_waiting = max_waiting
        self._lock = threading.Lock()
        self._requests: dict[Hashable, int] = {}  # computation → requests in it (first one runs it)

    @classmethod
    def from_env(cls) -> Admission:
        def integer(name: str, default: int) -> int:
            raw = os.environ.get(name, "").strip()
            try:
                return int(raw) if raw else default
            except ValueError:
                raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None

        return cls(
            integer("INNOGRAPH_MAX_RECOMPUTES", DEFAULT_MAX_RUNNING),
            integer("INNOGRAPH_MAX_WAITING", DEFAULT_MAX_WAITING),
        )

    def run(self, store: GraphStore, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` (which caches under ``key``) unless that would exceed the bounds."""
        if cache.is_cached(store, key):
            return compute()
        flight = (id(store), store.version(), key)
        with self._lock:
            inside = self._requests.get(flight, 0)
            if inside == 0 and len(self._requests) >= self.max_running:
                raise HTTPException(
                    503,
                    f"{self.max_running} analyses are being computed; retry in {RETRY_AFTER_S} s",
                    headers={"Retry-After": str(RETRY_AFTER_S)},
                )
            if inside > self.max_waiting:
                raise HTTPException(
                    503,
                    f"too many requests wait for this analysis; retry in {RETRY_AFTER_S} s",
                    headers={"Retry-After": str(RETRY_AFTER_S)},
                )
            self._requests[flight] = inside + 1
        try:
            return compute()
        finally:
            with self._lock:
                left = self._requests[flight] - 1
                if left:
                    self._requests[flight] = left
                else:
                    del self._requests[flight]
