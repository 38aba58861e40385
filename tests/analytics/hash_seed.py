"""Same seed, same clusters — also in another process, whose string hashes differ (PYTHONHASHSEED)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx

from analytics.communities import detect_communities
from analytics.firm_network import firm_network

_DETECT = """
import json, sys
import networkx as nx
from analytics.communities import detect_communities
edges = json.load(open(sys.argv[1]))
g = nx.Graph()
g.add_nodes_from(edges["nodes"])
g.add_weighted_edges_from(edges["edges"])
print(json.dumps([sorted(c) for c in detect_communities(g, seed=42)]))
"""


def check_same_partition_in_other_processes(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Detect communities on ``graph``'s firm network in four processes with other string hashes,
    and in this one: the same partition in all five."""
    network = firm_network(graph)
    dump = tmp_path / "network.json"
    dump.write_text(
        json.dumps(
            {
                "nodes": list(network.nodes),
                "edges": [[u, v, d["weight"]] for u, v, d in network.edges(data=True)],
            }
        )
    )
    partitions = set()
    for hash_seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", _DETECT, str(dump)], env=env, capture_output=True, text=True, check=True
        )
        partitions.add(out.stdout)
    assert len(partitions) == 1, "the partition changed with the process's string hash seed"
    here = [sorted(c) for c in detect_communities(network, seed=42)]
    assert json.loads(partitions.pop()) == here, "another process found another partition"
