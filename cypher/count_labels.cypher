UNWIND $labels AS label
CALL (label) {
  MATCH (n:$(label))
  RETURN count(n) AS n
}
RETURN label, n
