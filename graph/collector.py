"""Pausing Python's cyclic garbage collector while a large, long-lived result is built."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, then restore it.

    Why, for an ingest: everything it allocates lives until the apply (the change set, the
    resolvers' indexes, the report, the store's graph), so each collection only rescans
    survivors — 19 % of the CPU of the ×10 offline build (docs/benchmarks/ingest.md); the ingest
    makes no reference cycles of its own worth collecting.

    Why, for a cold monitor series at ×10 keeps about 170,000 new containers (list and report rows,
    firm columns, yearly sets — cached with it) and allocates many more temporaries. Every
    allocation threshold they cross starts a collection, and the older generations' collections
    rescan them and every other cached result: a quarter to a third of the cold series' CPU time
    (bench.monitor_series). Reference counting still frees everything as usual; after the block
    the new objects are scanned by the next collections instead of many times during it
    (measured: the cold series *plus* a full collection afterwards is still cheaper than the
    series with the collector on). Process-wide: other threads' reference cycles wait for the
    block (about a second) too. A block started while the collector is already off (a nested or
    concurrent one) leaves it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
