"""``innograph resolve FILE``: clean a list of organisation names against the graph and itself.

Each input is linked to the store's organisations; inputs that link to none are grouped with
each other, so the output says which lines are the same organisation even when the graph does
not know it yet. One JSON line per input by default (what scripts and the issue ask for); a
table for reading with ``--table``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from graph.config import open_store
from graph.errors import InnoGraphError
from ingest.errors import IngestError
from ingest.resolve import Candidate, OrgResolver, classify_org
from innograph_cli.core import fail

_TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".json", ".jsonl", ".ndjson")


def _header_key(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text).replace(" ", "").lower()


def read_names(path: Path, column: str | None) -> list[str]:
    """The names in ``path``: one per line, or the ``column`` of a table (CSV, XLSX, JSON)."""
    from ingest.readers import decode, read_bytes, read_table

    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    if column is None and not (suffixes and suffixes[-1] in _TABLE_SUFFIXES):
        text, _ = decode(read_bytes(path), "auto", path.name)
        return [line.strip() for line in text.splitlines() if line.strip()]
    table = read_table(path)
    if column is None:
        if len(table.headers) != 1:
            raise IngestError(
                f"{path.name}: a table with columns {', '.join(table.headers)}: name one with --column",
                file=path.name,
            )
        column = table.headers[0]
    keys = [_header_key(h) for h in table.headers]
    if _header_key(column) not in keys:
        raise IngestError(
            f"{path.name}: no column {column!r}; columns: {', '.join(table.headers)}", file=path.name
        )
    index = keys.index(_header_key(column))
    names = []
    for row in table.rows:
        value = row.cells[index] if index < len(row.cells) else None
        if value is not None and str(value).strip():
            names.append(str(value).strip())
    return names


def resolve_names(resolver: OrgResolver, names: list[str]) -> Iterator[dict[str, Any]]:
    """Link each name to the store's organisations, else to an earlier input's cluster."""
    store_ids = resolver.entity_ids()  # what the store knew before the inputs
    clusters = 0
    for name in names:
        decision = resolver.link(name)
        entity: dict[str, str] | None = None
        suggestion: dict[str, str] | None = None
        cluster: str
        if decision.entity_id is not None and decision.status in ("exact", "linked"):
            cluster = decision.entity_id
            if decision.entity_id in store_ids:
                entity = _entity(resolver, decision.entity_id)
        else:
            if decision.entity_id is not None:  # review: the store entity or earlier input to check
                suggestion = _entity(resolver, decision.entity_id)
            clusters += 1
            cluster = f"cluster:{clusters}"
            resolver.add(Candidate(cluster, classify_org(name), name))
        line: dict[str, Any] = {
            "input": name,
            "entity": entity,
            "cluster": cluster,
            "score": decision.score,
            "status": decision.status,
            "rule": decision.evidence.get("rule"),
        }
        if suggestion is not None:
            line["suggestion"] = suggestion
        yield line


def _entity(resolver: OrgResolver, entity_id: str) -> dict[str, str]:
    candidate = resolver.candidate(entity_id)
    return {"id": candidate.id, "name": candidate.name, "type": candidate.label.value}


def resolve(
    file: Annotated[Path, typer.Argument(help="names, one per line; or a CSV/XLSX/JSON table")],
    column: Annotated[str | None, typer.Option(help="the table column holding the names")] = None,
    as_table: Annotated[
        bool,
        typer.Option("--table/--json", help="a table for reading instead of one JSON line per input"),
    ] = False,
    use_store: Annotated[bool, typer.Option("--store/--no-store", help="link against the graph")] = True,
    threshold: Annotated[float, typer.Option(help="score from which a link is made")] = 90.0,
    review: Annotated[float, typer.Option(help="score from which a pair goes to review")] = 75.0,
) -> None:
    """Link organisation names to the graph's organisations and group the ones that are the same."""
    try:
        names = read_names(file, column)
    except IngestError as e:
        raise fail(str(e)) from e
    try:
        resolver = OrgResolver(threshold=threshold, review_threshold=review)
    except ValueError as e:
        raise fail(str(e)) from e
    if use_store:
        try:
            store = open_store()
        except (InnoGraphError, ValueError) as e:
            raise fail(str(e)) from e
        try:
            resolver = OrgResolver.from_store(store, threshold=threshold, review_threshold=review)
        finally:
            store.close()
    lines = resolve_names(resolver, names)
    if not as_table:
        for line in lines:
            typer.echo(json.dumps(line, ensure_ascii=False))
        return
    table = Table(title=f"{file.name}: {len(names)} names")
    for heading in ("input", "status", "score", "entity", "cluster"):
        table.add_column(heading)
    for line in lines:
        entity = line["entity"] or line.get("suggestion")
        shown = f"{entity['name']} ({entity['id']})" if entity else ""
        table.add_row(line["input"], line["status"], f"{line['score']:.1f}", shown, line["cluster"])
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.command()(resolve)
