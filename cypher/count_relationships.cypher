UNWIND $types AS type
CALL (type) {
  MATCH ()-[r:$(type)]->()
  RETURN count(r) AS n
}
RETURN type, n
