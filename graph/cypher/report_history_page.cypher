// One page of Neo4jStore.report_history: the next $page entities whose id sorts after $after
// (keyset on the entity_id index), each with its annual reports as [year, id, properties];
// an entity without reports comes back with an empty list, so the caller's cursor moves on.
MATCH (o:Entity)
WHERE o.id > $after
WITH o
ORDER BY o.id
LIMIT $page
RETURN o.id AS id,
       [(o)-[:REPORTED]->(a:AnnualReport) | [a.year, a.id, properties(a)]] AS reports
ORDER BY id
