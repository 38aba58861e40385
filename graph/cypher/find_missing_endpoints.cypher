// Which of the given (id, label) endpoints do not exist: used to name them in the error.
UNWIND $endpoints AS e
OPTIONAL MATCH (n:Entity {id: e.id}) WHERE e.label IN labels(n)
WITH e, n WHERE n IS NULL
RETURN e.id AS id, e.label AS label
ORDER BY id
LIMIT 20
