// Every organisation's annual reports already grouped, one row per organisation: all the dated
// figures in one read (the monitor series). Filtered and ordered by the caller.
MATCH (o:Entity)-[:REPORTED]->(a:AnnualReport)
RETURN o.id AS id, collect([a.year, a.id, properties(a)]) AS reports
