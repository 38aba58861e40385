// One page of a projection's relationships (Neo4jStore.projection), keyed by start node: the
// next $page nodes with one of $labels after $after in id order (as projection_nodes_page),
// each with its outgoing relationships of $types to nodes with one of $labels. A row per start
// node, even one without such relationships, so the caller's cursor always moves on.
// $relKeys: null for every property of a relationship, else only those keys' values in their
// order (null where unset). Most relationships carry provenance lists (sources, records,
// ingestRuns) no analysis reads: at ×100 they were most of what a page decoded.
MATCH (a:Entity)
WHERE a.id > $after AND any(l IN labels(a) WHERE l IN $labels)
WITH a
ORDER BY a.id
LIMIT $page
RETURN a.id AS id,
       [(a)-[r]->(b:Entity) WHERE type(r) IN $types AND any(l IN labels(b) WHERE l IN $labels)
        | [type(r), b.id,
           CASE WHEN $relKeys IS NULL THEN properties(r) ELSE [k IN $relKeys | r[k]] END]] AS out
ORDER BY id
