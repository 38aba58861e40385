// Constraints and indexes. Every statement is idempotent (IF NOT EXISTS).
// Every node carries :Entity, so one constraint makes ids unique across the graph;
// each model label also gets its own constraint so label-scoped MERGE/MATCH use an index.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
// No constraint on :Organization: every Organization is an Entity, no statement looks one up by
// that label, and the extra unique index cost ~5 % of a bulk load (docs/benchmarks/ingest.md).
// Databases created before 2026-11-26 have one; dropping it is idempotent.
DROP CONSTRAINT organization_id IF EXISTS;
CREATE CONSTRAINT enterprise_id IF NOT EXISTS FOR (n:Enterprise) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT university_id IF NOT EXISTS FOR (n:University) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT research_institute_id IF NOT EXISTS FOR (n:ResearchInstitute) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT incubator_id IF NOT EXISTS FOR (n:Incubator) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT productivity_center_id IF NOT EXISTS FOR (n:ProductivityCenter) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT intermediary_id IF NOT EXISTS FOR (n:Intermediary) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT park_id IF NOT EXISTS FOR (n:Park) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT alliance_id IF NOT EXISTS FOR (n:Alliance) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT patent_id IF NOT EXISTS FOR (n:Patent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT i_p_c_id IF NOT EXISTS FOR (n:IPC) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT industry_id IF NOT EXISTS FOR (n:Industry) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT tech_demand_id IF NOT EXISTS FOR (n:TechDemand) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT tech_achievement_id IF NOT EXISTS FOR (n:TechAchievement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT project_id IF NOT EXISTS FOR (n:Project) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT review_decision_id IF NOT EXISTS FOR (n:ReviewDecision) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT list_edition_id IF NOT EXISTS FOR (n:ListEdition) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT annual_report_id IF NOT EXISTS FOR (n:AnnualReport) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT enterprise_credit_code IF NOT EXISTS FOR (n:Enterprise) REQUIRE n.creditCode IS UNIQUE;
CREATE CONSTRAINT patent_number IF NOT EXISTS FOR (n:Patent) REQUIRE n.number IS UNIQUE;
CREATE CONSTRAINT ipc_code IF NOT EXISTS FOR (n:IPC) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT region_code IF NOT EXISTS FOR (n:Region) REQUIRE n.code IS UNIQUE;
// Name search: CONTAINS on the normalised searchText is served by a TEXT index.
CREATE TEXT INDEX entity_search_text IF NOT EXISTS FOR (n:Entity) ON (n.searchText);
CREATE INDEX organization_name IF NOT EXISTS FOR (n:Organization) ON (n.name);
CREATE INDEX list_edition_kind_year IF NOT EXISTS FOR (n:ListEdition) ON (n.kind, n.year);
CREATE INDEX patent_application_year IF NOT EXISTS FOR (n:Patent) ON (n.applicationYear);
CREATE INDEX industry_code IF NOT EXISTS FOR (n:Industry) ON (n.code);
CREATE INDEX demand_status IF NOT EXISTS FOR (n:TechDemand) ON (n.status);
// Free text in Chinese: the CJK analyzer indexes overlapping character bigrams, which
// finds 发光二极管 inside 高亮度发光二极管封装 without a word segmenter in Lucene.
CREATE FULLTEXT INDEX entity_text IF NOT EXISTS
FOR (n:Enterprise|University|ResearchInstitute|Patent|TechDemand|TechAchievement|Person|Project)
ON EACH [n.name, n.title, n.abstract, n.description, n.expertise]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'cjk' } };
