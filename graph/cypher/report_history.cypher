// Every organisation's every annual report: all the dated figures in one read (the monitor
// series). Filtered and ordered by the caller.
MATCH (o:Entity)-[:REPORTED]->(a:AnnualReport)
RETURN o.id AS id, a.id AS report, a.year AS year, properties(a) AS props
