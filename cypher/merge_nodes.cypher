// Merge a batch of nodes on the global Entity.id key. Labels arrive as parameters and are
// applied with 5.26's dynamic-label syntax; graph.model has validated them against its allow-list.
// Union properties (aliases and provenance) accumulate; searchText mirrors graph/search_text.py.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n:$(row.labels)
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
