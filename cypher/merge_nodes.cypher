// Merge a batch of nodes of one label on that label's id constraint.
// __LABEL__ and __EXTRA_LABELS__ are filled by graph.cypher_catalog.render() from the model's
// NodeLabel allow-list only (never from input): static labels let the planner use the label's
// unique index, which is several times faster than 5.26's dynamic $(...) labels for bulk loads.
// Union properties (aliases and provenance) accumulate; searchText mirrors graph/search_text.py.
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id})
SET n:__EXTRA_LABELS__
SET n += row.props
SET n.aliases = CASE WHEN row.aliases IS NULL THEN n.aliases
      ELSE coalesce(n.aliases, []) + [x IN row.aliases WHERE NOT x IN coalesce(n.aliases, [])] END,
    n.sources = CASE WHEN row.sources IS NULL THEN n.sources
      ELSE coalesce(n.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(n.sources, [])] END,
    n.records = CASE WHEN row.records IS NULL THEN n.records
      ELSE coalesce(n.records, []) + [x IN row.records WHERE NOT x IN coalesce(n.records, [])] END,
    n.ingestRuns = CASE WHEN row.ingestRuns IS NULL THEN n.ingestRuns
      ELSE coalesce(n.ingestRuns, []) + [x IN row.ingestRuns WHERE NOT x IN coalesce(n.ingestRuns, [])] END
SET n.searchText = replace(toLower(
      coalesce(n.name, '') + '|' + coalesce(n.title, '') + '|' + coalesce(n.nameEn, '') + '|' +
      coalesce(n.pinyin, '') + '|' + coalesce(n.code, '') + '|' + coalesce(n.number, '') + '|' +
      reduce(s = '', a IN coalesce(n.aliases, []) | s + a + '|')), ' ', '')
RETURN count(n) AS merged
