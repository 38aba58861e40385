// Every node of one label (a validated parameter, dynamic label match, 5.26) with only the asked
// properties that are set, in the order asked, and the targets of its outgoing relationships of
// the asked types: the columns a per-node computation (the monitor series' firms) reads, in one
// pass. Grouped per type and sorted by the caller.
MATCH (n:$($label))
RETURN n.id AS id,
       [k IN $keys WHERE n[k] IS NOT NULL | [k, n[k]]] AS props,
       [(n)-[r]->(m:Entity) WHERE type(r) IN $types | [type(r), m.id]] AS out
ORDER BY id
