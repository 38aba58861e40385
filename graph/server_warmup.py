"""The reads a restarted Neo4j plans before it opens its Bolt port (issue #17).

A restarted Neo4j answers its first queries only after the Cypher planner has run cold, about a
second each on two cores, and it accepts connections before that: every client meets a server
that is "up" and does not answer. InnoGraph's Neo4j extension (``scripts/neo4j/warmup``, on the
classpath of ``scripts/neo4j-local`` and in the compose image) plans the statements listed in
``scripts/neo4j/warmup/statements.json`` when the database becomes available, before Bolt opens,
each in a transaction that is rolled back, with parameters of the real calls' types (the plan
cache is keyed by text and parameter types).

The file holds one statement: the entity lookup, which is the API's recovery probe and nearly
every request's first call. Every statement planned there keeps the port shut that much
longer, and the restart's whole outage grows by it: in ``bench.faults outage`` (docs/RELIABILITY.md,
*Plans made before the port opens*) the six hot reads took 5.7 s before the port opened under
the clients' retries, against 1.3–1.9 s for the lookup alone. The other reads and the writes
are left to the API's own recovery warm-up, which plans them while lookups are served.

``python -m graph.server_warmup`` rewrites the file from the store's statements; ``--check``
exits 1 when it is stale (the suite checks it too).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from graph.neo4j_store import _warmup_statements

STATEMENTS_FILE = Path(__file__).resolve().parent.parent / "scripts" / "neo4j" / "warmup" / "statements.json"


def statements(which: str = "lookup") -> list[dict[str, Any]]:
    """As the extension reads them (name, text, parameters): ``lookup``, the API's probe
    statement (the committed file); ``reads``, all the API's warm-up reads (a bench variant)."""
    reads = [
        {"name": name, "cypher": text, "params": params}
        for name, text, params, write in _warmup_statements()
        if not write
    ]
    return reads[:1] if which == "lookup" else reads


def render() -> str:
    return json.dumps(statements(), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = STATEMENTS_FILE.read_text(encoding="utf-8") if STATEMENTS_FILE.exists() else ""
        if current != text:
            print(f"{STATEMENTS_FILE} is stale: run python -m graph.server_warmup", file=sys.stderr)
            return 1
        return 0
    STATEMENTS_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {len(statements())} statements to {STATEMENTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
