// How many neighbours a node has per relationship type, direction and the neighbour's labels
// (the store maps the labels to the model's primary label and orders the groups).
MATCH (n:Entity {id: $id})-[r]-(m:Entity)
RETURN type(r) AS type, CASE WHEN startNode(r) = m THEN 'in' ELSE 'out' END AS direction,
       labels(m) AS labels, count(*) AS count
