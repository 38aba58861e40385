MATCH (n:Entity)
WHERE any(l IN labels(n) WHERE l IN $labels)
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
ORDER BY id
