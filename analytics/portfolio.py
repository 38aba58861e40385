"""Read firms, their patents and technology codes off a graph projection.

A projection (``GraphStore.projection``) is a ``MultiDiGraph`` keyed by node id, with the node's
label under ``label`` and its properties as attributes, and edges keyed by ``RelType``. These
helpers are the only place that knows that layout, so the algorithms above them see plain dicts.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from graph import ipc as ipc_vocab
from graph.model import NodeLabel, RelType

#: Patent kinds counted as invention patents (发明专利); the rest are utility models and designs.
_INVENTION_KINDS = frozenset({"发明", "发明专利", "发明授权", "发明申请", "invention"})


def nodes_with_label(graph: nx.MultiDiGraph, label: NodeLabel) -> list[str]:
    """Ids of the projection's nodes with ``label``, sorted."""
    return sorted(n for n, attrs in graph.nodes(data=True) if attrs.get("label") == label)


def out_targets(graph: nx.MultiDiGraph, node: str, rel: RelType) -> Iterator[str]:
    # The adjacency dict, not ``out_edges``: one edge view per call was most of what the
    # monitor's per-firm lookups cost at ×10. Edge keys are relationship types, so a target
    # holds ``rel`` at most once — the same targets, in the same order.
    for target, keys in graph._succ[node].items():  # the raw dict: no view object per call
        if rel in keys:
            yield target


def in_sources(graph: nx.MultiDiGraph, node: str, rel: RelType) -> Iterator[str]:
    # The raw dict, as in ``out_targets``: ``graph.pred[node]`` built two view objects per call,
    # a tenth of the cluster analysis at ×10 (each patent's applicants, each firm's transfers).
    for source, keys in graph._pred[node].items():
        if rel in keys:
            yield source


def label_of(graph: nx.MultiDiGraph, node: str) -> NodeLabel | None:
    value = graph.nodes[node].get("label")
    return value if isinstance(value, NodeLabel) else None


def is_invention(patent_attrs: dict[str, Any]) -> bool:
    kind = str(patent_attrs.get("kind") or "").strip()
    return kind in _INVENTION_KINDS or kind.lower() in _INVENTION_KINDS


# Pure functions of a code, asked for the same few thousand codes once per patent and analysis
# step (tf–idf, industries, terms, core areas): a cache turns ~6 parses per code into one.
@functools.lru_cache(maxsize=1 << 17)
def normalise_ipc(code: str) -> str:
    """``"H01L 33/48"`` → ``"H01L33/48"`` (:mod:`graph.ipc`, the graph's own spelling); text that
    is no IPC code passes through upper-cased, so it is counted rather than lost."""
    return ipc_vocab.normalize_ipc(code) or re.sub(r"\s+", "", code).upper()


@functools.lru_cache(maxsize=1 << 17)
def ipc_main_group(code: str) -> str:
    """The main group of an IPC code: ``"H01L33/48"`` → ``"H01L33/00"``; a subclass stays as is."""
    canonical = normalise_ipc(code)
    return ipc_vocab.main_group(canonical) or ipc_vocab.subclass(canonical)


@functools.lru_cache(maxsize=1 << 17)
def ipc_subclass(code: str) -> str:
    """``"H01L33/48"`` → ``"H01L"``."""
    return ipc_vocab.subclass(normalise_ipc(code))


def patent_ipc_codes(graph: nx.MultiDiGraph, patent: str) -> list[str]:
    """A patent's IPC codes, from its ``ipcCodes`` property and its CLASSIFIED_AS edges."""
    codes = [normalise_ipc(str(c)) for c in graph.nodes[patent].get("ipcCodes") or []]
    for ipc in out_targets(graph, patent, RelType.CLASSIFIED_AS):
        code = graph.nodes[ipc].get("code")
        if code:
            codes.append(normalise_ipc(str(code)))
    return list(dict.fromkeys(c for c in codes if c))


def firm_patents(graph: nx.MultiDiGraph, firms: Iterable[str]) -> dict[str, list[str]]:
    """Each firm's patents (APPLIED_FOR), sorted."""
    return {firm: sorted(out_targets(graph, firm, RelType.APPLIED_FOR)) for firm in firms}


def patent_applicants(graph: nx.MultiDiGraph, patent: str) -> list[str]:
    return sorted(in_sources(graph, patent, RelType.APPLIED_FOR))


def firm_parks(graph: nx.MultiDiGraph, firms: Iterable[str]) -> dict[str, list[str]]:
    """Each firm's parks (LOCATED_IN) and incubators (INCUBATED_BY): where it sits."""
    out: dict[str, list[str]] = defaultdict(list)
    for firm in firms:
        places = list(out_targets(graph, firm, RelType.LOCATED_IN))
        places += out_targets(graph, firm, RelType.INCUBATED_BY)
        out[firm] = sorted(set(places))
    return dict(out)


def number(attrs: dict[str, Any], key: str) -> float | None:
    """A numeric property, or None when absent or not a number."""
    value = attrs.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def display_name(graph: nx.MultiDiGraph, node: str) -> str:
    attrs = graph.nodes[node]
    return str(attrs.get("name") or attrs.get("title") or attrs.get("code") or node)
