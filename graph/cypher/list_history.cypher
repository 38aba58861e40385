// Every membership of every list edition, and each edition without members (id null): the whole
// history of the yearly lists in one read (the monitor series). Filtered and ordered by the caller.
MATCH (e:ListEdition)
OPTIONAL MATCH (m:Entity)-[r:LISTED_IN]->(e)
RETURN e.kind AS kind, e.year AS year, m.id AS id, r.level AS level
