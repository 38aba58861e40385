"""The Cypher statements, one per ``.cypher`` file, shipped as package data and read by
:mod:`graph.cypher_catalog` through ``importlib.resources`` (so an installed wheel has them)."""
