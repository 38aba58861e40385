// One hop around a node, one page at a time. Types and labels are validated parameters (NULL
// means any); $after is the (type, direction, id) of the previous page's last row, or NULL.
MATCH (n:Entity {id: $id})-[r]-(m:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($labels IS NULL OR any(label IN labels(m) WHERE label IN $labels))
WITH r, m, type(r) AS type, CASE WHEN startNode(r) = m THEN 'in' ELSE 'out' END AS direction
WHERE ($direction = 'both' OR direction = $direction)
  AND ($after IS NULL
       OR type > $after[0]
       OR (type = $after[0] AND (direction > $after[1]
                                 OR (direction = $after[1] AND m.id > $after[2]))))
RETURN type, startNode(r).id AS start, endNode(r).id AS end, properties(r) AS relProps,
       direction, m.id AS id, labels(m) AS labels, properties(m) AS props
ORDER BY type, direction, id
LIMIT $limit
