// The circuit breaker's half-open probe: the cheapest read that proves the database serves queries.
RETURN 1 AS ok
