// Every list edition with its members already grouped, one row per (kind, year): the whole
// history of the yearly lists in one read (the monitor series). collect() drops the null of an
// edition without members, so it comes back with an empty list. Filtered and ordered by the caller.
MATCH (e:ListEdition)
OPTIONAL MATCH (m:Entity)-[r:LISTED_IN]->(e)
WITH e.kind AS kind, e.year AS year, CASE WHEN m IS NULL THEN null ELSE [m.id, r.level] END AS member
RETURN kind, year, collect(member) AS members
