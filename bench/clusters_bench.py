"""Cluster detection at ×1, ×10, ×100 of the demo set: Louvain (igraph's) against leidenalg Leiden;
and the whole cold cluster analysis from a store, before against after a change.

    .venv/bin/python -m bench.clusters_bench [--scales 1 10 100] [--seed 42] [--markdown FILE]
    .venv/bin/python -m bench.clusters_bench --store GRAPH.innograph [--store …] \
        [--ref REV …] [--runs 2] [--markdown FILE]

``--store``: ``analytics.service.clusters`` (the default partition, what the API warms up) on an
embedded store file, cold, each run in a fresh process, for the code of each ``--ref`` (a git
revision, unpacked with ``git archive`` into a temporary directory and put first on the child's
``PYTHONPATH``; ``.`` is the working tree, the default). Runs of the refs alternate, so a change
in the machine's load falls on both. Reported: wall and CPU seconds of the call, the child's peak
RSS, the load average, and a digest of the partition (clusters and their members), so "same
partition" is checked rather than assumed.

``--store FILE.pickle``: a pickled clusters projection instead (``analytics.projection
.cluster_projection`` of any store, e.g. a ×10 Neo4j, dumped with ``--dump-projection URI_OR_FILE
OUT.pickle``), so a Neo4j graph is measured without a server per run. The child then times
``analyse_clusters`` itself (the projection is not billed), reports the time inside each of its
parts (``PARTS``: the named functions, wrapped where ``analytics.clusters`` and
``analytics.firm_network`` call them; inclusive, summed over calls) and digests the *whole*
result — every cluster figure, the assignment, the modularity and every tie — and the table
gains one row of ratios (first ref ÷ each other ref) per part.

``--read URI``: the clusters' projection read alone (``analytics.projection.cluster_projection``)
from the Neo4j at ``URI``, cold, each run a fresh process, for the code of each ``--ref``, runs
alternating: wall and CPU seconds, peak RSS, load, and a digest of everything the projection
holds in its order (nodes and attributes, successors, predecessors), so "the same projection"
is checked rather than assumed.

``--top-k-stack FILE.pickle COPIES``: the firm network's top-k cut alone, at a larger scale than
the projection: the projection's firm features (the three similarity channels, as
``firm_network`` builds them) stacked ``COPIES`` times, so there are ``COPIES``× the firms and
each firm has ``COPIES``× the similarities — the growth from ×10 to ×100 without a ×100 graph.
Times ``analytics.firm_network._top_k_pairs`` against the old sort of every similarity
(``tests/analytics/reference_clusters.sorted_top_k_pairs``) and checks they keep the same pairs.

The ×N graphs come from the demo generator (``demo.world.build_world``, seed 20101231).
Ingesting ×100 through the ingest pipeline takes far longer than the analysis, so the analysis
projection is built **directly from the generator's truth** (firms with employees, patents with
IPC codes and applicants, alliances, projects, transfers, parks) — the same labels, relationship
types and properties ``analytics.projection.analysis_projection`` reads from a store. The ×1
row is also measured on the ingested demo graph when ``--ingested`` is given.

For each scale: the firm network is built once (timed); then each community method runs in a
fresh child process on the pickled network, timed with ``perf_counter`` and its peak memory
measured as the child's peak RSS minus its RSS just before detection (this counts leidenalg's C
allocations, which tracemalloc would miss). Same seed, three runs, the median time is reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import pickle
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.communities import detect_communities  # noqa: E402
from analytics.firm_network import firm_network  # noqa: E402
from graph.model import NodeLabel, RelType  # noqa: E402

DEMO_SEED = 20101231
METHODS = ("louvain", "leiden")
RUNS = 3


def truth_projection(scale: int) -> tuple[nx.MultiDiGraph, float]:
    """The analysis projection of the ×``scale`` demo world, built from the generator's truth."""
    from demo.world import build_world

    started = time.perf_counter()
    world = build_world(scale, DEMO_SEED)
    g = nx.MultiDiGraph()
    labels = {
        "Enterprise": NodeLabel.ENTERPRISE,
        "University": NodeLabel.UNIVERSITY,
        "ResearchInstitute": NodeLabel.RESEARCH_INSTITUTE,
        "Incubator": NodeLabel.INCUBATOR,
        "ProductivityCenter": NodeLabel.PRODUCTIVITY_CENTER,
    }
    for org in world.orgs.values():
        label = labels.get(org.label)
        if label is None:
            continue
        g.add_node(
            org.id,
            label=label,
            name=org.name,
            employees=org.employees,
            revenue=org.revenue_wan * 1e4,
            techSme=org.tech_sme,
        )
        if org.park:
            park = f"park:{org.park}"
            g.add_node(park, label=NodeLabel.PARK, name=org.park)
            g.add_edge(org.id, park, key=RelType.LOCATED_IN)
    for patent in world.patents:
        pid = f"patent:{patent.number}"
        g.add_node(
            pid,
            label=NodeLabel.PATENT,
            title=patent.title,
            kind=patent.kind,
            ipcCodes=list(patent.ipc),
            applicationYear=patent.year,
        )
        for applicant in patent.applicants:
            if applicant in g:
                g.add_edge(applicant, pid, key=RelType.APPLIED_FOR)
    for alliance in world.alliances:
        g.add_node(alliance.id, label=NodeLabel.ALLIANCE, name=alliance.name, kind=alliance.kind)
        for member, _, _ in alliance.members:
            if member in g:
                g.add_edge(member, alliance.id, key=RelType.MEMBER_OF)
    for project in world.projects:
        prj = f"project:{project.number}"
        g.add_node(prj, label=NodeLabel.PROJECT, title=project.title)
        for org_id in [project.lead, *project.partners]:
            if org_id in g:
                g.add_edge(org_id, prj, key=RelType.UNDERTOOK)
    for transfer in world.transfers:
        if transfer.source in g and transfer.target in g:
            g.add_edge(transfer.source, transfer.target, key=RelType.TRANSFERRED_TO)
    return g, time.perf_counter() - started


def _rss_kib() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _detect_child(path: str, method: str, seed: int, queue: Any) -> None:
    with open(path, "rb") as fh:
        network = pickle.load(fh)
    if method == "leiden":
        import igraph  # noqa: F401  (imports are a one-off cost, not part of detection)
        import leidenalg  # noqa: F401
    before = _rss_kib()
    started, cpu_started = time.perf_counter(), time.process_time()
    found = detect_communities(network, method=method, seed=seed, min_size=3)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    modularity = nx.community.modularity(
        network,
        [set(c) for c in found] + [{n} for n in set(network) - {m for c in found for m in c}],
        weight="weight",
    )
    queue.put(
        {
            "seconds": seconds,
            "cpu": cpu,
            "peak_mib": max(peak - before, 0) / 1024,
            "clusters": len(found),
            "modularity": modularity,
        }
    )


def measure(network_path: str, method: str, seed: int) -> dict[str, float]:
    ctx = mp.get_context("spawn")
    runs = []
    for _ in range(RUNS):
        queue = ctx.Queue()
        child = ctx.Process(target=_detect_child, args=(network_path, method, seed, queue))
        child.start()
        runs.append(queue.get())
        child.join()
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "peak_mib": max(r["peak_mib"] for r in runs),
        "clusters": runs[0]["clusters"],
        "modularity": runs[0]["modularity"],
    }


def run(scales: list[int], seed: int) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            graph, build_s = truth_projection(scale)
            started = time.perf_counter()
            network = firm_network(graph)
            network_s = time.perf_counter() - started
            path = str(Path(tmp) / f"network-x{scale}.pickle")
            with open(path, "wb") as fh:
                pickle.dump(network, fh)
            print(
                f"×{scale}: world + projection {build_s:.1f} s, firm network {network_s:.1f} s "
                f"({network.number_of_nodes()} firms, {network.number_of_edges()} ties)",
                file=sys.stderr,
                flush=True,
            )
            row: dict[str, Any] = {
                "scale": scale,
                "firms": network.number_of_nodes(),
                "ties": network.number_of_edges(),
                "world_s": build_s,
                "network_s": network_s,
            }
            for method in METHODS:
                row[method] = measure(path, method, seed)
                print(f"×{scale} {method}: {row[method]}", file=sys.stderr, flush=True)
            rows.append(row)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| scale | firms | ties | world + projection s | firm network s | Louvain s (CPU s) | "
        "Leiden s (CPU s) | Louvain/Leiden CPU | Louvain peak MiB | Leiden peak MiB | clusters L/Ld | "
        "modularity L/Ld |"
    )
    lines = [head, "|" + "|".join(["---"] * 12) + "|"]
    for r in rows:
        lv, ld = r["louvain"], r["leiden"]
        lines.append(
            f"| ×{r['scale']} | {r['firms']:,} | {r['ties']:,} | {r['world_s']:.1f} | {r['network_s']:.2f} | "
            f"{lv['seconds']:.2f} ({lv['cpu']:.2f}) | {ld['seconds']:.2f} ({ld['cpu']:.2f}) | "
            f"{lv['cpu'] / max(ld['cpu'], 1e-9):.1f}× | "
            f"{lv['peak_mib']:.0f} | {ld['peak_mib']:.0f} | {lv['clusters']}/{ld['clusters']} | "
            f"{lv['modularity']:.3f}/{ld['modularity']:.3f} |"
        )
    return "\n".join(lines)


# -- the whole analysis from a store, per code revision ----------------------------------------

_COLD_CLUSTERS = """
import hashlib, json, os, resource, sys, time
from pathlib import Path
from graph.embedded import EmbeddedStore
import analytics.service as service
store = EmbeddedStore(Path(sys.argv[1]))
store.version()  # the embedded store reads its file here: not billed to the analysis
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
load = os.getloadavg()[0]
started, cpu = time.perf_counter(), time.process_time()
analysis = service.clusters(store)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
digest = hashlib.sha256(json.dumps([c.members for c in analysis.clusters]).encode()).hexdigest()[:12]
print(json.dumps({
    "seconds": seconds, "cpu": cpu, "load": (load + os.getloadavg()[0]) / 2,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "before_mib": before / 1024, "clusters": len(analysis.clusters), "modularity": analysis.modularity,
    "firms": analysis.network.number_of_nodes(), "ties": analysis.network.number_of_edges(),
    "digest": digest, "code": service.__file__,
}))
"""


#: Parts of the analysis timed by the projection child: (module, function) as they are called.
PARTS = (
    ("analytics.clusters", "firm_patents"),
    ("analytics.clusters", "firm_parks"),
    ("analytics.clusters", "firm_network"),
    ("analytics.firm_network", "_context_counts"),
    ("analytics.firm_network", "_top_k_pairs"),
    ("analytics.clusters", "detect_communities"),
    ("analytics.clusters", "firm_industry_profiles"),
    ("analytics.clusters", "betweenness"),
    ("analytics.clusters", "key_players"),
    ("analytics.clusters", "knowledge_ties"),
    ("analytics.clusters", "modularity"),  # after the change; before it, networkx's below
    ("networkx.algorithms.community", "modularity"),
)

_COLD_PROJECTION = """
import functools, hashlib, importlib, json, os, pickle, resource, sys, time
import analytics.clusters as clusters
import analytics.firm_network  # noqa: F401
from analytics.plan import load_plan
PARTS = json.loads(sys.argv[2])
with open(sys.argv[1], "rb") as fh:
    graph = pickle.load(fh)
plan = load_plan()
spent = {}
def timed(name, fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
    return run
for module_name, name in PARTS:
    module = importlib.import_module(module_name)
    if hasattr(module, name):
        setattr(module, name, timed(name, getattr(module, name)))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
load = os.getloadavg()[0]
started, cpu = time.perf_counter(), time.process_time()
analysis = clusters.analyse_clusters(graph, plan=plan)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
ties = sorted((min(u, v), max(u, v), sorted(d.items())) for u, v, d in analysis.network.edges(data=True))
whole = repr((analysis.clusters, sorted(analysis.assignment.items()), analysis.unclustered,
              analysis.modularity, sorted(analysis.names.items()), list(analysis.network.nodes), ties))
print(json.dumps({
    "seconds": seconds, "cpu": cpu, "load": (load + os.getloadavg()[0]) / 2,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "before_mib": before / 1024, "clusters": len(analysis.clusters), "modularity": analysis.modularity,
    "firms": analysis.network.number_of_nodes(), "ties": analysis.network.number_of_edges(),
    "digest": hashlib.sha256(whole.encode()).hexdigest()[:12], "code": clusters.__file__, "parts": spent,
}))
"""


def dump_projection(source: str, out: Path) -> None:
    """Pickle the clusters projection of a Neo4j (``bolt://…``) or embedded store (a file)."""
    from analytics.projection import cluster_projection

    if source.startswith(("bolt://", "neo4j://")):
        from graph.neo4j_store import Neo4jStore

        store: Any = Neo4jStore(source)
    else:
        from graph.embedded import EmbeddedStore

        store = EmbeddedStore(Path(source))
    started = time.perf_counter()
    graph = cluster_projection(store)
    with open(out, "wb") as fh:
        pickle.dump(graph, fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(
        f"{out}: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} relationships, "
        f"read in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


def top_k_stack(path: Path, copies: int) -> str:
    """CPU and wall seconds of the top-k cut, now and as it was, on stacked firm features."""
    import math

    from scipy import sparse

    from analytics.firm_network import TieWeights, _channel_matrix, _context_counts, _top_k_pairs
    from analytics.portfolio import firm_patents, nodes_with_label
    from tests.analytics.reference_clusters import sorted_top_k_pairs

    with open(path, "rb") as fh:
        graph = pickle.load(fh)
    firms = nodes_with_label(graph, NodeLabel.ENTERPRISE)
    index = {firm: i for i, firm in enumerate(firms)}
    counts, _ = _context_counts(graph, firms, firm_patents(graph, firms))
    weights = TieWeights()
    channels = [
        _channel_matrix(counts[c], index) * math.sqrt(getattr(weights, c))
        for c in ("technology", "partners", "alliances")
    ]
    features = sparse.vstack([sparse.hstack([m for m in channels if m.shape[1]]).tocsr()] * copies).tocsr()
    per_row = (features[:2000] @ features.T).nnz / min(2000, features.shape[0])
    lines = [
        f"{path.name} ×{copies} stacked: {features.shape[0]:,} firms, {per_row:,.0f} similarities per "
        "firm (first block)",
        "",
        "| top-k cut | wall s | CPU s | load | pairs |",
        "|---|---|---|---|---|",
    ]
    kept = []
    for name, cut in (
        ("k-th largest, then sort (now)", _top_k_pairs),
        ("sort all (before)", sorted_top_k_pairs),
    ):
        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        pairs = cut(features, top_k=15, min_weight=0.05)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        kept.append(pairs)
        lines.append(
            f"| {name} | {wall:.1f} | {cpu:.1f} | {(load + os.getloadavg()[0]) / 2:.1f} | {len(pairs[0]):,} |"
        )
    same = all((a == b).all() for a, b in zip(kept[0], kept[1], strict=True))
    return "\n".join([*lines, "", f"same pairs: {same}"])


_COLD_READ = """
import hashlib, json, os, resource, sys, time
from analytics import projection
from graph.neo4j_store import Neo4jStore
store = Neo4jStore(sys.argv[1])
store.version()  # connected before the clock starts
load = os.getloadavg()[0]
started, cpu = time.perf_counter(), time.process_time()
graph = projection.cluster_projection(store)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
digest = hashlib.sha256()
for node, attrs in graph.nodes(data=True):
    digest.update(repr((node, sorted(attrs.items()))).encode())
for start, ends in graph._succ.items():
    digest.update(repr((start, [(end, list(keys.items())) for end, keys in ends.items()])).encode())
for end, starts in graph._pred.items():
    digest.update(repr((end, list(starts))).encode())
print(json.dumps({
    "seconds": seconds, "cpu": cpu, "load": (load + os.getloadavg()[0]) / 2,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
    "digest": digest.hexdigest()[:12], "code": projection.__file__,
}))
store.close()
"""


def compare_reads(uri: str, refs: list[str], runs: int) -> str:
    """``analytics.projection.cluster_projection`` read from the Neo4j at ``uri``, cold (a fresh
    process per run) for each ref's code, runs alternating; a digest of everything the projection
    holds in the order it holds it (nodes and attributes, successors, predecessors)."""
    lines = [
        "| code | nodes | edges | wall s (runs) | CPU s (runs) | peak RSS MiB | load | projection |",
        "|" + "|".join(["---"] * 8) + "|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        trees = {ref: _unpack(ref, Path(tmp)) for ref in refs}
        results: dict[str, list[dict[str, Any]]] = {ref: [] for ref in refs}
        for _ in range(runs):
            for ref in refs:
                done = subprocess.run(
                    [sys.executable, "-c", _COLD_READ, uri],
                    capture_output=True,
                    text=True,
                    env={**os.environ, "PYTHONPATH": str(trees[ref])},
                    cwd=trees[ref],
                    check=False,
                )
                if done.returncode:
                    raise RuntimeError(f"cold read of {uri} with {ref}: {done.stderr[-2000:]}")
                result = json.loads(done.stdout.strip().splitlines()[-1])
                if not result["code"].startswith(str(trees[ref])):
                    raise RuntimeError(f"the child ran {result['code']}, not the code of {ref}")
                results[ref].append(result)
                print(f"{uri} {ref}: {result}", file=sys.stderr, flush=True)
    for ref in refs:
        rs = results[ref]
        walls = ", ".join(f"{r['seconds']:.1f}" for r in rs)
        cpus = ", ".join(f"{r['cpu']:.2f}" for r in rs)
        digests = ", ".join(sorted({r["digest"] for r in rs}))
        lines.append(
            f"| {ref} | {rs[0]['nodes']:,} | {rs[0]['edges']:,} | "
            f"{statistics.median(r['seconds'] for r in rs):.1f} ({walls}) | "
            f"{statistics.median(r['cpu'] for r in rs):.2f} ({cpus}) | "
            f"{max(r['peak_mib'] for r in rs):,.0f} | {statistics.mean(r['load'] for r in rs):.1f} | "
            f"{digests} |"
        )
    return "\n".join(lines)


def _unpack(ref: str, into: Path) -> Path:
    """The source tree of ``ref`` (``.``: the working tree itself)."""
    if ref == ".":
        return ROOT
    target = into / hashlib.sha1(ref.encode()).hexdigest()[:10]
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def cold_clusters(store: Path, tree: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    child = _COLD_PROJECTION if store.suffix == ".pickle" else _COLD_CLUSTERS
    done = subprocess.run(  # run from the tree: ``-c`` puts the working directory first on sys.path
        [sys.executable, "-c", child, str(store.resolve()), json.dumps(PARTS)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"cold clusters on {store} with {tree}: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not result["code"].startswith(str(tree)):  # the child must run the code asked for
        raise RuntimeError(f"the child ran {result['code']}, not the code under {tree}")
    return result


def compare_refs(stores: list[Path], refs: list[str], runs: int) -> str:
    lines = [
        "| store | code | firms | ties | wall s (runs) | CPU s | peak RSS MiB | load | clusters | "
        "modularity | partition |",
        "|" + "|".join(["---"] * 11) + "|",
    ]
    parts_table: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        trees = {ref: _unpack(ref, Path(tmp)) for ref in refs}
        for store in stores:
            results: dict[str, list[dict[str, Any]]] = {ref: [] for ref in refs}
            for _ in range(runs):
                for ref in refs:
                    results[ref].append(cold_clusters(store, trees[ref]))
                    print(f"{store} {ref}: {results[ref][-1]}", file=sys.stderr, flush=True)
            for ref in refs:
                rs = results[ref]
                walls = ", ".join(f"{r['seconds']:.1f}" for r in rs)
                cpu = statistics.median(r["cpu"] for r in rs)
                peak = max(r["peak_mib"] for r in rs)
                load = statistics.mean(r["load"] for r in rs)
                lines.append(
                    f"| {store.parent.name}/{store.name} | {ref} | {rs[0]['firms']:,} | {rs[0]['ties']:,} | "
                    f"{statistics.median(r['seconds'] for r in rs):.1f} ({walls}) | "
                    f"{cpu:.1f} | {peak:,.0f} | {load:.1f} | {rs[0]['clusters']} | {rs[0]['modularity']} | "
                    f"{rs[0]['digest']} |"
                )
            if "parts" in results[refs[0]][0]:
                parts_table.append(_parts_rows(store, refs, results))
    return "\n".join(lines + [""] + [row for rows in parts_table for row in rows])


def _parts_rows(store: Path, refs: list[str], results: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Median seconds inside each part per ref, and the first ref's time ÷ each other's."""
    names = list(dict.fromkeys(n for ref in refs for r in results[ref] for n in r["parts"]))
    if not names:
        return []
    median = {
        ref: {n: statistics.median(r["parts"].get(n, 0.0) for r in results[ref]) for n in names}
        for ref in refs
    }
    head = (
        f"| {store.name}: part (s inside, median) | "
        + " | ".join(refs)
        + " | "
        + " | ".join(f"{refs[0]} ÷ {ref}" for ref in refs[1:])
    )
    rows = [head + " |", "|" + "|".join(["---"] * (1 + 2 * len(refs) - 1)) + "|"]
    for name in [*names, "whole analysis"]:
        got = (
            median
            if name != "whole analysis"
            else {ref: {name: statistics.median(r["seconds"] for r in results[ref])} for ref in refs}
        )
        cells = [f"{got[ref][name]:.2f}" for ref in refs]
        ratios = [
            f"{got[refs[0]][name] / got[ref][name]:.1f}×" if got[ref][name] > 0 else "—" for ref in refs[1:]
        ]
        rows.append(f"| {name} | " + " | ".join(cells + ratios) + " |")
    return [*rows, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument(
        "--store", type=Path, action="append", help="embedded store file or pickled projection (repeatable)"
    )
    parser.add_argument("--ref", action="append", help="git revision to measure; '.' the working tree")
    parser.add_argument("--runs", type=int, default=1, help="cold runs per store and ref (--store)")
    parser.add_argument(
        "--dump-projection",
        nargs=2,
        metavar=("STORE", "OUT"),
        help="pickle the clusters projection of STORE (bolt:// URI or embedded file) to OUT, then stop",
    )
    parser.add_argument(
        "--read",
        metavar="URI",
        help="time the clusters projection's read from the Neo4j at URI for each --ref (cold, --runs each)",
    )
    parser.add_argument(
        "--top-k-stack",
        nargs=2,
        metavar=("PICKLE", "COPIES"),
        help="time the top-k cut on a pickled projection's firm features stacked COPIES times",
    )
    args = parser.parse_args()
    if args.top_k_stack:
        print(top_k_stack(Path(args.top_k_stack[0]), int(args.top_k_stack[1])))
        return
    if args.read:
        text = compare_reads(args.read, args.ref or ["."], args.runs)
        when = subprocess.run(["date", "-u"], capture_output=True, text=True, check=False).stdout.strip()
        refs = " ".join(f"--ref {r}" for r in args.ref or ["."])
        print(
            f"{when} · {os.cpu_count()} cores · Python {platform.python_version()} · command: "
            f".venv/bin/python -m bench.clusters_bench --read {args.read} {refs} --runs {args.runs}\n\n{text}"
        )
        return
    if args.dump_projection:
        dump_projection(args.dump_projection[0], Path(args.dump_projection[1]))
        return
    if args.store:
        text = compare_refs(args.store, args.ref or ["."], args.runs)
        when = subprocess.run(["date", "-u"], capture_output=True, text=True, check=False).stdout.strip()
        refs = " ".join(f"--ref {r}" for r in args.ref or ["."])
        stores = " ".join(f"--store {s}" for s in args.store)
        header = (
            f"{when} · {os.cpu_count()} cores · Python {platform.python_version()} · command: "
            f".venv/bin/python -m bench.clusters_bench {stores} {refs} --runs {args.runs}"
        )
        print(header + "\n\n" + text)
        if args.markdown:
            args.markdown.write_text(header + "\n\n" + text + "\n", encoding="utf-8")
        return
    rows = run(args.scales, args.seed)
    when = subprocess.run(["date", "-u"], capture_output=True, text=True, check=False).stdout.strip()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    header = (
        f"{when} · load average {load} · {os.cpu_count()} cores · Python {platform.python_version()}"
        f" · networkx {nx.__version__} · command: .venv/bin/python -m bench.clusters_bench"
        f" --scales {' '.join(map(str, args.scales))}"
    )
    text = header + "\n\n" + table(rows) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
