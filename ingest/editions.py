"""Dated facts from a source spec's ``[edition]`` table: yearly list membership and yearly figures.

A spec for one year's file says which list it is and which year (``docs/PLAN_OVER_TIME.md``)::

    [edition]
    list = "techSme"          # a kind in graph.model.LIST_KINDS (optional)
    year = 2011               # or year_field = "listYear" (a `year` column of the file)
    level = "level"           # optional field: the member's level in this list (孵化器级别)
    figures = { revenue = "revenue", employees = "employees", rdSpend = "rdSpend" }

Every loaded row then also gets ``-[:LISTED_IN {year}]->(:ListEdition {kind, year})`` and, when
``figures`` names fields with values, ``-[:REPORTED {year}]->(:AnnualReport {year, ...})``. Both
are additive: a later edition never touches an earlier one, so omitting a firm in 2012 ends its
membership in 2012 and the 2010/2011 history stays queryable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from graph.changeset import ChangeSet
from graph.model import (
    LIST_KINDS,
    NODE_PROPERTIES,
    ORGANIZATION_LABELS,
    REL_SPECS,
    NodeLabel,
    RelType,
    make_id,
)
from ingest.errors import SpecError

MIN_YEAR: Final = 1949
MAX_YEAR: Final = 2100
_FIGURE_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "float": ("money", "float", "int"),
    "int": ("int",),
}


@dataclass(frozen=True)
class EditionSpec:
    list_kind: str | None
    year: int | None
    year_field: str | None
    level_field: str | None
    figures: Mapping[str, str] = field(default_factory=dict)  # AnnualReport property -> field

    @property
    def fields(self) -> set[str]:
        """The row fields the edition reads (they count as used by the spec)."""
        used = set(self.figures.values())
        used |= {f for f in (self.year_field, self.level_field) if f is not None}
        return used


def edition_id(kind: str, year: int) -> str:
    """``list:techSme:2011``."""
    return make_id(NodeLabel.LIST_EDITION, f"{kind}:{year}")


def annual_report_id(entity_id: str, year: int) -> str:
    """``annual:ent:9112…:2011`` — one per organisation and year, so a re-load merges."""
    return make_id(NodeLabel.ANNUAL_REPORT, f"{entity_id}:{year}")


def parse_edition(raw: Any, label: NodeLabel, columns: Mapping[str, Any]) -> EditionSpec:
    """Check an ``[edition]`` table against the row label and the spec's columns."""
    where = "[edition]"
    if not isinstance(raw, Mapping):
        raise SpecError(f"{where} must be a table")
    unknown = sorted(set(raw) - {"list", "year", "year_field", "level", "figures"})
    if unknown:
        raise SpecError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: figures, level, list, year, year_field"
        )
    kind = raw.get("list")
    if kind is not None and kind not in LIST_KINDS:
        raise SpecError(f"{where}: unknown list {kind!r}; allowed: {', '.join(LIST_KINDS)}")
    if kind is not None and label not in REL_SPECS[RelType.LISTED_IN].start:
        raise SpecError(f"{where}: {label.value} rows cannot be members of a list")
    year, year_field = raw.get("year"), raw.get("year_field")
    if (year is None) == (year_field is None):
        raise SpecError(f"{where}: give exactly one of year (a number) or year_field (a column)")
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR
    ):
        raise SpecError(f"{where}: year must be a whole year between {MIN_YEAR} and {MAX_YEAR}, got {year!r}")
    if year_field is not None:
        column = columns.get(year_field)
        if column is None or column.type != "year":
            raise SpecError(f"{where}: year_field {year_field!r} must be a [columns] field of type year")
    level = raw.get("level")
    if level is not None and level not in columns:
        raise SpecError(f"{where}: level {level!r} is not in [columns]")
    figures = raw.get("figures", {})
    if not isinstance(figures, Mapping):
        raise SpecError(f"{where}: figures must be a table of AnnualReport property = field")
    allowed = NODE_PROPERTIES[NodeLabel.ANNUAL_REPORT]
    for prop, name in figures.items():
        if prop not in allowed or prop in ("id", "year") or allowed[prop] not in _FIGURE_TYPES:
            figures_ok = sorted(p for p, t in allowed.items() if t in _FIGURE_TYPES and p != "year")
            raise SpecError(f"{where}: figures: {prop!r} is not one of {', '.join(figures_ok)}")
        column = columns.get(name) if isinstance(name, str) else None
        if column is None:
            raise SpecError(f"{where}: figures.{prop} names {name!r}, which is not in [columns]")
        if column.type not in _FIGURE_TYPES[allowed[prop]] or column.multi:
            raise SpecError(
                f"{where}: figures.{prop} needs a single {allowed[prop]} column, not {column.type}"
            )
    if figures and label not in ORGANIZATION_LABELS:
        raise SpecError(f"{where}: figures apply to organisations, not {label.value}")
    if kind is None and not figures:
        raise SpecError(f"{where}: give a list, figures, or both")
    return EditionSpec(kind, year, year_field, level, dict(figures))


def add_edition_facts(
    edition: EditionSpec,
    row: tuple[NodeLabel, str],
    values: Mapping[str, Any],
    provenance: Mapping[str, Any],
    locator: str,
    changes: ChangeSet,
) -> None:
    """Write the row's membership and figures for the edition's year into ``changes``."""
    year = edition.year if edition.year is not None else values.get(edition.year_field or "")
    if not isinstance(year, int):
        return  # a row without a year states no dated fact; the row itself is still loaded
    label, node_id = row
    if edition.list_kind is not None:
        list_id = edition_id(edition.list_kind, year)
        changes.add_node(
            NodeLabel.LIST_EDITION,
            {
                "id": list_id,
                "kind": edition.list_kind,
                "year": year,
                "name": f"{year}年{LIST_KINDS[edition.list_kind]}名单",
                **provenance,
            },
        )
        rel: dict[str, Any] = {"year": year, **provenance, "records": [locator]}
        level = values.get(edition.level_field) if edition.level_field else None
        if level is not None:
            rel["level"] = str(level)
        changes.add_relationship(RelType.LISTED_IN, row, (NodeLabel.LIST_EDITION, list_id), rel)
    figures = {p: values[f] for p, f in edition.figures.items() if values.get(f) is not None}
    if figures:
        report_id = annual_report_id(node_id, year)
        changes.add_node(
            NodeLabel.ANNUAL_REPORT,
            {"id": report_id, "year": year, **figures, **provenance, "records": [locator]},
        )
        changes.add_relationship(
            RelType.REPORTED,
            (label, node_id),
            (NodeLabel.ANNUAL_REPORT, report_id),
            {"year": year, **provenance, "records": [locator]},
        )
