"""A timeline of the Neo4j circuit breaker, for finding where an outage's recovery time goes.

Off unless ``NEO4J_BREAKER_TRACE`` names a file: then every breaker transition (tripped,
probe attempts, warm-up steps, closed), the first calls after each close (when each started,
got its session, had its first record, ended), every store call that failed (when each attempt
began, its thread, its error) and any retry the driver logs are appended to it as JSON lines. Times are
``time.monotonic()``, which on Linux is one clock for every process on the machine, so
``bench.faults outage`` lines them up with its own clients and poller.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from typing import Any, Final

ENV: Final = "NEO4J_BREAKER_TRACE"
#: Calls traced after each close of the breaker: the first few tell where recovery went.
CALLS_AFTER_CLOSE: Final = 40


_RETRIES_TRACED: set[str] = set()


class _DriverRetries(logging.Handler):
    """The driver's own retries ("Transaction failed and will be retried in …", logged by
    ``neo4j.session`` with no time): traced with the time and the calling thread, so a slow 503
    can be split into its attempts."""

    def __init__(self, trace: BreakerTrace) -> None:
        super().__init__(logging.WARNING)
        self.trace = trace

    def emit(self, record: logging.LogRecord) -> None:
        if "will be retried" in record.msg:
            self.trace.event("driver-retry", thread=record.thread, message=record.getMessage()[:300])


class BreakerTrace:
    def __init__(self, path: str | None = None) -> None:
        self.path = os.environ.get(ENV) if path is None else path
        self._lock = threading.Lock()
        self._calls_left = 0
        if self.path and self.path not in _RETRIES_TRACED:
            _RETRIES_TRACED.add(self.path)  # one handler per trace file and process
            logging.getLogger("neo4j.session").addHandler(_DriverRetries(self))

    @property
    def on(self) -> bool:
        return bool(self.path)

    def event(self, event: str, **fields: Any) -> None:
        if not self.path:
            return
        line = json.dumps({"t": time.monotonic(), "event": event, **fields}, ensure_ascii=False, default=str)
        with self._lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(line + "\n")
            if event == "closed":
                self._calls_left = CALLS_AFTER_CLOSE

    def wants_call(self) -> bool:
        """Whether the call starting now is one of the first after a close (and counts it)."""
        if not self.path or self._calls_left <= 0:
            return False
        with self._lock:
            if self._calls_left <= 0:
                return False
            self._calls_left -= 1
            return True
