"""Name search timed in process, each term computed cold and then answered from the kept result.

    python -m bench.search_cost --uri bolt://127.0.0.1:7687     # a Neo4j
    python -m bench.search_cost --graph var/graph.innograph     # an embedded file

The terms are the load benchmark's (``bench.load.SEARCH_TERMS``, what its readers search) plus
any given with ``--term``. For each: the cold time (``graph.search.search`` with nothing kept: the store
gathers up to ``SEARCH_CANDIDATES`` candidates, rapidfuzz ranks them), the kept time (the same
call again: one read of the write stamps) and their ratio. Median of ``--repeat`` rounds.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.load import SEARCH_TERMS
from bench.query_cost import open_store
from graph import cache
from graph.search import search
from graph.store import GraphStore


def measure(store: GraphStore, term: str, repeat: int) -> tuple[float, float]:
    """Median cold and kept milliseconds for ``term``."""
    cold, kept = [], []
    for _ in range(repeat):
        cache.clear()
        started = time.perf_counter()
        search(store, term)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        search(store, term)
        kept.append(time.perf_counter() - started)
    return statistics.median(cold) * 1000, statistics.median(kept) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--uri", help="a Neo4j (auth from NEO4J_USER / NEO4J_PASSWORD)")
    where.add_argument("--graph", help="an embedded graph file")
    parser.add_argument("--term", action="append", default=[], help="another term (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    store = open_store(args)
    search(store, "warm-up")  # the first statement of a process plans cold
    print("| term | cold ms | kept ms | cold / kept |")
    print("|---|---:|---:|---:|")
    for term in [*SEARCH_TERMS, *args.term]:
        cold, kept = measure(store, term, args.repeat)
        ratio = cold / kept if kept else float("inf")
        print(f"| {term} | {cold:.2f} | {kept:.2f} | {ratio:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
