"""Louvain by networkx (the old default) against igraph's Louvain (the default since issue #14),
and leidenalg's Leiden, on the firm networks the cluster analysis builds: modularity, time and
stability across seeds.

    .venv/bin/python -m bench.community_methods [--projection NAME=FILE.pickle …] \
        [--real tw patsnap lens] [--seeds 42 1 2 3 4] [--markdown FILE]

``--projection``: a pickled clusters projection (``bench.clusters_bench --dump-projection``, e.g.
of the ×1 demo store or a ×10 Neo4j). ``--real``: the real patent files of
``$INNOGRAPH_SHARED_DATA`` as graphs (``bench.real_sets``: Taiwan academic patents, the PatSnap
green-aviation export, the Lens drone patents) — their firms tied by shared IPC groups and
co-applications, without the demo's parks and alliances.

For each graph the firm network is built once (``analytics.firm_network.firm_network``, default
weights); each method then runs on its tied firms (what ``detect_communities`` hands it) once
per seed, in this process (igraph and leidenalg imported beforehand, so no import is billed).
Reported per method: the median wall and CPU seconds; the modularity of the partition the
analysis reports (communities of ≥ 3 firms, the other firms singletons; one function,
``analytics.communities.modularity``, for every method) as mean ± standard deviation over the
seeds with its range; the number of such clusters; and agreement on the tied firms (adjusted
Rand index and normalised mutual information, scikit-learn) between every pair of seeds of the
method and between the method and networkx at the same seed. The difference of the mean
modularities against networkx carries a 95 % interval (Welch's standard error, t with seeds − 1 degrees of
freedom, the smaller of Welch's: conservative).
"""

from __future__ import annotations

import argparse
import itertools
import os
import pickle
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from scipy import stats
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics import communities  # noqa: E402
from analytics.firm_network import firm_network  # noqa: E402
from tests.analytics import reference_clusters as reference  # noqa: E402

Detect = Callable[[nx.Graph, str, float, int], list[set[Any]]]
METHODS: dict[str, Detect] = {
    "networkx Louvain": reference.louvain,
    "igraph Louvain": communities.COMMUNITY_METHODS["louvain"],
    "leidenalg Leiden": communities.COMMUNITY_METHODS["leiden"],
}
BASELINE = "networkx Louvain"
MIN_SIZE = 3  # ClusterOptions().min_size


def graphs(projections: list[str], real: list[str]) -> Iterable[tuple[str, nx.MultiDiGraph]]:
    for item in projections:
        name, _, path = item.partition("=")
        with open(path, "rb") as fh:
            yield name, pickle.load(fh)
    if real:
        from bench import real_sets

        for name in real:
            yield f"real: {name}", real_sets.projection(real_sets.LOADERS[name](), inventors=False)


def _labels(parts: list[set[Any]], nodes: list[Hashable]) -> list[int]:
    of = {n: k for k, part in enumerate(parts) for n in part}
    return [of[n] for n in nodes]


def measure(network: nx.Graph, seeds: list[int]) -> dict[str, dict[str, Any]]:
    tied = nx.Graph()
    tied.add_nodes_from(n for n, adj in network.adj.items() if adj)
    tied.add_weighted_edges_from(network.edges(data="weight", default=1), weight="weight")
    nodes = sorted(tied, key=str)
    out: dict[str, dict[str, Any]] = {}
    for name, detect in METHODS.items():
        walls, cpus, qs, sizes, labels = [], [], [], [], []
        for seed in seeds:
            started, cpu = time.perf_counter(), time.process_time()
            parts = detect(tied, "weight", 1.0, seed)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            kept = [p for p in parts if len(p) >= MIN_SIZE]
            covered = {n for p in kept for n in p}
            qs.append(communities.modularity(network, kept + [{n} for n in network if n not in covered]))
            sizes.append(len(kept))
            labels.append(_labels(parts, nodes))
        pairs = list(itertools.combinations(labels, 2))
        out[name] = {
            "wall": statistics.median(walls),
            "cpu": statistics.median(cpus),
            "q": qs,
            "clusters": sizes,
            "labels": labels,
            "ari_seeds": [adjusted_rand_score(a, b) for a, b in pairs],
            "nmi_seeds": [normalized_mutual_info_score(a, b) for a, b in pairs],
        }
    base = out[BASELINE]["labels"]
    for result in out.values():
        result["ari_nx"] = [adjusted_rand_score(a, b) for a, b in zip(result["labels"], base, strict=True)]
        result["nmi_nx"] = [
            normalized_mutual_info_score(a, b) for a, b in zip(result["labels"], base, strict=True)
        ]
    return out


def _difference(q: list[float], base: list[float]) -> str:
    """Mean difference with a 95 % interval (Welch's standard error, conservative t)."""
    diff = statistics.mean(q) - statistics.mean(base)
    if len(q) < 2:
        return f"{diff:+.4f}"
    se = (statistics.variance(q) / len(q) + statistics.variance(base) / len(base)) ** 0.5
    half = float(stats.t.ppf(0.975, len(q) - 1)) * se
    return f"{diff:+.4f} [{diff - half:+.4f}, {diff + half:+.4f}]"


def _mean(values: list[float]) -> str:
    return f"{statistics.mean(values):.3f} (min {min(values):.3f})" if values else "—"


def table(rows: list[tuple[str, nx.Graph, dict[str, dict[str, Any]]]], seeds: list[int]) -> str:
    lines = [
        f"| graph | firms (tied) | ties | method | wall s | CPU s | modularity mean ± sd [range] "
        f"| Δ vs networkx, 95 % CI | clusters ≥ {MIN_SIZE} | ARI between seeds | NMI between seeds "
        "| ARI with networkx | NMI with networkx |",
        "|" + "|".join(["---"] * 13) + "|",
    ]
    for name, network, result in rows:
        tied = sum(1 for _, adj in network.adj.items() if adj)
        for method, r in result.items():
            q = r["q"]
            sd = statistics.stdev(q) if len(q) > 1 else 0.0
            vs_nx = method != BASELINE
            cells = [
                name,
                f"{network.number_of_nodes():,} ({tied:,})",
                f"{network.number_of_edges():,}",
                method,
                f"{r['wall']:.3f}",
                f"{r['cpu']:.3f}",
                f"{statistics.mean(q):.4f} ± {sd:.4f} [{min(q):.4f}, {max(q):.4f}]",
                _difference(q, result[BASELINE]["q"]) if vs_nx else "—",
                f"{min(r['clusters'])}–{max(r['clusters'])}",
                _mean(r["ari_seeds"]),
                _mean(r["nmi_seeds"]),
                _mean(r["ari_nx"]) if vs_nx else "—",
                _mean(r["nmi_nx"]) if vs_nx else "—",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + f"\n\nseeds: {' '.join(map(str, seeds))}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projection", action="append", default=[], help="NAME=FILE.pickle (repeatable)")
    parser.add_argument("--real", nargs="*", default=[], choices=["tw", "patsnap", "lens"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 1, 2, 3, 4])
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args()
    import igraph  # noqa: F401  (one-off imports, not billed to a method)
    import leidenalg  # noqa: F401

    loads = [os.getloadavg()[0]]
    rows = []
    for name, graph in graphs(args.projection, args.real):
        started = time.perf_counter()
        network = firm_network(graph)
        print(
            f"{name}: firm network {time.perf_counter() - started:.1f} s, "
            f"{network.number_of_nodes():,} firms, {network.number_of_edges():,} ties",
            file=sys.stderr,
            flush=True,
        )
        rows.append((name, network, measure(network, args.seeds)))
        loads.append(os.getloadavg()[0])
    when = subprocess.run(["date", "-u"], capture_output=True, text=True, check=False).stdout.strip()
    command = " ".join(["python -m bench.community_methods", *sys.argv[1:]])
    header = (
        f"{when} · load {min(loads):.1f}–{max(loads):.1f} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · networkx {nx.__version__} · igraph {_version('igraph')} · "
        f"leidenalg {_version('leidenalg')} · command: {command}"
    )
    text = header + "\n\n" + table(rows, args.seeds) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")


def _version(module: str) -> str:
    import importlib

    return str(getattr(importlib.import_module(module), "__version__", "?"))


if __name__ == "__main__":
    main()
