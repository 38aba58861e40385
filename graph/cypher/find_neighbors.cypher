// One hop around a node. Types are validated parameters; `$types IS NULL` means any type.
MATCH (n:Entity {id: $id})-[r]-(m:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
WITH r, m, CASE WHEN startNode(r) = m THEN 'in' ELSE 'out' END AS direction
WHERE $direction = 'both' OR direction = $direction
RETURN type(r) AS type, startNode(r).id AS start, endNode(r).id AS end, properties(r) AS relProps,
       direction, m.id AS id, labels(m) AS labels, properties(m) AS props
ORDER BY type, direction, id
LIMIT $limit
