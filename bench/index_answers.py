"""Every matchmaking answer of one index, written as JSON: to check a change to the index
answers exactly as before (run it with the old code and the new, then ``--compare``).

    .venv/bin/python -m bench.index_answers GRAPH_FILE OUT.json [--firms 300] [--works 200] [--read-only]
    .venv/bin/python -m bench.index_answers --compare BEFORE.json AFTER.json

GRAPH_FILE is an embedded store's file (e.g. the demo ×1 one ``bench.scale`` builds). The index
is built with ``match.cache.build_index``. Answers: partners for ``--firms`` enterprises (every
k-th by id, hand-set weights, every candidate type, existing partners included), the match of
every open demand, and the open demands for ``--works`` patents and achievements — each with its
candidates, scores (``repr``, bit for bit), signals, notices, evidence paths and the names the
paths show. Uses only what the index has offered since before issue #14, so the old code runs it.
``--read-only`` builds from a projection holding only ``match.node_fields.BUILD_READS`` (what
``store.projection(properties=...)`` would read; new code only).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _paths(index: Any, paths: list[Any]) -> list[Any]:
    return [
        [
            p.signal,
            p.summary,
            list(p.nodes),
            [[r.type, r.start, r.end] for r in p.relationships],
            [index.name(n) for n in p.nodes],
        ]
        for p in paths
    ]


def _every_kth(ids: list[str], n: int) -> list[str]:
    return ids[:: max(1, len(ids) // n)][:n] if n else []


def answers(path: Path, firms: int, works: int, *, read_only: bool = False) -> dict[str, Any]:
    from graph.embedded import EmbeddedStore
    from match import cache

    store = EmbeddedStore(path)
    if read_only:
        from match.index import MatchIndex
        from match.node_fields import BUILD_READS

        graph = cache.projection(store)
        for _, attrs in graph.nodes(data=True):
            for key in [k for k in attrs if k != "label" and k not in BUILD_READS]:
                del attrs[key]
        index = MatchIndex.from_graph(graph, None, version=store.version(), consume=True)
        del graph
    else:
        index = cache.build_index(store)
    store.close()
    return index_answers(index, firms, works)


def index_answers(index: Any, firms: int, works: int) -> dict[str, Any]:
    """The answers of one built index (see the module docstring)."""
    from graph.model import NodeLabel
    from match.demands import demands_for_work, match_demand
    from match.partners import PartnerQuery, find_partners

    types = (NodeLabel.UNIVERSITY, NodeLabel.RESEARCH_INSTITUTE, NodeLabel.PERSON, NodeLabel.ENTERPRISE)
    out: dict[str, Any] = {"partners": {}, "demands": {}, "works": {}}
    enterprises = [a for a in index.actors if index.label[a] == NodeLabel.ENTERPRISE]
    for firm in _every_kth(enterprises, firms):
        r = find_partners(index, PartnerQuery(firm, types=types, limit=20))
        out["partners"][firm] = {
            "total": r.total,
            "weights": r.weights,
            "notices": r.notices,
            **{
                kind: [
                    [m.candidate, repr(m.score), m.signals, m.existing_partner, _paths(index, m.evidence)]
                    for m in matches
                ]
                for kind, matches in (
                    ("matches", r.matches),
                    ("existing", r.existing),
                    ("group", r.same_group),
                )
            },
        }
    for demand in index.open_demands:
        d = match_demand(index, demand, limit=20)
        out["demands"][demand] = [
            d.total,
            d.notice,
            [
                [m.item, repr(m.score), m.signals, m.matched_terms, m.publications, _paths(index, m.evidence)]
                for m in d.matches
            ],
        ]
    solvers = [w for w in index.works if index.label[w] in (NodeLabel.PATENT, NodeLabel.TECH_ACHIEVEMENT)]
    for work in _every_kth(solvers, works):
        d = demands_for_work(index, work, limit=10)
        out["works"][work] = [
            d.total,
            [[m.item, repr(m.score), m.signals, _paths(index, m.evidence)] for m in d.matches],
        ]
    return out


def compare(before: dict[str, Any], after: dict[str, Any]) -> int:
    """Prints how many answers of each kind are identical; 1 if any differs."""
    status = 0
    for kind in ("partners", "demands", "works"):
        a, b = before[kind], after[kind]
        same = sum(1 for k in a if b.get(k) == a[k])
        paths = sum(
            len(m[-1]) for v in a.values() for m in (v.get("matches", []) if isinstance(v, dict) else v[-1])
        )
        print(
            f"{kind}: {same} of {len(a)} answers identical "
            f"({len(b)} after; {paths} evidence paths in the first)"
        )
        if same != len(a) or set(a) != set(b):
            status = 1
            for k in sorted(set(a) | set(b)):
                if a.get(k) != b.get(k):
                    print(f"  differs: {k}")
                    break
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("graph", type=Path, nargs="?")
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--firms", type=int, default=300)
    parser.add_argument("--works", type=int, default=200)
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--read-only", action="store_true", help="only the properties the build reads")
    args = parser.parse_args(argv)
    if args.compare:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        return compare(before, after)
    if args.graph is None or args.out is None:
        parser.error("GRAPH_FILE and OUT.json, or --compare")
    started = time.perf_counter()
    found = answers(args.graph, args.firms, args.works, read_only=args.read_only)
    args.out.write_text(json.dumps(found, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(
        f"{sum(len(v) for v in found.values())} answers in {time.perf_counter() - started:.0f} s → {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
