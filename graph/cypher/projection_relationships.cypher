MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) IN $types
  AND any(l IN labels(a) WHERE l IN $labels)
  AND any(l IN labels(b) WHERE l IN $labels)
RETURN type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props
ORDER BY type, start, end
