// Merge a batch of relationships between existing nodes. Endpoints are matched by id and
// must carry the label the caller declared; the caller compares `merged` with the batch size
// and aborts the transaction when an endpoint is missing. The type is a validated parameter.
UNWIND $rows AS row
MATCH (a:Entity {id: row.start}) WHERE row.startLabel IN labels(a)
MATCH (b:Entity {id: row.end}) WHERE row.endLabel IN labels(b)
MERGE (a)-[r:$(row.type)]->(b)
SET r += row.props
SET r.sources = CASE WHEN row.sources IS NULL THEN r.sources
      ELSE coalesce(r.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(r.sources, [])] END,
    r.records = CASE WHEN row.records IS NULL THEN r.records
      ELSE coalesce(r.records, []) + [x IN row.records WHERE NOT x IN coalesce(r.records, [])] END,
    r.ingestRuns = CASE WHEN row.ingestRuns IS NULL THEN r.ingestRuns
      ELSE coalesce(r.ingestRuns, []) + [x IN row.ingestRuns WHERE NOT x IN coalesce(r.ingestRuns, [])] END
RETURN count(r) AS merged
