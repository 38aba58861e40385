"""Partner and demand queries timed in process on a saved match index: no HTTP, no store reads.

    python -m bench.query_cost --index var/match-index/<file>.pkl --uri bolt://127.0.0.1:7687

The queries are the API benchmark's (``bench.match_latency.sample_from``: 50 firms with patents,
50 open demands, seed 1, read from the store at ``--uri``, or from the embedded file
``--graph``). Prints p50/p95 per kind and a hash of every answer: run it at two commits on the
same file to compare speed and check that the answers did not move (the index file is read
whatever its code hash says, so a change to the query code alone is compared on one build).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from bench.match_latency import sample_from
from graph.store import GraphStore


def open_store(args: argparse.Namespace) -> GraphStore:
    """The store ``--uri`` (a Neo4j) or ``--graph`` (an embedded file) names."""
    if args.uri:
        from bench.scale import _connect

        return _connect(args.uri)
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(Path(args.graph))


def timed(calls: list[Callable[[], object]]) -> tuple[float, float, str]:
    """p50 and p95 in ms over ``calls`` (each once, after one unmeasured warm call), and the
    hash of their answers."""
    calls[0]()
    seconds, digest = [], hashlib.sha256()
    for call in calls:
        started = time.perf_counter()
        answer = call()
        seconds.append(time.perf_counter() - started)
        digest.update(repr(answer).encode())
    return (
        float(np.percentile(seconds, 50) * 1000),
        float(np.percentile(seconds, 95) * 1000),
        digest.hexdigest()[:16],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, required=True, help="a saved match index file")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--uri", help="the Neo4j the index was built from (for the sample)")
    where.add_argument("--graph", help="the embedded graph file the index was built from")
    parser.add_argument("--sample", type=int, default=50)
    args = parser.parse_args(argv)

    from match.demands import match_demand
    from match.disk_cache import _load
    from match.partners import PartnerQuery, find_partners

    store = open_store(args)
    ids = sample_from(store, args.sample, seed=1)
    store.close()
    index = _load(args.index, nodes=False)
    partners: list[Callable[[], object]] = [
        partial(find_partners, index, PartnerQuery(enterprise=f)) for f in ids["firms"]
    ]
    demands: list[Callable[[], object]] = [
        partial(match_demand, index, d, offset=o) for d in ids["demands"] for o in (0, 10)
    ]
    print(f"index {args.index.name}, {len(index.actors):,} actors, {len(index.works):,} works")
    print(f"load average {os.getloadavg()[0]:.1f}")
    for kind, calls in (("partners", partners), ("demand matches (offsets 0 and 10)", demands)):
        p50, p95, digest = timed(calls)
        print(f"{kind}: n {len(calls)}, p50 {p50:.1f} ms, p95 {p95:.1f} ms, answers {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
