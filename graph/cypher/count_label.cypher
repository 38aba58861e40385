// __LABEL__ is filled from the model's allow-list; a static label is answered from the count store.
MATCH (n:__LABEL__)
RETURN count(n) AS n
