"""Build the per-store analytics (matchmaking index, clusters) in the background at start-up,
so the first broker to ask for partners does not wait for them (seconds at ×10).

The match index of the current version is loaded from its saved file when there is one
(``innograph index build``, or an earlier API process: :mod:`match.disk_cache`). Where a job
builds the indexes (``INNOGRAPH_INDEX=job``), the warm-up only loads: it does not spend
minutes and gigabytes building an index the job is about to write (at ×100, 322 s and ~6 GiB).
A partner request that finds neither cached nor saved index still builds it — an answer late
is better than none — and saves it.

The analyses readers open (default clusters and their views, the disclosure's sums, the monitor
and its series) are saved the same way (:mod:`analytics.saved`, ``innograph analyses build``) in
``analyses/`` beside the match index directory. ``INNOGRAPH_ANALYSES=job`` (the default when
``INNOGRAPH_INDEX=job``): the warm-up loads the saved ones and computes none; a request that finds
one neither cached nor saved computes it, and saves it.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable
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


def analyses_mode() -> str:
    """``INNOGRAPH_ANALYSES``: ``api`` or ``job``; unset, as ``INNOGRAPH_INDEX`` (one switch for a
    deployment whose jobs compute what is derived from the graph). Anything else is refused."""
    raw = os.environ.get("INNOGRAPH_ANALYSES", "").strip().lower()
    if not raw:
        return index_mode()
    if raw not in INDEX_MODES:
        raise ValueError(f"INNOGRAPH_ANALYSES={raw!r}: expected one of {', '.join(INDEX_MODES)}")
    return raw


def index_files_of(store: GraphStore, directory: Path | None) -> None:
    """Where the API loads and saves ``store``'s match indexes (None: in memory only), and its
    analyses (``analyses/`` beside ``directory``). Checks ``INNOGRAPH_INDEX`` and
    ``INNOGRAPH_ANALYSES`` too, so a wrong value stops the start-up even with the warm-up off."""
    from analytics import saved
    from match.disk_cache import use_files

    index_mode()
    analyses_mode()
    use_files(store, directory)
    saved.use_files(store, None if directory is None else directory.parent / "analyses")


def _load_saved_analyses(store: GraphStore) -> None:
    """The warm-up with ``INNOGRAPH_ANALYSES=job``: each analysis from its file, none computed."""
    from analytics import service
    from api.disclosure import DisclosureRule, published_sums
    from graph import cache
    from graph.errors import NotSavedError

    steps: dict[str, Callable[[], object]] = {
        "clusters": lambda: service.clusters(store),
        "disclosure": lambda: published_sums(store, DisclosureRule.from_env()),
        "monitor": lambda: service.monitor(store),
        "roadmap industries": lambda: service.roadmap_industries(store),
        "monitor series": lambda: service.monitor_series(store),
    }
    missing = []
    with cache.saved_only():
        for name, step in steps.items():
            try:
                step()
            except NotSavedError:
                missing.append(name)
    if missing:
        log.info(
            "INNOGRAPH_ANALYSES=job: %s not saved for version %d; `innograph analyses build` saves "
            "them, or the first request computes them",
            ", ".join(missing),
            store.version(),
        )


def warm_up(store: GraphStore) -> threading.Thread:
    """Start building the caches in a daemon thread; requests that need them wait for the same
    build (the caches serialise builds per store), so nothing is computed twice."""
    mode = index_mode()
    analyses = analyses_mode()

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
            if analyses == "job":
                _load_saved_analyses(store)
            else:
                service.clusters(store)
                # The sums readers may see, checked together (api.disclosure): the first reader's
                # cluster page should not pay for them.
                from api.disclosure import DisclosureRule, published_sums

                published_sums(store, DisclosureRule.from_env())
                # the plan over time: ≈ 1.1 s CPU cold at ×10 (PLAN_OVER_TIME.md)
                service.monitor_series(store)
        except Exception:  # a failed warm-up only means the first request builds instead
            log.exception("warming up the analytics caches failed")
        finally:
            # What the warm-up kept lives as long as its version: out of the cyclic collector's
            # scans. At ×100 the saved analyses alone made every full collection 0.18–0.33 s
            # (references inside their big containers), a pause any request could land in.
            gc.freeze()

    thread = threading.Thread(target=run, name="innograph-warm-up", daemon=True)
    thread.start()
    return thread
