"""Cluster analytics and the plan monitor over a projection of the InnoGraph graph.

Entry points: :func:`analytics.firm_network.firm_network` (firm–firm ties),
:func:`analytics.communities.detect_communities` (Louvain / Leiden),
:func:`analytics.clusters.analyse_clusters` (labelled, measured clusters),
:func:`analytics.monitor.monitor_plan` (the plan's 2015 targets). ``docs/CLUSTERS.md`` explains them.
"""
