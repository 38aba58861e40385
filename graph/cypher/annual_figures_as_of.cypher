// Each organisation's latest annual report whose year is not after $year (as-of read).
MATCH (o:Entity)-[:REPORTED]->(a:AnnualReport)
WHERE a.year <= $year
WITH o, a
ORDER BY a.year DESC
WITH o, collect(a)[0] AS latest
RETURN o.id AS id, latest.year AS year, properties(latest) AS props
ORDER BY id
