"""Matchmaking: research partners for a firm and solvers for a technology demand, with evidence.

``match.index`` builds, per graph version, the indexes every query reads (IPC profiles,
TF-IDF vectors, the tie graph); ``match.partners`` and ``match.demands`` rank; evidence paths
(``match.evidence``) are made of relationships that exist in the graph, so a page can draw them.
"""
