// Every list edition's kind and year (a few dozen nodes): the editions list_history returns
// even when nobody is listed in them. Filtered and ordered by the caller.
MATCH (e:ListEdition)
RETURN e.kind AS kind, e.year AS year
