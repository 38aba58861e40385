// __REL_TYPE__ is filled from the model's allow-list; a static type is answered from the count store.
MATCH ()-[r:__REL_TYPE__]->()
RETURN count(r) AS n
