"""How long saving and loading the match index file stop the other threads of an API process.

    .venv/bin/python -m bench.index_file_pauses --uri bolt://127.0.0.1:PORT [--dir DIR]

Builds the index of the store's current version (Neo4j at ``--uri``, else the embedded store
of ``INNOGRAPH_DATA_DIR``), then saves it as an API process does (``disk_cache.save``, no
nodes) and loads it back (``disk_cache.load_file``), while a second thread ticks every 1 ms
and records the longest gap between its ticks: what a request thread would have waited for
the interpreter lock. The build's own longest gap is printed beside them for comparison.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def longest_pause(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(seconds ``work`` took, longest gap in ms between a 1 ms ticker's ticks, its result)."""
    stop = threading.Event()
    gaps = [0.0]

    def tick() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps[0] = max(gaps[0], now - last)
            last = now

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    stop.set()
    ticker.join()
    return seconds, gaps[0] * 1000, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--uri", help="Neo4j URI (default: the configured store)")
    parser.add_argument("--dir", type=Path, help="where to write the file (default: a temporary folder)")
    args = parser.parse_args(argv)
    from graph.config import open_store
    from match import cache, disk_cache

    if args.uri:
        from graph.neo4j_store import Neo4jStore

        store: Any = Neo4jStore(args.uri)
    else:
        store = open_store()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="innograph-index-"))
    version = store.version()
    build_s, build_gap, index = longest_pause(lambda: cache.build_index(store))
    path = disk_cache.path_for(store, version, directory)
    save_s, save_gap, _ = longest_pause(lambda: disk_cache.save(index, path, None, strict=True))
    index = None  # freed before the load, as in a new process
    load_s, load_gap, loaded = longest_pause(lambda: disk_cache.load_file(store, version, directory))
    assert loaded is not None
    size = path.stat().st_size / 2**20
    load = os.getloadavg()[0]
    print(f"{store.counts().nodes:,} nodes, file {size:,.1f} MiB (load {load:.1f})")
    for name, seconds, gap in (
        ("build", build_s, build_gap),
        ("save", save_s, save_gap),
        ("load", load_s, load_gap),
    ):
        print(f"  {name:5s} {seconds:7.2f} s   longest pause of another thread {gap:8.1f} ms")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
