"""Partner weights learned from the graph's own history (match/learn.py).

A small graph where every year new firms first co-apply with the institute that already works
with the most firms: the learned model must find that track record and rank by it, and the
answer must report the weights it used.
"""

from __future__ import annotations

import networkx as nx

from graph.model import NodeLabel as L
from graph.model import RelType as R
from match.index import MatchIndex
from match.learn import FEATURES, learned_for
from match.partners import PartnerQuery, find_partners
from text.pipeline import get_nlp


def history() -> nx.MultiDiGraph:
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    hub, others = "uni:hub", ["uni:a", "uni:b", "uni:c", "uni:d"]
    for u in (hub, *others):
        g.add_node(u, label=L.UNIVERSITY, name=u)
    n = 0

    def patent(year: int, holders: list[str], title: str) -> None:
        nonlocal n
        n += 1
        pid = f"patent:{n}"
        g.add_node(pid, label=L.PATENT, title=title, applicationYear=year, ipcCodes=["H01L33/48"])
        for h in holders:
            g.add_edge(h, pid, key=R.APPLIED_FOR)

    for u in others:
        patent(2005, [u], "一种发光二极管封装结构")
    patent(2005, [hub], "一种发光二极管封装结构")
    for i in range(12):
        firm = f"ent:{i}"
        g.add_node(firm, label=L.ENTERPRISE, name=firm)
        patent(2006 + i // 2, [firm], "一种发光二极管封装结构")
        patent(2008 + i // 2, [firm, hub], "一种发光二极管封装结构")  # new pair with the hub
    g.add_node("ent:new", label=L.ENTERPRISE, name="ent:new")
    patent(2013, ["ent:new"], "一种发光二极管封装结构")
    return g


def test_learned_weights_find_the_track_record_and_are_reported() -> None:
    graph = history()
    index = MatchIndex.from_graph(graph, get_nlp())
    learned = learned_for(index, lambda: graph)
    assert learned is not None and learned.positives > 0
    assert set(learned.weights) == set(FEATURES)
    assert learned.weights["firm_partners"] > 0
    result = find_partners(index, PartnerQuery("ent:new", types=(L.UNIVERSITY,)), learned=learned)
    assert result.matches[0].candidate == "uni:hub"
    assert result.weights == learned.weights
    assert any("learned from the graph's own history" in n for n in result.notices)


def test_no_history_falls_back_to_hand_set_weights() -> None:
    g = history()
    g.remove_nodes_from(
        [n for n, a in g.nodes(data=True) if a["label"] == L.PATENT and len(list(g.predecessors(n))) > 1]
    )
    assert learned_for(MatchIndex.from_graph(g, get_nlp()), lambda: g) is None
