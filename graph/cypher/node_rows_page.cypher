// One page of Neo4jStore.node_rows: the next $page nodes of one label (a model label, filled in
// by graph.cypher_catalog.render) whose id sorts after $after, keyset on that label's id
// constraint, with only the asked properties that are set, in the order asked, and the targets
// of their outgoing relationships of the asked types (grouped per type and sorted by the caller).
MATCH (n:__LABEL__)
WHERE n.id > $after
WITH n
ORDER BY n.id
LIMIT $page
RETURN n.id AS id,
       [k IN $keys WHERE n[k] IS NOT NULL | [k, n[k]]] AS props,
       [(n)-[r]->(m:Entity) WHERE type(r) IN $types | [type(r), m.id]] AS out
ORDER BY id
