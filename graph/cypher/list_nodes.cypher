// Nodes of one label; the label is a validated parameter (dynamic label match, 5.26).
MATCH (n:$($label))
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
ORDER BY id
SKIP $skip
LIMIT $limit
