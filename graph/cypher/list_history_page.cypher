// One page of Neo4jStore.list_history's members: the next $page entities whose id sorts after
// $after (keyset on the entity_id index), each with the list editions it is listed in as
// [kind, year, level]; an entity in no list comes back with an empty list, so the cursor moves on.
MATCH (m:Entity)
WHERE m.id > $after
WITH m
ORDER BY m.id
LIMIT $page
RETURN m.id AS id,
       [(m)-[r:LISTED_IN]->(e:ListEdition) | [e.kind, e.year, r.level]] AS editions
ORDER BY id
