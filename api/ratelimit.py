"""Per-caller rate limits: a token bucket per API key, and one per client address for anonymous reads.

A bucket holds up to ``burst`` tokens and refills at ``per_minute / 60`` tokens a second; each
request takes one. An empty bucket answers 429 with ``Retry-After`` (whole seconds until a
token is back), so a well-behaved client knows exactly how long to wait.

Settings (environment, read at start-up):

- ``INNOGRAPH_RATE_LIMIT`` — requests per minute per API key (default 600; ``0`` turns it off).
- ``INNOGRAPH_ANON_RATE_LIMIT`` — requests per minute per client address without a key, and for
  failed key checks (default 300; ``0`` turns it off).
- ``INNOGRAPH_RATE_BURST`` — bucket size (requests that may arrive at once); default: one
  minute's worth, so a page that fires many requests at once is fine and only sustained
  excess is refused.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import HTTPException

DEFAULT_KEY_PER_MINUTE = 600
DEFAULT_ANON_PER_MINUTE = 300
#: Buckets kept in memory; the least recently used ones are forgotten first (a forgotten
#: bucket comes back full, which only errs towards letting a caller through).
MAX_BUCKETS = 10_000


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class TokenBucketLimiter:
    """Token buckets keyed by an arbitrary string; thread-safe (routes run in a thread pool)."""

    def __init__(
        self, per_minute: float, *, burst: float | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute < 0:
            raise ValueError(f"a rate limit must be >= 0 requests per minute, not {per_minute}")
        self.per_minute = per_minute
        self.rate = per_minute / 60.0
        self.burst = burst if burst is not None else max(1.0, per_minute)
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def take(self, key: str) -> float:
        """Take a token for ``key``: 0.0 when allowed, else the seconds until one is available."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(key, None) or _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            self._buckets[key] = bucket
            while len(self._buckets) > MAX_BUCKETS:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of requests per minute, not {raw!r}") from None
    if value < 0 or not math.isfinite(value):
        raise ValueError(f"{name} must be >= 0 (0 turns the limit off), not {raw!r}")
    return value


class RateLimiter:
    """The API's two limits: per key and per anonymous client address."""

    def __init__(self, key_per_minute: float, anon_per_minute: float, *, burst: float | None = None) -> None:
        self.keys = TokenBucketLimiter(key_per_minute, burst=burst)
        self.anonymous = TokenBucketLimiter(anon_per_minute, burst=burst)

    @classmethod
    def from_env(cls) -> RateLimiter:
        burst_raw = os.environ.get("INNOGRAPH_RATE_BURST")
        burst = _env_number("INNOGRAPH_RATE_BURST", 0) if burst_raw else None
        return cls(
            _env_number("INNOGRAPH_RATE_LIMIT", DEFAULT_KEY_PER_MINUTE),
            _env_number("INNOGRAPH_ANON_RATE_LIMIT", DEFAULT_ANON_PER_MINUTE),
            burst=burst or None,
        )

    @staticmethod
    def _refuse(wait: float, who: str) -> HTTPException:
        seconds = max(1, math.ceil(wait))
        return HTTPException(
            429,
            f"rate limit exceeded for {who}; retry in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )

    def check_key(self, key_id: str) -> None:
        wait = self.keys.take(f"key:{key_id}")
        if wait:
            raise self._refuse(wait, f"API key {key_id} ({self.keys.per_minute:g} requests per minute)")

    def check_address(self, address: str) -> None:
        wait = self.anonymous.take(f"addr:{address}")
        if wait:
            raise self._refuse(
                wait, f"requests without an API key from {address} ({self.anonymous.per_minute:g} per minute)"
            )
