// Every write stamp (graph.stamps) with the rest of the meta node's properties; the caller keeps
// the "stamp:" keys. No meta node yet: no stamps.
OPTIONAL MATCH (m:InnoGraphMeta {id: 'graph'})
RETURN CASE WHEN m IS NULL THEN {} ELSE properties(m) END AS props
