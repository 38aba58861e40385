// Every apply bumps one counter, in the same transaction, so readers that cache analytics
// (projections for matchmaking and clusters) know when the graph changed — whoever wrote it.
MERGE (m:InnoGraphMeta {id: 'graph'})
SET m.version = coalesce(m.version, 0) + 1
RETURN m.version AS version
