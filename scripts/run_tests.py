#!/usr/bin/env python3
"""What ``make test`` runs: start a local Neo4j (unless NEO4J_URI points at one), run the whole
suite against both stores, stop Neo4j. Fails — never skips — when Neo4j cannot start, and fails
when pytest collected no test at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import neo4j_local  # noqa: E402

NAME = "make-test"


def main() -> int:
    env = dict(os.environ)
    started = False
    if not env.get("NEO4J_URI"):
        try:
            state = neo4j_local.start(NAME, heap="2g", pagecache="512m")
        except neo4j_local.Neo4jLocalError as e:
            print(
                f"make test: FAILED — Neo4j could not start, so the suite cannot run against it:\n{e}",
                file=sys.stderr,
            )
            return 1
        started = True
        env["NEO4J_URI"] = str(state["uri"])
        print(f"make test: Neo4j {state['version']} at {state['uri']}", flush=True)
    try:
        args = [sys.executable, "-m", "pytest", *sys.argv[1:]]
        code = subprocess.call(args, cwd=ROOT, env=env)
    finally:
        if started:
            neo4j_local.stop(NAME, remove=True)
    if code == 5:
        print("make test: FAILED — pytest collected no tests", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
