MATCH (a:Entity)-[r:$($type)]->(b:Entity)
RETURN a.id AS start, b.id AS end, properties(r) AS props
ORDER BY start, end
LIMIT $limit
