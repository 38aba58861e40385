"""Build the per-store analytics (matchmaking index, clusters) in the background at start-up,
so the first broker to ask for partners does not wait for them (seconds at ×10)."""

from __future__ import annotations

import logging
import threading

from graph.store import GraphStore

log = logging.getLogger(__name__)


def warm_up(store: GraphStore) -> threading.Thread:
    """Start building the caches in a daemon thread; requests that need them wait for the same
    build (the caches serialise builds per store), so nothing is computed twice."""

    def run() -> None:
        try:
            from analytics import service
            from match.cache import index_for

            # Partners are answered once the index is built; the gazetteer (demand text) follows.
            _ = index_for(store).gazetteer
            service.clusters(store)
            # The sums readers may see, checked together (api.disclosure): the first reader's
            # cluster page should not pay for them.
            from api.disclosure import DisclosureRule, published_sums

            published_sums(store, DisclosureRule.from_env())
            service.monitor_series(store)  # the plan over time: ≈ 1.1 s CPU cold at ×10 (PLAN_OVER_TIME.md)
        except Exception:  # a failed warm-up only means the first request builds instead
            log.exception("warming up the analytics caches failed")

    thread = threading.Thread(target=run, name="innograph-warm-up", daemon=True)
    thread.start()
    return thread
