// One page of a projection (Neo4jStore.projection), nodes and their outgoing relationships
// together, as ONE record: the next $page nodes with one of $labels whose id sorts after $after,
// in id order (keyset on the entity_id index: a range seek in index order, no sort), each as
// [id, primary label, values, out]. One record per page, not one per node: at ×1 the driver's
// Python work per record (fetching the message, building the Record) was most of the client's
// time, while the Rust codec decodes one nested list at C speed (docs/benchmarks/clusters.md).
// Nodes and relationships in one pass: the index range is walked and each id sent once.
// - primary label: the first of the node's labels that is a model label ($model), as
//   graph.model.primary_label picks it (Entity and Organization are not model labels);
// - values: every property (a map) when $keys is null, else the values of $keys[label] — the
//   asked keys the model allows on the node's label (graph.model.NODE_PROPERTIES; writes refuse
//   any other), in the asked order, null where unset: a firm is not asked for a patent's keys,
//   each a lookup along its property chain. A list of values decodes faster than a map or
//   [key, value] pairs of the set ones (measured again with one record per page), and the names
//   travel once;
// - out: its relationships of $types to nodes with one of $labels, each [type, end id, props]
//   (props: every property of the relationship, or only $relKeys' values in their order).
MATCH (n:Entity)
WHERE n.id > $after AND any(l IN labels(n) WHERE l IN $labels)
WITH n
ORDER BY n.id
LIMIT $page
WITH n, [l IN labels(n) WHERE l IN $model][0] AS label
RETURN collect([
         n.id,
         label,
         CASE WHEN $keys IS NULL THEN properties(n) ELSE [k IN $keys[label] | n[k]] END,
         [(n)-[r]->(b:Entity) WHERE type(r) IN $types AND any(l IN labels(b) WHERE l IN $labels)
          | [type(r), b.id,
             CASE WHEN $relKeys IS NULL THEN properties(r) ELSE [k IN $relKeys | r[k]] END]]
       ]) AS rows
