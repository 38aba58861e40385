// One page of a projection's nodes (Neo4jStore.projection): the next $page nodes with one of
// $labels whose id sorts after $after, in id order. Keyset on the entity_id index (a range
// seek in index order, no sort), so every page is a short transaction at any graph size.
// $keys: null for every property, else only those keys' values, in $keys' order (null where a
// node has none): a list of values decodes faster than a map or [key, value] pairs, and the
// names travel once, as the parameter.
MATCH (n:Entity)
WHERE n.id > $after AND any(l IN labels(n) WHERE l IN $labels)
WITH n
ORDER BY n.id
LIMIT $page
RETURN n.id AS id,
       labels(n) AS labels,
       CASE WHEN $keys IS NULL THEN properties(n) END AS props,
       CASE WHEN $keys IS NULL THEN null ELSE [k IN $keys | n[k]] END AS values
ORDER BY id
