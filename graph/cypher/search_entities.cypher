// Candidates for a name search; ranking happens in graph/search.py for both stores.
MATCH (n:Entity)
WHERE n.searchText CONTAINS $q
  AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels))
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
ORDER BY size(n.searchText), id
LIMIT $limit
