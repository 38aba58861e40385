"""Build the per-store analytics (matchmaking index, clusters) in the background at start-up,
so the first broker to ask for partners does not wait for them (seconds at ×10).

The match index of the current version is loaded from its saved file when there is one
(``innograph index build``, or an earlier API process: :mod:`match.disk_cache`). Where a job
builds the indexes (``INNOGRAPH_INDEX=job``), the warm-up only loads: it does not spend
minutes and gigabytes building an index the job is about to write (at ×100, 322 s and ~6 GiB).
A partner request that finds neither cached nor saved index still builds it — an answer late
is better than none — and saves it.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from graph.store import GraphStore

log = logging.getLogger(__name__)

#: Who builds the match index when none is saved for the current version: the API's warm-up
#: (``api``, the default) or a job of its own (``job``: the warm-up loads, never builds).
INDEX_MODES = ("api", "job")


def index_mode() -> str:
    """``INNOGRAPH_INDEX``: ``api`` (default) or ``job``; anything else is refused at start-up."""
    mode = os.environ.get("INNOGRAPH_INDEX", "api").strip().lower() or "api"
    if mode not in INDEX_MODES:
        raise ValueError(f"INNOGRAPH_INDEX={mode!r}: expected one of {', '.join(INDEX_MODES)}")
    return mode


def index_files_of(store: GraphStore, directory: Path | None) -> None:
    """Where the API loads and saves ``store``'s match indexes (None: in memory only). Checks
    ``INNOGRAPH_INDEX`` too, so a wrong value stops the start-up even with the warm-up off."""
    from match.disk_cache import use_files

    index_mode()
    use_files(store, directory)


def warm_up(store: GraphStore) -> threading.Thread:
    """Start building the caches in a daemon thread; requests that need them wait for the same
    build (the caches serialise builds per store), so nothing is computed twice."""
    mode = index_mode()

    def run() -> None:
        try:
            from analytics import service
            from match.cache import index_for, saved_index

            if mode == "job":
                if saved_index(store) is None:
                    log.info(
                        "INNOGRAPH_INDEX=job: no match index saved for version %d yet; "
                        "`innograph index build` writes it, or the first partner request builds it",
                        store.version(),
                    )
            else:
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
