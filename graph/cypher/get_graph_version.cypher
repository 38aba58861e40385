OPTIONAL MATCH (m:InnoGraphMeta {id: 'graph'})
RETURN coalesce(m.version, 0) AS version
