// Members of the latest edition of list $kind whose year is not after $year (as-of read).
// A firm omitted from that edition is not a member, even if an earlier edition named it.
MATCH (e:ListEdition {kind: $kind})
WHERE e.year <= $year
WITH max(e.year) AS latest
MATCH (m:Entity)-[r:LISTED_IN]->(:ListEdition {kind: $kind, year: latest})
RETURN m.id AS id, labels(m) AS labels, latest AS year, r.level AS level
ORDER BY id
