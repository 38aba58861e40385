"""InnoGraph's graph model and stores (Neo4j, embedded networkx)."""
