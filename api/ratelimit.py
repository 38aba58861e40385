"""Per-caller rate limits with the ``limits`` library: one limit per API key, and one per client
address for requests without a valid key (anonymous reads and failed key checks).

Each limit is a *moving window*: at most ``burst`` requests in any ``burst / per_minute``
minutes — so ``per_minute`` on average, with up to ``burst`` at once (a page that fires many
requests together is fine; only sustained excess is refused). This replaced a hand-written
token bucket: the same average rate and burst; the one difference is that after a burst the
window frees slots as the old requests age out rather than one by one at the refill rate. A
refused request gets 429 with ``Retry-After`` (whole seconds until a slot is free).

Settings (environment, read at start-up):

- ``INNOGRAPH_RATE_LIMIT`` — requests per minute per API key (default 600; ``0`` turns it off).
- ``INNOGRAPH_ANON_RATE_LIMIT`` — requests per minute per client address without a key, and for
  failed key checks (default 300; ``0`` turns it off).
- ``INNOGRAPH_RATE_BURST`` — requests that may arrive at once; default: one minute's worth.
- ``INNOGRAPH_RATE_LIMIT_STORAGE`` — where the counters live: ``memory://`` (default; per
  process) or a shared backend such as ``redis://host:6379`` when several API processes run
  (``--workers`` > 1 or several hosts), so a caller cannot multiply the limit by the number of
  processes. Redis needs the ``redis`` package (``pip install 'limits[redis]'``).
"""

from __future__ import annotations

import math
import os
import time

from fastapi import HTTPException
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from graph.errors import ConfigError

DEFAULT_KEY_PER_MINUTE = 600
DEFAULT_ANON_PER_MINUTE = 300
DEFAULT_STORAGE = "memory://"


class KeyedLimiter:
    """One moving-window limit, counted separately per key string; thread-safe (the storage is)."""

    def __init__(
        self, per_minute: float, *, burst: float | None = None, window: MovingWindowRateLimiter | None = None
    ) -> None:
        if per_minute < 0 or not math.isfinite(per_minute):
            raise ConfigError(f"a rate limit must be >= 0 requests per minute, not {per_minute}")
        self.per_minute = per_minute
        self.burst = max(1, round(burst if burst else max(1.0, per_minute)))
        self._window = window or MovingWindowRateLimiter(storage_from_string(DEFAULT_STORAGE))
        # burst requests per the time the average rate needs for them (whole seconds, >= 1).
        seconds = max(1, math.ceil(self.burst * 60 / per_minute)) if per_minute else 1
        self.item: RateLimitItem = RateLimitItemPerSecond(self.burst, seconds, namespace="innograph")

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def take(self, key: str) -> float:
        """Count a request for ``key``: 0.0 when allowed, else the seconds until a slot is free."""
        if not self.enabled or self._window.hit(self.item, key):
            return 0.0
        reset = self._window.get_window_stats(self.item, key).reset_time
        return max(reset - time.time(), 0.001)


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of requests per minute, not {raw!r}") from None
    if value < 0 or not math.isfinite(value):
        raise ConfigError(f"{name} must be >= 0 (0 turns the limit off), not {raw!r}")
    return value


class RateLimiter:
    """The API's two limits: per key and per client address without a valid key."""

    def __init__(
        self,
        key_per_minute: float,
        anon_per_minute: float,
        *,
        burst: float | None = None,
        storage: str = DEFAULT_STORAGE,
    ) -> None:
        try:
            window = MovingWindowRateLimiter(storage_from_string(storage))
        except Exception as e:  # limits raises ConfigurationError or the backend's own error
            raise ConfigError(f"INNOGRAPH_RATE_LIMIT_STORAGE: cannot use {storage!r}: {e}") from e
        self.storage = storage
        self.keys = KeyedLimiter(key_per_minute, burst=burst, window=window)
        self.anonymous = KeyedLimiter(anon_per_minute, burst=burst, window=window)

    @classmethod
    def from_env(cls) -> RateLimiter:
        burst_raw = os.environ.get("INNOGRAPH_RATE_BURST")
        burst = _env_number("INNOGRAPH_RATE_BURST", 0) if burst_raw else None
        return cls(
            _env_number("INNOGRAPH_RATE_LIMIT", DEFAULT_KEY_PER_MINUTE),
            _env_number("INNOGRAPH_ANON_RATE_LIMIT", DEFAULT_ANON_PER_MINUTE),
            burst=burst or None,
            storage=os.environ.get("INNOGRAPH_RATE_LIMIT_STORAGE", "").strip() or DEFAULT_STORAGE,
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
