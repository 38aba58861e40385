SHOW CONSTRAINTS YIELD name
WHERE name = 'entity_id'
RETURN count(*) AS n
