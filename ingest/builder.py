"""Load planning: turn converted rows into nodes and relationships of one :class:`ChangeSet`.

Each row is built into its own small ChangeSet first (validated on add) and merged into the
run's ChangeSet only when the whole row succeeded, so a quarantined row leaves no trace — not
even in the resolvers, whose new entities are registered only on success.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rich.progress import Progress

from graph.changeset import ChangeSet, RelRecord, merge_props
from graph.errors import InnoGraphError, InvariantError, SpecError, ValidationError
from graph.model import NODE_PROPERTIES, ORGANIZATION_LABELS, UNION_PROPERTIES, NodeLabel, RelType, make_id
from graph.store import GraphStore
from ingest.applicants import is_person, organization_label, person_may_be
from ingest.editions import add_edition_facts
from ingest.hierarchy import OrgHierarchy
from ingest.names import normalize_org_name
from ingest.normalize import ipc_hierarchy, ipc_subclass
from ingest.readers import RawRow, Table
from ingest.reconcile import FileReport, IngestReport, LinkRecord, QuarantinedRow
from ingest.resolve import Candidate, LinkDecision, OrgResolver
from ingest.review import Decisions, pending_changes
from ingest.spec import LinkSpec, SourceSpec
from ingest.transform import BoundColumn, CellProblem, convert_row

_CHUNK = 1000
#: Properties a later row may change without it being a conflict.
_MERGEABLE = {"id", "name", *UNION_PROPERTIES}


def is_link(decision: LinkDecision | None) -> bool:
    """Whether a resolver decision joins the mention to an existing entity.

    Only ``exact`` and ``linked`` do. ``review`` is a question for a person, never a merge: the
    mention becomes its own entity and the pair goes on the run's review list.
    """
    return decision is not None and decision.status in ("exact", "linked") and decision.entity_id is not None


def linked_id(decision: LinkDecision | None) -> str | None:
    """The existing entity a decision joins the mention to (:func:`is_link`), else None."""
    return decision.entity_id if decision is not None and is_link(decision) else None


def stable_key(*parts: str) -> str:
    """``h`` + 16 hex digits of SHA-256: an id key that is the same on every run."""
    return "h" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def org_id(label: NodeLabel, name: str, credit_code: str | None = None) -> str:
    """The id a new organisation gets: its credit code (enterprises), else its normalised name."""
    if credit_code and label is NodeLabel.ENTERPRISE:
        return make_id(label, credit_code)
    return make_id(label, "n" + hashlib.sha256(normalize_org_name(name).encode()).hexdigest()[:16])


class AlreadyIngested(InnoGraphError):
    """The row's entity already carries this run id: the same input was applied before."""

    def __init__(self, label: NodeLabel, node_id: str, props: dict[str, Any]) -> None:
        super().__init__(node_id)
        self.label, self.node_id, self.props = label, node_id, props


class RowRejected(InnoGraphError):
    def __init__(self, column: str | None, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


@dataclass
class _Target:
    label: NodeLabel
    id: str
    mention: str
    decision: LinkDecision | None = None


@dataclass
class _RowWork:
    """Everything one row would write; committed only if the whole row succeeds."""

    changes: ChangeSet = field(default_factory=ChangeSet)
    on_commit: list[Callable[[], None]] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    mentions: list[tuple[NodeLabel, str, str]] = field(default_factory=list)  # (label, id, mention)


class GraphBuilder:
    def __init__(self, store: GraphStore, report: IngestReport) -> None:
        self.store = store
        self.report = report
        self.changes = ChangeSet()
        self._orgs: OrgResolver | None = None
        #: Organisations committed before the resolver was first needed: indexed when it is built.
        self._pending_orgs: list[Candidate] = []
        self._persons: Any = None
        self._person_ids: set[str] | None = None
        self._created: set[str] = set()  # link-target ids already given a record this call
        self._row_nodes: dict[str, str] = {}  # row node id -> first locator this call
        self._first_rows: list[tuple[FileReport, str]] = []
        self._row_props: dict[str, dict[str, tuple[Any, str]]] = {}
        self._mentions: dict[str, tuple[NodeLabel, set[str]]] = {}
        self._names: dict[str, str] = {}  # names of entities this call creates
        self._exists_cache: dict[str, bool] = {}
        self._done: set[str] = set()
        #: When a list, each committed row's own ChangeSet is kept too (bench/ingest_throughput.py
        #: replays them one transaction per record, to measure what batching buys).
        self.row_changes: list[ChangeSet] | None = None
        self._touched: set[tuple[str, str]] = set()  # (entity id, source) stamped this call
        self._ipc_done: set[tuple[str, str]] = set()  # (IPC code, source) whose chain is written
        self._decisions: Decisions | None = None
        self._hierarchy: OrgHierarchy | None = None  # branches and subsidiaries (ingest/hierarchy.py)

    @property
    def decisions(self) -> Decisions:
        """The review decisions in the store (read once per run): accepted pairs link, rejected
        pairs never do (ingest/review.py)."""
        if self._decisions is None:
            self._decisions = Decisions.from_store(self.store)
        return self._decisions

    # -- resolvers (built on first use: a spec without links never pays for them) -----------------

    @property
    def orgs(self) -> OrgResolver:
        if self._orgs is None:
            self._orgs = OrgResolver.from_store(self.store)
            for candidate in self._pending_orgs:
                self._orgs.add(candidate)
            self._pending_orgs.clear()
        return self._orgs

    def _register_org(self, candidate: Candidate) -> None:
        """Make an organisation this call created or updated linkable for the rest of the call."""
        self._names.setdefault(candidate.id, candidate.name)
        if self._orgs is None:
            self._pending_orgs.append(candidate)  # the store does not hold it yet: keep it
        else:
            self._orgs.add(candidate)

    @property
    def persons(self) -> Any:
        if self._persons is None:
            from ingest.persons import PersonResolver

            self._persons = PersonResolver.from_store(self.store)
            self._person_ids = {n.id for n in self.store.nodes(NodeLabel.PERSON)}
        return self._persons

    # -- rows --------------------------------------------------------------------------------------

    def ingest_table(
        self,
        spec: SourceSpec,
        table: Table,
        columns: dict[str, BoundColumn],
        report: FileReport,
        *,
        progress: bool = False,
    ) -> None:
        # Rows whose entity already carries this run id were applied by an identical earlier run;
        # deciding their links again (now against a graph that contains them) could only differ.
        self._done = {
            node.id
            for node in self.store.nodes(spec.label)
            if report.run_id in (node.props.get("ingestRuns") or ())
        }
        rows: Iterable[RawRow] = table.rows
        if progress and len(table.rows) > 2000:
            with Progress(transient=True) as bar:
                task = bar.add_task(f"{table.path.name}", total=len(table.rows))
                for row in table.rows:
                    self._ingest_row(spec, table, columns, report, row)
                    bar.advance(task)
            return
        for row in rows:
            self._ingest_row(spec, table, columns, report, row)

    def _ingest_row(
        self, spec: SourceSpec, table: Table, columns: dict[str, BoundColumn], report: FileReport, row: RawRow
    ) -> None:
        report.rows_read += 1
        file_name = table.path.name
        locator = f"{file_name}#{row.number}"
        cell_warnings: list[CellProblem] = []
        try:
            if row.problem is not None:
                raise RowRejected(None, None, row.problem)
            values, problem = convert_row(row, columns, cell_warnings)
            if problem is not None:
                raise RowRejected(problem.column, problem.value, problem.reason)
            work = _RowWork()
            _, node_id = self._build_row(spec, columns, values, locator, report.run_id, work)
            self._check_conflicts(spec, columns, node_id, work, locator)
        except AlreadyIngested as done:
            # Nothing is written for it, but its values still take part in the conflict check,
            # so a re-run quarantines exactly the rows the first run did.
            probe = _RowWork()
            try:
                probe.changes.add_node(done.label, done.props)
                self._check_conflicts(spec, columns, done.node_id, probe, locator)
            except RowRejected as e:
                self._quarantine(spec, file_name, row.number, e.column, e.value, e.reason, report)
                return
            self._commit(_RowWork(on_commit=probe.on_commit), done.node_id, locator, report)
            self._warn(spec, file_name, row.number, cell_warnings, report)
            return
        except RowRejected as e:
            self._quarantine(spec, file_name, row.number, e.column, e.value, e.reason, report)
            return
        except ValidationError as e:
            column = _header_for(columns, spec, e.field)
            self._quarantine(spec, file_name, row.number, column, None, str(e), report)
            return
        self._commit(work, node_id, locator, report)
        self._warn(spec, file_name, row.number, cell_warnings, report)

    def _warn(
        self, spec: SourceSpec, file: str, row: int, problems: list[CellProblem], report: FileReport
    ) -> None:
        """A loaded row's cells kept as unknown: in the report, with file, row, column and reason."""
        if problems:
            report.warned += 1
        for p in problems:
            self.report.row_warnings.append(
                QuarantinedRow.of(spec.name, file, row, p.column, p.value, p.reason)
            )

    def _quarantine(
        self,
        spec: SourceSpec,
        file: str,
        row: int,
        column: str | None,
        value: Any,
        reason: str,
        report: FileReport,
    ) -> None:
        report.quarantined += 1
        self.report.quarantine.append(QuarantinedRow.of(spec.name, file, row, column, value, reason))

    def _commit(self, work: _RowWork, node_id: str, locator: str, report: FileReport) -> None:
        _absorb(self.changes, work.changes)
        if self.row_changes is not None:
            self.row_changes.append(work.changes)
        for action in work.on_commit:
            action()
        for record in work.links:
            self.report.links.append(record)
            report.count_link(record.column, record.status)
            if record.status == "review":
                self.report.review.append(record)
        for label, entity_id, mention in work.mentions:
            self._mentions.setdefault(entity_id, (label, set()))[1].add(mention)
        if node_id in self._row_nodes:
            report.merged += 1
        else:
            self._row_nodes[node_id] = locator
            self._first_rows.append((report, node_id))

    # -- building one row ----------------------------------------------------------------------------

    def _build_row(
        self,
        spec: SourceSpec,
        columns: dict[str, BoundColumn],
        values: dict[str, Any],
        locator: str,
        run_id: str,
        work: _RowWork,
    ) -> tuple[NodeLabel, str]:
        provenance = {"sources": [spec.name], "ingestRuns": [run_id]}
        props: dict[str, Any] = {
            col.spec.property: values[name]
            for name, col in columns.items()
            if col.spec.property is not None and name in values
        }
        org_targets: dict[str, list[_Target]] = {}
        if spec.key != "resolve":  # known before linking: skip the linking of rows already applied
            label, node_id = self._row_identity(spec, columns, values, props, locator, org_targets, work)
            if node_id in self._done:
                raise AlreadyIngested(label, node_id, {**props, "id": node_id})
        # Individual applicants become Person nodes scoped to this record (the patent), so the
        # same name among its inventors is the same person.
        scope = node_id if spec.key != "resolve" else locator
        row_ipcs: list[str] = next(
            (values.get(link.column, []) for link in spec.links if link.target == "ipc"), []
        )
        for link in spec.links:
            if link.target == "organization":
                org_targets[link.column] = self._org_targets(
                    link, values, columns, locator, work, scope=scope, ipc_codes=row_ipcs
                )
        if spec.key == "resolve":
            label, node_id = self._row_identity(spec, columns, values, props, locator, org_targets, work)
            if node_id in self._done:
                raise AlreadyIngested(label, node_id, {**props, "id": node_id})
        work.changes.add_node(label, {**props, "id": node_id, **provenance, "records": [locator]})
        if label in ORGANIZATION_LABELS:
            self._register_row_org(label, node_id, values, props, work)
        row_end = (label, node_id)
        ipc_codes: list[str] = next(
            (values.get(link.column, []) for link in spec.links if link.target == "ipc"), []
        )
        for link in spec.links:
            if link.target == "organization":
                targets = org_targets[link.column]
            elif link.target == "person":
                targets = self._person_targets(
                    link, values, columns, locator, work, org_targets, node_id, ipc_codes, provenance
                )
            elif link.target == "ipc":
                targets = self._ipc_targets(link, values, provenance, locator, work)
            else:
                targets = self._node_targets(link, values, columns, provenance, locator, work)
            rel_base: dict[str, Any] = {**provenance, "records": [locator]}
            for name, field_name in link.props.items():
                rel_base[name] = values.get(field_name)
            for position, target in enumerate(targets, start=1):
                rel = dict(rel_base)
                if link.order:
                    rel["order"] = position
                if link.primary:
                    rel["primary"] = position == 1
                if target.decision is not None:
                    rel.update(_evidence(target.decision))
                ends = (row_end, (target.label, target.id))
                start, end = ends if link.direction == "out" else ends[::-1]
                work.changes.add_relationship(link.rel, start, end, rel)
                if link.target == "person" and link.affiliate:
                    affiliation = self._first_org(org_targets, link.affiliation)
                    if affiliation is not None:
                        work.changes.add_relationship(
                            RelType.AFFILIATED_WITH,
                            (target.label, target.id),
                            (affiliation.label, affiliation.id),
                            rel_base,
                        )
        for target_list in org_targets.values():
            for target in target_list:
                self._touch(target, provenance, locator, work)
        self._parent_edges(
            label, node_id, values, props, org_targets, {**provenance, "records": [locator]}, work
        )
        if spec.edition is not None:
            add_edition_facts(spec.edition, row_end, values, provenance, locator, work.changes)
        return label, node_id

    def _parent_edges(
        self,
        label: NodeLabel,
        node_id: str,
        values: dict[str, Any],
        props: dict[str, Any],
        org_targets: dict[str, list[_Target]],
        rel_base: dict[str, Any],
        work: _RowWork,
    ) -> None:
        """BRANCH_OF / SUBSIDIARY_OF edges from the organisations of this row to their parents."""
        seen: list[tuple[tuple[NodeLabel, str], str]] = []
        name = values.get("name") or props.get("name")
        if label in ORGANIZATION_LABELS and isinstance(name, str):
            seen.append(((label, node_id), name))
        seen.extend(((t.label, t.id), t.mention) for targets in org_targets.values() for t in targets)
        if not seen:
            return
        if self._hierarchy is None:
            self._hierarchy = OrgHierarchy(
                lambda normal: [
                    (self.orgs.candidate(i).label, i) for i in sorted(self.orgs.ids_with_normal(normal))
                ]
            )
        for node, mention in seen:
            edges, commit = self._hierarchy.seen(node, mention)
            for rel, child, parent, rule in edges:
                work.changes.add_relationship(rel, child, parent, {**rel_base, "rule": rule})
            work.on_commit.append(commit)

    def _row_identity(
        self,
        spec: SourceSpec,
        columns: dict[str, BoundColumn],
        values: dict[str, Any],
        props: dict[str, Any],
        locator: str,
        org_targets: dict[str, list[_Target]],
        work: _RowWork,
    ) -> tuple[NodeLabel, str]:
        if spec.key == "resolve":
            name = values.get("name")
            if not name:
                raise RowRejected(_header(columns, "name"), None, "the name is empty")
            if spec.label is NodeLabel.PERSON:
                affiliation = self._first_org(org_targets, spec.row_affiliation)
                target = self._link_person(
                    name,
                    affiliation.id if affiliation else None,
                    [],
                    [],
                    locator,
                    _header(columns, "name"),
                    work,
                    scope=locator,
                )
            else:
                target = self._link_org(
                    name,
                    spec.label,
                    values.get("creditCode"),
                    locator,
                    _header(columns, "name"),
                    work,
                    fixed_label=True,
                )
            if is_link(target.decision):
                props.pop("name", None)  # an existing entity keeps its name; this one becomes an alias
                work.mentions.append((target.label, target.id, name))
            return target.label, target.id
        fields = (spec.key,) if isinstance(spec.key, str) else spec.key
        parts = []
        for key_field in fields:
            value = values.get(key_field)
            if value is None or value == "":
                raise RowRejected(_header(columns, key_field), None, f"the key {key_field!r} is empty")
            parts.append(str(value))
        if len(parts) == 1 and len(parts[0]) <= 120 and "/" not in parts[0]:
            return spec.label, make_id(spec.label, parts[0].replace(" ", ""))
        return spec.label, make_id(spec.label, stable_key(*parts))

    # -- organisations -------------------------------------------------------------------------------

    def _register_row_org(
        self, label: NodeLabel, node_id: str, values: dict[str, Any], props: dict[str, Any], work: _RowWork
    ) -> None:
        """An organisation row, whatever its key (``resolve``, a code column, …), is linkable by its
        name, aliases, English name and credit code for the rest of the call once it commits —
        so a later file that names it by 简称 or in English links to it, not to a new entity."""
        name = values.get("name") or props.get("name")
        if not name:
            return
        aliases = props.get("aliases") or ()
        if isinstance(aliases, str):
            aliases = (aliases,)
        candidate = Candidate(
            id=node_id,
            label=label,
            name=str(name),
            aliases=tuple(str(a) for a in aliases),
            credit_code=props.get("creditCode"),
            name_en=props.get("nameEn"),
        )
        work.on_commit.append(lambda: self._register_org(candidate))

    @staticmethod
    def _may_be_person(link: LinkSpec) -> bool:
        """Whether a mention in this organisation column is typed person/organisation: only when
        the spec fixes no label and the relationship admits a Person at the mention's end."""
        return link.label is None and person_may_be(link.rel, "start" if link.direction == "in" else "end")

    def _known_org(self, name: str) -> bool:
        """A name shaped like a person's that is exactly a known organisation's name or alias
        (南开 for 南开大学, 天大) is that organisation: the graph knows better than the shape."""
        if not normalize_org_name(name):
            return False  # no key to compare (a script the normal form drops): nothing is known
        decision = self.orgs.link(name)
        return str(decision.evidence.get("rule", "")).startswith("exact_") or decision.status == "exact"

    def _org_targets(
        self,
        link: LinkSpec,
        values: dict[str, Any],
        columns: dict[str, BoundColumn],
        locator: str,
        work: _RowWork,
        *,
        scope: str,
        ipc_codes: list[str],
    ) -> list[_Target]:
        mentions = values.get(link.column) or []
        if isinstance(mentions, str):
            mentions = [mentions]
        column = _header(columns, link.column)
        people = [
            m for m in mentions if self._may_be_person(link) and is_person(m) and not self._known_org(m)
        ]
        subclasses = sorted({ipc_subclass(c) for c in ipc_codes})
        # Organisations first: a person applicant's co-applicant firms are its context (the same
        # name filing again with the same firm is the same person — a shared co-applicant).
        orgs = {
            m: self._link_org(m, link.label, None, locator, column, work) for m in mentions if m not in people
        }
        co_applicants = sorted({t.id for t in orgs.values()})
        targets = [
            self._link_person(
                m,
                None,
                [p for p in people if p != m],
                subclasses,
                locator,
                column,
                work,
                scope=scope,
                affiliation_ids=co_applicants,
            )
            if m in people
            else orgs[m]
            for m in mentions
        ]
        # Two variants of one organisation in one cell are one applicant, not two.
        unique: dict[str, _Target] = {}
        for target in targets:
            unique.setdefault(target.id, target)
        return list(unique.values())

    def _link_org(
        self,
        name: str,
        label: NodeLabel | None,
        credit_code: str | None,
        locator: str,
        column: str,
        work: _RowWork,
        *,
        fixed_label: bool = False,
    ) -> _Target:
        decision = self.orgs.link(name, credit_code=credit_code, label_hint=label)
        if self.decisions:
            own_label = (
                label if (fixed_label and label) else (decision.label or label or organization_label(name))
            )
            decision = self.decisions.apply(decision, org_id(own_label, name, credit_code))
        if (linked := linked_id(decision)) is not None:
            self._record(decision, locator, column, work)
            return _Target(decision.label or label or organization_label(name), linked, name, decision)
        # "new", or "review": an uncertain pair is not merged; the mention becomes its own entity
        # and the pair goes on the review list for a person to merge (or not). A row's own label is
        # fixed; for a mention, a review candidate's label is the best guess at what it is.
        new_label = (
            label if (fixed_label and label) else (decision.label or label or organization_label(name))
        )
        node_id = org_id(new_label, name, credit_code)
        if decision.status == "review":
            decision = self._review_decision(decision, node_id)
        self._record(decision, locator, column, work)
        props: dict[str, Any] = {"id": node_id, "name": name}
        if credit_code and new_label is NodeLabel.ENTERPRISE:
            props["creditCode"] = credit_code
        work.changes.add_node(new_label, props)
        candidate = Candidate(node_id, new_label, name, credit_code=credit_code)
        work.on_commit.append(lambda: self._created_entity(candidate))
        return _Target(new_label, node_id, name, decision)

    def _created_entity(self, candidate: Candidate) -> None:
        self._register_org(candidate)

    def _review_decision(self, decision: LinkDecision, created_id: str) -> LinkDecision:
        """The review decision, with what a reviewer needs: the candidate's name and the id the
        mention was created as (merge that into the candidate if they are the same)."""
        evidence = dict(decision.evidence)
        if decision.entity_id is not None:
            evidence["candidateName"] = self._candidate_name(decision)
        evidence["createdAs"] = created_id
        return replace(decision, evidence=evidence)

    def _candidate_name(self, decision: LinkDecision) -> str | None:
        if decision.entity_id is None:
            return None
        if decision.label is NodeLabel.PERSON:
            return self._names.get(decision.entity_id) or _store_name(self.store, decision.entity_id)
        if self._orgs is not None and decision.entity_id in self._orgs:
            return self._orgs.candidate(decision.entity_id).name
        return _store_name(self.store, decision.entity_id)

    @staticmethod
    def _first_org(org_targets: dict[str, list[_Target]], column: str | None) -> _Target | None:
        if column is None:
            return None
        # An individual co-applicant is no one's affiliation: the first organisation is.
        targets = [t for t in org_targets.get(column) or [] if t.label is not NodeLabel.PERSON]
        return targets[0] if targets else None

    def _touch(self, target: _Target, provenance: dict[str, Any], locator: str, work: _RowWork) -> None:
        """Provenance on a linked entity: the source and run always, a record on first mention only
        (the relationships carry every row's record, and a big applicant would otherwise collect
        thousands)."""
        if is_link(target.decision):
            work.mentions.append((target.label, target.id, target.mention))
        touched = (target.id, provenance["sources"][0])
        if touched in self._touched:
            return  # this source already stamped it in this call: nothing new to say
        work.on_commit.append(lambda: self._touched.add(touched))
        props: dict[str, Any] = {"id": target.id, **provenance}
        if target.id not in self._created:
            props["records"] = [locator]
            work.on_commit.append(lambda: self._created.add(target.id))
        work.changes.add_node(target.label, props)

    # -- persons -------------------------------------------------------------------------------------

    def _person_targets(
        self,
        link: LinkSpec,
        values: dict[str, Any],
        columns: dict[str, BoundColumn],
        locator: str,
        work: _RowWork,
        org_targets: dict[str, list[_Target]],
        row_id: str,
        ipc_codes: list[str],
        provenance: dict[str, Any],
    ) -> list[_Target]:
        names = values.get(link.column) or []
        if isinstance(names, str):
            names = [names]
        affiliation = self._first_org(org_targets, link.affiliation)
        subclasses = sorted({ipc_subclass(c) for c in ipc_codes})
        column = _header(columns, link.column)
        targets: list[_Target] = []
        # An inventor who is also an individual applicant of this record is that Person.
        applicants = {
            " ".join(t.mention.split()).casefold(): t
            for ts in org_targets.values()
            for t in ts
            if t.label is NodeLabel.PERSON
        }
        for name in names:
            same = applicants.get(" ".join(name.split()).casefold())
            if same is not None:
                targets.append(same)
                continue
            others = [n for n in names if n != name]
            target = self._link_person(
                name,
                affiliation.id if affiliation else None,
                others,
                subclasses,
                locator,
                column,
                work,
                scope=row_id,
            )
            self._touch(target, provenance, locator, work)
            targets.append(target)
        return list({t.id: t for t in targets}.values())

    def _link_person(
        self,
        name: str,
        affiliation_id: str | None,
        coauthors: list[str],
        subclasses: list[str],
        locator: str,
        column: str,
        work: _RowWork,
        *,
        scope: str,
        affiliation_ids: Sequence[str] = (),
    ) -> _Target:
        resolver = self.persons
        if self._person_ids is None:
            raise InvariantError("person ids are read with the person resolver, before any person link")
        # The id this mention would be minted with: name + affiliation, or name + this record.
        # If it exists (an earlier run, or an earlier row) it *is* this person: re-runs stay stable.
        minted = make_id(
            NodeLabel.PERSON, stable_key(" ".join(name.split()).casefold(), affiliation_id or scope)
        )
        if minted in self._person_ids or minted in self._names:
            decision = LinkDecision(
                name,
                minted,
                NodeLabel.PERSON,
                100.0,
                "exact",
                {"rule": "same_name_and_context", "affiliation": affiliation_id},
            )
            self._record(decision, locator, column, work)
            return _Target(NodeLabel.PERSON, minted, name, decision)
        decision = resolver.link(
            name,
            affiliation_id=affiliation_id,
            coauthors=coauthors,
            ipc_subclasses=subclasses,
            affiliation_ids=affiliation_ids,
        )
        if self.decisions:
            decision = self.decisions.apply(decision, minted)
        if (linked := linked_id(decision)) is not None:
            self._record(decision, locator, column, work)
            linked_person = linked

            def enrich() -> None:  # the person's context grows with each record it is on
                resolver.add(
                    linked_person,
                    name,
                    affiliation_id=affiliation_id,
                    coauthors=coauthors,
                    ipc_subclasses=subclasses,
                    affiliation_ids=affiliation_ids,
                )

            work.on_commit.append(enrich)
            return _Target(NodeLabel.PERSON, linked, name, decision)
        if decision.status == "review":  # a namesake in a related field: a person decides
            decision = self._review_decision(decision, minted)
        self._record(decision, locator, column, work)
        work.changes.add_node(NodeLabel.PERSON, {"id": minted, "name": name})

        def register() -> None:
            resolver.add(
                minted,
                name,
                affiliation_id=affiliation_id,
                coauthors=coauthors,
                ipc_subclasses=subclasses,
                affiliation_ids=affiliation_ids,
            )
            self._names.setdefault(minted, name)

        work.on_commit.append(register)
        return _Target(NodeLabel.PERSON, minted, name, decision)

    # -- IPC, regions and other plain nodes ----------------------------------------------------------

    def _ipc_targets(
        self, link: LinkSpec, values: dict[str, Any], provenance: dict[str, Any], locator: str, work: _RowWork
    ) -> list[_Target]:
        codes = values.get(link.column) or []
        if isinstance(codes, str):
            codes = [codes]
        targets = []
        source = provenance["sources"][0]
        for code in codes:
            targets.append(_Target(NodeLabel.IPC, make_id(NodeLabel.IPC, code), code))
            if (code, source) in self._ipc_done:
                continue
            work.on_commit.append(lambda code=code: self._ipc_done.add((code, source)))  # type: ignore[misc]
            chain = ipc_hierarchy(code)
            parent: str | None = None
            for part, level in chain:
                node_id = make_id(NodeLabel.IPC, part)
                self._touch(_Target(NodeLabel.IPC, node_id, part), provenance, locator, work)
                work.changes.add_node(NodeLabel.IPC, {"id": node_id, "code": part, "level": level})
                if parent is not None:
                    work.changes.add_relationship(
                        RelType.SUBCLASS_OF, (NodeLabel.IPC, node_id), (NodeLabel.IPC, parent), provenance
                    )
                parent = node_id
        return targets

    def _node_targets(
        self,
        link: LinkSpec,
        values: dict[str, Any],
        columns: dict[str, BoundColumn],
        provenance: dict[str, Any],
        locator: str,
        work: _RowWork,
    ) -> list[_Target]:
        raw = values.get(link.column) or []
        keys = [raw] if not isinstance(raw, list) else raw
        label = link.label
        if label is None:  # spec.py requires it for these targets
            raise SpecError(f"link {link.column!r}: the spec names no label for its targets")
        targets = []
        for key in keys:
            text = str(key).replace(" ", "")
            node_id = make_id(label, text)
            if not link.create and not self._exists(node_id):
                raise RowRejected(
                    _header(columns, link.column),
                    key,
                    f"{label.value} {text!r} is not in the graph (create = false)",
                )
            props: dict[str, Any] = {"id": node_id}
            allowed = NODE_PROPERTIES[label]
            if "code" in allowed:
                props["code"] = text
            elif "name" in allowed:
                props["name"] = str(key)
            target = _Target(label, node_id, str(key))
            self._touch(target, provenance, locator, work)
            if link.create:
                work.changes.add_node(label, props)
                if label in ORGANIZATION_LABELS and "name" in props:
                    org = Candidate(node_id, label, str(props["name"]))
                    work.on_commit.append(lambda org=org: self._register_org(org))  # type: ignore[misc]
            targets.append(target)
        return targets

    def _exists(self, node_id: str) -> bool:
        if any(node_id in by_id for by_id in self.changes.nodes.values()):
            return True
        if node_id not in self._exists_cache:
            self._exists_cache[node_id] = self.store.get_node(node_id) is not None
        return self._exists_cache[node_id]

    # -- bookkeeping ---------------------------------------------------------------------------------

    def _record(self, decision: LinkDecision, locator: str, column: str, work: _RowWork) -> None:
        file, _, row = locator.rpartition("#")
        work.links.append(
            LinkRecord(
                file=file,
                row=int(row),
                column=column,
                mention=decision.mention,
                status=decision.status,
                entity_id=decision.entity_id,
                label=decision.label.value if decision.label else None,
                score=float(decision.score),
                evidence=dict(decision.evidence),
            )
        )

    def _check_conflicts(
        self, spec: SourceSpec, columns: dict[str, BoundColumn], node_id: str, work: _RowWork, locator: str
    ) -> None:
        """The first row of a run wins; a later row saying otherwise about the same entity is
        quarantined with both values, rather than silently overwriting them."""
        seen = self._row_props.get(node_id, {})
        props = next(by_id[node_id] for by_id in work.changes.nodes.values() if node_id in by_id)
        for key, value in props.items():
            if key in _MERGEABLE or key not in seen:
                continue
            first, where = seen[key]
            if first != value:
                raise RowRejected(
                    _header_for(columns, spec, key),
                    value,
                    f"conflicts with {where}: {key} is {first!r} there and {value!r} here",
                )

        def remember() -> None:
            entry = self._row_props.setdefault(node_id, {})
            for key, value in props.items():
                if key not in _MERGEABLE:
                    entry.setdefault(key, (value, locator))

        work.on_commit.append(remember)

    def finish(self) -> ChangeSet:
        """Settle loaded vs merged against the store, add name variants as aliases, return the batch."""
        first_ids = [node_id for _, node_id in self._first_rows]
        existing = self._existing(first_ids)
        for report, node_id in self._first_rows:
            if node_id in existing:
                report.merged += 1
            else:
                report.loaded += 1
        names = dict(self._names)
        unknown = sorted(i for i in self._mentions if i not in names)
        for start in range(0, len(unknown), _CHUNK):
            for node in self.store.get_nodes(unknown[start : start + _CHUNK]):
                names[node.id] = node.name
        for entity_id, (label, mentions) in sorted(self._mentions.items()):
            aliases = sorted(m for m in mentions if m != names.get(entity_id))
            if aliases:
                self.changes.add_node(label, {"id": entity_id, "aliases": aliases})
        self.changes.extend(pending_changes(self.report.review, self.decisions.by_id, self.report.run_id))
        return self.changes

    def _existing(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        unique = sorted(set(ids))
        for start in range(0, len(unique), _CHUNK):
            found.update(node.id for node in self.store.get_nodes(unique[start : start + _CHUNK]))
        return found


def _absorb(target: ChangeSet, part: ChangeSet) -> None:
    """Merge an already-validated ChangeSet into ``target`` without validating it again."""
    for label, by_id in part.nodes.items():
        into = target.nodes.setdefault(label, {})
        for node_id, props in by_id.items():
            current = into.get(node_id)
            # A row's props are already merged (lists de-duplicated, empty ones dropped): merging
            # them into nothing would only copy them again.
            into[node_id] = dict(props) if current is None else merge_props(current, props)
    for key, rel in part.rels.items():
        existing = target.rels.get(key)
        if existing is None:
            # A copy: later rows merge into the run's record, never into this row's own.
            target.rels[key] = RelRecord(
                rel.type, rel.start, rel.start_label, rel.end, rel.end_label, dict(rel.props)
            )
        else:
            existing.props = merge_props(existing.props, rel.props)


def _store_name(store: GraphStore, node_id: str) -> str | None:
    node = store.get_node(node_id)
    return node.name if node is not None else None


def _evidence(decision: LinkDecision) -> dict[str, Any]:
    return {
        "linkStatus": decision.status,
        "linkScore": float(decision.score),
        "linkEvidence": json.dumps(decision.evidence, ensure_ascii=False, sort_keys=True, default=str),
    }


def _header(columns: dict[str, BoundColumn], field_name: str) -> str:
    column = columns.get(field_name)
    return (column.header if column and column.header else None) or field_name


def _header_for(columns: dict[str, BoundColumn], spec: SourceSpec, prop: str | None) -> str | None:
    if prop is None:
        return None
    for name, column in columns.items():
        if column.spec.property == prop or name == prop:
            return column.header or name
    return prop
