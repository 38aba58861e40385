// Merge a batch of nodes of one label on that label's id constraint.
// __LABEL__ and __EXTRA_LABELS__ are filled by graph.cypher_catalog.render() from the model's
// NodeLabel allow-list only (never from input): static labels let the planner use the label's
// unique index, which is several times faster than 5.26's dynamic $(...) labels for bulk loads.
// Union properties (aliases and provenance) accumulate; searchText mirrors graph/search_text.py.
// Every write sits in ON CREATE / ON MATCH: separate SET clauses after the MERGE made the planner
// put three Eager operators in the plan (each materialises the whole batch), and a re-run of the
// ×10 demo took 10.4 s instead of 8.7 s. ON MATCH reads the old values before it writes them,
// so searchText is computed from what the node will hold (row.props over n, aliases unioned).
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id})
ON CREATE SET
  n:__EXTRA_LABELS__,
  n.searchText = replace(toLower(
      coalesce(row.props.name, '') + '|' + coalesce(row.props.title, '') + '|' +
      coalesce(row.props.nameEn, '') + '|' + coalesce(row.props.pinyin, '') + '|' +
      coalesce(row.props.code, '') + '|' + coalesce(row.props.number, '') + '|' +
      reduce(s = '', a IN coalesce(row.aliases, []) | s + a + '|')), ' ', ''),
  n.aliases = row.aliases, n.sources = row.sources, n.records = row.records,
  n.ingestRuns = row.ingestRuns,
  n += row.props
ON MATCH SET
  n.searchText = replace(toLower(
      coalesce(row.props.name, n.name, '') + '|' + coalesce(row.props.title, n.title, '') + '|' +
      coalesce(row.props.nameEn, n.nameEn, '') + '|' + coalesce(row.props.pinyin, n.pinyin, '') + '|' +
      coalesce(row.props.code, n.code, '') + '|' + coalesce(row.props.number, n.number, '') + '|' +
      reduce(s = '', a IN coalesce(n.aliases, []) +
        [x IN coalesce(row.aliases, []) WHERE NOT x IN coalesce(n.aliases, [])] | s + a + '|')), ' ', ''),
  n.aliases = CASE WHEN row.aliases IS NULL THEN n.aliases
      ELSE coalesce(n.aliases, []) + [x IN row.aliases WHERE NOT x IN coalesce(n.aliases, [])] END,
  n.sources = CASE WHEN row.sources IS NULL THEN n.sources
      ELSE coalesce(n.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(n.sources, [])] END,
  n.records = CASE WHEN row.records IS NULL THEN n.records
      ELSE coalesce(n.records, []) + [x IN row.records WHERE NOT x IN coalesce(n.records, [])] END,
  n.ingestRuns = CASE WHEN row.ingestRuns IS NULL THEN n.ingestRuns
      ELSE coalesce(n.ingestRuns, []) + [x IN row.ingestRuns WHERE NOT x IN coalesce(n.ingestRuns, [])] END,
  n += row.props
RETURN count(n) AS merged
